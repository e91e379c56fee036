/**
 * Synth verdict = deploy verdict, against an oracle that is not ours.
 *
 * For every app (a baseline in each enforcement mode, a managed policy alone, an SCP alone, the
 * account defaults alone, nothing) and every launch of a matrix, the app is synthesized; the
 * app's own policies are evaluated against the launch's RunInstances request by an IAM policy
 * simulator (`@cloud-copilot/iam-simulate`), the `HttpTokensEnforced` account setting is applied
 * to the effective tokens (precedence computed here from the template, independently of the
 * checker), and the checker (the aspect, then the CLI on the cloud assembly) must report an error
 * exactly when the deploy would fail or the launch would not require IMDSv2.
 *
 * An Auto Scaling group over a launch template: AWS dry-runs RunInstances with the caller's
 * permissions against the template when the group is created or updated, and its example policies
 * require IMDSv2 of such groups through `ec2:MetadataHttpTokens`: the template's values are the
 * request's.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { App, AspectPriority, Aspects, Stack, aws_autoscaling as autoscaling, aws_ec2 as ec2 } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import {
  DefaultHttpTokens,
  DefaultHttpTokensEnforced,
  ImdsChecks,
  Imdsv2Baseline,
  Imdsv2Enforcement,
  InstanceMetadataDefaults,
  RequireImdsv2ManagedPolicy,
  RequireImdsv2ServiceControlPolicy,
} from '../../src';
import { AppPolicies, evaluateGuard } from '../../src/checks/enforcement';
import { main } from '../../src/cli/main';

process.env.CDK_VALIDATION = 'false';

const ACCOUNT = '111122223333';
const env = { account: ACCOUNT, region: 'eu-west-1' };

/** How each app secures its account. */
const APPS: Record<string, (security: Stack) => void> = {
  'baseline (account setting)': (s) => void new Imdsv2Baseline(s, 'Imdsv2', { containerHosts: true }),
  'baseline (request condition)': (s) => void new Imdsv2Baseline(s, 'Imdsv2', { containerHosts: true, enforcement: Imdsv2Enforcement.REQUEST_CONDITION }),
  'managed policy alone': (s) => void new RequireImdsv2ManagedPolicy(s, 'Guard'),
  'SCP alone': (s) => void new RequireImdsv2ServiceControlPolicy(s, 'Guard', { targetIds: ['ou-abcd-12345678'] }),
  'defaults alone': (s) => void new InstanceMetadataDefaults(s, 'Defaults', { httpTokens: DefaultHttpTokens.REQUIRED }),
  'defaults with HttpTokensEnforced': (s) =>
    void new InstanceMetadataDefaults(s, 'Defaults', { httpTokens: DefaultHttpTokens.REQUIRED, httpTokensEnforced: DefaultHttpTokensEnforced.ENABLED }),
  'none': () => undefined,
};

const AMI = 'ami-0123456789abcdef0';

/** Each launch sits in a construct of its own name, so findings map to launches by construct path. */
const LAUNCHES: Record<string, (scope: Construct, vpc: ec2.IVpc) => void> = {
  NoOptions: (s) => void new ec2.CfnInstance(s, 'Server', { imageId: AMI, instanceType: 't3.micro' }),
  Al2023NoOptions: (s, vpc) =>
    void new ec2.Instance(s, 'Server', { vpc, instanceType: new ec2.InstanceType('t3.micro'), machineImage: ec2.MachineImage.latestAmazonLinux2023() }),
  TokensRequired: (s) => void new ec2.CfnInstance(s, 'Server', { imageId: AMI, instanceType: 't3.micro', metadataOptions: { httpTokens: 'required' } }),
  TokensOptional: (s) => void new ec2.CfnInstance(s, 'Server', { imageId: AMI, instanceType: 't3.micro', metadataOptions: { httpTokens: 'optional' } }),
  HopLimitAboveMaximum: (s) =>
    void new ec2.CfnInstance(s, 'Server', { imageId: AMI, instanceType: 't3.micro', metadataOptions: { httpTokens: 'required', httpPutResponseHopLimit: 3 } }),
  GroupTokensRequired: (s, vpc) => group(s, vpc, true),
  GroupNoTokens: (s, vpc) => group(s, vpc, false),
};

function group(scope: Construct, vpc: ec2.IVpc, tokens: boolean): void {
  const template = new ec2.LaunchTemplate(scope, 'Template', {
    machineImage: ec2.MachineImage.genericLinux({ 'eu-west-1': AMI }),
    instanceType: new ec2.InstanceType('t3.micro'),
    httpTokens: tokens ? ec2.LaunchTemplateHttpTokens.REQUIRED : undefined,
  });
  new autoscaling.AutoScalingGroup(scope, 'Group', { vpc, launchTemplate: template });
}

type Verdict = 'error' | 'cannot verify' | 'pass';

interface Row {
  readonly app: string;
  readonly launch: string;
  readonly oracle: Verdict;
  readonly why: string;
  readonly aspect: Verdict;
  readonly cli: Verdict;
}

let outdir: string;
beforeAll(() => {
  outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-imds-oracle-'));
});
afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

/** Synthesize one app: its security stack, and every launch of the matrix in a workload stack. */
function synth(name: string, secure: (s: Stack) => void): { dir: string; workload: Stack; templates: any[] } {
  const dir = path.join(outdir, name.replace(/\W+/g, '-'));
  const app = new App({ outdir: dir, context: { 'aws:cdk:disable-creation-stack-traces': true } });
  const security = new Stack(app, 'Security', { env });
  secure(security);
  if (!Aspects.of(app).all.some((a) => a instanceof ImdsChecks)) {
    Aspects.of(app).add(new ImdsChecks({ trustAccountDefaults: true, report: false }), { priority: AspectPriority.READONLY });
  }
  const workload = new Stack(app, 'Workload', { env });
  // A stack with nothing in it synthesizes to a template without Resources, which no one deploys.
  if (security.node.children.length === 0) app.node.tryRemoveChild('Security');
  else workload.addDependency(security);
  const vpc = new ec2.Vpc(workload, 'Vpc', { natGateways: 0, maxAzs: 1, subnetConfiguration: [{ name: 'public', subnetType: ec2.SubnetType.PUBLIC }] });
  for (const [id, build] of Object.entries(LAUNCHES)) build(new Construct(workload, id), vpc);
  const assembly = app.synth();
  const templates = assembly.stacks.map((s) => s.template);
  return { dir, workload, templates };
}

/** A CloudFormation value as deployed in `aws` partition: pseudo parameters, joins, and a stand-in ARN for any attribute. */
function deployed(value: unknown): any {
  if (Array.isArray(value)) return value.map(deployed);
  if (value === null || typeof value !== 'object') return value;
  const o = value as Record<string, unknown>;
  const keys = Object.keys(o);
  if (keys.length === 1 && keys[0] === 'Ref') return o.Ref === 'AWS::Partition' ? 'aws' : o.Ref === 'AWS::AccountId' ? ACCOUNT : `ref-${String(o.Ref)}`;
  if (keys.length === 1 && keys[0] === 'Fn::Join') {
    const [sep, parts] = o['Fn::Join'] as [string, unknown[]];
    return (deployed(parts) as unknown[]).join(sep);
  }
  if (keys.length === 1 && keys[0] === 'Fn::GetAtt') return `arn:aws:iam::${ACCOUNT}:role/${(o['Fn::GetAtt'] as string[])[0]}`;
  return Object.fromEntries(keys.map((k) => [k, deployed(o[k])]));
}

function resources(templates: any[], type: string): any[] {
  return templates.flatMap((t) =>
    Object.entries(t.Resources ?? {})
      .filter(([, r]: [string, any]) => r.Type === type)
      .map(([id, r]: [string, any]) => ({ id, ...r })),
  );
}

const ALLOW_ALL = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };

/**
 * Whether the app's policies deny an action with a request context: identity policies (the
 * managed policies, assumed attached to the deploying principal) and SCPs (assumed to cover its
 * account), on top of an allow-all.
 */
async function denied(templates: any[], action: string, resource: string, context: Record<string, string>): Promise<boolean> {
  const identity = resources(templates, 'AWS::IAM::ManagedPolicy').map((r) => ({ name: r.id, policy: deployed(r.Properties.PolicyDocument) }));
  const scps = resources(templates, 'AWS::Organizations::Policy').map((r) => ({ name: r.id, policy: deployed(r.Properties.Content) }));
  const result = await runSimulation(
    {
      identityPolicies: [{ name: 'AllowAll', policy: ALLOW_ALL }, ...identity],
      serviceControlPolicies: [{ orgIdentifier: 'ou-abcd-12345678', policies: [{ name: 'FullAWSAccess', policy: ALLOW_ALL }, ...scps] }],
      resourceControlPolicies: [],
      request: { action, principal: `arn:aws:iam::${ACCOUNT}:role/deployer`, resource: { resource, accountId: ACCOUNT }, contextVariables: context },
    },
    {},
  );
  if (result.resultType === 'error') throw new Error(`the simulator refused the request: ${JSON.stringify(result.errors)}`);
  return result.overallResult !== 'Allowed';
}

/** What the launches of one construct set themselves: the instance's options over its launch template's. */
function requestOptions(templates: any[], launch: string): { tokens?: string; hops?: number; group: boolean; al2023: boolean } {
  // Logical IDs begin with the construct path below the stack: the launch's name, then the resource's.
  const inLaunch = (r: any) => new RegExp(`^${launch}(Server|Template|Group)`).test(r.id);
  const lt = resources(templates, 'AWS::EC2::LaunchTemplate').find(inLaunch);
  const instance = resources(templates, 'AWS::EC2::Instance').find(inLaunch);
  const isGroup = resources(templates, 'AWS::AutoScaling::AutoScalingGroup').some(inLaunch);
  const own = instance?.Properties?.MetadataOptions ?? {};
  const fromTemplate = lt?.Properties?.LaunchTemplateData?.MetadataOptions ?? {};
  const image = JSON.stringify(instance?.Properties?.ImageId ?? lt?.Properties?.LaunchTemplateData?.ImageId ?? '');
  const al2023 = /al2023/i.test(image) && /Parameter/.test(image);
  return {
    tokens: own.HttpTokens ?? fromTemplate.HttpTokens,
    hops: own.HttpPutResponseHopLimit ?? fromTemplate.HttpPutResponseHopLimit,
    group: isGroup,
    al2023,
  };
}

/** The oracle: AWS's verdict on a launch, from the simulator and the documented precedence. */
async function oracle(templates: any[], launch: string): Promise<{ verdict: Verdict; why: string }> {
  const req = requestOptions(templates, launch);
  const context: Record<string, string> = {};
  if (req.tokens !== undefined) context['ec2:MetadataHttpTokens'] = req.tokens;
  if (req.hops !== undefined) context['ec2:MetadataHttpPutResponseHopLimit'] = String(req.hops);
  const instanceArn = `arn:aws:ec2:eu-west-1:${ACCOUNT}:instance/i-0123456789abcdef0`;
  const deniedWithValues = await denied(templates, 'ec2:RunInstances', instanceArn, context);
  // Effective tokens: launch > account default > AMI (AL2023 is published ImdsSupport v2.0) > AWS default.
  const defaults = resources(templates, 'Custom::InstanceMetadataDefaults')[0]?.Properties ?? {};
  const effective = req.tokens ?? defaults.HttpTokens ?? (req.al2023 ? 'required' : 'optional');
  const enforced = defaults.HttpTokensEnforced === 'enabled';
  if (enforced && effective !== 'required') return { verdict: 'error', why: 'HttpTokensEnforced refuses the launch' };
  if (effective !== 'required') return { verdict: 'error', why: `the instance would accept IMDSv1 (tokens ${effective})` };
  if (deniedWithValues) return { verdict: 'error', why: `the policy denies RunInstances with ${JSON.stringify(context)}` };
  return { verdict: 'pass', why: 'allowed, requires IMDSv2' };
}

function verdictOf(findings: Array<{ level: string; ruleId: string }>): Verdict {
  if (findings.some((f) => f.level === 'error')) return 'error';
  if (findings.some((f) => f.ruleId === 'IMDS010')) return 'cannot verify';
  return 'pass';
}

const rows: Row[] = [];

describe.each(Object.keys(APPS))('%s', (appName) => {
  let built: ReturnType<typeof synth>;
  let cliFindings: Array<{ level: string; ruleId: string; constructPath?: string }>;
  beforeAll(() => {
    built = synth(appName, APPS[appName]);
    let out = '';
    let err = '';
    const code = main(['check', '--format', 'json', '--trust-account-defaults', built.dir], (s) => (out += s), (s) => (err += s));
    if (code === 2) throw new Error(`the CLI refused ${built.dir}: ${err}`);
    cliFindings = JSON.parse(out).findings;
  });

  test.each(Object.keys(LAUNCHES))('%s: the checker errs exactly when AWS would refuse the launch or it would accept IMDSv1', async (launch) => {
    const expected = await oracle(built.templates, launch);
    const messages = built.workload.node
      .findAll()
      .filter((c) => c.node.path.startsWith(`Workload/${launch}/`))
      .flatMap((c) => c.node.metadata.filter((m) => (m.type === 'aws:cdk:error' || m.type === 'aws:cdk:warning') && /^IMDS\d{3}:/.test(String(m.data))))
      .map((m) => ({ level: m.type === 'aws:cdk:error' ? 'error' : 'warning', ruleId: String(m.data).slice(0, 7), text: String(m.data) }));
    const fromCli = cliFindings.filter((f) => (f.constructPath ?? '').startsWith(`Workload/${launch}/`));
    const row: Row = { app: appName, launch, oracle: expected.verdict, why: expected.why, aspect: verdictOf(messages), cli: verdictOf(fromCli) };
    rows.push(row);
    expect({ aspect: row.aspect, cli: row.cli }).toEqual({ aspect: expected.verdict, cli: expected.verdict });
    // The error says why the deploy would fail.
    if (expected.why.startsWith('the policy denies')) expect(messages.map((m) => m.text)).toContainEqual(expect.stringMatching(/the launch would be denied/));
    if (expected.why.startsWith('HttpTokensEnforced')) expect(messages.map((m) => m.text)).toContainEqual(expect.stringMatching(/The launch would fail: \w+ sets HttpTokensEnforced to "enabled"/));
  });
});

afterAll(() => {
  if (process.env.IMDS_PRINT_MATRIX) {
    const lines = rows.map((r) => `| ${r.app} | ${r.launch} | ${r.oracle} | ${r.aspect} | ${r.cli} | ${r.why} |`);
    process.stdout.write(['| app | launch | oracle | aspect | CLI | why (oracle) |', '|---|---|---|---|---|---|', ...lines].join('\n') + '\n');
  }
});

describe('the policy evaluator agrees with the simulator on every operator it models', () => {
  const OPERATORS = [
    'StringEquals', 'StringNotEquals', 'StringEqualsIgnoreCase', 'StringNotEqualsIgnoreCase', 'StringLike', 'StringNotLike',
    'StringEqualsIfExists', 'StringNotEqualsIfExists', 'ForAnyValue:StringEquals', 'ForAllValues:StringNotEquals',
  ];
  const NUMERIC = ['NumericGreaterThan', 'NumericGreaterThanEquals', 'NumericLessThan', 'NumericLessThanEquals', 'NumericEquals', 'NumericNotEquals', 'NumericGreaterThanIfExists'];
  const cases: Array<[string, string, string | number, string | number | undefined]> = [
    ...OPERATORS.flatMap((op) => ['required', 'Req*'].flatMap((c) => [undefined, 'required', 'optional'].map((v): [string, string, string, string | undefined] => [op, 'ec2:MetadataHttpTokens', c, v]))),
    ...NUMERIC.flatMap((op) => [undefined, 1, 2, 3].map((v): [string, string, number, number | undefined] => [op, 'ec2:MetadataHttpPutResponseHopLimit', 2, v])),
    ...[true, false].flatMap((c) => [undefined, 'required'].map((v): [string, string, string, string | undefined] => ['Null', 'ec2:MetadataHttpTokens', String(c), v])),
  ];
  test.each(cases)('%s %s %p on a request with %p', async (operator, key, conditionValue, requestValue) => {
    const doc = { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'ec2:RunInstances', Resource: '*', Condition: { [operator]: { [key]: conditionValue } } }] };
    const policies = new AppPolicies([]);
    policies.read(doc, undefined, 'Guard', 'AWS::IAM::ManagedPolicy');
    const option = key === 'ec2:MetadataHttpTokens' ? 'HttpTokens' : 'HttpPutResponseHopLimit';
    const [guard] = policies.guardsOn(option);
    const ours = evaluateGuard(guard, requestValue).kind;
    const context: Record<string, string> = requestValue === undefined ? {} : { [key]: String(requestValue) };
    const theirs = (await denied([{ Resources: { Guard: { Type: 'AWS::IAM::ManagedPolicy', Properties: { PolicyDocument: doc } } } }], 'ec2:RunInstances', `arn:aws:ec2:eu-west-1:${ACCOUNT}:instance/i-0123456789abcdef0`, context)) ? 'denied' : 'allowed';
    expect(ours).toBe(theirs);
  });
});
