import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Annotations as CoreAnnotations, App, AspectPriority, Aspects, Stack, Validations, aws_ec2 as ec2 } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { ImdsChecks, ImdsValidationPlugin, Imdsv2Baseline } from '../../src';
import { run } from '../cli/run-cli';
import { env } from '../support/aspect-app';

process.env.CDK_VALIDATION = 'false';

const KNOWN = 'Known IDs: IMDS001, IMDS002, IMDS003, IMDS004, IMDS005, IMDS006, IMDS007, IMDS008, IMDS009, IMDS010, IMDS011, IMDS012.';
const NO_REASON = 'acknowledged with Annotations.acknowledgeWarning, which records no reason';
const IMDS008_TEXT =
  'IMDS008: AWS::EC2::Instance Server has HttpEndpoint "disabled" (set by Server at Properties/MetadataOptions/HttpEndpoint) and names a key pair at Server Properties/KeyName; ' +
  'the public key is served by instance metadata, so key-pair login may fail. Enable the endpoint, or use Session Manager and drop the key pair.';
const IMDS001_TEXT = 'IMDS001: AWS::EC2::Instance Server does not require IMDSv2: HttpTokens is "optional" (the AWS default, as nothing sets it). Set HttpTokens to "required" at Server Properties/MetadataOptions.';

let outdir: string;
beforeEach(() => {
  outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-imds-ack-'));
});
afterEach(() => fs.rmSync(outdir, { recursive: true, force: true }));

function newApp(context: Record<string, unknown> = {}): App {
  return new App({ outdir, context: { 'aws:cdk:disable-creation-stack-traces': true, ...context } });
}

/** An instance with a key pair and the metadata endpoint off: an IMDS008 warning, nothing else. */
function keyPairServer(stack: Stack): ec2.CfnInstance {
  return new ec2.CfnInstance(stack, 'Server', { imageId: 'ami-0123456789abcdef0', instanceType: 't3.micro', keyName: 'ops', metadataOptions: { httpTokens: 'required', httpEndpoint: 'disabled' } });
}

/** An instance that leaves HttpTokens out: an IMDS001 error. */
function optionalServer(stack: Stack): ec2.CfnInstance {
  return new ec2.CfnInstance(stack, 'Server', { imageId: 'ami-0123456789abcdef0', instanceType: 't3.micro' });
}

function withChecks(app: App): App {
  Aspects.of(app).add(new ImdsChecks(), { priority: AspectPriority.READONLY });
  return app;
}

function readJson(file: string): any {
  return JSON.parse(fs.readFileSync(path.join(outdir, file), 'utf-8'));
}

function messages(stack: Stack, level: 'error' | 'warning'): string[] {
  const a = Annotations.fromStack(stack);
  return (level === 'error' ? a.findError('*', Match.anyValue()) : a.findWarning('*', Match.anyValue())).map((m) => `${m.id} ${String(m.entry.data)}`);
}

describe('every finding of the aspect says how to acknowledge it', () => {
  test('a warning: under its rule ID, with both CDK ways', () => {
    const app = withChecks(newApp());
    const stack = new Stack(app, 'Web', { env });
    keyPairServer(stack);
    expect(messages(stack, 'warning')).toEqual([
      `/Web/Server ${IMDS008_TEXT} To accept it, call Validations.of(construct).acknowledge({ id: 'IMDS008', reason }) or ` +
        "Annotations.of(construct).acknowledgeWarning('IMDS008', reason). [ack: IMDS008]",
    ]);
  });

  test('an error: the rule ID at the end, so the CDK validation report names the rule, not Annotation::error-annotation', () => {
    const app = withChecks(newApp({ '@aws-cdk/core:annotationsInValidationReport': true, '@aws-cdk/core:failSynthOnValidationErrors': false }));
    const stack = new Stack(app, 'Web', { env });
    optionalServer(stack);
    jest.spyOn(console, 'error').mockImplementation(() => undefined);
    app.synth();
    expect(messages(stack, 'error')).toEqual([`/Web/Server ${IMDS001_TEXT} To accept it, call Validations.of(construct).acknowledge({ id: 'IMDS001', reason }). (Annotation::IMDS001)`]);
    const annotations = readJson('validation-report.json').pluginReports.find((r: any) => r.pluginName === 'Construct Annotations');
    expect(annotations.violations.map((v: any) => [v.ruleName, v.severity])).toEqual([['Annotation::IMDS001', 'error']]);
  });
});

describe.each([['IMDS008'], ['Annotation::IMDS008']])('Annotations.of(stack).acknowledgeWarning(%p)', (id) => {
  test('hides the warning, and the report, the CLI and SARIF list it as acknowledged, not as a warning', () => {
    const app = withChecks(newApp());
    const stack = new Stack(app, 'Web', { env });
    keyPairServer(stack);
    CoreAnnotations.of(stack).acknowledgeWarning(id, 'key pair kept for break-glass access');
    const assembly = app.synth();
    const report = readJson('imds-report.json');
    expect(report.summary).toEqual({ launches: 1, errors: 0, warnings: 0, acknowledged: 1 });
    expect(report.acknowledgements.map((f: any) => [f.ruleId, f.constructPath, f.acknowledged])).toEqual([
      ['IMDS008', 'Web/Server', { reason: NO_REASON, at: 'Web', key: id }],
    ]);
    // Recorded in the assembly as Validations.of(stack).acknowledge would record it, for the CLI.
    const metadata = JSON.parse(fs.readFileSync(path.join(assembly.directory, 'Web.metadata.json'), 'utf-8'));
    const recorded = metadata['/Web'].filter((e: any) => e.type === 'aws:cdk:acknowledged-rules').map((e: any) => e.data);
    expect(recorded).toEqual([{ 'Annotation::IMDS008': NO_REASON }]);
    expect(messages(stack, 'warning')).toEqual([]);
    const text = run(['check', assembly.directory]);
    expect(text.code).toBe(0);
    expect(text.out).toMatch(new RegExp(`^ACKNOWLEDGED IMDS008 \\S+Web\\.template\\.json Web/Server: ${NO_REASON} \\(at Web\\)\n1 launch\\(es\\) checked: 0 error\\(s\\), 0 warning\\(s\\), 1 acknowledged\\.\n$`));
    const sarif = JSON.parse(run(['check', '--format', 'sarif', assembly.directory]).out).runs[0].results;
    expect(sarif.map((r: any) => [r.ruleId, r.suppressions])).toEqual([['IMDS008', [{ kind: 'external', justification: NO_REASON }]]]);
  });

  test('does not silence an error (aws-cdk-lib acknowledges warnings only this way)', () => {
    const app = withChecks(newApp());
    const stack = new Stack(app, 'Web', { env });
    optionalServer(stack);
    CoreAnnotations.of(stack).acknowledgeWarning(id.replace('IMDS008', 'IMDS001'), 'legacy');
    expect(messages(stack, 'error').map((m) => m.slice(0, 20))).toEqual(['/Web/Server IMDS001:']);
  });
});

describe('Validations.of(x).acknowledge silences errors too, in every front-end', () => {
  test('aspect, report, CLI and SARIF agree; the CLI exits 0 as for a cdk-nag suppression', () => {
    const app = withChecks(newApp());
    const stack = new Stack(app, 'Web', { env });
    optionalServer(stack);
    Validations.of(stack).acknowledge({ id: 'IMDS001', reason: 'vendor agent reads IMDSv1; OPS-1234' });
    const assembly = app.synth();
    expect(messages(stack, 'error')).toEqual([]);
    expect(readJson('imds-report.json').summary).toEqual({ launches: 1, errors: 0, warnings: 0, acknowledged: 1 });
    const text = run(['check', assembly.directory]);
    expect(text.code).toBe(0);
    expect(text.out).toMatch(/^ACKNOWLEDGED IMDS001 \S+ Web\/Server: vendor agent reads IMDSv1; OPS-1234 \(at Web\)\n/);
  });
});

describe('acknowledgements that are not honoured are reported, never ignored in silence', () => {
  const invalid = (what: string) => `cdk-imds:invalidAcknowledgement: ${what}`;

  test('the aspect: a warning on the construct, naming the ID given and the known IDs; the finding stays', () => {
    const app = withChecks(newApp());
    const stack = new Stack(app, 'Web', { env });
    optionalServer(stack);
    Validations.of(stack).acknowledge({ id: 'IMDS01', reason: 'legacy' }, { id: 'cdk-imds:IMDS001', reason: 'legacy' });
    CoreAnnotations.of(stack).acknowledgeWarning('IMDS09', 'z');
    const assembly = app.synth();
    expect(messages(stack, 'warning')).toEqual([
      `/Web ${invalid(`the acknowledgement 'IMDS01' on Web (Validations.of(...).acknowledge) is not honoured: 'IMDS01' is not a cdk-imds rule ID. ${KNOWN}`)} [ack: cdk-imds:invalidAcknowledgement]`,
      `/Web ${invalid(`the acknowledgement 'cdk-imds:IMDS001' on Web (Validations.of(...).acknowledge) is not honoured: 'cdk-imds:IMDS001' is not a cdk-imds rule ID. Did you mean 'IMDS001'? ${KNOWN}`)} [ack: cdk-imds:invalidAcknowledgement]`,
      `/Web ${invalid(`the acknowledgement 'IMDS09' on Web (Annotations.of(...).acknowledgeWarning) is not honoured: 'IMDS09' is not a cdk-imds rule ID. ${KNOWN}`)} [ack: cdk-imds:invalidAcknowledgement]`,
    ]);
    expect(messages(stack, 'error').map((m) => m.slice(0, 20))).toEqual(['/Web/Server IMDS001:']);
    expect(readJson('imds-report.json').summary).toEqual({ launches: 1, errors: 1, warnings: 3, acknowledged: 0 });
    expect(run(['check', assembly.directory]).code).toBe(1);
  });

  test('an acknowledgement of a rule without a reason, even where nothing is found', () => {
    const app = withChecks(newApp());
    const stack = new Stack(app, 'Web', { env });
    Validations.of(stack).acknowledge({ id: 'IMDS008', reason: '' });
    app.synth();
    expect(messages(stack, 'warning')).toEqual([
      `/Web ${invalid("the acknowledgement 'IMDS008' on Web (Validations.of(...).acknowledge) gives no reason, so it is not honoured: give a reason.")} [ack: cdk-imds:invalidAcknowledgement]`,
    ]);
  });

  test('the plugin: a violation naming the construct; IDs of other tools pass', () => {
    const app = newApp({ '@aws-cdk/core:failSynthOnValidationErrors': false });
    const stack = new Stack(app, 'Web', { env });
    keyPairServer(stack);
    Validations.of(stack.node.findChild('Server')).acknowledge({ id: 'cdk-imds::IMDS08', reason: 'typo' }, { id: 'CloudFormation-Validate::W3010', reason: 'other tool' });
    Validations.of(app).addPlugins(new ImdsValidationPlugin());
    jest.spyOn(console, 'error').mockImplementation(() => undefined);
    app.synth();
    const ours = readJson('validation-report.json').pluginReports.find((r: any) => r.pluginName === 'cdk-imds');
    expect(ours.violations.map((v: any) => [v.ruleName, v.severity, v.description, v.violatingConstructs.map((c: any) => c.constructPath)])).toEqual([
      ['IMDS008', 'warning', IMDS008_TEXT, ['Web/Server']],
      ['invalidAcknowledgement', 'warning', invalid(`the acknowledgement 'cdk-imds::IMDS08' on Web/Server (Validations.of(...).acknowledge) is not honoured: 'IMDS08' is not a cdk-imds rule ID. ${KNOWN}`), ['Web/Server']],
    ]);
    expect(readJson('imds-plugin-report.json').summary).toEqual({ launches: 1, errors: 0, warnings: 2, acknowledged: 0 });
  });
});

describe('scope: an ImdsChecks on one stack', () => {
  test('says that account defaults in another stack of the app are outside its scope, and how to count them', () => {
    const app = newApp();
    new Imdsv2Baseline(new Stack(app, 'Baseline', { env }), 'Imdsv2', { checks: undefined });
    const web = new Stack(app, 'Web', { env });
    optionalServer(web);
    // Aspects of the App reach every stack; this one is on the Web stack only.
    Aspects.of(web).add(new ImdsChecks({ trustAccountDefaults: true, report: false }), { priority: AspectPriority.READONLY });
    expect(messages(web, 'error')).toContainEqual(
      `/Web/Server ${IMDS001_TEXT} An InstanceMetadataDefaults in stack Baseline is outside the scope of this ImdsChecks: ` +
        "add ImdsChecks to the App (with trustAccountDefaults: true) to count it. To accept it, call Validations.of(construct).acknowledge({ id: 'IMDS001', reason }). (Annotation::IMDS001)",
    );
  });

  test('with the checks on the App the defaults count: no hint, no error', () => {
    const app = newApp();
    new Imdsv2Baseline(new Stack(app, 'Baseline', { env }), 'Imdsv2');
    const web = new Stack(app, 'Web', { env });
    optionalServer(web);
    expect(messages(web, 'error')).toEqual([]);
  });
});
