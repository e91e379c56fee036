/**
 * The metadata options a launch really gets, and where each comes from.
 *
 * Per option, evaluated separately (EC2 User Guide, "Order of precedence for instance metadata
 * options"): 1. the launch (instance, launch template, launch configuration, fleet override);
 * 2. the account default for the Region; 3. the AMI (`ImdsSupport: v2.0` gives HttpTokens
 * `required` and hop limit 2); 4. the AWS default.
 */
import { AppModel } from './app-model';
import { Launch, LaunchVariant, OPTION_NAMES, OptionLayer, OptionName } from './launches';
import { Location, describe, isObject } from './template-model';

/** Where an effective value comes from. */
export type OptionSource = 'launch' | 'account default' | 'AMI' | 'AWS default' | 'service default';

/** One possible effective value of one option. */
export interface EffectiveValue {
  /** `required`/`optional`, `enabled`/`disabled`, or the hop limit; undefined when unknown. */
  readonly value?: string | number;
  /** Why the value cannot be known. */
  readonly unknown?: string;
  readonly source: OptionSource;
  /** Where the value is set (the launch property or the account defaults resource). */
  readonly at?: Location;
  /** What set it, for messages: e.g. `the AMI (an Amazon Linux 2023 AMI ...)`. */
  readonly detail?: string;
}

/** The possible effective values of each option (several when `Fn::If` leaves a choice). */
export type EffectiveOptions = Readonly<Record<OptionName, readonly EffectiveValue[]>>;

/** What the precedence may trust besides the launch itself. */
export interface PrecedenceOptions {
  readonly trustAccountDefaults: boolean;
  readonly trustImageImdsSupport: boolean;
}

const AWS_DEFAULTS: Readonly<Record<OptionName, string | number>> = {
  HttpTokens: 'optional',
  HttpPutResponseHopLimit: 1,
  HttpEndpoint: 'enabled',
  HttpProtocolIpv6: 'disabled',
  InstanceMetadataTags: 'disabled',
};

/** Values a launch sets itself, before the other layers. */
export interface LaunchSetting {
  readonly state: 'set' | 'unset' | 'unknown';
  readonly value?: string | number;
  readonly why?: string;
  readonly at?: Location;
}

const UNSET: LaunchSetting = { state: 'unset' };

/** What a layer's options expression evaluates to, and the location of each option; read once per layer. */
interface LayerCache {
  readonly objects: Array<Record<string, unknown> | undefined | { kind: 'unknown'; why: string }>;
  readonly at: Map<string, Location>;
}
const LAYER_CACHE = new WeakMap<OptionLayer, LayerCache>();

function layerCache(layer: OptionLayer): LayerCache {
  let c = LAYER_CACHE.get(layer);
  if (!c) {
    c = { objects: objectsOf(layer), at: new Map() };
    LAYER_CACHE.set(layer, c);
  }
  return c;
}

function locationOf(layer: OptionLayer, option: string): Location {
  const c = layerCache(layer);
  let at = c.at.get(option);
  if (!at) {
    at = { model: layer.model, logicalId: layer.logicalId, path: option && !layer.translate ? `${layer.path}/${option}` : layer.path };
    c.at.set(option, at);
  }
  return at;
}

/** The launch-level settings of one option, one per alternative. */
export function launchSettings(variant: LaunchVariant, option: OptionName): LaunchSetting[] {
  if (variant.unreadable) return [{ state: 'unknown', why: variant.unreadable, at: variant.optionsAt }];
  const out: LaunchSetting[] = [];
  walkLayers(variant.layers, 0, option, out);
  return out;
}

function walkLayers(layers: readonly OptionLayer[], i: number, option: OptionName, out: LaunchSetting[]): void {
  if (out.length > 16) return;
  if (i >= layers.length) {
    out.push(UNSET);
    return;
  }
  const layer = layers[i];
  if (!layer.supported.has(option)) return walkLayers(layers, i + 1, option, out);
  for (const obj of layerCache(layer).objects) {
    if (obj === undefined) {
      walkLayers(layers, i + 1, option, out);
      continue;
    }
    if ('kind' in obj && obj.kind === 'unknown') {
      out.push({ state: 'unknown', why: `the metadata options are ${String(obj.why)}`, at: locationOf(layer, '') });
      continue;
    }
    const raw = (obj as Record<string, unknown>)[option];
    if (raw === undefined) {
      walkLayers(layers, i + 1, option, out);
      continue;
    }
    // Literals (the common case) need no evaluation.
    const values = raw !== null && typeof raw === 'object' ? layer.model.resolve(raw) : [{ kind: 'known' as const, value: raw }];
    for (const v of values) {
      if (v.kind === 'absent') {walkLayers(layers, i + 1, option, out);} else if (v.kind === 'unknown') {out.push({ state: 'unknown', why: v.why, at: locationOf(layer, option) });} else if (v.kind === 'ref') {out.push({ state: 'unknown', why: `an attribute of ${v.logicalId}`, at: locationOf(layer, option) });} else {
        const value = normalize(option, v.value);
        if (value === undefined) {
          layer.model.addProblem(layer.logicalId, `${layer.path}/${option}`, `${layer.path}/${option} of ${layer.logicalId} is ${describe(v.value)}, expected ${expected(option)}`);
          out.push({ state: 'unknown', why: `the value ${describe(v.value)} is not ${expected(option)}`, at: locationOf(layer, option) });
        } else {
          out.push({ state: 'set', value, at: locationOf(layer, option) });
        }
      }
    }
  }
}

/**
 * An effective value with every field present, in one order: the rules read many of them, and one
 * object shape keeps those reads fast.
 */
function effectiveValue(
  value: string | number | undefined,
  unknown: string | undefined,
  source: OptionSource,
  at: Location | undefined,
  detail: string | undefined,
): EffectiveValue {
  return { value, unknown, source, at, detail };
}

const AWS_DEFAULT_VALUES: Readonly<Record<OptionName, EffectiveValue>> = {
  HttpTokens: effectiveValue(AWS_DEFAULTS.HttpTokens, undefined, 'AWS default', undefined, undefined),
  HttpPutResponseHopLimit: effectiveValue(AWS_DEFAULTS.HttpPutResponseHopLimit, undefined, 'AWS default', undefined, undefined),
  HttpEndpoint: effectiveValue(AWS_DEFAULTS.HttpEndpoint, undefined, 'AWS default', undefined, undefined),
  HttpProtocolIpv6: effectiveValue(AWS_DEFAULTS.HttpProtocolIpv6, undefined, 'AWS default', undefined, undefined),
  InstanceMetadataTags: effectiveValue(AWS_DEFAULTS.InstanceMetadataTags, undefined, 'AWS default', undefined, undefined),
};

/** The effective values of every option of a variant. */
export function effectiveOptions(app: AppModel, launch: Launch, variant: LaunchVariant, options: PrecedenceOptions): EffectiveOptions {
  const result = {} as Record<OptionName, EffectiveValue[]>;
  const defaults = launch.accountLayers && options.trustAccountDefaults ? app.accountDefaultsFor(launch.model) : NO_DEFAULTS;
  // The AMI is read only when some option falls through to it.
  let ami: string | undefined | null = null;
  const amiV2 = (): string | undefined => {
    if (ami === null) {
      const images = launch.accountLayers && options.trustImageImdsSupport ? variant.images : [];
      ami = images.length > 0 && images.every((i) => i.support === 'v2') ? images[0].description : undefined;
    }
    return ami;
  };
  for (const option of OPTION_NAMES) {
    const values: EffectiveValue[] = [];
    for (const s of launchSettings(variant, option)) {
      if (s.state === 'set') values.push(effectiveValue(s.value, undefined, 'launch', s.at, undefined));
      else if (s.state === 'unknown') values.push(effectiveValue(undefined, s.why, 'launch', s.at, undefined));
      else values.push(belowLaunch(option, defaults, option === 'HttpTokens' || option === 'HttpPutResponseHopLimit' ? amiV2() : undefined, launch));
    }
    result[option] = values.length > 1 ? dedupe(values) : values;
  }
  return result;
}

const NO_DEFAULTS: ReturnType<AppModel['accountDefaultsFor']> = [];

function belowLaunch(option: OptionName, defaults: ReturnType<AppModel['accountDefaultsFor']>, ami: string | undefined, launch: Launch): EffectiveValue {
  for (const d of defaults) {
    const at: Location = { model: d.model, logicalId: d.logicalId, path: `Properties/${option}` };
    const unknown = d.unknownValues.get(option);
    if (unknown) return effectiveValue(undefined, unknown, 'account default', at, `the account default set by ${d.logicalId}`);
    const v = d.values.get(option);
    if (v !== undefined) {
      const value = normalize(option, v);
      if (value !== undefined) return effectiveValue(value, undefined, 'account default', at, `the account default set by ${d.logicalId}`);
    }
  }
  if (ami && option === 'HttpTokens') return effectiveValue('required', undefined, 'AMI', undefined, ami);
  if (ami && option === 'HttpPutResponseHopLimit') return effectiveValue(2, undefined, 'AMI', undefined, ami);
  if (launch.serviceDefault && option === 'HttpTokens') return effectiveValue('optional', undefined, 'service default', undefined, launch.serviceDefault);
  return AWS_DEFAULT_VALUES[option];
}

function normalize(option: OptionName, value: unknown): string | number | undefined {
  if (option === 'HttpPutResponseHopLimit') {
    if (typeof value === 'number') return value;
    if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
    return undefined;
  }
  if (typeof value !== 'string') return undefined;
  return value;
}

function expected(option: OptionName): string {
  switch (option) {
    case 'HttpPutResponseHopLimit':
      return 'a number from 1 to 64';
    case 'HttpTokens':
      return '"required" or "optional"';
    default:
      return '"enabled" or "disabled"';
  }
}

function objectsOf(layer: OptionLayer): Array<Record<string, unknown> | undefined | { kind: 'unknown'; why: string }> {
  if (layer.translate) {
    return layer.model.resolve(layer.raw).map((v) => {
      if (v.kind === 'absent') return undefined;
      if (v.kind === 'unknown') return { kind: 'unknown' as const, why: v.why };
      if (v.kind === 'ref') return { kind: 'unknown' as const, why: `an attribute of ${v.logicalId}` };
      const t = layer.translate!(v.value);
      return isObject(t) ? t : undefined;
    });
  }
  return layer.model.objects(layer.raw, layer.logicalId, layer.path) as Array<Record<string, unknown> | undefined | { kind: 'unknown'; why: string }>;
}


function dedupe(values: EffectiveValue[]): EffectiveValue[] {
  const seen = new Set<string>();
  return values.filter((v) => {
    const k = `${v.value}|${v.unknown}|${v.source}|${v.at?.logicalId}|${v.at?.path}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** "HttpTokens is "optional" (the AWS default)" and the like, for messages. */
export function describeSource(v: EffectiveValue): string {
  switch (v.source) {
    case 'launch':
      return `set by ${v.at?.logicalId} at ${v.at?.path}`;
    case 'account default':
      return v.detail ?? 'the account default';
    case 'AMI':
      return `from ${v.detail ?? 'the AMI'}`;
    case 'service default':
      return v.detail ?? 'the service default';
    default:
      return 'the AWS default, as nothing sets it';
  }
}
