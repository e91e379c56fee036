import { Names, aws_iam as iam, aws_organizations as organizations } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { IRequireImdsv2Policy, Imdsv2PolicyOptions } from './imdsv2-policy-options';
import { Imdsv2PolicyStatements } from './imdsv2-policy-statements';
import { ImdsConfigurationError } from '../private/errors';
import { describeRequireImdsv2Policy } from './private/describe';
import { addPolicySizeValidation } from './private/size-validation';
import { targetIdProblems } from './private/validation';

/** The AWS Organizations quota on a service control policy document. */
const SCP_LIMIT = 5120;

/** Properties for a `RequireImdsv2ServiceControlPolicy`. */
export interface RequireImdsv2ServiceControlPolicyProps extends Imdsv2PolicyOptions {
  /**
   * The roots, organizational units and accounts to attach the policy to.
   *
   * Each is a root ID (`r-xxxx`), an OU ID (`ou-xxxx-xxxxxxxx`) or a 12-digit account ID.
   * The management account is never restricted by service control policies.
   */
  readonly targetIds: string[];

  /**
   * The name of the policy in AWS Organizations.
   *
   * @default - a name unique to this construct's path
   */
  readonly policyName?: string;

  /**
   * A description of the policy.
   *
   * @default - a description of what the policy denies
   */
  readonly description?: string;
}

/**
 * An AWS Organizations service control policy that requires IMDSv2 in the accounts it targets.
 *
 * Deploy it in the organization's management account (or a delegated administrator) with the
 * `SERVICE_CONTROL_POLICY` type enabled. It holds the statements of
 * `Imdsv2PolicyStatements.fromOptions`. At synthesis its size is checked against the
 * AWS Organizations quota of 5,120 characters.
 *
 * @example
 * new RequireImdsv2ServiceControlPolicy(this, 'RequireImdsv2', {
 *   targetIds: ['ou-abcd-12345678'],
 *   maxHopLimit: 2,
 *   adminPrincipalArns: [Imdsv2PolicyStatements.ssoPermissionSetArnPattern('PlatformAdmin')],
 * });
 *
 * @see https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html
 */
export class RequireImdsv2ServiceControlPolicy extends Construct implements IRequireImdsv2Policy {
  /** The ID of the policy (`p-...`). */
  public readonly policyId: string;

  /** The ARN of the policy. */
  public readonly policyArn: string;

  /** The policy document; statements added to it are part of the policy. */
  public readonly document: iam.PolicyDocument;

  /** The highest hop limit a launch may set under this policy (64 when any is allowed). */
  public readonly maxHopLimit: number;

  /** Whether requests signed with EC2 role credentials delivered by IMDSv1 are denied. */
  public readonly denyImdsv1Credentials: boolean;

  /** Whether the Auto Scaling guards are included. */
  public readonly autoScalingGuards: boolean;

  /** The roots, organizational units and accounts the policy is attached to. */
  public readonly targetIds: string[];

  constructor(scope: Construct, id: string, props: RequireImdsv2ServiceControlPolicyProps) {
    super(scope, id);
    const fail = (message: string) => new ImdsConfigurationError(`RequireImdsv2ServiceControlPolicy '${this.node.path}': ${message}`);
    const problems = targetIdProblems('targetIds', props.targetIds);
    if (problems.length > 0) throw fail(problems.join('\n'));
    try {
      this.maxHopLimit = Imdsv2PolicyStatements.effectiveMaxHopLimit(props);
      this.document = new iam.PolicyDocument({ statements: Imdsv2PolicyStatements.fromOptions(props) });
    } catch (e) {
      throw fail((e as Error).message);
    }
    this.denyImdsv1Credentials = props.denyImdsv1Credentials ?? true;
    this.autoScalingGuards = props.autoScalingGuards ?? true;
    this.targetIds = [...props.targetIds];

    const resource = new organizations.CfnPolicy(this, 'Resource', {
      name: props.policyName ?? Names.uniqueResourceName(this, { maxLength: 128 }),
      description: props.description ?? describeRequireImdsv2Policy(this.maxHopLimit),
      type: 'SERVICE_CONTROL_POLICY',
      content: this.document,
      targetIds: this.targetIds,
    });
    this.policyId = resource.ref;
    this.policyArn = resource.attrArn;

    this.node.addValidation({
      validate: () => this.document.validateForIdentityPolicy().map(
        (e) => `RequireImdsv2ServiceControlPolicy '${this.node.path}': ${e} (a service control policy names no principals)`),
    });
    addPolicySizeValidation(this, () => this.document, {
      constructName: 'RequireImdsv2ServiceControlPolicy',
      limit: SCP_LIMIT,
      limitName: 'the AWS Organizations quota for a service control policy',
      excludeWhitespace: false,
      remedy: 'Use fewer adminPrincipalArns (one wildcard pattern such as "role/ImdsAdmin*" covers many roles) or split the statements into a second policy.',
    });
  }
}

