/**
 * IMDS003 learns the maximum hop limit from the RequireImdsv2 policies of the app, in all three
 * front-ends: the aspect (per stage), the plugin (the whole app) and the CLI (every template of a run).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, AspectPriority, Aspects, CfnParameter, Stack, Stage, Validations, aws_ec2 as ec2 } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { ImdsChecks, ImdsLaunchTemplate, ImdsValidationPlugin, RequireImdsv2ManagedPolicy, RequireImdsv2ServiceControlPolicy } from '../../src';
import { main } from '../../src/cli/main';

process.env.CDK_VALIDATION = 'false';

const env = { account: '111111111111', region: 'eu-west-1' };

let outdir: string;
beforeEach(() => {
  outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-imds-policy-hop-'));
  jest.spyOn(console, 'error').mockImplementation(() => undefined);
});
afterEach(() => {
  fs.rmSync(outdir, { recursive: true, force: true });
  jest.restoreAllMocks();
});

function newApp(dir = outdir): App {
  return new App({ outdir: dir, context: { 'aws:cdk:disable-creation-stack-traces': true } });
}

/** A launch template with the given hop limit, and an instance that sets it itself (L1). */
function launches(stack: Stack, hops: number): void {
  new ImdsLaunchTemplate(stack, 'Template', { httpPutResponseHopLimit: hops });
  new ec2.CfnInstance(stack, 'Instance', {
    imageId: 'ami-0123456789abcdef0',
    instanceType: 't3.micro',
    metadataOptions: { httpTokens: 'required', httpPutResponseHopLimit: hops },
  });
}

function cli(dir: string, extra: string[] = []): { code: number; out: string } {
  let out = '';
  const code = main(['check', ...extra, dir], (s) => (out += s), (s) => (out += s));
  return { code, out };
}

function imdsErrors(stack: Stack): string[] {
  return Annotations.fromStack(stack).findError('*', Match.stringLikeRegexp('^IMDS')).map((m) => `${m.id} ${String(m.entry.data)}`);
}

describe('IMDS003 from a RequireImdsv2ManagedPolicy (same stack, aspect)', () => {
  test('a launch template and an instance above the policy maximum are IMDS003 errors naming the policy', () => {
    const app = newApp();
    const stack = new Stack(app, 'Stack', { env });
    new RequireImdsv2ManagedPolicy(stack, 'Guard', { maxHopLimit: 1 });
    launches(stack, 2);
    Aspects.of(app).add(new ImdsChecks({ report: false }), { priority: AspectPriority.READONLY });
    const a = Annotations.fromStack(stack);
    const msg = 'has HttpPutResponseHopLimit 2, but policy Guard\\w+ \\(AWS::IAM::ManagedPolicy\\) denies ec2:RunInstances above 1: the launch would be denied';
    a.hasError('/Stack/Template/Resource', Match.stringLikeRegexp(`^IMDS003: AWS::EC2::LaunchTemplate Template\\w+ ${msg}`));
    a.hasError('/Stack/Instance', Match.stringLikeRegexp(`^IMDS003: AWS::EC2::Instance Instance ${msg}`));
    expect(imdsErrors(stack)).toHaveLength(2);
  });

  test('launches within the policy maximum pass', () => {
    const app = newApp();
    const stack = new Stack(app, 'Stack', { env });
    new RequireImdsv2ManagedPolicy(stack, 'Guard', { maxHopLimit: 2 });
    launches(stack, 2);
    Aspects.of(app).add(new ImdsChecks({ report: false }), { priority: AspectPriority.READONLY });
    expect(imdsErrors(stack)).toEqual([]);
  });

  test('a policy that allows any hop limit (64) restricts nothing', () => {
    const app = newApp();
    const stack = new Stack(app, 'Stack', { env });
    new RequireImdsv2ManagedPolicy(stack, 'Guard', { maxHopLimit: 64 });
    launches(stack, 10);
    Aspects.of(app).add(new ImdsChecks({ report: false }), { priority: AspectPriority.READONLY });
    expect(imdsErrors(stack)).toEqual([]);
  });

  test('the lowest maximum wins, and maxHopLimit adds its own finding only where it is lower', () => {
    const app = newApp();
    const stack = new Stack(app, 'Stack', { env });
    new RequireImdsv2ManagedPolicy(stack, 'Loose', { maxHopLimit: 3 });
    new RequireImdsv2ManagedPolicy(stack, 'Tight', { maxHopLimit: 1 });
    launches(stack, 2);
    Aspects.of(app).add(new ImdsChecks({ report: false, maxHopLimit: 4 }), { priority: AspectPriority.READONLY });
    const errors = imdsErrors(stack);
    expect(errors).toHaveLength(2);
    for (const e of errors) expect(e).toMatch(/policy Tight\w+ \(AWS::IAM::ManagedPolicy\) denies ec2:RunInstances above 1/);
  });
});

describe('IMDS003 from a RequireImdsv2ServiceControlPolicy in another stack of the app', () => {
  function build(dir: string, hops: number): { app: App; org: Stack; web: Stack } {
    const app = newApp(dir);
    const org = new Stack(app, 'Org', { env: { account: '222222222222', region: 'us-east-1' } });
    new RequireImdsv2ServiceControlPolicy(org, 'Scp', { targetIds: ['ou-ab12-abcd1234'], maxHopLimit: 1 });
    const web = new Stack(app, 'Web', { env });
    launches(web, hops);
    return { app, org, web };
  }

  test('the aspect on the App: an error on each launch above the SCP maximum', () => {
    const { app, web, org } = build(outdir, 2);
    Aspects.of(app).add(new ImdsChecks({ report: false }), { priority: AspectPriority.READONLY });
    const a = Annotations.fromStack(web);
    a.hasError('/Web/Template/Resource', Match.stringLikeRegexp('^IMDS003: .* policy Scp\\w+ \\(AWS::Organizations::Policy\\) denies ec2:RunInstances above 1'));
    a.hasError('/Web/Instance', Match.stringLikeRegexp('^IMDS003: .* policy Scp\\w+ \\(AWS::Organizations::Policy\\) denies ec2:RunInstances above 1'));
    expect(imdsErrors(org)).toEqual([]);
  });

  test('the aspect: launches within the SCP maximum pass', () => {
    const { app, web } = build(outdir, 1);
    Aspects.of(app).add(new ImdsChecks({ report: false }), { priority: AspectPriority.READONLY });
    expect(imdsErrors(web)).toEqual([]);
  });

  test('the plugin fails synthesis with IMDS003 violations on both launches', () => {
    const { app } = build(outdir, 2);
    Validations.of(app).addPlugins(new ImdsValidationPlugin({ report: false }));
    expect(() => app.synth()).toThrow(/IMDS003: .* policy Scp\w+ \(AWS::Organizations::Policy\) denies ec2:RunInstances above 1/);
    const report = JSON.parse(fs.readFileSync(path.join(outdir, 'validation-report.json'), 'utf-8'));
    const ours = report.pluginReports.find((r: any) => r.pluginName === 'cdk-imds');
    const found = ours.violations.flatMap((v: any) => v.violatingConstructs.map((c: any) => `${v.ruleName} ${c.constructPath}`)).sort();
    expect(found).toEqual(['IMDS003 Web/Instance', 'IMDS003 Web/Template/Resource']);
  });

  test('the plugin passes launches within the maximum', () => {
    const { app } = build(outdir, 1);
    Validations.of(app).addPlugins(new ImdsValidationPlugin({ report: false }));
    expect(() => app.synth()).not.toThrow();
  });

  test('the CLI over the synthesized cloud assembly exits 1 with IMDS003, and 0 within the maximum', () => {
    const bad = build(path.join(outdir, 'bad'), 2).app.synth();
    const r = cli(bad.directory);
    expect(r.code).toBe(1);
    expect(r.out.match(/IMDS003: [^\n]*policy Scp\w+ \(AWS::Organizations::Policy\) denies ec2:RunInstances above 1/g)).toHaveLength(2);
    // The template of the launches alone knows no policy: it passes.
    expect(cli(path.join(bad.directory, 'Web.template.json')).code).toBe(0);
    const good = build(path.join(outdir, 'good'), 1).app.synth();
    expect(cli(good.directory)).toEqual({ code: 0, out: expect.not.stringMatching(/IMDS003/) });
  });
});

describe('scope: the aspect checks each stage on its own, the plugin and the CLI the whole app', () => {
  function build(dir: string) {
    const app = newApp(dir);
    const org = new Stage(app, 'Org');
    new RequireImdsv2ManagedPolicy(new Stack(org, 'Policies', { env }), 'Guard', { maxHopLimit: 1 });
    const prod = new Stage(app, 'Prod');
    const web = new Stack(prod, 'Web', { env });
    launches(web, 2);
    return { app, org, prod, web };
  }

  test('the aspect in each stage does not see a policy of another stage', () => {
    const { org, prod, web } = build(outdir);
    for (const s of [org, prod]) Aspects.of(s).add(new ImdsChecks({ report: false }), { priority: AspectPriority.READONLY });
    expect(imdsErrors(web)).toEqual([]);
  });

  test('the plugin on the App sees the policy of another stage', () => {
    const { app } = build(outdir);
    Validations.of(app).addPlugins(new ImdsValidationPlugin({ report: false }));
    expect(() => app.synth()).toThrow(/IMDS003: .* policy Guard\w+ \(AWS::IAM::ManagedPolicy\) denies ec2:RunInstances above 1/);
  });

  test('the CLI over the cloud assembly reads every stage', () => {
    const { app } = build(outdir);
    const r = cli(app.synth().directory);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/IMDS003: [^\n]*policy Guard\w+ \(AWS::IAM::ManagedPolicy\) denies ec2:RunInstances above 1/);
  });
});

describe('a policy maximum that is a token (known only at deployment)', () => {
  function build(hops: number, options: { strict?: boolean } = {}) {
    const app = newApp();
    const stack = new Stack(app, 'Stack', { env });
    const max = new CfnParameter(stack, 'MaxHops', { type: 'Number', default: 1 });
    new RequireImdsv2ManagedPolicy(stack, 'Guard', { maxHopLimit: max.valueAsNumber });
    launches(stack, hops);
    Aspects.of(app).add(new ImdsChecks({ report: false, ...options }), { priority: AspectPriority.READONLY });
    return { app, stack };
  }

  test('a launch hop limit above 1 cannot be verified: an IMDS010 warning naming the policy and the parameter', () => {
    const { stack } = build(2);
    const a = Annotations.fromStack(stack);
    const msg = '^IMDS010: cannot verify HttpPutResponseHopLimit 2 of AWS::EC2::\\w+ \\w+ against policy Guard\\w+ \\(AWS::IAM::ManagedPolicy\\): its maximum is the parameter MaxHops \\(default 1\\)';
    a.hasWarning('/Stack/Template/Resource', Match.stringLikeRegexp(msg));
    a.hasWarning('/Stack/Instance', Match.stringLikeRegexp(msg));
    expect(imdsErrors(stack)).toEqual([]);
  });

  test('under strict it is an error', () => {
    const { stack } = build(2, { strict: true });
    Annotations.fromStack(stack).hasError('/Stack/Instance', Match.stringLikeRegexp('^IMDS010: cannot verify HttpPutResponseHopLimit 2 .* against policy Guard'));
  });

  test('hop limit 1 passes any policy maximum (a maximum is at least 1)', () => {
    const { stack } = build(1, { strict: true });
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('^IMDS'))).toEqual([]);
    expect(imdsErrors(stack)).toEqual([]);
  });
});
