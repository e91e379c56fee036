import { aws_iam as iam } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { IRequireImdsv2Policy, Imdsv2PolicyOptions } from './imdsv2-policy-options';
import { Imdsv2PolicyStatements } from './imdsv2-policy-statements';
import { ImdsConfigurationError } from '../private/errors';
import { describeRequireImdsv2Policy } from './private/describe';
import { addPolicySizeValidation } from './private/size-validation';

/** The IAM quota on a customer managed policy, whitespace excluded. */
const MANAGED_POLICY_LIMIT = 6144;

/** Properties for a `RequireImdsv2ManagedPolicy`. */
export interface RequireImdsv2ManagedPolicyProps extends Imdsv2PolicyOptions {
  /**
   * The name of the managed policy.
   *
   * @default - a name CloudFormation generates
   */
  readonly managedPolicyName?: string;

  /**
   * A description of the managed policy.
   *
   * @default - a description of what the policy denies
   */
  readonly description?: string;

  /**
   * The path of the managed policy.
   *
   * @default "/"
   */
  readonly path?: string;

  /**
   * Roles to attach the policy to.
   *
   * @default - none
   */
  readonly roles?: iam.IRole[];

  /**
   * Users to attach the policy to.
   *
   * @default - none
   */
  readonly users?: iam.IUser[];

  /**
   * Groups to attach the policy to.
   *
   * @default - none
   */
  readonly groups?: iam.IGroup[];
}

/**
 * A customer managed IAM policy that requires IMDSv2 of the principals it is attached to.
 *
 * It only denies (see `Imdsv2PolicyStatements.fromOptions`): attach it to roles, users or groups
 * next to the policies that grant them EC2 access. At synthesis its size is checked against the
 * IAM quota of 6,144 characters (whitespace excluded).
 *
 * @example
 * declare const developers: iam.IGroup;
 * const guardrail = new RequireImdsv2ManagedPolicy(this, 'RequireImdsv2', {
 *   maxHopLimit: 1,
 *   adminPrincipalArns: [Imdsv2PolicyStatements.adminRoleArnPattern('ImdsAdmins')],
 *   groups: [developers],
 * });
 *
 * @see https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ExamplePolicies_EC2.html#iam-example-instance-metadata
 */
export class RequireImdsv2ManagedPolicy extends iam.ManagedPolicy implements IRequireImdsv2Policy {
  /** The highest hop limit a launch may set under this policy (64 when any is allowed). */
  public readonly maxHopLimit: number;

  /** Whether requests signed with EC2 role credentials delivered by IMDSv1 are denied. */
  public readonly denyImdsv1Credentials: boolean;

  /** Whether the Auto Scaling guards are included. */
  public readonly autoScalingGuards: boolean;

  constructor(scope: Construct, id: string, props: RequireImdsv2ManagedPolicyProps = {}) {
    const path = `${scope.node.path}/${id}`.replace(/^\//, '');
    let statements: iam.PolicyStatement[];
    let maxHopLimit: number;
    try {
      maxHopLimit = Imdsv2PolicyStatements.effectiveMaxHopLimit(props);
      statements = Imdsv2PolicyStatements.fromOptions(props);
    } catch (e) {
      throw new ImdsConfigurationError(`RequireImdsv2ManagedPolicy '${path}': ${(e as Error).message}`);
    }
    super(scope, id, {
      managedPolicyName: props.managedPolicyName,
      description: props.description ?? describeRequireImdsv2Policy(maxHopLimit),
      path: props.path,
      roles: props.roles,
      users: props.users,
      groups: props.groups,
      statements,
    });
    this.maxHopLimit = maxHopLimit;
    this.denyImdsv1Credentials = props.denyImdsv1Credentials ?? true;
    this.autoScalingGuards = props.autoScalingGuards ?? true;
    addPolicySizeValidation(this, () => this.document, {
      constructName: 'RequireImdsv2ManagedPolicy',
      limit: MANAGED_POLICY_LIMIT,
      limitName: 'the IAM quota for a customer managed policy',
      excludeWhitespace: true,
      remedy: 'Use fewer adminPrincipalArns (one wildcard pattern such as "role/ImdsAdmin*" covers many roles) or move statements to a second policy.',
    });
  }
}
