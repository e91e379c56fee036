import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, AspectPriority, Aspects, Stack, Validations } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { CfnInclude } from 'aws-cdk-lib/cloudformation-include';
import { ImdsChecks, ImdsValidationPlugin } from '../../src';
import { RULES } from '../../src/checks/rules';
import { SCENARIOS, Scenario } from '../checks/scenarios';

// The built-in CloudFormation validation only adds noise about the scenario AMIs here.
process.env.CDK_VALIDATION = 'false';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-imds-fe-'));
  // aws-cdk-lib prints every plugin report; the test reads validation-report.json instead.
  jest.spyOn(console, 'error').mockImplementation(() => undefined);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function appWith(s: Scenario, name: string): { app: App; stack: Stack } {
  const file = path.join(dir, `${name}.json`);
  fs.writeFileSync(file, JSON.stringify(s.template));
  const app = new App({ outdir: path.join(dir, `${name}.out`), context: { 'aws:cdk:disable-creation-stack-traces': true } });
  const stack = new Stack(app, 'Stack', { env: { account: '111111111111', region: 'eu-west-1' } });
  new CfnInclude(stack, 'Include', { templateFile: file });
  return { app, stack };
}

const cases = (ruleId: string) => SCENARIOS.filter((s) => s.rule === ruleId).map((s, i) => [s.kind, s.name, s, `${ruleId}-${i}`] as const);

describe.each(RULES.map((r) => r.id))('%s through the ImdsChecks aspect', (ruleId) => {
  test.each(cases(ruleId))('%s: %s', (_kind, _name, s, name) => {
    const { app, stack } = appWith(s, `aspect-${name}`);
    Aspects.of(app).add(new ImdsChecks({ ...s.options, report: false }), { priority: AspectPriority.READONLY });
    const annotations = Annotations.fromStack(stack);
    const ours = [
      ...annotations.findError('*', Match.stringLikeRegexp('^IMDS0\\d\\d: ')).map((m) => ({ m, level: 'error' })),
      ...annotations.findWarning('*', Match.stringLikeRegexp('^IMDS0\\d\\d: ')).map((m) => ({ m, level: 'warning' })),
    ];
    const found = ours.map(({ m, level }) => ({ key: `${String(m.entry.data).slice(0, 7)} ${m.id.split('/').pop()}`, level, path: m.id }));
    expect([...new Set(found.map((f) => f.key))].sort()).toEqual([...s.expect].sort());
    for (const f of found) expect(f.path).toBe(`/Stack/Include/${f.key.split(' ')[1]}`);
    if (s.errors) expect(found.filter((f) => f.level === 'error').map((f) => f.key).sort()).toEqual([...s.errors].sort());
  });
});

describe.each(RULES.map((r) => r.id))('%s through the ImdsValidationPlugin', (ruleId) => {
  test.each(cases(ruleId))('%s: %s', (_kind, _name, s, name) => {
    const { app } = appWith(s, `plugin-${name}`);
    Validations.of(app).addPlugins(new ImdsValidationPlugin({ ...s.options, report: false }));
    const hasErrors = (s.errors ?? s.expect.filter((k) => !/^IMDS01[0-2]|^IMDS008/.test(k) || (s.options?.strict && k.startsWith('IMDS010')))).length > 0;
    let thrown: Error | undefined;
    try {
      app.synth();
    } catch (e) {
      thrown = e as Error;
    }
    expect(thrown === undefined ? 'synth passed' : 'synth failed').toBe(hasErrors ? 'synth failed' : 'synth passed');
    if (thrown) expect(thrown.message).toMatch(/IMDS0\d\d: /);
    const reportFile = path.join(app.outdir, 'validation-report.json');
    const report = fs.existsSync(reportFile) ? JSON.parse(fs.readFileSync(reportFile, 'utf-8')) : { pluginReports: [] };
    const ours = (report.pluginReports as any[]).filter((r) => r.pluginName === 'cdk-imds');
    const violations = ours.flatMap((r) => r.violations as any[]);
    const found = violations.flatMap((v) => v.violatingConstructs.map((c: any) => ({ key: `${v.ruleName} ${c.cloudFormationResource.logicalId}`, v, c })));
    expect([...new Set(found.map((f) => f.key))].sort()).toEqual([...s.expect].sort());
    for (const f of found) {
      expect(f.c.cloudFormationResource.templatePath).toBe('Stack.template.json');
      expect(f.c.cloudFormationResource.propertyPaths[0]).toMatch(/^Properties/);
      expect(f.c.constructPath).toBe(`Stack/Include/${f.c.cloudFormationResource.logicalId}`);
      expect(f.v.description.startsWith(`${f.v.ruleName}: `)).toBe(true);
    }
    if (s.errors) expect(found.filter((f) => f.v.severity === 'error').map((f) => f.key).sort()).toEqual([...s.errors].sort());
  });
});
