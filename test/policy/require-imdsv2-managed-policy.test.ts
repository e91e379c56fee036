import { App, CfnParameter, Stack, aws_iam as iam } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { DEFAULTS_OPT_OUT, INSTANCE_ARNS, literalPartitionArns, newStack, roleArnPattern } from './helpers';
import { IRequireImdsv2Policy, Imdsv2PolicyStatements, RequireImdsv2ManagedPolicy } from '../../src';

const REQUIRE = {
  Sid: 'RequireImdsv2',
  Effect: 'Deny',
  Action: 'ec2:RunInstances',
  Resource: INSTANCE_ARNS,
  Condition: { StringNotEquals: { 'ec2:MetadataHttpTokens': 'required' } },
};
const hop = (n: string) => ({
  Sid: 'MaxImdsHopLimit',
  Effect: 'Deny',
  Action: 'ec2:RunInstances',
  Resource: INSTANCE_ARNS,
  Condition: { NumericGreaterThan: { 'ec2:MetadataHttpPutResponseHopLimit': n } },
});
const OPT_OUT = {
  Sid: 'DenyImdsv1OptOut',
  Effect: 'Deny',
  Action: 'ec2:ModifyInstanceMetadataOptions',
  Resource: INSTANCE_ARNS,
  Condition: { StringNotEquals: { 'ec2:Attribute/HttpTokens': 'required' }, Null: { 'ec2:Attribute/HttpTokens': false } },
};
const CREDENTIALS = {
  Sid: 'DenyImdsv1RoleCredentials',
  Effect: 'Deny',
  Action: '*',
  Resource: '*',
  Condition: { NumericLessThan: { 'ec2:RoleDelivery': '2.0' } },
};
const ASG_ACTIONS = ['autoscaling:CreateAutoScalingGroup', 'autoscaling:UpdateAutoScalingGroup'];
const LT_VERSION = {
  Sid: 'RequireAsgLaunchTemplateVersion',
  Effect: 'Deny',
  Action: ASG_ACTIONS,
  Resource: '*',
  Condition: { Bool: { 'autoscaling:LaunchTemplateVersionSpecified': 'false' } },
};
const NO_LC = {
  Sid: 'DenyAsgLaunchConfigurations',
  Effect: 'Deny',
  Action: ASG_ACTIONS,
  Resource: '*',
  Condition: { Null: { 'autoscaling:LaunchConfigurationName': 'false' } },
};

function document(...statements: unknown[]) {
  return Match.exact({ Version: '2012-10-17', Statement: statements });
}

describe('RequireImdsv2ManagedPolicy', () => {
  let stack: Stack;
  beforeEach(() => {
    stack = newStack();
  });

  test('defaults: tokens required, hop limit at most 2, no opt-out, no IMDSv1 credentials, Auto Scaling guards', () => {
    const policy = new RequireImdsv2ManagedPolicy(stack, 'Policy');
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      Description: 'Requires IMDSv2 on EC2 launches (hop limit at most 2) and denies switching instances back to IMDSv1.',
      Path: '/',
      PolicyDocument: document(REQUIRE, hop('2'), OPT_OUT, ...DEFAULTS_OPT_OUT, CREDENTIALS, LT_VERSION, NO_LC),
    });
    expect(policy.maxHopLimit).toBe(2);
    expect(policy.denyImdsv1Credentials).toBe(true);
    expect(policy.autoScalingGuards).toBe(true);
    expect(literalPartitionArns(template.toJSON())).toEqual([]);
  });

  test('every option changes the document exactly', () => {
    const role = new iam.Role(stack, 'Workload', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });
    const policy = new RequireImdsv2ManagedPolicy(stack, 'Policy', {
      managedPolicyName: 'require-imdsv2',
      maxHopLimit: 1,
      denyImdsv1Credentials: false,
      autoScalingGuards: false,
      adminPrincipalArns: [Imdsv2PolicyStatements.adminRoleArnPattern('ImdsAdmins'), 'arn:*:iam::*:role/platform/Admin*'],
      roles: [role],
    });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      ManagedPolicyName: 'require-imdsv2',
      Roles: [{ Ref: Match.stringLikeRegexp('^Workload') }],
      PolicyDocument: document(REQUIRE, hop('1'), OPT_OUT, ...DEFAULTS_OPT_OUT, {
        Sid: 'RestrictImdsSettingsToAdmins',
        Effect: 'Deny',
        Action: ['ec2:ModifyInstanceMetadataOptions', 'ec2:ModifyInstanceMetadataDefaults'],
        Resource: '*',
        Condition: { StringNotLike: { 'aws:PrincipalARN': [roleArnPattern('ImdsAdmins'), 'arn:*:iam::*:role/platform/Admin*'] } },
      }),
    });
    expect(policy.maxHopLimit).toBe(1);
    expect(policy.denyImdsv1Credentials).toBe(false);
    expect(literalPartitionArns(template.toJSON())).toEqual([]);
  });

  test('maxHopLimit 64 writes no hop limit statement and reads back 64', () => {
    const policy = new RequireImdsv2ManagedPolicy(stack, 'Policy', { maxHopLimit: 64 });
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::ManagedPolicy', {
      Description: 'Requires IMDSv2 on EC2 launches (any hop limit) and denies switching instances back to IMDSv1.',
      PolicyDocument: document(REQUIRE, OPT_OUT, ...DEFAULTS_OPT_OUT, CREDENTIALS, LT_VERSION, NO_LC),
    });
    const asInterface: IRequireImdsv2Policy = policy;
    expect(asInterface.maxHopLimit).toBe(64);
  });

  test.each([0, 65])('maxHopLimit %p fails with the construct path and the allowed range', (value) => {
    expect(() => new RequireImdsv2ManagedPolicy(stack, 'Policy', { maxHopLimit: value })).toThrow(
      new RegExp(`RequireImdsv2ManagedPolicy 'Stack/Policy': maxHopLimit is ${value}: it must be a whole number from 1 to 64`));
  });

  test('a malformed admin ARN pattern fails with the construct path', () => {
    expect(() => new RequireImdsv2ManagedPolicy(stack, 'Policy', { adminPrincipalArns: ['arn:aws:iam::*:role/Admin'] })).toThrow(
      /RequireImdsv2ManagedPolicy 'Stack\/Policy': adminPrincipalArns\[0\] is "arn:aws:iam::\*:role\/Admin": the partition "aws" is written literally/);
  });

  test('over the IAM quota of 6,144 characters, synthesis fails naming the construct, the size and the limit', () => {
    const patterns = Array.from({ length: 160 }, (_, i) => `arn:*:iam::*:role/team-${String(i).padStart(3, '0')}/ImdsAdministrator`);
    new RequireImdsv2ManagedPolicy(stack, 'Policy', { adminPrincipalArns: patterns });
    expect(() => Template.fromStack(stack)).toThrow(
      /RequireImdsv2ManagedPolicy 'Stack\/Policy': the policy document is [0-9,]+ characters \(whitespace excluded\), over the IAM quota for a customer managed policy of 6,144 characters/);
  });

  test('exactly at the quota passes; one character more fails', () => {
    // measure the default document, then fill up to the limit with one long pattern
    const probe = new RequireImdsv2ManagedPolicy(newStack(), 'Probe', { adminPrincipalArns: ['arn:*:iam::*:role/x'] });
    const base = JSON.stringify(probe.stack.resolve(probe.document.toJSON()))
      .replace(/\{"Ref":"AWS::Partition"\}/g, '"aws-us-gov"').replace(/\{"Fn::Join":\["",\[("[^"]*"(?:,"[^"]*")*)\]\]\}/g,
        (_m, parts: string) => JSON.stringify(JSON.parse(`[${parts}]`).join(''))).replace(/\s/g, '').length;
    const filler = 'x'.repeat(6144 - base + 1);
    new RequireImdsv2ManagedPolicy(stack, 'Fits', { adminPrincipalArns: [`arn:*:iam::*:role/${filler}`] });
    expect(() => Template.fromStack(stack)).not.toThrow();
    const over = newStack();
    new RequireImdsv2ManagedPolicy(over, 'Over', { adminPrincipalArns: [`arn:*:iam::*:role/${filler}y`] });
    expect(() => Template.fromStack(over)).toThrow(/is 6,145 characters/);
  });

  test('a document holding deploy-time values warns that its size cannot be verified', () => {
    const admin = new iam.Role(stack, 'Admin', { assumedBy: new iam.AccountRootPrincipal() });
    new RequireImdsv2ManagedPolicy(stack, 'Policy', { adminPrincipalArns: [admin.roleArn] });
    Annotations.fromStack(stack).hasWarning('/Stack/Policy', Match.stringLikeRegexp(
      "RequireImdsv2ManagedPolicy 'Stack/Policy': cannot verify the policy size against the IAM quota for a customer managed policy of 6,144 characters: it holds values known only at deployment .*Fn::GetAtt"));
  });

  test('a document without deploy-time values does not warn', () => {
    new RequireImdsv2ManagedPolicy(stack, 'Policy');
    Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
  });

  test('works in any partition: the partition is the stack\'s', () => {
    const app = new App();
    const gov = new Stack(app, 'Gov', { env: { region: 'us-gov-west-1', account: '123456789012' } });
    new RequireImdsv2ManagedPolicy(gov, 'Policy');
    const json = Template.fromStack(gov).toJSON();
    expect(literalPartitionArns(json)).toEqual([]);
    expect(JSON.stringify(json)).toContain('{"Ref":"AWS::Partition"}');
  });

  test('a hop limit from a parameter is written as a reference, and the size is reported as unverifiable', () => {
    const maxHops = new CfnParameter(stack, 'MaxHops', { type: 'Number', default: 2 });
    const policy = new RequireImdsv2ManagedPolicy(stack, 'Policy', { maxHopLimit: maxHops.valueAsNumber });
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::ManagedPolicy', {
      Description: { 'Fn::Join': ['', ['Requires IMDSv2 on EC2 launches (hop limit at most ', { Ref: 'MaxHops' }, ') and denies switching instances back to IMDSv1.']] },
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Sid: 'MaxImdsHopLimit',
          Condition: { NumericGreaterThan: { 'ec2:MetadataHttpPutResponseHopLimit': { Ref: 'MaxHops' } } },
        })]),
      },
    });
    expect(stack.resolve(policy.maxHopLimit)).toEqual({ Ref: 'MaxHops' });
    Annotations.fromStack(stack).hasWarning('/Stack/Policy', Match.stringLikeRegexp('cannot verify the policy size.*"Ref":"MaxHops"'));
  });
});
