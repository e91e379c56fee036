import { Stack, aws_iam as iam } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { DEFAULTS_OPT_OUT, INSTANCE_ARNS, literalPartitionArns, newStack } from './helpers';
import { IRequireImdsv2Policy, Imdsv2PolicyStatements, RequireImdsv2ServiceControlPolicy } from '../../src';

describe('RequireImdsv2ServiceControlPolicy', () => {
  let stack: Stack;
  beforeEach(() => {
    stack = newStack();
  });

  test('defaults: an SCP of the AWS example statements attached to the targets', () => {
    const scp = new RequireImdsv2ServiceControlPolicy(stack, 'Scp', { targetIds: ['ou-abcd-12345678', '123456789012'] });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Organizations::Policy', 1);
    template.hasResourceProperties('AWS::Organizations::Policy', {
      Type: 'SERVICE_CONTROL_POLICY',
      Name: Match.stringLikeRegexp('^StackScp[0-9A-F]{8}$'),
      Description: 'Requires IMDSv2 on EC2 launches (hop limit at most 2) and denies switching instances back to IMDSv1.',
      TargetIds: ['ou-abcd-12345678', '123456789012'],
      Content: Match.exact({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'RequireImdsv2',
            Effect: 'Deny',
            Action: 'ec2:RunInstances',
            Resource: INSTANCE_ARNS,
            Condition: { StringNotEquals: { 'ec2:MetadataHttpTokens': 'required' } },
          },
          {
            Sid: 'MaxImdsHopLimit',
            Effect: 'Deny',
            Action: 'ec2:RunInstances',
            Resource: INSTANCE_ARNS,
            Condition: { NumericGreaterThan: { 'ec2:MetadataHttpPutResponseHopLimit': '2' } },
          },
          {
            Sid: 'DenyImdsv1OptOut',
            Effect: 'Deny',
            Action: 'ec2:ModifyInstanceMetadataOptions',
            Resource: INSTANCE_ARNS,
            Condition: { StringNotEquals: { 'ec2:Attribute/HttpTokens': 'required' }, Null: { 'ec2:Attribute/HttpTokens': false } },
          },
          ...DEFAULTS_OPT_OUT,
          {
            Sid: 'DenyImdsv1RoleCredentials',
            Effect: 'Deny',
            Action: '*',
            Resource: '*',
            Condition: { NumericLessThan: { 'ec2:RoleDelivery': '2.0' } },
          },
          {
            Sid: 'RequireAsgLaunchTemplateVersion',
            Effect: 'Deny',
            Action: ['autoscaling:CreateAutoScalingGroup', 'autoscaling:UpdateAutoScalingGroup'],
            Resource: '*',
            Condition: { Bool: { 'autoscaling:LaunchTemplateVersionSpecified': 'false' } },
          },
          {
            Sid: 'DenyAsgLaunchConfigurations',
            Effect: 'Deny',
            Action: ['autoscaling:CreateAutoScalingGroup', 'autoscaling:UpdateAutoScalingGroup'],
            Resource: '*',
            Condition: { Null: { 'autoscaling:LaunchConfigurationName': 'false' } },
          },
        ],
      }),
    });
    expect(scp.maxHopLimit).toBe(2);
    expect(stack.resolve(scp.policyId)).toEqual({ Ref: expect.stringMatching(/^Scp/) });
    expect(stack.resolve(scp.policyArn)).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^Scp/), 'Arn'] });
    expect(literalPartitionArns(template.toJSON())).toEqual([]);
  });

  test('options: hop limit 1, admin restriction by permission set, no credentials statement, no guards', () => {
    const scp: IRequireImdsv2Policy = new RequireImdsv2ServiceControlPolicy(stack, 'Scp', {
      targetIds: ['r-ab12'],
      policyName: 'require-imdsv2',
      description: 'Org guardrail',
      maxHopLimit: 1,
      denyImdsv1Credentials: false,
      autoScalingGuards: false,
      adminPrincipalArns: [Imdsv2PolicyStatements.ssoPermissionSetArnPattern('PlatformAdmin')],
    });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Organizations::Policy', {
      Name: 'require-imdsv2',
      Description: 'Org guardrail',
      Content: {
        Statement: Match.exact([
          Match.objectLike({ Sid: 'RequireImdsv2' }),
          Match.objectLike({ Sid: 'MaxImdsHopLimit', Condition: { NumericGreaterThan: { 'ec2:MetadataHttpPutResponseHopLimit': '1' } } }),
          Match.objectLike({ Sid: 'DenyImdsv1OptOut' }),
          ...DEFAULTS_OPT_OUT,
          {
            Sid: 'RestrictImdsSettingsToAdmins',
            Effect: 'Deny',
            Action: ['ec2:ModifyInstanceMetadataOptions', 'ec2:ModifyInstanceMetadataDefaults'],
            Resource: '*',
            Condition: {
              StringNotLike: {
                'aws:PrincipalARN': [{
                  'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::*:role/aws-reserved/sso.amazonaws.com/*AWSReservedSSO_PlatformAdmin_*']],
                }],
              },
            },
          },
        ]),
      },
    });
    expect(scp.maxHopLimit).toBe(1);
    expect(literalPartitionArns(template.toJSON())).toEqual([]);
  });

  test('statements added to the document are part of the policy', () => {
    const scp = new RequireImdsv2ServiceControlPolicy(stack, 'Scp', { targetIds: ['r-ab12'], autoScalingGuards: false, denyImdsv1Credentials: false });
    scp.document.addStatements(new iam.PolicyStatement({
      sid: 'DenyImdsEndpointOff',
      effect: iam.Effect.DENY,
      actions: ['ec2:RunInstances'],
      resources: ['*'],
      conditions: { StringEquals: { 'ec2:MetadataHttpEndpoint': 'disabled' } },
    }));
    Template.fromStack(stack).hasResourceProperties('AWS::Organizations::Policy', {
      Content: { Statement: Match.arrayWith([Match.objectLike({ Sid: 'DenyImdsEndpointOff' })]) },
    });
  });

  test('a statement naming a principal fails synthesis: SCPs have none', () => {
    const scp = new RequireImdsv2ServiceControlPolicy(stack, 'Scp', { targetIds: ['r-ab12'] });
    scp.document.addStatements(new iam.PolicyStatement({ actions: ['s3:*'], resources: ['*'], principals: [new iam.AnyPrincipal()] }));
    expect(() => Template.fromStack(stack)).toThrow(/RequireImdsv2ServiceControlPolicy 'Stack\/Scp': .*principal.*a service control policy names no principals/);
  });

  describe('bad input', () => {
    test('empty target IDs', () => {
      expect(() => new RequireImdsv2ServiceControlPolicy(stack, 'Scp', { targetIds: [] })).toThrow(
        /RequireImdsv2ServiceControlPolicy 'Stack\/Scp': targetIds is empty: the policy must be attached to at least one target, a root ID \(r-xxxx\), an organizational unit ID \(ou-xxxx-xxxxxxxx\) or a 12-digit account ID/);
    });

    test.each(['ou-bad', '12345', 'r-', 'arn:aws:organizations::1:ou/o-1/ou-1'])('malformed target ID %p', (id) => {
      expect(() => new RequireImdsv2ServiceControlPolicy(stack, 'Scp', { targetIds: ['r-ab12', id] })).toThrow(
        `targetIds[1] is ${JSON.stringify(id)}: it must be a root ID`);
    });

    test('duplicate target IDs', () => {
      expect(() => new RequireImdsv2ServiceControlPolicy(stack, 'Scp', { targetIds: ['r-ab12', 'r-ab12'] })).toThrow(
        /targetIds\[1\] is "r-ab12", which is listed twice/);
    });

    test.each([0, 65])('maxHopLimit %p', (value) => {
      expect(() => new RequireImdsv2ServiceControlPolicy(stack, 'Scp', { targetIds: ['r-ab12'], maxHopLimit: value })).toThrow(
        new RegExp(`RequireImdsv2ServiceControlPolicy 'Stack/Scp': maxHopLimit is ${value}: it must be a whole number from 1 to 64`));
    });

    test('malformed admin ARN pattern', () => {
      expect(() => new RequireImdsv2ServiceControlPolicy(stack, 'Scp', { targetIds: ['r-ab12'], adminPrincipalArns: ['arn:*:iam::*:role/*'] })).toThrow(
        /adminPrincipalArns\[0\] is "arn:\*:iam::\*:role\/\*": it matches every role/);
    });
  });

  test('over the AWS Organizations quota of 5,120 characters, synthesis fails naming the construct, the size and the limit', () => {
    const patterns = Array.from({ length: 110 }, (_, i) => `arn:*:iam::*:role/team-${String(i).padStart(3, '0')}/ImdsAdministrator`);
    new RequireImdsv2ServiceControlPolicy(stack, 'Scp', { targetIds: ['r-ab12'], adminPrincipalArns: patterns });
    expect(() => Template.fromStack(stack)).toThrow(
      /RequireImdsv2ServiceControlPolicy 'Stack\/Scp': the policy document is [5-9],[0-9]{3} characters, over the AWS Organizations quota for a service control policy of 5,120 characters\. Use fewer adminPrincipalArns/);
  });

  test('the same options fit under the managed policy quota but not the SCP quota: each uses its own limit', () => {
    const patterns = Array.from({ length: 90 }, (_, i) => `arn:*:iam::*:role/team-${String(i).padStart(3, '0')}/ImdsAdministrator`);
    new RequireImdsv2ServiceControlPolicy(stack, 'Scp', { targetIds: ['r-ab12'], adminPrincipalArns: patterns });
    expect(() => Template.fromStack(stack)).toThrow(/over the AWS Organizations quota/);
  });
});
