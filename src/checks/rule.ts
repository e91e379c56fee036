/**
 * What a rule is: an ID, a level, and a check over one launch variant with its effective options.
 */
import { AppModel } from './app-model';
import { EffectiveOptions, EffectiveValue, LaunchSetting, launchSettings } from './effective-options';
import { GuardOutcome, PolicyRef, RequestGuard, RequestOption, evaluateGuard, runInstancesCheck } from './enforcement';
import { Launch, LaunchVariant } from './launches';
import { Location } from './template-model';

/** How bad a finding is. */
export type Level = 'error' | 'warning';

/** Settings of a check run. */
export interface CheckOptions {
  /** IMDS010 ("cannot verify") becomes an error. */
  readonly strict: boolean;
  /** The highest hop limit a launch may have. */
  readonly maxHopLimit?: number;
  /** Use `Custom::InstanceMetadataDefaults` resources of the app as the account-default layer. */
  readonly trustAccountDefaults: boolean;
  /** Treat AMIs marked by `Custom::ImageImdsSupport` as requiring IMDSv2. */
  readonly trustImageImdsSupport: boolean;
  /**
   * The IAM policies and service control policies of the app bind the principal that deploys its
   * launches: their RunInstances conditions judge each launch's request (enforcement.ts).
   */
  readonly assumePoliciesApply: boolean;
}

/** Everything a rule sees for one variant of one launch. */
export interface RuleContext {
  readonly app: AppModel;
  readonly launch: Launch;
  readonly variant: LaunchVariant;
  readonly effective: EffectiveOptions;
  readonly options: CheckOptions;
}

/** A finding as a rule reports it (the engine adds the rule ID and level). */
export interface RuleFinding {
  /** What is wrong and what to change; without the rule ID. */
  readonly message: string;
  /** The resource (and property) a user must change. */
  readonly at: Location;
  /** The level of this finding when it differs from the rule's (an IMDS012 the app's own policy turns into a failed deploy). */
  readonly level?: Level;
}

/** A rule of the catalogue. */
export interface Rule {
  readonly id: string;
  readonly level: Level;
  readonly title: string;
  /** What it catches, one sentence. */
  readonly catches: string;
  /** How to fix it, one sentence. */
  readonly fix: string;
  /** A CloudFormation fragment that triggers it. */
  readonly example: string;
  /** The findings on one variant; `NO_FINDINGS` (shared, never changed) when there are none. */
  check(ctx: RuleContext): readonly RuleFinding[];
}

/** What a rule returns when it finds nothing: one shared empty list instead of a new one per call. */
export const NO_FINDINGS: readonly RuleFinding[] = Object.freeze([]);

/** Whether some alternative has the value. */
export function hasValue(values: readonly EffectiveValue[], value: string | number): boolean {
  for (let i = 0; i < values.length; i++) if (values[i].value === value) return true;
  return false;
}

/** The first alternative with the value. */
export function withValue(values: readonly EffectiveValue[], value: string | number): EffectiveValue | undefined {
  for (let i = 0; i < values.length; i++) if (values[i].value === value) return values[i];
  return undefined;
}

/** Whether some alternative has a value (or no known value) other than the one given. */
export function hasOtherThan(values: readonly EffectiveValue[], value: string | number): boolean {
  for (let i = 0; i < values.length; i++) if (values[i].value !== value) return true;
  return false;
}

/** `Web (override 1)` and the like. */
export function launchName(ctx: RuleContext): string {
  const l = ctx.launch;
  return `${l.type} ${l.logicalId}${ctx.variant.label ? ` (${ctx.variant.label})` : ''}`;
}

/** Where to set an option of the variant, for messages. */
export function whereToSet(ctx: RuleContext): string {
  const at = ctx.variant.optionsAt;
  return `${at.logicalId} ${at.path}`;
}

/** Known values of an option, with their sources. */
export function knownValues(values: readonly EffectiveValue[]): EffectiveValue[] {
  return values.filter((v) => v.value !== undefined);
}

/** Whether the endpoint may be on (not known to be off) in some alternative. */
export function endpointMaybeOn(ctx: RuleContext): boolean {
  return hasOtherThan(ctx.effective.HttpEndpoint, 'disabled');
}

/** The endpoint alternatives known to be off. */
export function endpointOff(ctx: RuleContext): EffectiveValue | undefined {
  return withValue(ctx.effective.HttpEndpoint, 'disabled');
}

/**
 * Where a finding about two resources goes: on the options resource when the other fact comes
 * from it too, otherwise on the launch (the message then names the other resource).
 */
export function placeTogether(ctx: RuleContext, other: Location): Location {
  const opts = ctx.variant.optionsAt;
  if (other.model === opts.model && other.logicalId === opts.logicalId) return opts;
  return { model: ctx.launch.model, logicalId: ctx.launch.logicalId, path: other.model === ctx.launch.model && other.logicalId === ctx.launch.logicalId ? other.path : 'Properties' };
}

/** What one policy statement of the app says of one alternative of a variant's request. */
export interface RequestVerdict {
  readonly guard: RequestGuard;
  /** What the request carries for the option (`unset`: the key is missing). */
  readonly setting: LaunchSetting;
  readonly outcome: GuardOutcome;
}

const NO_VERDICTS: readonly RequestVerdict[] = Object.freeze([]);

/**
 * What the app's policies say of the RunInstances request of a variant for one option: one
 * verdict per statement that tests the option and per alternative of the request, denied or
 * "cannot verify" only. The request is what the launch itself sets (never the account default or
 * the AMI); a launch kind whose instances a service starts with its own role is not judged.
 */
export function requestDenials(ctx: RuleContext, option: RequestOption): readonly RequestVerdict[] {
  if (!ctx.options.assumePoliciesApply) return NO_VERDICTS;
  const guards = ctx.app.policies.guardsOn(option);
  if (guards.length === 0 || ctx.variant.unreadable) return NO_VERDICTS;
  const check = runInstancesCheck(ctx.launch.type, ctx.launch.launchConfiguration !== undefined);
  if (check.by === 'service') return NO_VERDICTS;
  const out: RequestVerdict[] = [];
  const settings = launchSettings(ctx.variant, option);
  for (const guard of guards) {
    for (const setting of settings) {
      // A value that cannot be read is IMDS010's already.
      if (setting.state === 'unknown') continue;
      let outcome = evaluateGuard(guard, setting.state === 'set' ? setting.value : undefined);
      if (outcome.kind === 'denied' && check.by === 'unknown') outcome = { kind: 'cannot verify', why: check.why };
      if (outcome.kind !== 'allowed') out.push({ guard, setting, outcome });
    }
  }
  return out.length > 0 ? out : NO_VERDICTS;
}

/** `policy Guard (AWS::IAM::ManagedPolicy)`, or with its statement `policy Guard (AWS::IAM::ManagedPolicy, statement NoLc)`. */
export function describePolicy(p: PolicyRef, withStatement = false): string {
  return `policy ${p.logicalId} (${p.type}${withStatement && p.sid ? `, statement ${p.sid}` : ''})`;
}
