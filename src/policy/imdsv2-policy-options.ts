import { aws_iam as iam } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * What a RequireImdsv2 policy (IAM managed policy or service control policy) denies.
 *
 * Every policy denies switching a running instance or the account defaults back to IMDSv1, and by
 * default launching instances whose request does not require IMDSv2. The options below add to
 * that, with defaults a security team expects.
 *
 * @see https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ExamplePolicies_EC2.html#iam-example-instance-metadata
 */
export interface Imdsv2PolicyOptions {
  /**
   * Whether to deny `ec2:RunInstances` unless the request sets `HttpTokens` to `required`.
   *
   * Policy conditions see the request only: a launch that leaves `HttpTokens` to the account
   * default or to an AMI that requires IMDSv2 is denied too. Turn it off when the account setting
   * `HttpTokensEnforced` enforces IMDSv2 instead (as `Imdsv2Baseline` does by default), which
   * judges the effective value and lets such launches through.
   *
   * @default true
   */
  readonly requireImdsv2OnLaunch?: boolean;

  /**
   * ARN patterns of principals that may still set the account defaults below IMDSv2
   * (`HttpTokens` other than `required`, `HttpTokensEnforced` other than `enabled`).
   *
   * For the role of an `InstanceMetadataDefaults` handler that restores the values it found when
   * it is removed. Same pattern rules as `adminPrincipalArns`.
   *
   * @default - none: nobody may opt the account defaults out of IMDSv2
   */
  readonly optOutExemptPrincipalArns?: string[];

  /**
   * The highest hop limit a launch may set.
   *
   * A whole number from 1 to 64. `RunInstances` with a higher `HttpPutResponseHopLimit` is denied.
   * 2 lets containers on a container host reach IMDSv2 (AWS recommends at least 2 when tokens are
   * required, and AMIs marked `ImdsSupport: v2.0` default to 2); 1 keeps metadata on the instance
   * itself. 64 allows every hop limit EC2 accepts, so no hop limit statement is written.
   *
   * @default 2
   */
  readonly maxHopLimit?: number;

  /**
   * Whether to deny every action signed with EC2 role credentials that were delivered through IMDSv1.
   *
   * Uses `ec2:RoleDelivery` < 2.0. Requests that are not signed with EC2 role credentials are not
   * affected. Instances that still use IMDSv1 lose the use of their role: watch the
   * `MetadataNoToken` CloudWatch metric before turning this on for running workloads.
   *
   * @default true
   */
  readonly denyImdsv1Credentials?: boolean;

  /**
   * ARN patterns of the principals allowed to change instance metadata settings.
   *
   * When given, `ec2:ModifyInstanceMetadataOptions` and `ec2:ModifyInstanceMetadataDefaults`
   * are denied to every principal whose `aws:PrincipalARN` matches none of the patterns.
   * A pattern is `arn:*:iam::<account or *>:role/<name>` (or `user/<name>`, or `root`) with the
   * `*` and `?` wildcards; the partition is `*` or the stack's (`Aws.PARTITION`), never literal.
   * Build them with `Imdsv2PolicyStatements.adminRoleArnPattern()` or
   * `Imdsv2PolicyStatements.ssoPermissionSetArnPattern()`, or pass `role.roleArn`.
   *
   * A role that changes these settings on your behalf (for example the handler of
   * `InstanceMetadataDefaults`) must be listed too.
   *
   * @default - no restriction: any principal IAM allows may change the settings (switching
   * running instances back to IMDSv1 stays denied)
   */
  readonly adminPrincipalArns?: string[];

  /**
   * Whether to add the Auto Scaling guards.
   *
   * The `RunInstances` conditions are checked only when an Auto Scaling group is created or
   * updated. The guards deny creating or updating a group with a launch configuration, or with a
   * launch template version `$Latest` or `$Default`, so that later template versions cannot slip
   * past the policy.
   *
   * @default true
   */
  readonly autoScalingGuards?: boolean;
}

/**
 * A policy that requires IMDSv2 and holds a maximum hop limit.
 *
 * Implemented by `RequireImdsv2ManagedPolicy` and `RequireImdsv2ServiceControlPolicy`.
 */
export interface IRequireImdsv2Policy extends IConstruct {
  /**
   * The highest hop limit a launch may set under this policy (64 when any hop limit is allowed).
   */
  readonly maxHopLimit: number;

  /** The policy document. */
  readonly document: iam.PolicyDocument;
}
