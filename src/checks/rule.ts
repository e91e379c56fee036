/**
 * What a rule is: an ID, a level, and a check over one launch variant with its effective options.
 */
import { AppModel } from './app-model';
import { EffectiveOptions, EffectiveValue } from './effective-options';
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
