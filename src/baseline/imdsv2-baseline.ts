import { Annotations, AspectPriority, Aspects, RemovalPolicy, Stack, Stage, Token, aws_iam as iam } from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';
import { BaselineImdsChecks } from './private/baseline-imds-checks';
import {
  DefaultHopLimit,
  DefaultHttpTokens,
  DefaultHttpTokensEnforced,
  InstanceMetadataDefaults,
} from '../account/instance-metadata-defaults';
import { IRequireImdsv2Policy } from '../policy/imdsv2-policy-options';
import { estimatePolicySize, formatCount } from '../policy/private/policy-size';
import { adminPrincipalArnProblems, targetIdProblems } from '../policy/private/validation';
import { RequireImdsv2ManagedPolicy } from '../policy/require-imdsv2-managed-policy';
import { RequireImdsv2ServiceControlPolicy } from '../policy/require-imdsv2-service-control-policy';
import { ImdsConfigurationError } from '../private/errors';
import { hopLimitRangeMessage, isValidHopLimit } from '../private/hop-limit';
import { ImdsChecks } from '../validation/imds-checks';

/** Whether and how an `Imdsv2Baseline` checks the launches of its Stage. */
export enum BaselineChecks {
  /** `ImdsChecks` on the Stage: error findings fail `cdk synth`; "cannot verify" (IMDS010) is a warning. */
  ENABLED = 'enabled',
  /** `ImdsChecks` on the Stage with `strict`: "cannot verify" (IMDS010) is an error too. */
  STRICT = 'strict',
  /** No checks: add `ImdsChecks` or `ImdsValidationPlugin` yourself. */
  DISABLED = 'disabled',
}

/**
 * How an `Imdsv2Baseline` enforces IMDSv2 on new instances.
 *
 * @see https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/configuring-IMDS-new-instances.html
 */
export enum Imdsv2Enforcement {
  /**
   * The account setting `HttpTokensEnforced`, with the account default `HttpTokens: required`.
   *
   * EC2 refuses any launch whose `HttpTokens`, after the order of precedence, is not `required`,
   * whoever launches (Auto Scaling, EKS and Batch included); a launch that leaves `HttpTokens` to
   * the account default or to an AMI that requires IMDSv2 works. The policy denies opting out
   * (`ModifyInstanceMetadataOptions` and `ModifyInstanceMetadataDefaults`) and, with
   * `adminPrincipalArns`, restricts changes to admins. This is what AWS recommends today.
   */
  ACCOUNT_SETTING = 'account-setting',
  /**
   * Also a policy statement that denies `ec2:RunInstances` unless the request sets `HttpTokens` to
   * `required` (AWS's earlier example policy).
   *
   * IAM and SCP conditions see the request, not the account default or the AMI: every launch must
   * set `HttpTokens: required` itself, and the checks report a launch that does not as IMDS001
   * ("the launch would be denied"). Launches by a service-linked role (Auto Scaling from a launch
   * configuration, EKS, Image Builder) are not bound by it. `HttpTokensEnforced` is then managed
   * only with `httpTokensEnforced: true`.
   */
  REQUEST_CONDITION = 'request-condition',
}

/** Properties of an `Imdsv2Baseline`. */
export interface Imdsv2BaselineProps {
  /**
   * Whether the account runs container hosts (ECS, EKS, Docker) whose containers use IMDSv2.
   *
   * Containers are one network hop further from the instance: they reach IMDSv2 only with a hop
   * limit of 2. This sets the default of `hopLimit`.
   *
   * @default false
   */
  readonly containerHosts?: boolean;

  /**
   * The account default hop limit (`HttpPutResponseHopLimit`) for new instances, 1 to 64.
   *
   * @default - 2 with `containerHosts`, otherwise 1
   */
  readonly hopLimit?: number;

  /**
   * The highest hop limit a launch may set: the enforcement policy denies `ec2:RunInstances` above
   * it, and the checks report launches above it (IMDS003). At least `hopLimit`; 64 allows any.
   *
   * @default - the account default hop limit (`hopLimit`)
   */
  readonly maxHopLimit?: number;

  /**
   * How IMDSv2 is enforced: the account setting `HttpTokensEnforced` (launches that leave
   * `HttpTokens` to the account default work), or also a RunInstances request condition (every
   * launch must set `HttpTokens: required` itself).
   *
   * A service control policy applies to the member accounts it targets, where the account
   * defaults of the baseline's own account do not: with `serviceControlPolicyTargetIds` the
   * default is the request condition. (To set the defaults of every account of an organization,
   * use `InstanceMetadataDefaultsDeclarativePolicy`.)
   *
   * @default - Imdsv2Enforcement.REQUEST_CONDITION with `serviceControlPolicyTargetIds`, otherwise Imdsv2Enforcement.ACCOUNT_SETTING
   */
  readonly enforcement?: Imdsv2Enforcement;

  /**
   * Whether to turn on the account setting `HttpTokensEnforced`: launches whose tokens do not
   * resolve to `required` fail, and instances that require IMDSv2 cannot be switched back.
   *
   * With `Imdsv2Enforcement.ACCOUNT_SETTING` it is the enforcement and cannot be false. With
   * `Imdsv2Enforcement.REQUEST_CONDITION`, left off, the setting is not managed (never sent, never
   * restored).
   *
   * @default - true with `Imdsv2Enforcement.ACCOUNT_SETTING`, false with `Imdsv2Enforcement.REQUEST_CONDITION`
   */
  readonly httpTokensEnforced?: boolean;

  /**
   * Enforce with an AWS Organizations service control policy attached to these roots, OUs or accounts
   * instead of an IAM managed policy.
   *
   * Each is a root ID (`r-xxxx`), an OU ID (`ou-xxxx-xxxxxxxx`) or a 12-digit account ID. The stack
   * must then be deployed in the management account or a delegated administrator for policies.
   *
   * @default - a `RequireImdsv2ManagedPolicy` (attach it with `roles`, `groups` and `users`)
   */
  readonly serviceControlPolicyTargetIds?: string[];

  /**
   * Roles to attach the managed policy to (not with `serviceControlPolicyTargetIds`).
   *
   * @default - none
   */
  readonly roles?: iam.IRole[];

  /**
   * Groups to attach the managed policy to (not with `serviceControlPolicyTargetIds`).
   *
   * @default - none
   */
  readonly groups?: iam.IGroup[];

  /**
   * Users to attach the managed policy to (not with `serviceControlPolicyTargetIds`).
   *
   * @default - none
   */
  readonly users?: iam.IUser[];

  /**
   * ARN patterns of the principals allowed to change instance metadata options and defaults (see
   * `Imdsv2PolicyOptions.adminPrincipalArns`).
   *
   * The role of the handler that applies the account defaults is added to them, so the baseline
   * can still update and restore the defaults.
   *
   * @default - no restriction
   */
  readonly adminPrincipalArns?: string[];

  /**
   * Whether the policy denies requests signed with EC2 role credentials delivered through IMDSv1.
   *
   * @default true
   */
  readonly denyImdsv1Credentials?: boolean;

  /**
   * Whether the policy holds the Auto Scaling guards (no launch configurations, a specific launch
   * template version).
   *
   * They make the RunInstances request conditions hold for Auto Scaling groups, which only the
   * `REQUEST_CONDITION` enforcement relies on; with `ACCOUNT_SETTING` they would refuse groups
   * that `HttpTokensEnforced` already covers.
   *
   * @default - true with `Imdsv2Enforcement.REQUEST_CONDITION`, false with `Imdsv2Enforcement.ACCOUNT_SETTING`
   */
  readonly autoScalingGuards?: boolean;

  /**
   * What happens to the account defaults when the baseline is removed: `DESTROY` restores the values
   * found before, `RETAIN` leaves the settings.
   *
   * @default RemovalPolicy.DESTROY
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * Whether to check every launch of the Stage (`ImdsChecks` at `AspectPriority.READONLY`, trusting
   * the account defaults of the app).
   *
   * @default BaselineChecks.ENABLED
   */
  readonly checks?: BaselineChecks;
}

const IS_BASELINE = Symbol.for('cdk-imds.Imdsv2Baseline');

/** A CloudFormation-generated role ARN is at most this long: `arn:aws-us-gov:iam::123456789012:role/` and 64 characters. */
const HANDLER_ROLE_ARN_MAX = 'arn:aws-us-gov:iam::123456789012:role/'.length + 64 + 3; // quotes and comma

/**
 * IMDSv2 for one account and Region in one construct: the account defaults, a policy that
 * enforces them, and synth-time checks of every launch in the Stage.
 *
 * - Account defaults (`InstanceMetadataDefaults`, id `Defaults`) for the stack's Region: tokens
 *   required, hop limit 1 (2 with `containerHosts`), and `HttpTokensEnforced` enabled (with the
 *   default `Imdsv2Enforcement.ACCOUNT_SETTING`): EC2 refuses any launch whose tokens, after the
 *   order of precedence, are not `required`.
 * - A policy (id `Policy`): a `RequireImdsv2ManagedPolicy` by default, or a
 *   `RequireImdsv2ServiceControlPolicy` with `serviceControlPolicyTargetIds`. It denies opting
 *   out of IMDSv2 (instances and account defaults) and launches above the maximum hop limit (the
 *   default hop limit unless `maxHopLimit` says otherwise); with
 *   `Imdsv2Enforcement.REQUEST_CONDITION` also every launch whose request does not set
 *   `HttpTokens: required`.
 * - `ImdsChecks` on the Stage at `AspectPriority.READONLY` with `trustAccountDefaults`, so
 *   `cdk synth` fails on a launch that would not require IMDSv2 or that the policy or the account
 *   setting would refuse.
 *
 * Deploy the baseline's stack before the stacks that launch instances (`workloadStack.node.addDependency(baselineStack)`): the
 * checks count the defaults for launches in the same Region.
 *
 * @example
 * const baseline = new imds.Imdsv2Baseline(this, 'Imdsv2', {
 *   containerHosts: true,
 *   adminPrincipalArns: [imds.Imdsv2PolicyStatements.adminRoleArnPattern('PlatformAdmin')],
 *   groups: [iam.Group.fromGroupName(this, 'Developers', 'developers')],
 * });
 */
export class Imdsv2Baseline extends Construct {
  /** Whether `x` is an `Imdsv2Baseline` (works across copies of this library). */
  public static isImdsv2Baseline(x: any): x is Imdsv2Baseline {
    return x !== null && typeof x === 'object' && IS_BASELINE in x;
  }

  /** The account defaults of the stack's Region. */
  public readonly defaults: InstanceMetadataDefaults;

  /** The enforcement policy: the managed policy or the service control policy. */
  public readonly policy: IRequireImdsv2Policy;

  /** The managed policy, when the baseline enforces with one. */
  public readonly managedPolicy?: RequireImdsv2ManagedPolicy;

  /** The service control policy, when `serviceControlPolicyTargetIds` are given. */
  public readonly serviceControlPolicy?: RequireImdsv2ServiceControlPolicy;

  /** The checks of the Stage (shared by the baselines of one Stage); undefined when disabled or added by you. */
  public readonly imdsChecks?: ImdsChecks;

  /** The account default hop limit. */
  public readonly hopLimit: number;

  /** The highest hop limit the policy allows. */
  public readonly maxHopLimit: number;

  /** How the baseline enforces IMDSv2. */
  public readonly enforcement: Imdsv2Enforcement;

  constructor(scope: Construct, id: string, props: Imdsv2BaselineProps = {}) {
    super(scope, id);
    Object.defineProperty(this, IS_BASELINE, { value: true });
    const fail = (message: string) => new ImdsConfigurationError(`Imdsv2Baseline '${this.node.path}': ${message}`);
    const stack = Stack.of(this);

    const other = stack.node.findAll().find((c) => c !== this && Imdsv2Baseline.isImdsv2Baseline(c));
    if (other) {
      throw fail(`stack ${stack.node.path} already has the baseline ${other.node.path}: keep one Imdsv2Baseline per stack (it manages the account defaults of the stack's account and Region).`);
    }

    const containerHosts = props.containerHosts ?? false;
    this.hopLimit = props.hopLimit ?? (containerHosts ? 2 : 1);
    const hopProblem = hopLimitProblem('hopLimit', this.hopLimit);
    if (hopProblem) throw fail(hopProblem);
    if (containerHosts && !Token.isUnresolved(this.hopLimit) && this.hopLimit < 2) {
      throw fail(`containerHosts is true but hopLimit is ${this.hopLimit}: containers reach IMDSv2 only with a hop limit of at least 2. Leave hopLimit out (2), or set containerHosts to false.`);
    }
    this.maxHopLimit = props.maxHopLimit ?? this.hopLimit;
    const maxProblem = hopLimitProblem('maxHopLimit', this.maxHopLimit);
    if (maxProblem) throw fail(maxProblem);
    if (!Token.isUnresolved(this.maxHopLimit) && !Token.isUnresolved(this.hopLimit) && this.maxHopLimit < this.hopLimit) {
      throw fail(
        `maxHopLimit is ${this.maxHopLimit}, below hopLimit ${this.hopLimit}: the policy would deny launches that set the account default hop limit themselves. ` +
          `Set maxHopLimit to at least ${this.hopLimit}, or leave it out.`,
      );
    }
    const scpTargets = props.serviceControlPolicyTargetIds;
    const attachments = (['roles', 'groups', 'users'] as const).filter((p) => props[p] !== undefined);
    if (scpTargets !== undefined) {
      if (attachments.length > 0) {
        throw fail(
          `${attachments.join(', ')} attach the managed policy, but serviceControlPolicyTargetIds makes the policy a service control policy: ` +
            'give serviceControlPolicyTargetIds (organization-wide) or roles/groups/users (this account), not both.',
        );
      }
      const problems = targetIdProblems('serviceControlPolicyTargetIds', scpTargets);
      if (problems.length > 0) throw fail(problems.join('\n'));
    }
    // An SCP reaches the member accounts, where the account setting of this stack's account does not.
    const defaultEnforcement =
      props.serviceControlPolicyTargetIds !== undefined ? Imdsv2Enforcement.REQUEST_CONDITION : Imdsv2Enforcement.ACCOUNT_SETTING;
    this.enforcement = props.enforcement ?? defaultEnforcement;
    if (!Object.values(Imdsv2Enforcement).includes(this.enforcement)) {
      throw fail(`enforcement is ${JSON.stringify(this.enforcement)}: use Imdsv2Enforcement.ACCOUNT_SETTING or Imdsv2Enforcement.REQUEST_CONDITION.`);
    }
    const requestCondition = this.enforcement === Imdsv2Enforcement.REQUEST_CONDITION;
    if (!requestCondition && props.httpTokensEnforced === false) {
      throw fail(
        'httpTokensEnforced is false, but with enforcement Imdsv2Enforcement.ACCOUNT_SETTING the account setting HttpTokensEnforced is what enforces IMDSv2. ' +
          'Leave httpTokensEnforced out, or choose enforcement: Imdsv2Enforcement.REQUEST_CONDITION.',
      );
    }
    const tokensEnforced = props.httpTokensEnforced ?? !requestCondition;
    const checks = props.checks ?? BaselineChecks.ENABLED;
    if (!Object.values(BaselineChecks).includes(checks)) {
      throw fail(`checks is ${JSON.stringify(checks)}: use BaselineChecks.ENABLED, BaselineChecks.STRICT or BaselineChecks.DISABLED.`);
    }

    this.defaults = new InstanceMetadataDefaults(this, 'Defaults', {
      httpTokens: DefaultHttpTokens.REQUIRED,
      httpPutResponseHopLimit: DefaultHopLimit.of(this.hopLimit),
      httpTokensEnforced: tokensEnforced ? DefaultHttpTokensEnforced.ENABLED : undefined,
      removalPolicy: props.removalPolicy,
    });

    // The handler applies and restores the defaults: it must stay allowed to.
    let adminPrincipalArns = props.adminPrincipalArns;
    if (adminPrincipalArns !== undefined) {
      const problems = adminPrincipalArnProblems('adminPrincipalArns', adminPrincipalArns);
      if (problems.length > 0) throw fail(problems.join('\n'));
    }
    if (adminPrincipalArns !== undefined) adminPrincipalArns = [...adminPrincipalArns, this.defaults.handlerRole.roleArn];

    const policyOptions = {
      requireImdsv2OnLaunch: requestCondition,
      maxHopLimit: this.maxHopLimit,
      adminPrincipalArns,
      // The handler restores the defaults it found (perhaps optional) when the baseline is removed.
      optOutExemptPrincipalArns: [this.defaults.handlerRole.roleArn],
      denyImdsv1Credentials: props.denyImdsv1Credentials,
      autoScalingGuards: props.autoScalingGuards ?? requestCondition,
    };
    if (scpTargets !== undefined) {
      this.serviceControlPolicy = new RequireImdsv2ServiceControlPolicy(this, 'Policy', { ...policyOptions, targetIds: scpTargets });
      this.policy = this.serviceControlPolicy;
    } else {
      this.managedPolicy = new RequireImdsv2ManagedPolicy(this, 'Policy', { ...policyOptions, roles: props.roles, groups: props.groups, users: props.users });
      this.policy = this.managedPolicy;
    }
    this.boundHandlerRoleArnSize(props.adminPrincipalArns ?? []);

    if (checks !== BaselineChecks.DISABLED) this.imdsChecks = this.addChecks(checks === BaselineChecks.STRICT);
  }

  /**
   * The handler role's ARN is known only at deployment, so the policy cannot measure its size; the
   * ARN is at most `HANDLER_ROLE_ARN_MAX` characters, so the baseline checks the bound instead, once
   * for every place the policy names it (the opt-out exemption, and the admins when given).
   */
  private boundHandlerRoleArnSize(userArns: string[]): void {
    // Pseudo parameters (Aws.PARTITION) have a known longest value; any other token keeps the policy's own warning.
    if (estimatePolicySize(this, userArns, false).unknown.length > 0) return;
    const scp = this.serviceControlPolicy !== undefined;
    const policy = (this.serviceControlPolicy ?? this.managedPolicy) as IRequireImdsv2Policy;
    Annotations.of(policy).acknowledgeWarning(
      'cdk-imds:policy-size-unverified',
      'The only value known at deployment is the ARN of the defaults handler role, whose length Imdsv2Baseline bounds.',
    );
    const limit = scp ? 5120 : 6144;
    const handlerArn = JSON.stringify(Stack.of(this).resolve(this.defaults.handlerRole.roleArn));
    this.node.addValidation({
      validate: () => {
        const { chars, unknown } = estimatePolicySize(policy, policy.document, !scp);
        const handlerCount = unknown.filter((u) => u === handlerArn).length;
        if (unknown.length > handlerCount) {
          Annotations.of(this).addWarningV2(
            'cdk-imds:policy-size-unverified',
            `Imdsv2Baseline '${this.node.path}': cannot verify the size of ${policy.node.path}: it holds values known only at deployment besides the handler role ARN.`,
          );
          return [];
        }
        const most = chars + handlerCount * HANDLER_ROLE_ARN_MAX;
        if (chars <= limit && most > limit) {
          return [
            `Imdsv2Baseline '${this.node.path}': the policy ${policy.node.path} is ${formatCount(chars)} characters plus the defaults handler role ARN ` +
              `${handlerCount > 1 ? `${handlerCount} times ` : ''}(up to ${HANDLER_ROLE_ARN_MAX} each), up to ${formatCount(most)}: over the limit of ${formatCount(limit)} characters. Use fewer adminPrincipalArns.`,
          ];
        }
        return [];
      },
    });
  }

  /** One `ImdsChecks` per Stage, shared by its baselines. */
  private addChecks(strict: boolean): ImdsChecks | undefined {
    const stage: IConstruct = Stage.of(this) ?? Stack.of(this);
    const existing = Aspects.of(stage).all.find((a): a is ImdsChecks => a instanceof ImdsChecks);
    if (existing instanceof BaselineImdsChecks) {
      if (existing.strict !== strict) {
        throw new ImdsConfigurationError(
          `Imdsv2Baseline '${this.node.path}': checks is ${strict ? 'STRICT' : 'ENABLED'}, but the baseline ${existing.addedBy} in the same Stage added checks ` +
            `that are ${existing.strict ? 'STRICT' : 'ENABLED'}: one Stage has one set of checks. Give both baselines the same checks.`,
        );
      }
      return existing;
    }
    if (existing) {
      // Yours is kept; say so only while it would check differently from the baseline's own.
      const missing: string[] = [];
      if (!existing._options.trustAccountDefaults) missing.push('trustAccountDefaults: true (so that the baseline\'s defaults count)');
      if (strict && !existing._options.strict) missing.push('strict: true (the baseline asks for BaselineChecks.STRICT)');
      if (missing.length > 0) {
        Annotations.of(this).addWarningV2(
          'cdk-imds:baselineChecksAlreadyAdded',
          `An ImdsChecks is already on ${stage.node.path || 'the App'}: the baseline adds no second one. Give yours ${missing.join(' and ')}, ` +
            'or set checks to BaselineChecks.DISABLED.',
        );
      }
      return undefined;
    }
    const added = new BaselineImdsChecks(this.node.path, strict);
    Aspects.of(stage).add(added, { priority: AspectPriority.READONLY });
    return added;
  }
}

function hopLimitProblem(prop: string, value: number): string | undefined {
  if (Token.isUnresolved(value)) return undefined;
  if (!isValidHopLimit(value)) return hopLimitRangeMessage(prop, value);
  return undefined;
}

