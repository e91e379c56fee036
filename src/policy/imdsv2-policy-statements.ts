import { Aws, Token, aws_iam as iam } from 'aws-cdk-lib';
import { Imdsv2PolicyOptions } from './imdsv2-policy-options';
import { ImdsConfigurationError } from '../private/errors';
import { HOP_LIMIT_MAX } from '../private/hop-limit';
import { accountProblem, adminPrincipalArnProblems, hopLimitProblem, roleNameProblem } from './private/validation';

/** The default highest hop limit of a RequireImdsv2 policy. */
const DEFAULT_MAX_HOP_LIMIT = 2;

/**
 * IAM policy statements that require IMDSv2, for identity policies and service control policies.
 *
 * Each factory returns a new `iam.PolicyStatement` with a stable `Sid` (see the `SID_*`
 * constants), shaped like the example policies AWS publishes in the EC2 and Auto Scaling user
 * guides. ARNs take the partition from the stack (`Aws.PARTITION`).
 *
 * @example
 * const policy = new iam.ManagedPolicy(this, 'Guardrail', {
 *   statements: [
 *     Imdsv2PolicyStatements.requireImdsv2(),
 *     Imdsv2PolicyStatements.maxHopLimit(1),
 *     Imdsv2PolicyStatements.denyImdsv1OptOut(),
 *   ],
 * });
 *
 * @see https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ExamplePolicies_EC2.html#iam-example-instance-metadata
 */
export class Imdsv2PolicyStatements {
  /** Sid of the statement that denies launches not requiring IMDSv2. */
  public static readonly SID_REQUIRE_IMDSV2 = 'RequireImdsv2';
  /** Sid of the statement that denies launches above the maximum hop limit. */
  public static readonly SID_MAX_HOP_LIMIT = 'MaxImdsHopLimit';
  /** Sid of the statement that denies requests signed with credentials delivered by IMDSv1. */
  public static readonly SID_DENY_IMDSV1_CREDENTIALS = 'DenyImdsv1RoleCredentials';
  /** Sid of the statement that denies switching a running instance back to IMDSv1. */
  public static readonly SID_DENY_IMDSV1_OPT_OUT = 'DenyImdsv1OptOut';
  /** Sid of the statement that denies setting an account default HttpTokens other than `required`. */
  public static readonly SID_DENY_DEFAULT_TOKENS_OPT_OUT = 'DenyImdsv1DefaultOptOut';
  /** Sid of the statement that denies turning the account setting HttpTokensEnforced off. */
  public static readonly SID_DENY_TOKENS_ENFORCED_OPT_OUT = 'DenyHttpTokensEnforcedOptOut';
  /** Sid of the statement that restricts changes of metadata settings to admin principals. */
  public static readonly SID_RESTRICT_TO_ADMINS = 'RestrictImdsSettingsToAdmins';
  /** Sid of the statement that requires a specific launch template version on Auto Scaling groups. */
  public static readonly SID_REQUIRE_LAUNCH_TEMPLATE_VERSION = 'RequireAsgLaunchTemplateVersion';
  /** Sid of the statement that denies Auto Scaling groups with a launch configuration. */
  public static readonly SID_DENY_LAUNCH_CONFIGURATIONS = 'DenyAsgLaunchConfigurations';

  /**
   * Deny `ec2:RunInstances` unless the instance requires IMDSv2.
   *
   * Denies when `ec2:MetadataHttpTokens` is not `required`, including launches that leave the
   * option out and rely on an account default or an AMI.
   */
  public static requireImdsv2(): iam.PolicyStatement {
    return new iam.PolicyStatement({
      sid: Imdsv2PolicyStatements.SID_REQUIRE_IMDSV2,
      effect: iam.Effect.DENY,
      actions: ['ec2:RunInstances'],
      resources: [instanceArns()],
      conditions: { StringNotEquals: { 'ec2:MetadataHttpTokens': 'required' } },
    });
  }

  /**
   * Deny `ec2:RunInstances` when the hop limit is above `maxHopLimit`.
   *
   * @param maxHopLimit the highest hop limit allowed, a whole number from 1 to 64
   */
  public static maxHopLimit(maxHopLimit: number): iam.PolicyStatement {
    throwIfAny([hopLimitProblem('maxHopLimit', maxHopLimit)]);
    return new iam.PolicyStatement({
      sid: Imdsv2PolicyStatements.SID_MAX_HOP_LIMIT,
      effect: iam.Effect.DENY,
      actions: ['ec2:RunInstances'],
      resources: [instanceArns()],
      conditions: {
        NumericGreaterThan: {
          'ec2:MetadataHttpPutResponseHopLimit': Token.isUnresolved(maxHopLimit) ? Token.asString(maxHopLimit) : String(maxHopLimit),
        },
      },
    });
  }

  /**
   * Deny every action signed with EC2 role credentials delivered through IMDSv1.
   *
   * Requests signed with other credentials carry no `ec2:RoleDelivery` and are not affected.
   */
  public static denyImdsv1Credentials(): iam.PolicyStatement {
    return new iam.PolicyStatement({
      sid: Imdsv2PolicyStatements.SID_DENY_IMDSV1_CREDENTIALS,
      effect: iam.Effect.DENY,
      actions: ['*'],
      resources: ['*'],
      conditions: { NumericLessThan: { 'ec2:RoleDelivery': '2.0' } },
    });
  }

  /**
   * Deny `ec2:ModifyInstanceMetadataOptions` calls that set `HttpTokens` to anything but `required`.
   *
   * Calls that leave `HttpTokens` out (to change the hop limit, say) are not affected.
   */
  public static denyImdsv1OptOut(): iam.PolicyStatement {
    return new iam.PolicyStatement({
      sid: Imdsv2PolicyStatements.SID_DENY_IMDSV1_OPT_OUT,
      effect: iam.Effect.DENY,
      actions: ['ec2:ModifyInstanceMetadataOptions'],
      resources: [instanceArns()],
      conditions: {
        StringNotEquals: { 'ec2:Attribute/HttpTokens': 'required' },
        Null: { 'ec2:Attribute/HttpTokens': false },
      },
    });
  }

  /**
   * Deny `ec2:ModifyInstanceMetadataDefaults` calls that opt the account out of IMDSv2.
   *
   * Two statements: one denies setting the account default `HttpTokens` to anything but `required`
   * (`optional` or `no-preference`), the other denies setting `HttpTokensEnforced` to anything but
   * `enabled`. Calls that leave those settings out (to change the hop limit, say) are not affected.
   * `ModifyInstanceMetadataOptions` has no `HttpTokensEnforced`; `denyImdsv1OptOut` guards its
   * `HttpTokens`.
   *
   * @param exemptPrincipalArns ARN patterns of principals that may still set them, such as the role
   * of an `InstanceMetadataDefaults` handler that restores the values it found when it is removed
   * @default - no exemption
   */
  public static denyDefaultsOptOut(exemptPrincipalArns?: string[]): iam.PolicyStatement[] {
    if (exemptPrincipalArns !== undefined) throwIfAny(adminPrincipalArnProblems('exemptPrincipalArns', exemptPrincipalArns));
    const exempt = exemptPrincipalArns && exemptPrincipalArns.length > 0 ? { ArnNotLike: { 'aws:PrincipalARN': [...exemptPrincipalArns] } } : {};
    const optOut = (sid: string, attribute: string, value: string) =>
      new iam.PolicyStatement({
        sid,
        effect: iam.Effect.DENY,
        actions: ['ec2:ModifyInstanceMetadataDefaults'],
        resources: ['*'],
        conditions: {
          StringNotEquals: { [`ec2:Attribute/${attribute}`]: value },
          Null: { [`ec2:Attribute/${attribute}`]: false },
          ...exempt,
        },
      });
    return [
      optOut(Imdsv2PolicyStatements.SID_DENY_DEFAULT_TOKENS_OPT_OUT, 'HttpTokens', 'required'),
      optOut(Imdsv2PolicyStatements.SID_DENY_TOKENS_ENFORCED_OPT_OUT, 'HttpTokensEnforced', 'enabled'),
    ];
  }

  /**
   * Deny changing instance metadata options and account defaults to all but the admin principals.
   *
   * Denies `ec2:ModifyInstanceMetadataOptions` and `ec2:ModifyInstanceMetadataDefaults` when
   * `aws:PrincipalARN` matches none of the patterns.
   *
   * @param adminPrincipalArns ARN patterns of the admin principals (see `Imdsv2PolicyOptions.adminPrincipalArns`)
   */
  public static restrictToAdmins(adminPrincipalArns: string[]): iam.PolicyStatement {
    throwIfAny(adminPrincipalArnProblems('adminPrincipalArns', adminPrincipalArns));
    return new iam.PolicyStatement({
      sid: Imdsv2PolicyStatements.SID_RESTRICT_TO_ADMINS,
      effect: iam.Effect.DENY,
      actions: ['ec2:ModifyInstanceMetadataOptions', 'ec2:ModifyInstanceMetadataDefaults'],
      resources: ['*'],
      conditions: { StringNotLike: { 'aws:PrincipalARN': [...adminPrincipalArns] } },
    });
  }

  /**
   * Deny creating or updating an Auto Scaling group with launch template version `$Latest` or `$Default`.
   *
   * With a specific version, the `RunInstances` conditions are checked against the version the
   * group really launches.
   */
  public static requireLaunchTemplateVersion(): iam.PolicyStatement {
    return new iam.PolicyStatement({
      sid: Imdsv2PolicyStatements.SID_REQUIRE_LAUNCH_TEMPLATE_VERSION,
      effect: iam.Effect.DENY,
      actions: ['autoscaling:CreateAutoScalingGroup', 'autoscaling:UpdateAutoScalingGroup'],
      resources: ['*'],
      conditions: { Bool: { 'autoscaling:LaunchTemplateVersionSpecified': 'false' } },
    });
  }

  /** Deny creating or updating an Auto Scaling group with a launch configuration. */
  public static denyLaunchConfigurations(): iam.PolicyStatement {
    return new iam.PolicyStatement({
      sid: Imdsv2PolicyStatements.SID_DENY_LAUNCH_CONFIGURATIONS,
      effect: iam.Effect.DENY,
      actions: ['autoscaling:CreateAutoScalingGroup', 'autoscaling:UpdateAutoScalingGroup'],
      resources: ['*'],
      conditions: { Null: { 'autoscaling:LaunchConfigurationName': 'false' } },
    });
  }

  /**
   * Every statement the options call for, in a stable order.
   *
   * `requireImdsv2` (unless `requireImdsv2OnLaunch` is false), the hop limit (unless 64), always
   * the opt-out guards (`denyImdsv1OptOut` and `denyDefaultsOptOut`), then the IMDSv1 credentials,
   * the admin restriction and the Auto Scaling guards as the options say.
   *
   * @param options what to deny; defaults as in `Imdsv2PolicyOptions`
   */
  public static fromOptions(options: Imdsv2PolicyOptions = {}): iam.PolicyStatement[] {
    const maxHopLimit = Imdsv2PolicyStatements.effectiveMaxHopLimit(options);
    const statements: iam.PolicyStatement[] = [];
    if (options.requireImdsv2OnLaunch ?? true) statements.push(Imdsv2PolicyStatements.requireImdsv2());
    if (Token.isUnresolved(maxHopLimit) || maxHopLimit < HOP_LIMIT_MAX) {
      statements.push(Imdsv2PolicyStatements.maxHopLimit(maxHopLimit));
    }
    statements.push(Imdsv2PolicyStatements.denyImdsv1OptOut(), ...Imdsv2PolicyStatements.denyDefaultsOptOut(options.optOutExemptPrincipalArns));
    if (options.denyImdsv1Credentials ?? true) statements.push(Imdsv2PolicyStatements.denyImdsv1Credentials());
    if (options.adminPrincipalArns !== undefined) {
      statements.push(Imdsv2PolicyStatements.restrictToAdmins(options.adminPrincipalArns));
    }
    if (options.autoScalingGuards ?? true) {
      statements.push(Imdsv2PolicyStatements.requireLaunchTemplateVersion(), Imdsv2PolicyStatements.denyLaunchConfigurations());
    }
    return statements;
  }

  /**
   * The maximum hop limit the options give, defaults applied and checked.
   *
   * @param options the policy options
   * @returns `options.maxHopLimit`, or 2 when it is left out
   */
  public static effectiveMaxHopLimit(options: Imdsv2PolicyOptions = {}): number {
    const maxHopLimit = options.maxHopLimit ?? DEFAULT_MAX_HOP_LIMIT;
    throwIfAny([hopLimitProblem('maxHopLimit', maxHopLimit)]);
    return maxHopLimit;
  }

  /**
   * An ARN pattern matching an IAM role by name in the stack's partition.
   *
   * @param roleName the role name, with its path if it has one (`admins/ImdsAdmin`); `*` and `?` wildcards allowed
   * @param account the account ID of the role; default any account (`*`)
   * @returns `arn:<partition>:iam::<account>:role/<roleName>`
   */
  public static adminRoleArnPattern(roleName: string, account?: string): string {
    throwIfAny([roleNameProblem('roleName', roleName), account === undefined ? undefined : accountProblem('account', account)]);
    return `arn:${Aws.PARTITION}:iam::${account ?? '*'}:role/${roleName}`;
  }

  /**
   * An ARN pattern matching the roles IAM Identity Center creates for a permission set, in any account.
   *
   * @param permissionSetName the permission set's name
   * @returns `arn:<partition>:iam::*:role/aws-reserved/sso.amazonaws.com/*AWSReservedSSO_<name>_*`
   */
  public static ssoPermissionSetArnPattern(permissionSetName: string): string {
    if (!Token.isUnresolved(permissionSetName) && !/^[\w+=,.@-]{1,32}$/.test(permissionSetName)) {
      throw new ImdsConfigurationError(
        `permissionSetName is ${JSON.stringify(permissionSetName)}: a permission set name is 1 to 32 letters, digits or + = , . @ _ -.`,
      );
    }
    return `arn:${Aws.PARTITION}:iam::*:role/aws-reserved/sso.amazonaws.com/*AWSReservedSSO_${permissionSetName}_*`;
  }

  private constructor() {}
}

/** Instances in every Region and account of the stack's partition. */
function instanceArns(): string {
  return `arn:${Aws.PARTITION}:ec2:*:*:instance/*`;
}

function throwIfAny(problems: Array<string | undefined>): void {
  const found = problems.filter((p): p is string => p !== undefined);
  if (found.length > 0) throw new ImdsConfigurationError(found.join('\n'));
}
