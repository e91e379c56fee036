/**
 * Where each IMDS setting is enforced, and what AWS evaluates there (the README's "Enforcement
 * model" table; FACTS.md §10):
 *
 * - IAM policies and service control policies see the **request**. A Deny of `ec2:RunInstances`
 *   with a condition on `ec2:MetadataHttpTokens` or `ec2:MetadataHttpPutResponseHopLimit` judges
 *   the values the launch itself carries (on the instance, or in the launch template or launch
 *   configuration it launches with), never the account default or the AMI. A request that leaves
 *   an option out carries no key: `StringNotEquals` then matches (the launch is denied) and
 *   `NumericGreaterThan` does not (EC2 User Guide, "Example policies ... Work with instance
 *   metadata": "If you do not specify that the instance requires IMDSv2, you get an
 *   UnauthorizedOperation error when you call the RunInstances API"; IAM User Guide, "IAM JSON
 *   policy elements: Condition operators").
 * - The account setting `HttpTokensEnforced` sees the **effective** value, after the order of
 *   precedence (EC2 User Guide, "Order of precedence for instance metadata options"): see
 *   `tokensEnforcedBy`.
 * - Whether a launch kind's instances are started by a request the app's policies judge at all
 *   (the caller's credentials, or a service-linked role that policies and SCPs do not bind) is
 *   `runInstancesCheck`.
 *
 * The policies of the app are assumed to bind the principal that deploys its launches (a
 * documented default; `CheckOptions.assumePoliciesApply` turns it off).
 */
import { describe, isObject, toNumber } from './template-json';
import { TemplateModel, Value } from './template-model';

/** The launch options a RunInstances request condition can test, by their CloudFormation names. */
export type RequestOption = 'HttpTokens' | 'HttpPutResponseHopLimit';

/** Condition keys (lower case) on the `instance` resource of `ec2:RunInstances`, and the option each reads. */
const REQUEST_KEYS: Readonly<Record<string, RequestOption>> = {
  'ec2:metadatahttptokens': 'HttpTokens',
  'ec2:metadatahttpputresponsehoplimit': 'HttpPutResponseHopLimit',
};

/** Resource types whose policy documents the checker reads. */
export const POLICY_TYPES: readonly string[] = [
  'AWS::IAM::ManagedPolicy',
  'AWS::IAM::Policy',
  'AWS::IAM::Role',
  'AWS::IAM::User',
  'AWS::IAM::Group',
  'AWS::Organizations::Policy',
];

/** The policy a statement comes from. */
export interface PolicyRef {
  /** The template it is in; undefined for a document read on its own (`hopLimitsDenied`). */
  readonly model?: TemplateModel;
  readonly logicalId: string;
  readonly type: string;
  /** The statement's Sid, when it has one. */
  readonly sid?: string;
}

/** One condition of a statement: operator, key and values, as IAM evaluates them. */
interface ConditionTest {
  /** The operator without `ForAnyValue:`/`ForAllValues:` and `IfExists`. */
  readonly operator: string;
  readonly ifExists: boolean;
  readonly set?: 'any' | 'all';
  /** The condition values; undefined when one cannot be read (why). */
  readonly values?: readonly (string | number | boolean)[];
  readonly unknownValue?: string;
}

/** A Deny of `ec2:RunInstances` whose conditions test a metadata option of the request. */
export interface RequestGuard {
  readonly policy: PolicyRef;
  /** The option the statement tests. */
  readonly option: RequestOption;
  /** Its conditions on that option, all of which must hold for the Deny to apply. */
  readonly tests: readonly ConditionTest[];
  /**
   * Condition keys of the statement the checker does not model (another option, the principal, a
   * tag...): the Deny applies only when they hold too, which synthesis cannot know.
   */
  readonly otherKeys: readonly string[];
  /** The lowest N of a `NumericGreaterThan N` test on the hop limit, when it is the only test. */
  readonly maxHopLimit?: number;
  /** What the statement denies, for messages: `ec2:RunInstances above 2`. */
  readonly denies: string;
}

/** What a guard says of one request value. */
export type GuardOutcome =
  | { readonly kind: 'denied' }
  | { readonly kind: 'allowed' }
  | { readonly kind: 'cannot verify'; readonly why: string };

const DENIED: GuardOutcome = { kind: 'denied' };
const ALLOWED: GuardOutcome = { kind: 'allowed' };

/**
 * Whether the guard denies a request whose value of the option is `value` (undefined: the request
 * does not set it, so the key is missing).
 */
export function evaluateGuard(guard: RequestGuard, value: string | number | undefined): GuardOutcome {
  let cannot: string | undefined;
  for (const t of guard.tests) {
    const r = evaluateTest(t, value);
    if (r === false) return ALLOWED;
    if (typeof r === 'string') cannot ??= r;
  }
  if (cannot !== undefined) return { kind: 'cannot verify', why: cannot };
  if (guard.otherKeys.length > 0) {
    return { kind: 'cannot verify', why: `the statement also tests ${guard.otherKeys.join(', ')}, which synthesis cannot evaluate` };
  }
  return DENIED;
}

/**
 * One condition against a single-valued key: true (holds), false, or why it cannot be told. IAM
 * semantics: a missing key matches no positive operator and every negated one (`StringNotEquals`,
 * `StringNotLike`, `NumericNotEquals`); `...IfExists` holds on a missing key; `Null: true` holds
 * exactly when the key is missing; `ForAllValues:` holds on a missing key, `ForAnyValue:` does not.
 */
function evaluateTest(t: ConditionTest, value: string | number | undefined): boolean | string {
  if (t.operator === 'Null') {
    if (!t.values) return t.unknownValue ?? 'a condition value cannot be read';
    const wantMissing = t.values.some((v) => v === true || v === 'true');
    return wantMissing === (value === undefined);
  }
  if (value === undefined) {
    if (t.ifExists) return true;
    if (t.set === 'all') return true;
    if (t.set === 'any') return false;
    return NEGATED.has(t.operator);
  }
  if (!t.values) return t.unknownValue ?? 'a condition value cannot be read';
  const matchesAny = t.values.some((c) => matches(t.operator, value, c));
  return NEGATED.has(t.operator) ? !matchesAny : matchesAny;
}

const NEGATED: ReadonlySet<string> = new Set(['StringNotEquals', 'StringNotEqualsIgnoreCase', 'StringNotLike', 'NumericNotEquals']);
/** Operators evaluated here; a statement with any other operator on a request option is not modelled. */
const OPERATORS: ReadonlySet<string> = new Set([
  'StringEquals',
  'StringNotEquals',
  'StringEqualsIgnoreCase',
  'StringNotEqualsIgnoreCase',
  'StringLike',
  'StringNotLike',
  'NumericEquals',
  'NumericNotEquals',
  'NumericLessThan',
  'NumericLessThanEquals',
  'NumericGreaterThan',
  'NumericGreaterThanEquals',
  'Null',
]);

function matches(operator: string, value: string | number, c: string | number | boolean): boolean {
  const text = String(value);
  const want = String(c);
  switch (operator) {
    case 'StringEquals':
    case 'StringNotEquals':
      return text === want;
    case 'StringEqualsIgnoreCase':
    case 'StringNotEqualsIgnoreCase':
      return text.toLowerCase() === want.toLowerCase();
    case 'StringLike':
    case 'StringNotLike':
      return wildcard(want).test(text);
    default: {
      const a = toNumber(value);
      const b = toNumber(c);
      if (!Number.isFinite(a) || !Number.isFinite(b)) return false;
      switch (operator) {
        case 'NumericEquals':
        case 'NumericNotEquals':
          return a === b;
        case 'NumericLessThan':
          return a < b;
        case 'NumericLessThanEquals':
          return a <= b;
        case 'NumericGreaterThan':
          return a > b;
        default:
          return a >= b;
      }
    }
  }
}

function wildcard(pattern: string, flags = ''): RegExp {
  return new RegExp('^' + pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.') + '$', flags);
}

/** Whether an IAM action pattern (`ec2:Run*`, `*`) covers an action. */
export function actionMatches(patterns: unknown, action: string): boolean {
  const list = Array.isArray(patterns) ? patterns : [patterns];
  return list.some((a) => typeof a === 'string' && wildcard(a, 'i').test(action));
}

/** The request guards and the Auto Scaling guards of every policy of the templates. */
export class AppPolicies {
  /** Deny statements on `ec2:RunInstances` that test a metadata option of the request. */
  public readonly guards: RequestGuard[] = [];
  /** Deny statements on creating Auto Scaling groups with a launch configuration. */
  public readonly launchConfigurationGuards: PolicyRef[] = [];
  /** Deny statements on creating Auto Scaling groups whose launch template version is not specified. */
  public readonly launchTemplateVersionGuards: PolicyRef[] = [];

  private readonly byOption = new Map<RequestOption, RequestGuard[]>();

  constructor(templates: readonly TemplateModel[]) {
    for (const model of templates) {
      for (const type of POLICY_TYPES) {
        for (const r of model.resourcesOfType(type)) {
          for (const doc of policyDocuments(type, r.properties)) this.read(doc, model, r.logicalId, type);
        }
      }
    }
  }

  /** The guards on one option. */
  public guardsOn(option: RequestOption): readonly RequestGuard[] {
    return this.byOption.get(option) ?? NO_GUARDS;
  }

  /** Read one policy document (a template, when given, resolves intrinsics in condition values). */
  public read(doc: unknown, model: TemplateModel | undefined, logicalId: string, type: string): void {
    if (!isObject(doc)) return;
    const statements = Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
    for (const s of statements) {
      if (!isObject(s) || s.Effect !== 'Deny') continue;
      const sid = typeof s.Sid === 'string' ? s.Sid : undefined;
      const policy: PolicyRef = { model, logicalId, type, sid };
      const conditions = readConditions(model, s.Condition);
      if (denies(s, 'ec2:RunInstances')) this.readRunInstances(policy, conditions);
      if (denies(s, 'autoscaling:CreateAutoScalingGroup')) this.readAutoScaling(policy, conditions);
    }
  }

  private readRunInstances(policy: PolicyRef, conditions: ReadonlyArray<{ key: string; test: ConditionTest }>): void {
    const byOption = new Map<RequestOption, ConditionTest[]>();
    const otherKeys: string[] = [];
    for (const c of conditions) {
      const option = REQUEST_KEYS[c.key.toLowerCase()];
      if (option && OPERATORS.has(c.test.operator)) {
        const list = byOption.get(option) ?? [];
        list.push(c.test);
        byOption.set(option, list);
      } else if (!otherKeys.includes(c.key)) {
        otherKeys.push(c.key);
      }
    }
    for (const [option, tests] of byOption) {
      const others = [...otherKeys, ...[...byOption.keys()].filter((o) => o !== option).map(conditionKeyOf)];
      const maxHopLimit = option === 'HttpPutResponseHopLimit' && tests.length === 1 && tests[0].operator === 'NumericGreaterThan' && !tests[0].ifExists
        ? lowestNumber(tests[0].values)
        : undefined;
      const guard: RequestGuard = { policy, option, tests, otherKeys: others, maxHopLimit, denies: describeGuard(option, tests) };
      this.guards.push(guard);
      const list = this.byOption.get(option) ?? [];
      list.push(guard);
      this.byOption.set(option, list);
    }
  }

  private readAutoScaling(policy: PolicyRef, conditions: ReadonlyArray<{ key: string; test: ConditionTest }>): void {
    if (conditions.length !== 1) return;
    const { key, test } = conditions[0];
    const v = test.values ?? [];
    if (key.toLowerCase() === 'autoscaling:launchconfigurationname' && test.operator === 'Null' && v.some((x) => x === false || x === 'false')) {
      this.launchConfigurationGuards.push(policy);
    }
    if (key.toLowerCase() === 'autoscaling:launchtemplateversionspecified' && test.operator === 'Bool' && v.some((x) => x === false || x === 'false')) {
      this.launchTemplateVersionGuards.push(policy);
    }
  }
}

const NO_GUARDS: readonly RequestGuard[] = Object.freeze([]);

function conditionKeyOf(option: RequestOption): string {
  return option === 'HttpTokens' ? 'ec2:MetadataHttpTokens' : 'ec2:MetadataHttpPutResponseHopLimit';
}

/** `ec2:RunInstances unless HttpTokens is "required"`, `ec2:RunInstances above 2`. */
function describeGuard(option: RequestOption, tests: readonly ConditionTest[]): string {
  const t = tests[0];
  const values = t.values ? t.values.map((v) => JSON.stringify(v)).join(' or ') : t.unknownValue ?? 'a value known only at deployment';
  if (tests.length === 1 && t.operator === 'NumericGreaterThan' && !t.ifExists && t.values) return `ec2:RunInstances above ${t.values.map(String).join(' or ')}`;
  if (tests.length === 1 && (t.operator === 'StringNotEquals' || t.operator === 'StringNotLike') && !t.ifExists) return `ec2:RunInstances unless the request sets ${option} to ${values}`;
  return `ec2:RunInstances with condition ${tests.map((x) => `${x.set === 'all' ? 'ForAllValues:' : x.set === 'any' ? 'ForAnyValue:' : ''}${x.operator}${x.ifExists ? 'IfExists' : ''}`).join(', ')} on ${conditionKeyOf(option)} ${values}`;
}

function lowestNumber(values: readonly (string | number | boolean)[] | undefined): number | undefined {
  let lowest: number | undefined;
  for (const v of values ?? []) {
    const n = toNumber(v);
    if (Number.isFinite(n) && (lowest === undefined || n < lowest)) lowest = n;
  }
  return lowest;
}

/** Whether a statement's Action (or NotAction) covers the action. */
function denies(s: Record<string, unknown>, action: string): boolean {
  if (s.Action !== undefined) return actionMatches(s.Action, action);
  if (s.NotAction !== undefined) return !actionMatches(s.NotAction, action);
  return false;
}

/** The conditions of a statement, one per operator and key, their values resolved. */
function readConditions(model: TemplateModel | undefined, raw: unknown): Array<{ key: string; test: ConditionTest }> {
  const out: Array<{ key: string; test: ConditionTest }> = [];
  if (!isObject(raw)) return out;
  for (const [op, body] of Object.entries(raw)) {
    if (!isObject(body)) continue;
    const setMatch = /^(ForAnyValue|ForAllValues):/.exec(op);
    const set = setMatch ? (setMatch[1] === 'ForAllValues' ? 'all' : 'any') : undefined;
    let operator = op.replace(/^(ForAnyValue|ForAllValues):/, '');
    const ifExists = operator.endsWith('IfExists');
    if (ifExists) operator = operator.slice(0, -'IfExists'.length);
    for (const [key, rawValues] of Object.entries(body)) {
      const read = readValues(model, rawValues);
      out.push({ key, test: { operator, ifExists, set, values: read.values, unknownValue: read.unknown } });
    }
  }
  return out;
}

function readValues(model: TemplateModel | undefined, raw: unknown): { values?: Array<string | number | boolean>; unknown?: string } {
  const values: Array<string | number | boolean> = [];
  for (const item of Array.isArray(raw) ? raw : [raw]) {
    if (typeof item === 'string' || typeof item === 'number' || typeof item === 'boolean') {
      values.push(item);
      continue;
    }
    if (!model) return { unknown: describe(item) };
    for (const v of model.resolve(item)) {
      if (v.kind === 'known' && (typeof v.value === 'string' || typeof v.value === 'number' || typeof v.value === 'boolean')) values.push(v.value);
      else return { unknown: describeUnknownValue(v) };
    }
  }
  return { values };
}

/** `the parameter MaxHops (default 1)` and the like. */
function describeUnknownValue(v: Value): string {
  if (v.kind === 'unknown' && v.parameter) {
    const d = v.parameter.defaultValue;
    return `the parameter ${v.parameter.name}${d !== undefined ? ` (default ${typeof d === 'string' || typeof d === 'number' ? d : describe(d)})` : ''}`;
  }
  if (v.kind === 'unknown') return v.why;
  if (v.kind === 'known') return `the value ${describe(v.value)}`;
  if (v.kind === 'ref') return `an attribute of ${v.logicalId}`;
  return 'absent';
}

/** The policy documents of a resource: its own, and the inline policies of roles, users and groups. */
function policyDocuments(type: string, p: Record<string, unknown>): unknown[] {
  if (type === 'AWS::Organizations::Policy') return [parsed(p.Content)];
  if (type === 'AWS::IAM::ManagedPolicy' || type === 'AWS::IAM::Policy') return [parsed(p.PolicyDocument)];
  const inline = Array.isArray(p.Policies) ? p.Policies : [];
  return inline.map((x) => (isObject(x) ? parsed(x.PolicyDocument) : undefined));
}

function parsed(doc: unknown): unknown {
  if (typeof doc !== 'string') return doc;
  try {
    return JSON.parse(doc);
  } catch {
    return undefined;
  }
}

/**
 * Whether the app's policies judge a launch kind's RunInstances request, and why. Service-linked
 * roles are not bound by service control policies ("SCPs do not affect service-linked roles", AWS
 * Organizations User Guide) nor, in practice, by the customer's identity policies, which cannot be
 * attached to them.
 */
export interface RunInstancesCheck {
  /**
   * `caller`: the deploying principal's request is judged, with the values the launch sets;
   * `service`: a service launches with its own role; `unknown`: AWS does not say.
   */
  readonly by: 'caller' | 'service' | 'unknown';
  readonly why: string;
}

/** The hop limits a policy document denies `ec2:RunInstances` above: the lowest known one, and those known only at deployment. */
export interface DeniedHopLimits {
  readonly lowest?: number;
  /** Each maximum that cannot be read, described (`the parameter MaxHops (default 1)`). */
  readonly unknown: string[];
}

/**
 * The `NumericGreaterThan ec2:MetadataHttpPutResponseHopLimit N` maximums of the Deny
 * `ec2:RunInstances` statements of a policy document. With the template, N may be an intrinsic
 * (`Ref` to a parameter, `Fn::Join`, ...): what evaluates to a number counts, anything else is
 * returned as unknown rather than ignored.
 */
export function hopLimitsDenied(doc: unknown, model?: TemplateModel): DeniedHopLimits {
  const policies = new AppPolicies([]);
  policies.read(doc, model, '', '');
  let lowest: number | undefined;
  const unknown: string[] = [];
  for (const g of policies.guardsOn('HttpPutResponseHopLimit')) {
    for (const t of g.tests) {
      if (t.operator !== 'NumericGreaterThan') continue;
      if (!t.values) {
        unknown.push(t.unknownValue ?? 'a value known only at deployment');
        continue;
      }
      for (const v of t.values) {
        const n = toNumber(v);
        if (!Number.isFinite(n)) unknown.push(`the value ${describe(v)}, which is not a number`);
        else if (lowest === undefined || n < lowest) lowest = n;
      }
    }
  }
  return { lowest, unknown };
}

/** The lowest N of the statements in a policy document that Deny `ec2:RunInstances` with `NumericGreaterThan ec2:MetadataHttpPutResponseHopLimit N`. */
export function lowestHopLimitDenied(doc: unknown): number | undefined {
  return hopLimitsDenied(doc).lowest;
}

const CALLER_CLOUDFORMATION: RunInstancesCheck = {
  by: 'caller',
  why: 'CloudFormation calls RunInstances with the credentials of the principal that deploys the stack (or its service role)',
};

/** Per launch resource type: whose RunInstances request the app's policies judge (README, "Enforcement model"). */
const RUN_INSTANCES_CHECKS: Readonly<Record<string, RunInstancesCheck>> = {
  'AWS::EC2::Instance': CALLER_CLOUDFORMATION,
  // A launch template on its own is checked as the RunInstances launch it describes.
  'AWS::EC2::LaunchTemplate': { by: 'caller', why: 'a launch template on its own is checked as a RunInstances launch from it' },
  'AWS::AutoScaling::LaunchConfiguration': {
    by: 'service',
    why: 'Auto Scaling launches from a launch configuration with its service-linked role and checks no ec2:RunInstances permission of the caller',
  },
  'AWS::EKS::Nodegroup': { by: 'service', why: 'EKS launches managed nodes through the service-linked role AWSServiceRoleForAmazonEKSNodegroup' },
  'AWS::ImageBuilder::InfrastructureConfiguration': { by: 'service', why: 'Image Builder launches build instances with its service-linked role AWSServiceRoleForImageBuilder' },
  'AWS::SageMaker::NotebookInstance': { by: 'service', why: 'SageMaker runs notebook instances in a service account' },
  'AWS::AppStream::Fleet': { by: 'service', why: 'AppStream runs fleet instances in a service account' },
  'AWS::AppStream::ImageBuilder': { by: 'service', why: 'AppStream runs image builders in a service account' },
  'AWS::AppStream::AppBlockBuilder': { by: 'service', why: 'AppStream runs app block builders in a service account' },
  // Elastic Beanstalk creates an environment's Auto Scaling group and launch template with the
  // caller's permissions ("the user must have permission to create the AWS resources that power
  // the environment", "Controlling access to Elastic Beanstalk"); AWS says no more. EMR launches
  // with the cluster's service role, and AWS does not say what its requests carry.
  'AWS::ElasticBeanstalk::Environment': {
    by: 'unknown',
    why: 'AWS does not say whether an Elastic Beanstalk environment\'s ec2:RunInstances request is judged, nor with which metadata options',
  },
  'AWS::ElasticBeanstalk::ConfigurationTemplate': {
    by: 'unknown',
    why: 'AWS does not say whether an Elastic Beanstalk environment\'s ec2:RunInstances request is judged, nor with which metadata options',
  },
  'AWS::EMR::Cluster': {
    by: 'unknown',
    why: 'Amazon EMR launches with the cluster\'s service role; AWS does not say which metadata options its ec2:RunInstances requests carry',
  },
};

const UNKNOWN_CHECK: RunInstancesCheck = { by: 'unknown', why: 'AWS does not document whose ec2:RunInstances permissions are checked for this launch kind' };

/** Whether the app's policies judge the RunInstances request of a launch of this resource type. */
export function runInstancesCheck(type: string, usesLaunchConfiguration: boolean): RunInstancesCheck {
  if (type === 'AWS::AutoScaling::AutoScalingGroup') return usesLaunchConfiguration ? RUN_INSTANCES_CHECKS['AWS::AutoScaling::LaunchConfiguration'] : AUTO_SCALING_LAUNCH_TEMPLATE;
  return RUN_INSTANCES_CHECKS[type] ?? UNKNOWN_CHECK;
}

/**
 * Auto Scaling dry-runs RunInstances with the caller's permissions against the launch template
 * version when the group is created or updated (Auto Scaling User Guide, "Launch template
 * support": "we issue an Amazon EC2 RunInstances dry run call to validate whether the user has the
 * required permissions"), and AWS's example policies require IMDSv2 of such groups through
 * `ec2:MetadataHttpTokens` ("Restrictions on the use of IMDSv1 on IAM principals for RunInstances
 * are only checked when an Auto Scaling group that is using a launch template, is created or
 * updated", EC2 User Guide): the template's values are the request's.
 */
const AUTO_SCALING_LAUNCH_TEMPLATE: RunInstancesCheck = {
  by: 'caller',
  why: 'Auto Scaling checks the caller\'s ec2:RunInstances permissions against the launch template when the group is created or updated',
};
