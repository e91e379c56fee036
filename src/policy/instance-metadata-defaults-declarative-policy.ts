import { Annotations, Names, Token, aws_organizations as organizations } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { ImdsConfigurationError } from '../private/errors';
import { HOP_LIMIT_RANGE, isValidHopLimit } from '../private/hop-limit';
import { addPolicySizeValidation } from './private/size-validation';
import { targetIdProblems } from './private/validation';

/** The AWS Organizations quota on a declarative (EC2) policy document. */
const DECLARATIVE_POLICY_LIMIT = 10000;

/** Whether an EC2 declarative policy requires IMDSv2 by default (`http_tokens`). */
export enum DeclarativePolicyHttpTokens {
  /** IMDSv2 is required: IMDSv1 is off. */
  REQUIRED = 'required',
  /** Both IMDSv1 and IMDSv2 are allowed. */
  OPTIONAL = 'optional',
  /** The policy sets no default: the AMI's or AWS's default applies. */
  NO_PREFERENCE = 'no_preference',
}

/** An on/off setting of an EC2 declarative policy (`http_endpoint`, `instance_metadata_tags`, `http_tokens_enforced`). */
export enum DeclarativePolicySetting {
  /** On. */
  ENABLED = 'enabled',
  /** Off. */
  DISABLED = 'disabled',
  /** The policy sets no default: other defaults apply. */
  NO_PREFERENCE = 'no_preference',
}

/**
 * The default hop limit an EC2 declarative policy sets (`http_put_response_hop_limit`).
 *
 * @example
 * const containerHosts = DeclarativePolicyHopLimit.of(2);
 * const none = DeclarativePolicyHopLimit.NO_PREFERENCE;
 */
export class DeclarativePolicyHopLimit {
  /** The policy sets no default hop limit (written as -1). */
  public static readonly NO_PREFERENCE = new DeclarativePolicyHopLimit(undefined);

  /**
   * A default hop limit.
   *
   * @param hops a whole number from 1 to 64
   */
  public static of(hops: number): DeclarativePolicyHopLimit {
    if (!Token.isUnresolved(hops) && !isValidHopLimit(hops)) {
      throw new ImdsConfigurationError(
        `DeclarativePolicyHopLimit.of(${hops}): the hop limit must be ${HOP_LIMIT_RANGE}; ` +
          'use DeclarativePolicyHopLimit.NO_PREFERENCE for no default.',
      );
    }
    return new DeclarativePolicyHopLimit(hops);
  }

  /** The hop limit, or undefined for no preference. */
  public readonly hops?: number;

  private constructor(hops: number | undefined) {
    this.hops = hops;
  }

  /** The value the policy document holds: the hop limit as a string, or "-1". */
  public toPolicyValue(): string {
    if (this.hops === undefined) return '-1';
    return Token.isUnresolved(this.hops) ? Token.asString(this.hops) : String(this.hops);
  }
}

/** Properties for an `InstanceMetadataDefaultsDeclarativePolicy`. */
export interface InstanceMetadataDefaultsDeclarativePolicyProps {
  /**
   * The roots, organizational units and accounts to attach the policy to.
   *
   * Each is a root ID (`r-xxxx`), an OU ID (`ou-xxxx-xxxxxxxx`) or a 12-digit account ID.
   */
  readonly targetIds: string[];

  /**
   * Whether new instances require IMDSv2 by default.
   *
   * @default DeclarativePolicyHttpTokens.REQUIRED
   */
  readonly httpTokens?: DeclarativePolicyHttpTokens;

  /**
   * The default hop limit of new instances.
   *
   * AWS recommends at least 2 when tokens are required, so containers can reach IMDSv2.
   *
   * @default DeclarativePolicyHopLimit.of(2)
   */
  readonly httpPutResponseHopLimit?: DeclarativePolicyHopLimit;

  /**
   * Whether the metadata endpoint of new instances is on by default.
   *
   * @default DeclarativePolicySetting.NO_PREFERENCE
   */
  readonly httpEndpoint?: DeclarativePolicySetting;

  /**
   * Whether new instances serve their tags in instance metadata by default.
   *
   * @default DeclarativePolicySetting.NO_PREFERENCE
   */
  readonly instanceMetadataTags?: DeclarativePolicySetting;

  /**
   * Whether launches that do not resolve to IMDSv2 fail (`http_tokens_enforced`).
   *
   * The EC2 API has `HttpTokensEnforced` since 2026-02-24, and AWS says it can be managed
   * organization-wide with declarative policies; the syntax reference of the policy did not yet
   * list the `http_tokens_enforced` key when this was written, so it is written only when you set it.
   *
   * @default - not written: the policy does not manage enforcement
   */
  readonly httpTokensEnforced?: DeclarativePolicySetting;

  /**
   * The message AWS returns when an action fails because of this policy (`exception_message`).
   *
   * Point users at your internal documentation. Do not put personal or sensitive information in it.
   *
   * @default - a message saying that the organization manages the instance metadata defaults
   */
  readonly exceptionMessage?: string;

  /**
   * The name of the policy in AWS Organizations.
   *
   * @default - a name unique to this construct's path
   */
  readonly policyName?: string;

  /**
   * A description of the policy.
   *
   * @default - a description of the defaults it sets
   */
  readonly description?: string;
}

/**
 * An AWS Organizations declarative policy for EC2 that sets the instance metadata defaults.
 *
 * Type `DECLARATIVE_POLICY_EC2`, content `ec2_attributes.instance_metadata_defaults` plus an
 * `exception_message`. In the accounts it targets, the account-level defaults of every Region
 * are managed by the policy and cannot be changed in the account (`ManagedBy:
 * declarative-policy`). Defaults apply to launches that leave an option unset; to deny launches
 * that set other values, add a `RequireImdsv2ServiceControlPolicy`. At synthesis its size is
 * checked against the AWS Organizations quota of 10,000 characters.
 *
 * @example
 * new InstanceMetadataDefaultsDeclarativePolicy(this, 'ImdsDefaults', {
 *   targetIds: ['r-abcd'],
 *   httpTokens: DeclarativePolicyHttpTokens.REQUIRED,
 *   httpPutResponseHopLimit: DeclarativePolicyHopLimit.of(2),
 *   exceptionMessage: 'IMDSv2 is required here: see https://wiki.example.com/imdsv2',
 * });
 *
 * @see https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_declarative_syntax.html
 */
export class InstanceMetadataDefaultsDeclarativePolicy extends Construct {
  /** The ID of the policy (`p-...`). */
  public readonly policyId: string;

  /** The ARN of the policy. */
  public readonly policyArn: string;

  /** The default hop limit the policy sets, or undefined when it sets no preference. */
  public readonly defaultHopLimit?: number;

  /** Whether the policy makes IMDSv2 the default. */
  public readonly httpTokens: DeclarativePolicyHttpTokens;

  /** The policy content, as AWS Organizations receives it. */
  public readonly content: any;

  constructor(scope: Construct, id: string, props: InstanceMetadataDefaultsDeclarativePolicyProps) {
    super(scope, id);
    const fail = (message: string) => new ImdsConfigurationError(`InstanceMetadataDefaultsDeclarativePolicy '${this.node.path}': ${message}`);
    const problems = targetIdProblems('targetIds', props.targetIds);
    if (props.exceptionMessage !== undefined && !Token.isUnresolved(props.exceptionMessage) && props.exceptionMessage.trim().length === 0) {
      problems.push('exceptionMessage is empty: give a message for users whose action the policy blocks, or leave the prop out for the default message.');
    }
    checkEnum(problems, 'httpTokens', props.httpTokens, Object.values(DeclarativePolicyHttpTokens), 'DeclarativePolicyHttpTokens');
    for (const prop of ['httpEndpoint', 'instanceMetadataTags', 'httpTokensEnforced'] as const) {
      checkEnum(problems, prop, props[prop], Object.values(DeclarativePolicySetting), 'DeclarativePolicySetting');
    }
    if (problems.length > 0) throw fail(problems.join('\n'));

    this.httpTokens = props.httpTokens ?? DeclarativePolicyHttpTokens.REQUIRED;
    const hopLimit = props.httpPutResponseHopLimit ?? DeclarativePolicyHopLimit.of(2);
    this.defaultHopLimit = hopLimit.hops;

    if (props.httpTokensEnforced === DeclarativePolicySetting.ENABLED && this.httpTokens !== DeclarativePolicyHttpTokens.REQUIRED) {
      Annotations.of(this).addError(
        `httpTokensEnforced is ENABLED while httpTokens is ${this.httpTokens}: every launch that does not set HttpTokens ` +
          'to required would fail. Set httpTokens to DeclarativePolicyHttpTokens.REQUIRED.',
      );
    }

    const defaults: Record<string, { '@@assign': string }> = {
      http_tokens: { '@@assign': this.httpTokens },
      http_put_response_hop_limit: { '@@assign': hopLimit.toPolicyValue() },
      http_endpoint: { '@@assign': props.httpEndpoint ?? DeclarativePolicySetting.NO_PREFERENCE },
      instance_metadata_tags: { '@@assign': props.instanceMetadataTags ?? DeclarativePolicySetting.NO_PREFERENCE },
    };
    if (props.httpTokensEnforced !== undefined) {
      defaults.http_tokens_enforced = { '@@assign': props.httpTokensEnforced };
    }
    const summary = describeDefaults(this.httpTokens, hopLimit);
    this.content = {
      ec2_attributes: {
        instance_metadata_defaults: defaults,
        exception_message: {
          '@@assign': props.exceptionMessage ??
            `Instance metadata defaults are managed by your organization (${summary}). Ask your cloud platform team to change them.`,
        },
      },
    };

    const resource = new organizations.CfnPolicy(this, 'Resource', {
      name: props.policyName ?? Names.uniqueResourceName(this, { maxLength: 128 }),
      description: props.description ?? `Sets the EC2 instance metadata defaults: ${summary}.`,
      type: 'DECLARATIVE_POLICY_EC2',
      content: this.content,
      targetIds: [...props.targetIds],
    });
    this.policyId = resource.ref;
    this.policyArn = resource.attrArn;

    addPolicySizeValidation(this, () => this.content, {
      constructName: 'InstanceMetadataDefaultsDeclarativePolicy',
      limit: DECLARATIVE_POLICY_LIMIT,
      limitName: 'the AWS Organizations quota for a declarative policy',
      excludeWhitespace: false,
      remedy: 'Shorten exceptionMessage (a link to your documentation is enough).',
    });
  }
}

function describeDefaults(httpTokens: DeclarativePolicyHttpTokens, hopLimit: DeclarativePolicyHopLimit): string {
  const tokens = httpTokens === DeclarativePolicyHttpTokens.REQUIRED ? 'IMDSv2 required'
    : httpTokens === DeclarativePolicyHttpTokens.OPTIONAL ? 'IMDSv1 and IMDSv2 allowed' : 'no IMDS version preference';
  const hops = hopLimit.hops === undefined ? 'no hop limit preference' : `hop limit ${hopLimit.toPolicyValue()}`;
  return `${tokens}, ${hops}`;
}

function checkEnum(problems: string[], prop: string, value: unknown, allowed: string[], enumName: string): void {
  if (value === undefined || Token.isUnresolved(value)) return;
  if (!allowed.includes(value as string)) {
    problems.push(`${prop} is ${JSON.stringify(value)}: it must be one of ${enumName} (${allowed.join(', ')}).`);
  }
}
