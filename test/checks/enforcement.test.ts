/**
 * The enforcement model on hand-written templates: which policies the checker reads, how it
 * judges a launch's request against them, which launch kinds they bind, and HttpTokensEnforced.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runChecks } from '../../src/checks/check';
import { CheckOptions } from '../../src/checks/rule';
import { main } from '../../src/cli/main';

const REQUIRE = { Effect: 'Deny', Action: 'ec2:RunInstances', Resource: 'arn:aws:ec2:*:*:instance/*', Condition: { StringNotEquals: { 'ec2:MetadataHttpTokens': 'required' } } };

function instance(metadataOptions?: object): object {
  return { Type: 'AWS::EC2::Instance', Properties: { ImageId: 'ami-0123456789abcdef0', InstanceType: 't3.micro', MetadataOptions: metadataOptions } };
}

function check(resources: Record<string, unknown>, options: Partial<CheckOptions> = {}, parameters: object = {}) {
  const result = runChecks([{ path: 't.json', template: { Parameters: parameters, Resources: resources }, region: 'eu-west-1' }], options);
  return result.findings.map((f) => `${f.level} ${f.ruleId} ${f.logicalId}: ${f.message.slice(f.ruleId.length + 2)}`);
}

const DEFAULTS = { Type: 'Custom::InstanceMetadataDefaults', Properties: { HttpTokens: 'required' } };
const ENFORCED = { Type: 'Custom::InstanceMetadataDefaults', Properties: { HttpTokens: 'required', HttpTokensEnforced: 'enabled' } };

describe('policies the checker reads', () => {
  test('an inline policy of a role denies a launch that leaves HttpTokens to the account default', () => {
    const role = { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: {}, Policies: [{ PolicyName: 'imds', PolicyDocument: { Statement: [{ ...REQUIRE, Sid: 'Imds' }] } }] } };
    expect(check({ Deployer: role, Defaults: DEFAULTS, Web: instance() }, { trustAccountDefaults: true })).toEqual([
      'error IMDS001 Web: AWS::EC2::Instance Web does not set HttpTokens itself (it would be "required", the account default set by Defaults), ' +
        'and policy Deployer (AWS::IAM::Role) denies ec2:RunInstances unless the request sets HttpTokens to "required" (statement Imds): the launch would be denied. ' +
        'Policy conditions see the RunInstances request, not the account default or the AMI. Set HttpTokens to "required" at Web Properties/MetadataOptions.',
    ]);
  });

  test('a policy document given as a JSON string, NotAction, and Allow statements', () => {
    const notAction = { Effect: 'Deny', NotAction: ['s3:*'], Resource: '*', Condition: REQUIRE.Condition };
    const asString = { Type: 'AWS::IAM::ManagedPolicy', Properties: { PolicyDocument: JSON.stringify({ Statement: [notAction] }) } };
    expect(check({ Guard: asString, Defaults: DEFAULTS, Web: instance() }, { trustAccountDefaults: true })).toEqual([
      expect.stringMatching(/^error IMDS001 Web: .* policy Guard \(AWS::IAM::ManagedPolicy\) denies ec2:RunInstances unless the request sets HttpTokens to "required": the launch would be denied\./),
    ]);
    const allow = { Type: 'AWS::IAM::ManagedPolicy', Properties: { PolicyDocument: { Statement: [{ ...REQUIRE, Effect: 'Allow' }] } } };
    expect(check({ Guard: allow, Defaults: DEFAULTS, Web: instance() }, { trustAccountDefaults: true })).toEqual([]);
  });

  test('a statement that also tests another key cannot be verified (IMDS010), and an error under strict', () => {
    const scoped = { ...REQUIRE, Condition: { ...REQUIRE.Condition, StringLike: { 'aws:PrincipalARN': 'arn:aws:iam::*:role/dev-*' } } };
    const guard = { Type: 'AWS::Organizations::Policy', Properties: { Type: 'SERVICE_CONTROL_POLICY', Content: { Statement: [scoped] } } };
    const found = check({ Guard: guard, Defaults: DEFAULTS, Web: instance() }, { trustAccountDefaults: true });
    expect(found).toEqual([
      'warning IMDS010 Web: cannot verify HttpTokens, which the launch does not set itself, of AWS::EC2::Instance Web against policy Guard (AWS::Organizations::Policy), ' +
        'which denies ec2:RunInstances unless the request sets HttpTokens to "required": the statement also tests aws:PrincipalARN, which synthesis cannot evaluate. ' +
        'Set HttpTokens in the launch to a value the policy allows, or acknowledge IMDS010 with the reason it is safe.',
    ]);
    expect(check({ Guard: guard, Defaults: DEFAULTS, Web: instance() }, { trustAccountDefaults: true, strict: true })[0]).toMatch(/^error IMDS010 Web/);
    // A launch that sets HttpTokens to "required" passes whatever the other key says.
    expect(check({ Guard: guard, Web: instance({ HttpTokens: 'required' }) })).toEqual([]);
  });

  test('a required value known only at deployment cannot be verified', () => {
    const guard = { Type: 'AWS::IAM::ManagedPolicy', Properties: { PolicyDocument: { Statement: [{ ...REQUIRE, Condition: { StringNotEquals: { 'ec2:MetadataHttpTokens': { Ref: 'Tokens' } } } }] } } };
    expect(check({ Guard: guard, Web: instance({ HttpTokens: 'required' }) }, {}, { Tokens: { Type: 'String', Default: 'required' } })).toEqual([
      expect.stringMatching(/^warning IMDS010 Web: cannot verify HttpTokens "required" of AWS::EC2::Instance Web against policy Guard .*: the parameter Tokens \(default required\)\./),
    ]);
  });

  test('assumePoliciesApply: false (the policies bind other principals) judges the effective options only', () => {
    const guard = { Type: 'AWS::IAM::ManagedPolicy', Properties: { PolicyDocument: { Statement: [REQUIRE] } } };
    expect(check({ Guard: guard, Defaults: DEFAULTS, Web: instance() }, { trustAccountDefaults: true, assumePoliciesApply: false })).toEqual([]);
  });
});

describe('launch kinds the policies bind', () => {
  const guard = { Type: 'AWS::IAM::ManagedPolicy', Properties: { PolicyDocument: { Statement: [REQUIRE] } } };
  const template = { Type: 'AWS::EC2::LaunchTemplate', Properties: { LaunchTemplateData: { MetadataOptions: { HttpPutResponseHopLimit: 2 } } } };

  test('an EKS managed node group launches with its service-linked role: not judged by the policy', () => {
    const nodes = { Type: 'AWS::EKS::Nodegroup', Properties: { ClusterName: 'c', NodeRole: 'arn:aws:iam::111122223333:role/n', Subnets: ['subnet-1'], LaunchTemplate: { Id: { Ref: 'Template' }, Version: '1' } } };
    expect(check({ Guard: guard, Defaults: DEFAULTS, Template: template, Nodes: nodes }, { trustAccountDefaults: true }).filter((f) => !f.includes('IMDS011'))).toEqual([]);
  });

  test('an Auto Scaling group is judged with its launch template\'s values: without HttpTokens denied, with them allowed', () => {
    const group = { Type: 'AWS::AutoScaling::AutoScalingGroup', Properties: { MinSize: '1', MaxSize: '1', LaunchTemplate: { LaunchTemplateId: { Ref: 'Template' }, Version: '1' } } };
    expect(check({ Guard: guard, Defaults: DEFAULTS, Template: template, Group: group }, { trustAccountDefaults: true })).toEqual([
      expect.stringMatching(/^error IMDS001 Template: AWS::AutoScaling::AutoScalingGroup Group does not set HttpTokens itself .* the launch would be denied\./),
    ]);
    const required = { Type: 'AWS::EC2::LaunchTemplate', Properties: { LaunchTemplateData: { MetadataOptions: { HttpTokens: 'required' } } } };
    expect(check({ Guard: guard, Template: required, Group: group })).toEqual([]);
  });

  test('a launch kind AWS says nothing about (a Batch compute environment) cannot be verified under the policy', () => {
    const ce = {
      Type: 'AWS::Batch::ComputeEnvironment',
      Properties: { Type: 'MANAGED', ComputeResources: { Type: 'EC2', MaxvCpus: 4, Subnets: ['subnet-1'], InstanceTypes: ['m5.large'], LaunchTemplate: { LaunchTemplateId: { Ref: 'Template' } } } },
    };
    expect(check({ Guard: guard, Defaults: DEFAULTS, Template: template, Batch: ce }, { trustAccountDefaults: true }).filter((f) => !f.includes('IMDS011'))).toEqual([
      expect.stringMatching(/^warning IMDS010 Template: cannot verify HttpTokens, which the launch does not set itself, of AWS::Batch::ComputeEnvironment Batch against policy Guard .*AWS does not document whose ec2:RunInstances permissions are checked for this launch kind/),
    ]);
  });

  test('a launch configuration under DenyAsgLaunchConfigurations is an IMDS012 error: the deploy would fail', () => {
    const noLc = { Sid: 'NoLc', Effect: 'Deny', Action: ['autoscaling:CreateAutoScalingGroup'], Resource: '*', Condition: { Null: { 'autoscaling:LaunchConfigurationName': 'false' } } };
    const lcGuard = { Type: 'AWS::IAM::ManagedPolicy', Properties: { PolicyDocument: { Statement: [noLc] } } };
    const lc = { Type: 'AWS::AutoScaling::LaunchConfiguration', Properties: { ImageId: 'ami-0123456789abcdef0', InstanceType: 't3.micro', MetadataOptions: { HttpTokens: 'required' } } };
    const group = { Type: 'AWS::AutoScaling::AutoScalingGroup', Properties: { MinSize: '1', MaxSize: '1', LaunchConfigurationName: { Ref: 'Config' } } };
    expect(check({ Guard: lcGuard, Config: lc, Group: group })).toEqual([
      'error IMDS012 Group: AWS::AutoScaling::AutoScalingGroup Group uses a launch configuration, but policy Guard (AWS::IAM::ManagedPolicy, statement NoLc) denies creating or updating an Auto Scaling group with one: ' +
        'the deploy would fail. Use a launch template with a specific version.',
    ]);
    expect(check({ Config: lc, Group: group })).toEqual([expect.stringMatching(/^warning IMDS012 Group: .* uses a launch configuration: IAM conditions/)]);
    expect(check({ Guard: lcGuard, Config: lc, Group: group }, { assumePoliciesApply: false })).toEqual([expect.stringMatching(/^warning IMDS012 Group/)]);
  });
});

describe('HttpTokensEnforced judges the effective value', () => {
  test('a launch that leaves HttpTokens to the account default passes; one that sets optional would fail, endpoint off or not', () => {
    expect(check({ Defaults: ENFORCED, Web: instance() }, { trustAccountDefaults: true })).toEqual([]);
    expect(check({ Defaults: ENFORCED, Web: instance({ HttpTokens: 'optional', HttpEndpoint: 'disabled' }) }, { trustAccountDefaults: true })).toEqual([
      'error IMDS001 Web: AWS::EC2::Instance Web does not require IMDSv2: HttpTokens is "optional" (set by Web at Properties/MetadataOptions/HttpTokens). ' +
        'The launch would fail: Defaults sets HttpTokensEnforced to "enabled". Set HttpTokens to "required" at Web Properties/MetadataOptions/HttpTokens.',
    ]);
    // Without HttpTokensEnforced a disabled endpoint passes.
    expect(check({ Defaults: DEFAULTS, Web: instance({ HttpTokens: 'optional', HttpEndpoint: 'disabled' }) }, { trustAccountDefaults: true })).toEqual([]);
  });

  test('without trustAccountDefaults, a launch that leaves HttpTokens out is IMDS001, without claiming that it would fail', () => {
    expect(check({ Defaults: ENFORCED, Web: instance() })).toEqual([
      'error IMDS001 Web: AWS::EC2::Instance Web does not require IMDSv2: HttpTokens is "optional" (the AWS default, as nothing sets it). Set HttpTokens to "required" at Web Properties/MetadataOptions.',
    ]);
  });
});

describe('the CLI', () => {
  test('--ignore-policies: the templates\' policies do not bind the deployer', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-imds-enforcement-'));
    try {
      const file = path.join(dir, 't.json');
      const guard = { Type: 'AWS::IAM::ManagedPolicy', Properties: { PolicyDocument: { Statement: [REQUIRE] } } };
      fs.writeFileSync(file, JSON.stringify({ Resources: { Guard: guard, Defaults: DEFAULTS, Web: instance() } }));
      const run = (args: string[]) => {
        let out = '';
        const code = main(['check', '--trust-account-defaults', ...args, file], (s) => (out += s), (s) => (out += s));
        return { code, out };
      };
      const denied = run([]);
      expect(denied.code).toBe(1);
      expect(denied.out).toMatch(/IMDS001: AWS::EC2::Instance Web does not set HttpTokens itself .* the launch would be denied/);
      expect(run(['--ignore-policies'])).toEqual({ code: 0, out: expect.not.stringMatching(/IMDS001/) });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
