/**
 * Differential test: IMDS001 ("a launch does not require IMDSv2") against cdk-nag 3's
 * `EC2IMDSv2Enabled` on the same apps.
 *
 * Each scenario builds one app, runs `ImdsChecks` on it (read from `imds-report.json`, one row
 * per launch) and cdk-nag's rule (through a one-rule pack), and states what each must say about
 * the scenario's launches. Where they disagree, the scenario names the documented rule that makes
 * them disagree; a disagreement without one fails the test, and so does an explanation where
 * they agree.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, AspectPriority, Aspects, CfnElement, CfnParameter, Stack, aws_autoscaling as autoscaling, aws_ec2 as ec2 } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { Ec2ImdsNagPack, NAG_IMDS_RULE_ID } from '../../bench/cdk-nag-imds-pack';
import { ImdsChecks, ImdsLaunchTemplate } from '../../src';

// The built-in CloudFormation validation only adds noise about the scenario AMIs here.
process.env.CDK_VALIDATION = 'false';

/** What ImdsChecks says about a launch, as far as requiring IMDSv2 goes. */
type Ours = 'passes' | 'IMDS001' | 'IMDS010 cannot verify';
/** What cdk-nag's EC2IMDSv2Enabled says about it (no violation = passes, also when it does not look). */
type Nag = 'passes' | 'fails';

interface Expected {
  /** A label for the launch. */
  readonly launch: string;
  readonly ours: Ours;
  readonly nag: Nag;
  /** Required exactly when the two disagree: the documented rule behind the difference. */
  readonly why?: string;
}

interface Scenario {
  readonly name: string;
  /** Build the scenario; return the launches to compare, by label. */
  readonly build: (stack: Stack) => Record<string, IConstruct>;
  readonly expected: readonly Expected[];
  /** Use a bare App (aws-cdk-lib then gives an ASG with an instance type a launch configuration). */
  readonly bareApp?: boolean;
}

/** Why cdk-nag and IMDS001 disagree, each from the rule that decides it. */
const WHY = {
  endpointDisabled:
    'IMDS001 (rule catalogue): a launch with HttpEndpoint disabled passes, since no IMDSv1 request can be answered; ' +
    'EC2IMDSv2Enabled only accepts HttpTokens "required".',
  amiPrecedence:
    'Order of precedence (EC2 User Guide, "Order of precedence for instance metadata options"): an AMI with ImdsSupport v2.0, which Amazon Linux 2023 from its public SSM parameter is, makes ' +
    'HttpTokens "required" when the launch leaves it unset; EC2IMDSv2Enabled reads only the launch\'s own options.',
  mixedInstances:
    'What counts as a launch (rule catalogue): an Auto Scaling group with a mixed-instances policy launches from the policy\'s launch template, which IMDS001 ' +
    'reads; EC2IMDSv2Enabled reads only the group\'s LaunchTemplate property and fails every mixed-instances group.',
  standaloneTemplate:
    'What counts as a launch (rule catalogue): a launch template on its own is checked as the launch it describes; EC2IMDSv2Enabled looks only at instances ' +
    'and Auto Scaling groups.',
  importedTemplate:
    'IMDS010 (rule catalogue): a launch whose own settings cannot be read (an imported launch template) is "cannot verify", a warning (an error ' +
    'under strict), never a guess; EC2IMDSv2Enabled finds no template in the stack and fails.',
  parameterTokens:
    'IMDS010 (rule catalogue): options given as a parameter without a known default cannot be verified; EC2IMDSv2Enabled compares the ' +
    'unresolved Ref with "required" and fails.',
} as const;

const GENERIC_AMI = () => ec2.MachineImage.genericLinux({ 'eu-west-1': 'ami-0123456789abcdef0' });
const AL2023 = () => ec2.MachineImage.latestAmazonLinux2023();

function vpcOf(stack: Stack): ec2.IVpc {
  return (stack.node.tryFindChild('Vpc') as ec2.IVpc | undefined) ?? new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: 'Public', subnetType: ec2.SubnetType.PUBLIC }] });
}

function instance(stack: Stack, id: string, props: Partial<ec2.InstanceProps> = {}): ec2.Instance {
  return new ec2.Instance(stack, id, {
    vpc: vpcOf(stack),
    instanceType: new ec2.InstanceType('t3.micro'),
    machineImage: GENERIC_AMI(),
    ...props,
  });
}

function cfnOf(c: IConstruct): IConstruct {
  return c instanceof ec2.Instance || c instanceof autoscaling.AutoScalingGroup || c instanceof ec2.LaunchTemplate ? c.node.defaultChild! : c;
}

const SCENARIOS: Scenario[] = [
  {
    name: 'Instance without metadata options, an AMI not known to require IMDSv2',
    build: (s) => ({ instance: instance(s, 'Web') }),
    expected: [{ launch: 'instance', ours: 'IMDS001', nag: 'fails' }],
  },
  {
    name: 'Instance with httpTokens REQUIRED',
    build: (s) => ({ instance: instance(s, 'Web', { httpTokens: ec2.HttpTokens.REQUIRED }) }),
    expected: [{ launch: 'instance', ours: 'passes', nag: 'passes' }],
  },
  {
    name: 'Instance with httpTokens OPTIONAL on Amazon Linux 2023 (the launch overrides the AMI)',
    build: (s) => ({ instance: instance(s, 'Web', { machineImage: AL2023(), httpTokens: ec2.HttpTokens.OPTIONAL }) }),
    expected: [{ launch: 'instance', ours: 'IMDS001', nag: 'fails' }],
  },
  {
    name: 'Instance with requireImdsv2 (a launch template found by name)',
    build: (s) => ({ instance: instance(s, 'Web', { requireImdsv2: true }) }),
    expected: [{ launch: 'instance', ours: 'passes', nag: 'passes' }],
  },
  {
    name: 'Instance launched from an ImdsLaunchTemplate (found by Ref)',
    build: (s) => {
      const web = instance(s, 'Web');
      new ImdsLaunchTemplate(s, 'Template').applyToInstance(web);
      return { instance: web };
    },
    expected: [{ launch: 'instance', ours: 'passes', nag: 'passes' }],
  },
  {
    name: 'Instance with the metadata endpoint disabled and tokens left optional',
    build: (s) => ({ instance: instance(s, 'Web', { httpEndpoint: false, httpTokens: ec2.HttpTokens.OPTIONAL }) }),
    expected: [{ launch: 'instance', ours: 'passes', nag: 'fails', why: WHY.endpointDisabled }],
  },
  {
    name: 'Instance without metadata options on Amazon Linux 2023 (AMI ImdsSupport v2.0)',
    build: (s) => ({ instance: instance(s, 'Web', { machineImage: AL2023() }) }),
    expected: [{ launch: 'instance', ours: 'passes', nag: 'fails', why: WHY.amiPrecedence }],
  },
  {
    name: 'Instance whose HttpTokens is a CloudFormation parameter',
    build: (s) => {
      const tokens = new CfnParameter(s, 'Tokens', { type: 'String', allowedValues: ['optional', 'required'] });
      const web = instance(s, 'Web');
      (web.node.defaultChild as ec2.CfnInstance).metadataOptions = { httpTokens: tokens.valueAsString };
      return { instance: web };
    },
    expected: [{ launch: 'instance', ours: 'IMDS010 cannot verify', nag: 'fails', why: WHY.parameterTokens }],
  },
  {
    name: 'Auto Scaling group with a launch template that requires IMDSv2',
    build: (s) => {
      const launchTemplate = new ec2.LaunchTemplate(s, 'Template', { machineImage: GENERIC_AMI(), instanceType: new ec2.InstanceType('t3.micro'), requireImdsv2: true });
      return { group: new autoscaling.AutoScalingGroup(s, 'Group', { vpc: vpcOf(s), launchTemplate }) };
    },
    expected: [{ launch: 'group', ours: 'passes', nag: 'passes' }],
  },
  {
    name: 'Auto Scaling group with a launch template without metadata options',
    build: (s) => {
      const launchTemplate = new ec2.LaunchTemplate(s, 'Template', { machineImage: GENERIC_AMI(), instanceType: new ec2.InstanceType('t3.micro') });
      return { group: new autoscaling.AutoScalingGroup(s, 'Group', { vpc: vpcOf(s), launchTemplate }) };
    },
    expected: [{ launch: 'group', ours: 'IMDS001', nag: 'fails' }],
  },
  {
    name: 'Auto Scaling group with a mixed-instances policy over a launch template that requires IMDSv2',
    build: (s) => {
      const launchTemplate = new ImdsLaunchTemplate(s, 'Template', { machineImage: GENERIC_AMI() });
      return {
        group: new autoscaling.AutoScalingGroup(s, 'Group', {
          vpc: vpcOf(s),
          mixedInstancesPolicy: {
            launchTemplate,
            launchTemplateOverrides: [{ instanceType: new ec2.InstanceType('m5.large') }, { instanceType: new ec2.InstanceType('m6i.large') }],
          },
        }),
      };
    },
    expected: [{ launch: 'group', ours: 'passes', nag: 'fails', why: WHY.mixedInstances }],
  },
  {
    name: 'Auto Scaling group with a mixed-instances policy over a launch template with tokens optional',
    build: (s) => {
      const launchTemplate = new ec2.LaunchTemplate(s, 'Template', { machineImage: GENERIC_AMI(), httpTokens: ec2.LaunchTemplateHttpTokens.OPTIONAL });
      return {
        group: new autoscaling.AutoScalingGroup(s, 'Group', {
          vpc: vpcOf(s),
          mixedInstancesPolicy: { launchTemplate, launchTemplateOverrides: [{ instanceType: new ec2.InstanceType('m5.large') }] },
        }),
      };
    },
    expected: [{ launch: 'group', ours: 'IMDS001', nag: 'fails' }],
  },
  {
    name: 'Auto Scaling group with an imported launch template',
    build: (s) => {
      const launchTemplate = ec2.LaunchTemplate.fromLaunchTemplateAttributes(s, 'Imported', { launchTemplateId: 'lt-0123456789abcdef0', versionNumber: '3' });
      return { group: new autoscaling.AutoScalingGroup(s, 'Group', { vpc: vpcOf(s), launchTemplate }) };
    },
    expected: [{ launch: 'group', ours: 'IMDS010 cannot verify', nag: 'fails', why: WHY.importedTemplate }],
  },
  {
    name: 'Auto Scaling group with a launch configuration that requires IMDSv2',
    bareApp: true,
    build: (s) => ({
      group: new autoscaling.AutoScalingGroup(s, 'Group', {
        vpc: vpcOf(s),
        instanceType: new ec2.InstanceType('t3.micro'),
        machineImage: GENERIC_AMI(),
        requireImdsv2: true,
      }),
    }),
    expected: [{ launch: 'group', ours: 'passes', nag: 'passes' }],
  },
  {
    name: 'Auto Scaling group with a launch configuration without metadata options',
    bareApp: true,
    build: (s) => ({
      group: new autoscaling.AutoScalingGroup(s, 'Group', { vpc: vpcOf(s), instanceType: new ec2.InstanceType('t3.micro'), machineImage: GENERIC_AMI() }),
    }),
    expected: [{ launch: 'group', ours: 'IMDS001', nag: 'fails' }],
  },
  {
    name: 'Standalone launch template with tokens optional (no launch in the app uses it)',
    build: (s) => ({ template: new ec2.LaunchTemplate(s, 'Template', { machineImage: GENERIC_AMI(), httpTokens: ec2.LaunchTemplateHttpTokens.OPTIONAL }) }),
    expected: [{ launch: 'template', ours: 'IMDS001', nag: 'passes', why: WHY.standaloneTemplate }],
  },
  {
    name: 'Standalone launch template that requires IMDSv2',
    build: (s) => ({ template: new ImdsLaunchTemplate(s, 'Template', { machineImage: GENERIC_AMI() }) }),
    expected: [{ launch: 'template', ours: 'passes', nag: 'passes' }],
  },
];

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-imds-diff-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

interface ReportRow {
  readonly constructPath?: string;
  readonly findings: ReadonlyArray<{ readonly ruleId: string; readonly level: string }>;
}

/** Run both checkers on one scenario; the verdicts by launch label. */
function runBoth(s: Scenario, index: number): Record<string, { ours: Ours; nag: Nag }> {
  const outdir = path.join(dir, `scenario-${index}`);
  const context = s.bareApp
    ? { 'aws:cdk:disable-creation-stack-traces': true }
    : { 'aws:cdk:disable-creation-stack-traces': true, '@aws-cdk/aws-autoscaling:generateLaunchTemplateInsteadOfLaunchConfig': true };
  const app = new App({ outdir, context });
  const stack = new Stack(app, 'Stack', { env: { account: '111111111111', region: 'eu-west-1' } });
  const launches = s.build(stack);
  Aspects.of(app).add(new ImdsChecks(), { priority: AspectPriority.READONLY });
  app.synth();

  const report = JSON.parse(fs.readFileSync(path.join(outdir, 'imds-report.json'), 'utf-8')) as { launches: ReportRow[] };
  // What the pack's `validate()` runs on the app construct when registered as a plugin.
  const nag = new Ec2ImdsNagPack().validateScope(app);
  const nagViolations = nag.violations.filter((v) => v.ruleName === NAG_IMDS_RULE_ID);
  const nagPaths = new Set(nagViolations.flatMap((v) => v.violatingResources.map((r) => r.constructPath)));

  const out: Record<string, { ours: Ours; nag: Nag }> = {};
  for (const [label, construct] of Object.entries(launches)) {
    const cfn = cfnOf(construct);
    if (!CfnElement.isCfnElement(cfn)) throw new Error(`${s.name}: ${label} is not a CloudFormation resource`);
    const row = report.launches.find((r) => r.constructPath === cfn.node.path);
    if (!row) throw new Error(`${s.name}: no report row for ${cfn.node.path}; rows: ${report.launches.map((r) => r.constructPath).join(', ')}`);
    const ids = row.findings.map((f) => f.ruleId);
    const ours: Ours = ids.includes('IMDS001') ? 'IMDS001' : ids.includes('IMDS010') ? 'IMDS010 cannot verify' : 'passes';
    out[label] = { ours, nag: nagPaths.has(cfn.node.path) ? 'fails' : 'passes' };
  }
  return out;
}

const agree = (ours: Ours, nag: Nag) => (ours === 'passes' && nag === 'passes') || (ours === 'IMDS001' && nag === 'fails');

describe('IMDS001 against cdk-nag EC2IMDSv2Enabled', () => {
  test.each(SCENARIOS.map((s, i) => [s.name, s, i] as const))('%s', (_name, s, i) => {
    const verdicts = runBoth(s, i);
    expect(Object.keys(verdicts).sort()).toEqual(s.expected.map((e) => e.launch).sort());
    for (const e of s.expected) {
      const v = verdicts[e.launch];
      expect({ launch: e.launch, ours: v.ours, nag: v.nag }).toEqual({ launch: e.launch, ours: e.ours, nag: e.nag });
      if (agree(v.ours, v.nag)) {
        expect({ launch: e.launch, why: e.why }).toEqual({ launch: e.launch, why: undefined });
      } else {
        // A disagreement must be explained by a documented rule.
        expect(Object.values(WHY)).toContain(e.why);
      }
    }
  });

  test('every explanation is used by a scenario, and both verdicts occur on each side', () => {
    const used = new Set(SCENARIOS.flatMap((s) => s.expected.map((e) => e.why)).filter((w) => w !== undefined));
    expect([...used].sort()).toEqual(Object.values(WHY).sort());
    const all = SCENARIOS.flatMap((s) => s.expected);
    expect(new Set(all.map((e) => e.ours))).toEqual(new Set<Ours>(['passes', 'IMDS001', 'IMDS010 cannot verify']));
    expect(new Set(all.map((e) => e.nag))).toEqual(new Set<Nag>(['passes', 'fails']));
    expect(all.filter((e) => agree(e.ours, e.nag)).length).toBeGreaterThan(0);
  });
});
