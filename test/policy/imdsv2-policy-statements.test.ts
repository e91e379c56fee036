import { Aws, Stack, Token, aws_iam as iam } from 'aws-cdk-lib';
import { DEFAULTS_OPT_OUT, INSTANCE_ARNS, literalPartitionArns, newStack, roleArnPattern } from './helpers';
import { Imdsv2PolicyStatements } from '../../src';

function json(stack: Stack, statement: iam.PolicyStatement): any {
  return stack.resolve(statement.toStatementJson());
}

describe('Imdsv2PolicyStatements', () => {
  let stack: Stack;
  beforeEach(() => {
    stack = newStack();
  });

  // Each statement below is matched against AWS's published example (EC2 User Guide,
  // "Example policies ... Work with instance metadata", and the Auto Scaling user guide's
  // launch template examples): same Effect, Action, Resource shape and condition operator/key/value.
  test('requireImdsv2 matches "Require the use of IMDSv2"', () => {
    expect(json(stack, Imdsv2PolicyStatements.requireImdsv2())).toEqual({
      Sid: 'RequireImdsv2',
      Effect: 'Deny',
      Action: 'ec2:RunInstances',
      Resource: INSTANCE_ARNS,
      Condition: { StringNotEquals: { 'ec2:MetadataHttpTokens': 'required' } },
    });
  });

  test('maxHopLimit matches "Specify maximum hop limit"', () => {
    expect(json(stack, Imdsv2PolicyStatements.maxHopLimit(3))).toEqual({
      Sid: 'MaxImdsHopLimit',
      Effect: 'Deny',
      Action: 'ec2:RunInstances',
      Resource: INSTANCE_ARNS,
      Condition: { NumericGreaterThan: { 'ec2:MetadataHttpPutResponseHopLimit': '3' } },
    });
  });

  test('denyImdsv1Credentials matches "Require role credentials to be retrieved from IMDSv2"', () => {
    expect(json(stack, Imdsv2PolicyStatements.denyImdsv1Credentials())).toEqual({
      Sid: 'DenyImdsv1RoleCredentials',
      Effect: 'Deny',
      Action: '*',
      Resource: '*',
      Condition: { NumericLessThan: { 'ec2:RoleDelivery': '2.0' } },
    });
  });

  test('denyImdsv1OptOut matches "Deny opt-out of IMDSv2"', () => {
    expect(json(stack, Imdsv2PolicyStatements.denyImdsv1OptOut())).toEqual({
      Sid: 'DenyImdsv1OptOut',
      Effect: 'Deny',
      Action: 'ec2:ModifyInstanceMetadataOptions',
      Resource: INSTANCE_ARNS,
      Condition: {
        StringNotEquals: { 'ec2:Attribute/HttpTokens': 'required' },
        Null: { 'ec2:Attribute/HttpTokens': false },
      },
    });
  });

  test('restrictToAdmins matches "Limit who can modify the instance metadata options", extended to account defaults', () => {
    const statement = Imdsv2PolicyStatements.restrictToAdmins([
      Imdsv2PolicyStatements.adminRoleArnPattern('ec2-imds-admins'),
      'arn:*:iam::111122223333:role/platform/*',
    ]);
    expect(json(stack, statement)).toEqual({
      Sid: 'RestrictImdsSettingsToAdmins',
      Effect: 'Deny',
      Action: ['ec2:ModifyInstanceMetadataOptions', 'ec2:ModifyInstanceMetadataDefaults'],
      Resource: '*',
      Condition: {
        StringNotLike: { 'aws:PrincipalARN': [roleArnPattern('ec2-imds-admins'), 'arn:*:iam::111122223333:role/platform/*'] },
      },
    });
  });

  test('Auto Scaling guards match the launch template version and launch configuration examples', () => {
    expect(json(stack, Imdsv2PolicyStatements.requireLaunchTemplateVersion())).toEqual({
      Sid: 'RequireAsgLaunchTemplateVersion',
      Effect: 'Deny',
      Action: ['autoscaling:CreateAutoScalingGroup', 'autoscaling:UpdateAutoScalingGroup'],
      Resource: '*',
      Condition: { Bool: { 'autoscaling:LaunchTemplateVersionSpecified': 'false' } },
    });
    expect(json(stack, Imdsv2PolicyStatements.denyLaunchConfigurations())).toEqual({
      Sid: 'DenyAsgLaunchConfigurations',
      Effect: 'Deny',
      Action: ['autoscaling:CreateAutoScalingGroup', 'autoscaling:UpdateAutoScalingGroup'],
      Resource: '*',
      Condition: { Null: { 'autoscaling:LaunchConfigurationName': 'false' } },
    });
  });

  test('fromOptions gives the defaults a security team expects, in a stable order', () => {
    const sids = Imdsv2PolicyStatements.fromOptions().map((s) => s.sid);
    expect(sids).toEqual([
      'RequireImdsv2',
      'MaxImdsHopLimit',
      'DenyImdsv1OptOut',
      'DenyImdsv1DefaultOptOut',
      'DenyHttpTokensEnforcedOptOut',
      'DenyImdsv1RoleCredentials',
      'RequireAsgLaunchTemplateVersion',
      'DenyAsgLaunchConfigurations',
    ]);
    const hop = Imdsv2PolicyStatements.fromOptions()[1];
    expect(json(stack, hop).Condition).toEqual({ NumericGreaterThan: { 'ec2:MetadataHttpPutResponseHopLimit': '2' } });
    expect(Imdsv2PolicyStatements.effectiveMaxHopLimit()).toBe(2);
  });

  test('fromOptions follows every option', () => {
    const sids = Imdsv2PolicyStatements.fromOptions({
      maxHopLimit: 64,
      denyImdsv1Credentials: false,
      autoScalingGuards: false,
      adminPrincipalArns: ['arn:*:iam::*:role/ImdsAdmin*'],
    }).map((s) => s.sid);
    expect(sids).toEqual(['RequireImdsv2', 'DenyImdsv1OptOut', 'DenyImdsv1DefaultOptOut', 'DenyHttpTokensEnforcedOptOut', 'RestrictImdsSettingsToAdmins']);
    expect(Imdsv2PolicyStatements.fromOptions({ requireImdsv2OnLaunch: false }).map((s) => s.sid)).toEqual([
      'MaxImdsHopLimit',
      'DenyImdsv1OptOut',
      'DenyImdsv1DefaultOptOut',
      'DenyHttpTokensEnforcedOptOut',
      'DenyImdsv1RoleCredentials',
      'RequireAsgLaunchTemplateVersion',
      'DenyAsgLaunchConfigurations',
    ]);
  });

  test('denyDefaultsOptOut: HttpTokens and HttpTokensEnforced, each only when the call sets it, with exempt principals', () => {
    expect(Imdsv2PolicyStatements.denyDefaultsOptOut().map((s) => json(stack, s))).toEqual(DEFAULTS_OPT_OUT);
    const [tokens, enforced] = Imdsv2PolicyStatements.denyDefaultsOptOut([Imdsv2PolicyStatements.adminRoleArnPattern('DefaultsHandler')]);
    const exempt = { ArnNotLike: { 'aws:PrincipalARN': [roleArnPattern('DefaultsHandler')] } };
    expect(json(stack, tokens).Condition).toEqual({ ...DEFAULTS_OPT_OUT[0].Condition, ...exempt });
    expect(json(stack, enforced).Condition).toEqual({ ...DEFAULTS_OPT_OUT[1].Condition, ...exempt });
    expect(() => Imdsv2PolicyStatements.denyDefaultsOptOut(['arn:aws:iam::*:role/x'])).toThrow(/exemptPrincipalArns\[0\] is "arn:aws:iam::\*:role\/x": the partition "aws" is written literally/);
  });

  test('a hop limit that is a token is written as the token', () => {
    const param = Token.asNumber({ Ref: 'MaxHops' });
    expect(json(stack, Imdsv2PolicyStatements.maxHopLimit(param)).Condition).toEqual({
      NumericGreaterThan: { 'ec2:MetadataHttpPutResponseHopLimit': { Ref: 'MaxHops' } },
    });
  });

  test('no statement holds an ARN with a literal partition', () => {
    const all = Imdsv2PolicyStatements.fromOptions({ adminPrincipalArns: [Imdsv2PolicyStatements.ssoPermissionSetArnPattern('Admin')] });
    const doc = stack.resolve(new iam.PolicyDocument({ statements: all }).toJSON());
    expect(literalPartitionArns(doc)).toEqual([]);
    // the walker itself finds a literal partition
    expect(literalPartitionArns({ Resource: 'arn:aws:ec2:*:*:instance/*' })).toHaveLength(1);
    expect(literalPartitionArns({ 'Fn::Join': ['', ['arn:', 'aws-cn', ':iam::*:role/x']] })).toHaveLength(1);
  });

  describe('bad input', () => {
    test.each([0, 65, 1.5, -1])('maxHopLimit %p is refused with the allowed range', (value) => {
      expect(() => Imdsv2PolicyStatements.maxHopLimit(value)).toThrow(
        new RegExp(`maxHopLimit is ${value}: it must be a whole number from 1 to 64`));
      expect(() => Imdsv2PolicyStatements.fromOptions({ maxHopLimit: value })).toThrow(/maxHopLimit is/);
    });

    test.each([
      ['arn:aws:iam::*:role/Admin', /partition "aws" is written literally/],
      ['arn:aws-us-gov:iam::*:role/Admin', /partition "aws-us-gov" is written literally/],
      ['Admin', /not an IAM principal ARN pattern; expected arn:\*:iam::/],
      ['arn:*:sts::*:assumed-role/Admin/x', /not an IAM principal ARN pattern|service is "sts"/],
      ['arn:*:iam:us-east-1:*:role/Admin', /IAM ARNs have no Region, but "us-east-1"/],
      ['arn:*:iam::12345:role/Admin', /account "12345" must be a 12-digit account ID/],
      ['arn:*:iam::*:group/Admins', /"group" is not a principal type/],
      ['arn:*:iam::*:role/Ad min', /role name "Ad min" may contain only/],
      ['arn:*:iam::*:role/*', /matches every role, so the restriction would exempt everyone/],
      ['', /is "": it must be a non-empty IAM principal ARN pattern/],
    ])('admin ARN pattern %p is refused', (pattern, message) => {
      expect(() => Imdsv2PolicyStatements.restrictToAdmins([pattern])).toThrow(message);
      expect(() => Imdsv2PolicyStatements.restrictToAdmins([pattern])).toThrow(/adminPrincipalArns\[0\] is/);
    });

    test('an empty admin list and a duplicate are refused', () => {
      expect(() => Imdsv2PolicyStatements.fromOptions({ adminPrincipalArns: [] })).toThrow(/adminPrincipalArns is empty/);
      expect(() => Imdsv2PolicyStatements.restrictToAdmins(['arn:*:iam::*:role/A', 'arn:*:iam::*:role/A'])).toThrow(
        /adminPrincipalArns\[1\] is "arn:\*:iam::\*:role\/A", which is listed twice/);
    });

    test('tokens and partition-aware patterns are accepted', () => {
      const role = new iam.Role(stack, 'Admin', { assumedBy: new iam.AccountRootPrincipal() });
      const statement = Imdsv2PolicyStatements.restrictToAdmins([
        role.roleArn,
        `arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:role/ImdsAdmin`,
        'arn:*:iam::123456789012:root',
        'arn:*:iam::*:user/break-glass-?',
      ]);
      expect(json(stack, statement).Condition.StringNotLike['aws:PrincipalARN']).toHaveLength(4);
    });

    test('role name and account helpers check their input', () => {
      expect(() => Imdsv2PolicyStatements.adminRoleArnPattern('')).toThrow(/roleName is "": a role name/);
      expect(() => Imdsv2PolicyStatements.adminRoleArnPattern('*')).toThrow(/roleName is "\*": it matches every role/);
      expect(() => Imdsv2PolicyStatements.adminRoleArnPattern('Admin', '12')).toThrow(/account is "12": an AWS account ID is 12 digits/);
      expect(() => Imdsv2PolicyStatements.ssoPermissionSetArnPattern('has space')).toThrow(/permissionSetName is "has space"/);
      expect(stack.resolve(Imdsv2PolicyStatements.adminRoleArnPattern('admins/Imds*', '123456789012'))).toEqual(
        roleArnPattern('admins/Imds*', '123456789012'));
      expect(stack.resolve(Imdsv2PolicyStatements.ssoPermissionSetArnPattern('PlatformAdmin'))).toEqual({
        'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::*:role/aws-reserved/sso.amazonaws.com/*AWSReservedSSO_PlatformAdmin_*']],
      });
    });
  });
});
