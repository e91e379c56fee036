import * as fs from 'fs';
import * as path from 'path';
import { SCENARIOS, findingText, keys, unmatchedMessages } from './scenarios';
import { runChecks } from '../../src/checks/check';
import { RULES } from '../../src/checks/rules';

describe('rule catalogue', () => {
  test('lists IMDS001 to IMDS012 in order, each with level, title, what it catches, fix and example', () => {
    expect(RULES.map((r) => r.id)).toEqual(Array.from({ length: 12 }, (_, i) => `IMDS${String(i + 1).padStart(3, '0')}`));
    for (const r of RULES) {
      expect(['error', 'warning']).toContain(r.level);
      expect(r.title.length).toBeGreaterThan(5);
      expect(r.catches.length).toBeGreaterThan(20);
      expect(r.fix.length).toBeGreaterThan(10);
      expect(r.example).toMatch(/AWS::/);
    }
    expect(RULES.filter((r) => r.level === 'warning').map((r) => r.id)).toEqual(['IMDS008', 'IMDS010', 'IMDS011', 'IMDS012']);
  });

  test('the README rule table is the catalogue, row for row', () => {
    const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
    const rows = readme.split('\n').filter((l) => /^\| IMDS\d{3} \|/.test(l));
    expect(rows).toEqual(RULES.map((r) => `| ${r.id} | ${r.level} | ${r.catches} | ${r.fix} | \`${r.example}\` |`));
  });

  test('scenario messages are matched one per finding', () => {
    const texts = ['IMDS001 Web Properties/MetadataOptions: a', 'IMDS009 Web Properties/Tags: b'];
    expect(unmatchedMessages(texts, ['IMDS009 Web Properties/Tags: b', /^IMDS001 Web /])).toEqual({ missing: [], unexpected: [] });
    // One expected text takes one finding only; a finding no text matches is reported.
    expect(unmatchedMessages(texts, [/^IMDS00/, /^IMDS00/, /^IMDS00/])).toEqual({ missing: ['/^IMDS00/'], unexpected: [] });
    expect(unmatchedMessages(texts, ['IMDS001 Web Properties/MetadataOptions: a'])).toEqual({ missing: [], unexpected: ['IMDS009 Web Properties/Tags: b'] });
    expect(findingText({ ruleId: 'IMDS001', logicalId: 'Web', propertyPath: 'Properties', message: 'IMDS001: text' })).toBe('IMDS001 Web Properties: text');
  });

  test('every rule has compliant, violation and cannot-verify scenarios', () => {
    for (const r of RULES) {
      const kinds = new Set(SCENARIOS.filter((s) => s.rule === r.id).map((s) => s.kind));
      expect([r.id, [...kinds].sort()]).toEqual([r.id, ['cannot verify', 'compliant', 'violation']]);
    }
  });
});

describe.each(RULES.map((r) => r.id))('%s through the checker', (ruleId) => {
  test.each(SCENARIOS.filter((s) => s.rule === ruleId).map((s) => [s.kind, s.name, s] as const))('%s: %s', (_kind, _name, s) => {
    const result = runChecks([{ path: 'template.json', template: s.template, region: 'eu-west-1' }], s.options);
    expect(result.problems).toEqual([]);
    expect(keys(result.findings)).toEqual([...s.expect].sort());
    for (const f of result.findings) {
      expect(f.message.startsWith(`${f.ruleId}: `)).toBe(true);
      if (s.errors) expect([`${f.ruleId} ${f.logicalId}`, f.level]).toEqual([`${f.ruleId} ${f.logicalId}`, s.errors.includes(`${f.ruleId} ${f.logicalId}`) ? 'error' : 'warning']);
    }
    if (s.messages) expect(unmatchedMessages(result.findings.map(findingText), s.messages)).toEqual({ missing: [], unexpected: [] });
  });
});
