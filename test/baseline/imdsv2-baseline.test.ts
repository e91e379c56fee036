import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, AspectPriority, Aspects, CfnParameter, RemovalPolicy, Stack, Stage, aws_ec2 as ec2, aws_iam as iam } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import {
  BaselineChecks,
  ImdsChecks,
  Imdsv2Enforcement,
  ImdsLaunchTemplate,
  Imdsv2Baseline,
  Imdsv2PolicyStatements,
  RequireImdsv2ManagedPolicy,
  RequireImdsv2ServiceControlPolicy,
} from '../../src';
import { INSTANCE_ARNS } from '../policy/helpers';

process.env.CDK_VALIDATION = 'false';

const env = { account: '111122223333', region: 'eu-west-1' };

let outdir: string;
beforeEach(() => {
  outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-imds-baseline-'));
});
afterEach(() => fs.rmSync(outdir, { recursive: true, force: true }));

function newApp(): App {
  return new App({ outdir, context: { 'aws:cdk:disable-creation-stack-traces': true } });
}

function newStack(app = newApp(), id = 'Baseline'): Stack {
  return new Stack(app, id, { env });
}

function statements(t: Template, type = 'AWS::IAM::ManagedPolicy'): any[] {
  const [r] = Object.values(t.findResources(type)) as any[];
  return type === 'AWS::IAM::ManagedPolicy' ? r.Properties.PolicyDocument.Statement : r.Properties.Content.Statement;
}

function imdsMessages(stack: Stack, level: 'error' | 'warning'): string[] {
  const a = Annotations.fromStack(stack);
  const found = level === 'error' ? a.findError('*', Match.stringLikeRegexp('^IMDS')) : a.findWarning('*', Match.stringLikeRegexp('^IMDS'));
  return found.map((m) => `${m.id} ${String(m.entry.data)}`);
}

describe('Imdsv2Baseline defaults', () => {
  test('account defaults: tokens required, hop limit 1, the stack Region, HttpTokensEnforced enabled', () => {
    const stack = newStack();
    const b = new Imdsv2Baseline(stack, 'Imdsv2');
    expect(b.enforcement).toBe(Imdsv2Enforcement.ACCOUNT_SETTING);
    const t = Template.fromStack(stack);
    t.resourceCountIs('Custom::InstanceMetadataDefaults', 1);
    t.hasResourceProperties('Custom::InstanceMetadataDefaults', {
      HttpTokens: 'required',
      HttpPutResponseHopLimit: 1,
      Regions: ['eu-west-1'],
      RemovalPolicy: 'destroy',
      HttpTokensEnforced: 'enabled',
      HttpEndpoint: Match.absent(),
      InstanceMetadataTags: Match.absent(),
    });
    expect(b.hopLimit).toBe(1);
    expect(b.maxHopLimit).toBe(1);
    expect(b.defaults.node.path).toBe('Baseline/Imdsv2/Defaults');
  });

  test('the enforcement policy is a RequireImdsv2ManagedPolicy whose maximum hop limit is the default hop limit', () => {
    const stack = newStack();
    const b = new Imdsv2Baseline(stack, 'Imdsv2');
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::IAM::ManagedPolicy', 1);
    t.resourceCountIs('AWS::Organizations::Policy', 0);
    expect(b.managedPolicy).toBeInstanceOf(RequireImdsv2ManagedPolicy);
    expect(b.serviceControlPolicy).toBeUndefined();
    expect(b.policy).toBe(b.managedPolicy);
    expect(b.policy.maxHopLimit).toBe(1);
    // No RunInstances request condition and no Auto Scaling guards: HttpTokensEnforced enforces.
    expect(statements(t).map((s) => s.Sid)).toEqual([
      'MaxImdsHopLimit',
      'DenyImdsv1OptOut',
      'DenyImdsv1DefaultOptOut',
      'DenyHttpTokensEnforcedOptOut',
      'DenyImdsv1RoleCredentials',
    ]);
    // Nobody opts the account defaults out of IMDSv2 but the handler that restores them on removal.
    const handlerArn = { 'Fn::GetAtt': [expect.stringMatching(/^CdkImdsInstanceMetadataDefaultsProviderHandlerRole/), 'Arn'] };
    expect(statements(t)[2]).toEqual({
      Sid: 'DenyImdsv1DefaultOptOut',
      Effect: 'Deny',
      Action: 'ec2:ModifyInstanceMetadataDefaults',
      Resource: '*',
      Condition: {
        StringNotEquals: { 'ec2:Attribute/HttpTokens': 'required' },
        Null: { 'ec2:Attribute/HttpTokens': false },
        ArnNotLike: { 'aws:PrincipalARN': [handlerArn] },
      },
    });
    expect(statements(t)[3].Condition).toEqual({
      StringNotEquals: { 'ec2:Attribute/HttpTokensEnforced': 'enabled' },
      Null: { 'ec2:Attribute/HttpTokensEnforced': false },
      ArnNotLike: { 'aws:PrincipalARN': [handlerArn] },
    });
    expect(statements(t)[0]).toEqual({
      Sid: 'MaxImdsHopLimit',
      Effect: 'Deny',
      Action: 'ec2:RunInstances',
      Resource: INSTANCE_ARNS,
      Condition: { NumericGreaterThan: { 'ec2:MetadataHttpPutResponseHopLimit': '1' } },
    });
  });

  test('checks: one ImdsChecks on the App at READONLY priority, trusting the account defaults', () => {
    const app = newApp();
    const b = new Imdsv2Baseline(newStack(app), 'Imdsv2');
    const ours = Aspects.of(app).applied.filter((a) => a.aspect instanceof ImdsChecks);
    expect(ours).toHaveLength(1);
    expect(ours[0].aspect).toBe(b.imdsChecks);
    expect(ours[0].priority).toBe(AspectPriority.READONLY);
    expect((b.imdsChecks as any).options).toEqual({ strict: false, trustAccountDefaults: true });
  });
});

describe('Imdsv2Baseline options', () => {
  test('containerHosts: hop limit 2 in the defaults and in the policy', () => {
    const stack = newStack();
    const b = new Imdsv2Baseline(stack, 'Imdsv2', { containerHosts: true });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('Custom::InstanceMetadataDefaults', { HttpTokens: 'required', HttpPutResponseHopLimit: 2 });
    expect(statements(t).find((s) => s.Sid === 'MaxImdsHopLimit').Condition).toEqual({ NumericGreaterThan: { 'ec2:MetadataHttpPutResponseHopLimit': '2' } });
    expect([b.hopLimit, b.maxHopLimit]).toEqual([2, 2]);
  });

  test('hopLimit and maxHopLimit set apart', () => {
    const stack = newStack();
    new Imdsv2Baseline(stack, 'Imdsv2', { hopLimit: 1, maxHopLimit: 3 });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('Custom::InstanceMetadataDefaults', { HttpPutResponseHopLimit: 1 });
    expect(statements(t).find((s) => s.Sid === 'MaxImdsHopLimit').Condition.NumericGreaterThan['ec2:MetadataHttpPutResponseHopLimit']).toBe('3');
  });

  test('maxHopLimit 64 writes no hop limit statement', () => {
    const stack = newStack();
    new Imdsv2Baseline(stack, 'Imdsv2', { maxHopLimit: 64 });
    expect(statements(Template.fromStack(stack)).map((s) => s.Sid)).not.toContain('MaxImdsHopLimit');
  });

  test('REQUEST_CONDITION: the RunInstances request condition and the Auto Scaling guards; HttpTokensEnforced not managed', () => {
    const stack = newStack();
    const b = new Imdsv2Baseline(stack, 'Imdsv2', { enforcement: Imdsv2Enforcement.REQUEST_CONDITION });
    expect(b.enforcement).toBe(Imdsv2Enforcement.REQUEST_CONDITION);
    const t = Template.fromStack(stack);
    t.hasResourceProperties('Custom::InstanceMetadataDefaults', { HttpTokens: 'required', HttpPutResponseHopLimit: 1, HttpTokensEnforced: Match.absent() });
    expect(statements(t).map((s) => s.Sid)).toEqual([
      'RequireImdsv2',
      'MaxImdsHopLimit',
      'DenyImdsv1OptOut',
      'DenyImdsv1DefaultOptOut',
      'DenyHttpTokensEnforcedOptOut',
      'DenyImdsv1RoleCredentials',
      'RequireAsgLaunchTemplateVersion',
      'DenyAsgLaunchConfigurations',
    ]);
    expect(statements(t)[0]).toEqual({
      Sid: 'RequireImdsv2',
      Effect: 'Deny',
      Action: 'ec2:RunInstances',
      Resource: INSTANCE_ARNS,
      Condition: { StringNotEquals: { 'ec2:MetadataHttpTokens': 'required' } },
    });
  });

  test('ACCOUNT_SETTING with httpTokensEnforced: false is refused, naming both props', () => {
    expect(() => new Imdsv2Baseline(newStack(), 'Imdsv2', { httpTokensEnforced: false })).toThrow(
      /Imdsv2Baseline 'Baseline\/Imdsv2': httpTokensEnforced is false, but with enforcement Imdsv2Enforcement.ACCOUNT_SETTING the account setting HttpTokensEnforced is what enforces IMDSv2/,
    );
    expect(() => new Imdsv2Baseline(newStack(), 'Imdsv2', { enforcement: 'both' as Imdsv2Enforcement })).toThrow(
      /enforcement is "both": use Imdsv2Enforcement.ACCOUNT_SETTING or Imdsv2Enforcement.REQUEST_CONDITION/,
    );
  });

  test('httpTokensEnforced: true enables it with REQUEST_CONDITION; RETAIN keeps the defaults', () => {
    const stack = newStack();
    new Imdsv2Baseline(stack, 'Imdsv2', { enforcement: Imdsv2Enforcement.REQUEST_CONDITION, httpTokensEnforced: true, removalPolicy: RemovalPolicy.RETAIN });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('Custom::InstanceMetadataDefaults', { HttpTokensEnforced: 'enabled', RemovalPolicy: 'retain' });
    t.hasResource('Custom::InstanceMetadataDefaults', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });

  test('the managed policy is attached to the roles, groups and users given', () => {
    const stack = newStack();
    const role = new iam.Role(stack, 'Dev', { assumedBy: new iam.AccountRootPrincipal() });
    new Imdsv2Baseline(stack, 'Imdsv2', {
      roles: [role],
      groups: [iam.Group.fromGroupName(stack, 'Developers', 'developers')],
      users: [iam.User.fromUserName(stack, 'Ci', 'ci')],
    });
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::ManagedPolicy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^Dev') }],
      Groups: ['developers'],
      Users: ['ci'],
    });
  });

  test('denyImdsv1Credentials and autoScalingGuards off leave those statements out', () => {
    const stack = newStack();
    new Imdsv2Baseline(stack, 'Imdsv2', { enforcement: Imdsv2Enforcement.REQUEST_CONDITION, denyImdsv1Credentials: false, autoScalingGuards: false });
    expect(statements(Template.fromStack(stack)).map((s) => s.Sid)).toEqual(['RequireImdsv2', 'MaxImdsHopLimit', 'DenyImdsv1OptOut', 'DenyImdsv1DefaultOptOut', 'DenyHttpTokensEnforcedOptOut']);
    const other = newStack();
    new Imdsv2Baseline(other, 'Imdsv2', { autoScalingGuards: true });
    expect(statements(Template.fromStack(other)).map((s) => s.Sid)).toEqual([
      'MaxImdsHopLimit',
      'DenyImdsv1OptOut',
      'DenyImdsv1DefaultOptOut',
      'DenyHttpTokensEnforcedOptOut',
      'DenyImdsv1RoleCredentials',
      'RequireAsgLaunchTemplateVersion',
      'DenyAsgLaunchConfigurations',
    ]);
  });

  test('serviceControlPolicyTargetIds: a service control policy attached to them, and no managed policy', () => {
    const stack = newStack();
    const b = new Imdsv2Baseline(stack, 'Imdsv2', { containerHosts: true, serviceControlPolicyTargetIds: ['ou-ab12-abcd1234', '444455556666'] });
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::IAM::ManagedPolicy', 0);
    t.resourceCountIs('AWS::Organizations::Policy', 1);
    t.hasResourceProperties('AWS::Organizations::Policy', { Type: 'SERVICE_CONTROL_POLICY', TargetIds: ['ou-ab12-abcd1234', '444455556666'] });
    expect(statements(t, 'AWS::Organizations::Policy').find((s) => s.Sid === 'MaxImdsHopLimit').Condition).toEqual({ NumericGreaterThan: { 'ec2:MetadataHttpPutResponseHopLimit': '2' } });
    // The SCP reaches member accounts, which the account setting of this account does not: it denies at the request.
    expect(b.enforcement).toBe(Imdsv2Enforcement.REQUEST_CONDITION);
    expect(statements(t, 'AWS::Organizations::Policy').map((s) => s.Sid)).toEqual([
      'RequireImdsv2',
      'MaxImdsHopLimit',
      'DenyImdsv1OptOut',
      'DenyImdsv1DefaultOptOut',
      'DenyHttpTokensEnforcedOptOut',
      'DenyImdsv1RoleCredentials',
      'RequireAsgLaunchTemplateVersion',
      'DenyAsgLaunchConfigurations',
    ]);
    expect(b.serviceControlPolicy).toBeInstanceOf(RequireImdsv2ServiceControlPolicy);
    expect(b.policy).toBe(b.serviceControlPolicy);
    expect(b.managedPolicy).toBeUndefined();
  });

  test.each([
    ['managed policy', {}, 'AWS::IAM::ManagedPolicy'],
    ['service control policy', { serviceControlPolicyTargetIds: ['r-ab12'] }, 'AWS::Organizations::Policy'],
  ])('adminPrincipalArns (%s): the defaults handler role is among the admins, and no size warning', (_name, extra, type) => {
    const stack = newStack();
    new Imdsv2Baseline(stack, 'Imdsv2', { ...extra, adminPrincipalArns: [Imdsv2PolicyStatements.adminRoleArnPattern('PlatformAdmin')] });
    const t = Template.fromStack(stack);
    const roles = t.findResources('AWS::IAM::Role', { Properties: { Description: 'Runs the cdk-imds Custom::InstanceMetadataDefaults custom resource handler' } });
    const [handlerRoleId] = Object.keys(roles);
    expect(handlerRoleId).toMatch(/^CdkImdsInstanceMetadataDefaultsProviderHandlerRole/);
    const restrict = statements(t, type).find((s) => s.Sid === 'RestrictImdsSettingsToAdmins');
    expect(restrict).toEqual({
      Sid: 'RestrictImdsSettingsToAdmins',
      Effect: 'Deny',
      Action: ['ec2:ModifyInstanceMetadataOptions', 'ec2:ModifyInstanceMetadataDefaults'],
      Resource: '*',
      Condition: {
        StringNotLike: {
          'aws:PrincipalARN': [
            { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::*:role/PlatformAdmin']] },
            { 'Fn::GetAtt': [handlerRoleId, 'Arn'] },
          ],
        },
      },
    });
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('cannot verify the (policy )?size'))).toEqual([]);
  });

  test('an admin ARN that is itself a token keeps the size warning of the policy', () => {
    const stack = newStack();
    const admin = new iam.Role(stack, 'Admin', { assumedBy: new iam.AccountRootPrincipal() });
    new Imdsv2Baseline(stack, 'Imdsv2', { adminPrincipalArns: [admin.roleArn] });
    Annotations.fromStack(stack).hasWarning('/Baseline/Imdsv2/Policy', Match.stringLikeRegexp('cannot verify the policy size'));
  });

  test('the handler role ARN is counted at its longest: a policy that fits only without it is an error', () => {
    const build = (count: number) => {
      const names = Array.from({ length: count }, (_, i) => `arn:*:iam::*:role/PlatformAdministratorsOfTheOrganization${String(i).padStart(3, '0')}*`);
      return new Imdsv2Baseline(newStack(), 'Imdsv2', { serviceControlPolicyTargetIds: ['r-ab12'], adminPrincipalArns: names });
    };
    // The role ARN is named three times: among the admins, and in both defaults opt-out exemptions.
    // 44 patterns: 4,838 characters known, up to 5,153 with the role ARN.
    const near = build(44);
    expect(near.node.validate()).toEqual([
      "Imdsv2Baseline 'Baseline/Imdsv2': the policy Baseline/Imdsv2/Policy is 4,838 characters plus the defaults handler role ARN 3 times (up to 105 each), up to 5,153: " +
        'over the limit of 5,120 characters. Use fewer adminPrincipalArns.',
    ]);
    expect(near.serviceControlPolicy!.node.validate()).toEqual([]);
    // 43 patterns fit with any role ARN.
    expect(build(43).node.validate()).toEqual([]);
    // 49 patterns: the policy itself is over, and says so; the baseline adds nothing.
    const over = build(49);
    expect(over.node.validate()).toEqual([]);
    expect(over.serviceControlPolicy!.node.validate()).toEqual([expect.stringMatching(/is 5,158 or more characters, over the AWS Organizations quota/)]);
  });

  test('checks: STRICT makes IMDS010 an error; DISABLED adds none', () => {
    const strictApp = newApp();
    const strict = new Imdsv2Baseline(newStack(strictApp), 'Imdsv2', { checks: BaselineChecks.STRICT });
    expect((strict.imdsChecks as any).options).toEqual({ strict: true, trustAccountDefaults: true });
    const offApp = newApp();
    const off = new Imdsv2Baseline(newStack(offApp), 'Imdsv2', { checks: BaselineChecks.DISABLED });
    expect(off.imdsChecks).toBeUndefined();
    expect(Aspects.of(offApp).all.filter((a) => a instanceof ImdsChecks)).toEqual([]);
  });

  test('two baselines in one Stage share one ImdsChecks', () => {
    const app = newApp();
    const a = new Imdsv2Baseline(new Stack(app, 'A', { env }), 'Imdsv2');
    const b = new Imdsv2Baseline(new Stack(app, 'B', { env: { account: '444455556666', region: 'eu-west-1' } }), 'Imdsv2');
    expect(b.imdsChecks).toBe(a.imdsChecks);
    expect(Aspects.of(app).all.filter((x) => x instanceof ImdsChecks)).toHaveLength(1);
  });

  test('a baseline in a Stage adds its checks to that Stage', () => {
    const app = newApp();
    const stage = new Stage(app, 'Prod');
    const b = new Imdsv2Baseline(new Stack(stage, 'Baseline', { env }), 'Imdsv2');
    expect(Aspects.of(stage).all).toContain(b.imdsChecks);
    expect(Aspects.of(app).all).not.toContain(b.imdsChecks);
  });

  test('an ImdsChecks you added yourself is kept, and the baseline says so', () => {
    const app = newApp();
    const mine = new ImdsChecks({ report: false });
    Aspects.of(app).add(mine, { priority: AspectPriority.READONLY });
    const stack = newStack(app);
    const b = new Imdsv2Baseline(stack, 'Imdsv2');
    expect(b.imdsChecks).toBeUndefined();
    expect(Aspects.of(app).all.filter((x) => x instanceof ImdsChecks)).toEqual([mine]);
    Annotations.fromStack(stack).hasWarning('/Baseline/Imdsv2', Match.stringLikeRegexp('An ImdsChecks is already on the App: the baseline adds no second one'));
  });

  test('an environment-agnostic stack: the defaults manage the Region the stack deploys to', () => {
    const stack = new Stack(newApp(), 'Agnostic');
    new Imdsv2Baseline(stack, 'Imdsv2');
    Template.fromStack(stack).hasResourceProperties('Custom::InstanceMetadataDefaults', { Regions: [{ Ref: 'AWS::Region' }] });
  });

  test('a token hop limit (a parameter) goes to the defaults and the policy', () => {
    const stack = newStack();
    const hops = new CfnParameter(stack, 'Hops', { type: 'Number', default: 2 });
    new Imdsv2Baseline(stack, 'Imdsv2', { hopLimit: hops.valueAsNumber, checks: BaselineChecks.DISABLED });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('Custom::InstanceMetadataDefaults', { HttpPutResponseHopLimit: { Ref: 'Hops' } });
    expect(statements(t).find((s) => s.Sid === 'MaxImdsHopLimit').Condition.NumericGreaterThan['ec2:MetadataHttpPutResponseHopLimit']).toEqual({ Ref: 'Hops' });
  });
});

describe('Imdsv2Baseline errors name the prop, the value and what is allowed', () => {
  const cases: Array<[string, () => void, string]> = [
    ['hopLimit 0', () => new Imdsv2Baseline(newStack(), 'Imdsv2', { hopLimit: 0 }), "Imdsv2Baseline 'Baseline/Imdsv2': hopLimit is 0: it must be a whole number from 1 to 64"],
    ['hopLimit 1.5', () => new Imdsv2Baseline(newStack(), 'Imdsv2', { hopLimit: 1.5 }), 'hopLimit is 1.5: it must be a whole number from 1 to 64'],
    ['maxHopLimit 65', () => new Imdsv2Baseline(newStack(), 'Imdsv2', { maxHopLimit: 65 }), 'maxHopLimit is 65: it must be a whole number from 1 to 64'],
    ['containerHosts with hopLimit 1', () => new Imdsv2Baseline(newStack(), 'Imdsv2', { containerHosts: true, hopLimit: 1 }), 'containerHosts is true but hopLimit is 1: containers reach IMDSv2 only with a hop limit of at least 2'],
    ['maxHopLimit below hopLimit', () => new Imdsv2Baseline(newStack(), 'Imdsv2', { containerHosts: true, maxHopLimit: 1 }), 'maxHopLimit is 1, below hopLimit 2: the policy would deny launches that set the account default hop limit themselves'],
    ['SCP targets with roles', () => {
      const stack = newStack();
      new Imdsv2Baseline(stack, 'Imdsv2', { serviceControlPolicyTargetIds: ['r-ab12'], groups: [iam.Group.fromGroupName(stack, 'G', 'g')] });
    }, 'groups attach the managed policy, but serviceControlPolicyTargetIds makes the policy a service control policy'],
    ['empty SCP targets', () => new Imdsv2Baseline(newStack(), 'Imdsv2', { serviceControlPolicyTargetIds: [] }), 'serviceControlPolicyTargetIds is empty: the policy must be attached to at least one target'],
    ['a bad SCP target', () => new Imdsv2Baseline(newStack(), 'Imdsv2', { serviceControlPolicyTargetIds: ['ou-nope'] }), 'serviceControlPolicyTargetIds[0] is "ou-nope": it must be a root ID'],
    ['an unknown checks value', () => new Imdsv2Baseline(newStack(), 'Imdsv2', { checks: 'loud' as BaselineChecks }), 'checks is "loud": use BaselineChecks.ENABLED, BaselineChecks.STRICT or BaselineChecks.DISABLED'],
    ['two baselines in one stack', () => {
      const stack = newStack();
      new Imdsv2Baseline(stack, 'One');
      new Imdsv2Baseline(stack, 'Two');
    }, "Imdsv2Baseline 'Baseline/Two': stack Baseline already has the baseline Baseline/One: keep one Imdsv2Baseline per stack"],
    ['two baselines in one Stage with different checks', () => {
      const app = newApp();
      new Imdsv2Baseline(new Stack(app, 'A', { env }), 'Imdsv2');
      new Imdsv2Baseline(new Stack(app, 'B', { env: { account: '444455556666', region: 'eu-west-1' } }), 'Imdsv2', { checks: BaselineChecks.STRICT });
    }, 'checks is STRICT, but the baseline A/Imdsv2 in the same Stage added checks that are ENABLED'],
    ['an empty adminPrincipalArns', () => new Imdsv2Baseline(newStack(), 'Imdsv2', { adminPrincipalArns: [] }), 'adminPrincipalArns is empty'],
  ];
  test.each(cases)('%s', (_name, build, message) => {
    let error: Error | undefined;
    try {
      build();
    } catch (e) {
      error = e as Error;
    }
    expect(error?.message).toContain(message);
    expect(error?.stack).not.toMatch(/\n\s+at /);
  });

  test('two baselines for one account and Region in different stacks: a validation error from the defaults', () => {
    const app = newApp();
    new Imdsv2Baseline(new Stack(app, 'A', { env }), 'Imdsv2');
    new Imdsv2Baseline(new Stack(app, 'B', { env }), 'Imdsv2');
    expect(() => app.synth()).toThrow(/InstanceMetadataDefaults A\/Imdsv2\/Defaults and B\/Imdsv2\/Defaults both manage the defaults of account 111122223333 in eu-west-1/);
  });
});

describe('the checks of a baseline', () => {
  function workload(app: App, hops: number | undefined, tokens?: ec2.LaunchTemplateHttpTokens) {
    const web = new Stack(app, 'Web', { env });
    new ec2.CfnInstance(web, 'Server', {
      imageId: 'ami-0123456789abcdef0',
      instanceType: 't3.micro',
      metadataOptions: hops === undefined && tokens === undefined ? undefined : { httpTokens: tokens, httpPutResponseHopLimit: hops },
    });
    return web;
  }

  test('a launch that leaves its options to the account defaults passes (trustAccountDefaults)', () => {
    const app = newApp();
    new Imdsv2Baseline(newStack(app), 'Imdsv2');
    const web = workload(app, undefined);
    expect(imdsMessages(web, 'error')).toEqual([]);
  });

  test('REQUEST_CONDITION: the same launch is an IMDS001 error, as the policy denies a request without HttpTokens', () => {
    const app = newApp();
    new Imdsv2Baseline(newStack(app), 'Imdsv2', { enforcement: Imdsv2Enforcement.REQUEST_CONDITION });
    const web = workload(app, undefined);
    expect(imdsMessages(web, 'error')).toEqual([
      '/Web/Server IMDS001: AWS::EC2::Instance Server does not set HttpTokens itself (it would be "required", the account default set by Imdsv2Defaults4C355D69), ' +
        'and policy Imdsv2Policy59B0B33C (AWS::IAM::ManagedPolicy) denies ec2:RunInstances unless the request sets HttpTokens to "required" (statement RequireImdsv2): the launch would be denied. ' +
        'Policy conditions see the RunInstances request, not the account default or the AMI. Set HttpTokens to "required" at Server Properties/MetadataOptions. ' +
        "To accept it, call Validations.of(construct).acknowledge({ id: 'IMDS001', reason }). (Annotation::IMDS001)",
    ]);
    // Setting it on the launch passes.
    const app2 = newApp();
    new Imdsv2Baseline(newStack(app2), 'Imdsv2', { enforcement: Imdsv2Enforcement.REQUEST_CONDITION });
    expect(imdsMessages(workload(app2, undefined, ec2.LaunchTemplateHttpTokens.REQUIRED), 'error')).toEqual([]);
  });

  test('ACCOUNT_SETTING: a launch that sets HttpTokens optional would fail under HttpTokensEnforced, even with the endpoint off', () => {
    const app = newApp();
    new Imdsv2Baseline(newStack(app), 'Imdsv2');
    const web = new Stack(app, 'Web', { env });
    new ec2.CfnInstance(web, 'Server', {
      imageId: 'ami-0123456789abcdef0',
      instanceType: 't3.micro',
      metadataOptions: { httpTokens: 'optional', httpEndpoint: 'disabled' },
    });
    expect(imdsMessages(web, 'error')).toEqual([
      '/Web/Server IMDS001: AWS::EC2::Instance Server does not require IMDSv2: HttpTokens is "optional" (set by Server at Properties/MetadataOptions/HttpTokens). ' +
        'The launch would fail: Imdsv2Defaults4C355D69 sets HttpTokensEnforced to "enabled". Set HttpTokens to "required" at Server Properties/MetadataOptions/HttpTokens. ' +
        "To accept it, call Validations.of(construct).acknowledge({ id: 'IMDS001', reason }). (Annotation::IMDS001)",
    ]);
  });

  test('an Amazon Linux 2023 ec2.Instance without options next to a RequireImdsv2ManagedPolicy is denied: IMDS001', () => {
    const app = newApp();
    Aspects.of(app).add(new ImdsChecks({ report: false }), { priority: AspectPriority.READONLY });
    const web = new Stack(app, 'Web', { env });
    new RequireImdsv2ManagedPolicy(web, 'Guard');
    const vpc = new ec2.Vpc(web, 'Vpc', { natGateways: 0, maxAzs: 1 });
    new ec2.Instance(web, 'Server', {
      vpc,
      instanceType: new ec2.InstanceType('t3.micro'),
      machineImage: ec2.MachineImage.latestAmazonLinux2023(),
    });
    const errors = imdsMessages(web, 'error');
    expect(errors).toEqual([
      expect.stringMatching(
        /^\/Web\/Server\/Resource IMDS001: AWS::EC2::Instance Server\w+ does not set HttpTokens itself \(it would be "required", from an Amazon Linux 2023 AMI \(parameter \w+, ImdsSupport v2\.0\)\), and policy Guard\w+ \(AWS::IAM::ManagedPolicy\) denies ec2:RunInstances unless the request sets HttpTokens to "required" \(statement RequireImdsv2\): the launch would be denied\./,
      ),
    ]);
    // assumePoliciesApply: false says the policy binds other principals.
    const app2 = newApp();
    Aspects.of(app2).add(new ImdsChecks({ report: false, assumePoliciesApply: false }), { priority: AspectPriority.READONLY });
    const web2 = new Stack(app2, 'Web', { env });
    new RequireImdsv2ManagedPolicy(web2, 'Guard');
    new ec2.Instance(web2, 'Server', {
      vpc: new ec2.Vpc(web2, 'Vpc', { natGateways: 0, maxAzs: 1 }),
      instanceType: new ec2.InstanceType('t3.micro'),
      machineImage: ec2.MachineImage.latestAmazonLinux2023(),
    });
    expect(imdsMessages(web2, 'error')).toEqual([]);
  });

  test('the same launch without a baseline is IMDS001', () => {
    const app = newApp();
    Aspects.of(app).add(new ImdsChecks({ report: false }), { priority: AspectPriority.READONLY });
    const web = workload(app, undefined);
    expect(imdsMessages(web, 'error')).toEqual([expect.stringMatching(/^\/Web\/Server IMDS001: /)]);
  });

  test('a launch above the baseline policy maximum is an IMDS003 error', () => {
    const app = newApp();
    new Imdsv2Baseline(newStack(app), 'Imdsv2', { containerHosts: true });
    const web = workload(app, 3, ec2.LaunchTemplateHttpTokens.REQUIRED);
    expect(imdsMessages(web, 'error')).toEqual([
      expect.stringMatching(/^\/Web\/Server IMDS003: AWS::EC2::Instance Server has HttpPutResponseHopLimit 3, but policy Imdsv2Policy\w+ \(AWS::IAM::ManagedPolicy\) denies ec2:RunInstances above 2/),
    ]);
  });

  test('an ImdsLaunchTemplate for container hosts passes a containerHosts baseline', () => {
    const app = newApp();
    new Imdsv2Baseline(newStack(app), 'Imdsv2', { containerHosts: true });
    const web = new Stack(app, 'Web', { env });
    new ImdsLaunchTemplate(web, 'Nodes', { containerHost: true });
    expect(imdsMessages(web, 'error')).toEqual([]);
  });
});
