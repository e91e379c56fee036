import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { run } from './run-cli';
import { RULES } from '../../src/checks/rules';
import { SCENARIOS } from '../checks/scenarios';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-imds-cli-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));


function flags(options: Record<string, unknown> = {}): string[] {
  const f: string[] = [];
  if (options.strict) f.push('--strict');
  if (options.maxHopLimit !== undefined) f.push('--max-hop-limit', String(options.maxHopLimit));
  if (options.trustAccountDefaults) f.push('--trust-account-defaults');
  if (options.trustImageImdsSupport === false) f.push('--no-trust-image-imds-support');
  return f;
}

describe.each(RULES.map((r) => r.id))('%s through the CLI (SARIF)', (ruleId) => {
  test.each(SCENARIOS.filter((s) => s.rule === ruleId).map((s, i) => [s.kind, s.name, s, i] as const))('%s: %s', (_kind, _name, s, i) => {
    const file = path.join(dir, `${ruleId}-${i}.template.json`);
    fs.writeFileSync(file, JSON.stringify(s.template));
    const r = run(['check', '--format', 'sarif', ...flags(s.options), file]);
    expect(r.err).toBe('');
    const sarif = JSON.parse(r.out);
    const results = sarif.runs[0].results as any[];
    const found = [...new Set(results.map((x) => `${x.ruleId} ${x.locations[0].logicalLocations[0].name}`))].sort();
    expect(found).toEqual([...s.expect].sort());
    for (const x of results) {
      expect(x.locations[0].physicalLocation.artifactLocation.uri).toBe(path.relative(process.cwd(), file).split(path.sep).join('/'));
      expect(x.message.text.startsWith(`${x.ruleId}: `)).toBe(true);
    }
    const errors = results.filter((x) => x.level === 'error');
    expect(r.code).toBe(errors.length > 0 ? 1 : 0);
    if (s.errors) expect(errors.map((x) => `${x.ruleId} ${x.locations[0].logicalLocations[0].name}`).sort()).toEqual([...s.errors].sort());
  });
});
