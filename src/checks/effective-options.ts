/**
 * The metadata options a launch really gets, and where each comes from.
 *
 * Per option, evaluated separately (EC2 User Guide, "Order of precedence for instance metadata
 * options"): 1. the launch (instance, launch template, launch configuration, fleet override);
 * 2. the account default for the Region; 3. the AMI (`ImdsSupport: v2.0` gives HttpTokens
 * `required` and hop limit 2); 4. the AWS default.
 */
import { AppModel } from './app-model';
import { ImageFact, Launch, LaunchVariant, OPTION_NAMES, OptionLayer, OptionName } from './launches';
import { Location, describe, isObject } from './template-model';
import { HOP_LIMIT_RANGE } from '../private/hop-limit';

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

/**
 * What one layer says about one option, one entry per alternative, in order: a value set at the
 * launch level (source `launch`), or `NEXT_LAYER` where the option falls through to the next
 * layer. Read once per layer and option: launches that share a launch template share its reading.
 */
type LayerItem = EffectiveValue | typeof NEXT_LAYER;

/** A value of the wrong type: the problem is recorded every time a launch reads it, as before. */
interface ProblemItem {
  readonly value: EffectiveValue;
  readonly problemPath: string;
  readonly problem: string;
}

/** The reading of a layer. */
interface LayerReading {
  /** Per option (in `OPTION_NAMES` order): the items of the layer. */
  readonly items: Array<ReadonlyArray<LayerItem | ProblemItem> | undefined>;
  readonly objects: ReadonlyArray<Record<string, unknown> | undefined | { kind: 'unknown'; why: string }>;
}

const NEXT_LAYER = 0 as const;

/**
 * The readings of the layers seen so far. A launch template's layer is one object however many
 * launches use it, so they share its reading.
 */
const READINGS = new WeakMap<OptionLayer, LayerReading>();

function readingOf(layer: OptionLayer): LayerReading {
  let r = READINGS.get(layer);
  if (r === undefined) {
    r = { items: [undefined, undefined, undefined, undefined, undefined], objects: objectsOf(layer) };
    READINGS.set(layer, r);
  }
  return r;
}

/** What a layer says about one option (see `LayerItem`). */
function layerItems(layer: OptionLayer, option: OptionName, index: number): ReadonlyArray<LayerItem | ProblemItem> {
  const reading = readingOf(layer);
  const cached = reading.items[index];
  if (cached !== undefined) return cached;
  const out: Array<LayerItem | ProblemItem> = [];
  for (const obj of reading.objects) {
    if (obj === undefined) {
      out.push(NEXT_LAYER);
      continue;
    }
    if ('kind' in obj && obj.kind === 'unknown') {
      out.push(launchValue(undefined, `set by metadata options that are ${String(obj.why)}`, locationAt(layer, '')));
      continue;
    }
    const raw = (obj as Record<string, unknown>)[option];
    if (raw === undefined) {
      out.push(NEXT_LAYER);
      continue;
    }
    for (const v of layer.model.resolve(raw)) {
      if (v.kind === 'absent') out.push(NEXT_LAYER);
      else if (v.kind === 'unknown') out.push(launchValue(undefined, v.why, locationAt(layer, option)));
      else if (v.kind === 'ref') out.push(launchValue(undefined, `an attribute of ${v.logicalId}`, locationAt(layer, option)));
      else out.push(knownItem(layer, option, v.value));
    }
  }
  reading.items[index] = out;
  return out;
}

function knownItem(layer: OptionLayer, option: OptionName, raw: unknown): EffectiveValue | ProblemItem {
  const value = normalize(option, raw);
  if (value !== undefined) return launchValue(value, undefined, locationAt(layer, option));
  return {
    value: launchValue(undefined, `the value ${describe(raw)} is not ${expected(option)}`, locationAt(layer, option)),
    problemPath: `${layer.path}/${option}`,
    problem: `${layer.path}/${option} of ${layer.logicalId} is ${describe(raw)}, expected ${expected(option)}`,
  };
}

function launchValue(value: string | number | undefined, why: string | undefined, at: Location): EffectiveValue {
  return effectiveValue(value, why, 'launch', at, undefined);
}

function locationAt(layer: OptionLayer, option: string): Location {
  return { model: layer.model, logicalId: layer.logicalId, path: option && !layer.translate ? `${layer.path}/${option}` : layer.path };
}

/** The launch-level settings of one option, one per alternative. */
export function launchSettings(variant: LaunchVariant, option: OptionName): LaunchSetting[] {
  if (variant.unreadable) return [{ state: 'unknown', why: variant.unreadable, at: variant.optionsAt }];
  const out: EffectiveValue[] = [];
  walkLayers(variant.layers, 0, option, OPTION_NAMES.indexOf(option), out);
  return out.map((v) => (v === UNSET_VALUE ? UNSET : v.value !== undefined ? { state: 'set', value: v.value, at: v.at } : { state: 'unknown', why: v.unknown, at: v.at }));
}

/** Stands for "no layer sets it" in `walkLayers` output; replaced by what lies below the launch. */
const UNSET_VALUE: EffectiveValue = { value: undefined, unknown: undefined, source: 'launch', at: undefined, detail: undefined };

/**
 * The launch-level values of one option: each layer in turn until one sets it, every alternative
 * followed; at most a few more than 16 alternatives.
 */
function walkLayers(layers: readonly OptionLayer[], i: number, option: OptionName, index: number, out: EffectiveValue[]): void {
  if (out.length > 16) return;
  if (i >= layers.length) {
    out.push(UNSET_VALUE);
    return;
  }
  const layer = layers[i];
  // An options property that is not there (the common case for a launch's own layer) says nothing.
  if (layer.raw === undefined || !layer.supported.has(option)) return walkLayers(layers, i + 1, option, index, out);
  const items = layerItems(layer, option, index);
  for (let k = 0; k < items.length; k++) {
    const item = items[k];
    if (item === NEXT_LAYER) {
      walkLayers(layers, i + 1, option, index, out);
    } else if ('problem' in item) {
      layer.model.addProblem(layer.logicalId, item.problemPath, item.problem);
      out.push(item.value);
    } else {
      out.push(item);
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
  const defaults = launch.accountLayers && options.trustAccountDefaults ? app.accountDefaultsFor(launch.model) : NO_DEFAULTS;
  const below: BelowLaunch = { defaults, launch, variant, amiApplies: launch.accountLayers, trustMarked: options.trustImageImdsSupport, ami: null };
  return {
    HttpTokens: optionValues(variant, 'HttpTokens', 0, below),
    HttpPutResponseHopLimit: optionValues(variant, 'HttpPutResponseHopLimit', 1, below),
    HttpEndpoint: optionValues(variant, 'HttpEndpoint', 2, below),
    HttpProtocolIpv6: optionValues(variant, 'HttpProtocolIpv6', 3, below),
    InstanceMetadataTags: optionValues(variant, 'InstanceMetadataTags', 4, below),
  };
}

/** What lies below the launch level for one variant; the AMI is read only when some option falls through to it. */
interface BelowLaunch {
  readonly defaults: ReturnType<AppModel['accountDefaultsFor']>;
  readonly launch: Launch;
  readonly variant: LaunchVariant;
  /** Whether the AMI layer applies at all (not to service-managed instances). */
  readonly amiApplies: boolean;
  /** Whether an AMI marked by an `ImageImdsSupport` of the app counts (`trustImageImdsSupport`); AWS's own families always do. */
  readonly trustMarked: boolean;
  /** The AMI that requires IMDSv2, undefined for none; null until read. */
  ami: ImageFact | undefined | null;
}

function amiV2(b: BelowLaunch): ImageFact | undefined {
  if (b.ami === null) {
    const images = b.amiApplies ? b.variant.images : [];
    let v2 = images.length > 0;
    for (let i = 0; v2 && i < images.length; i++) v2 = images[i].support === 'v2' && (b.trustMarked || !images[i].markedInApp);
    b.ami = v2 ? images[0] : undefined;
  }
  return b.ami;
}

function optionValues(variant: LaunchVariant, option: OptionName, index: number, below: BelowLaunch): readonly EffectiveValue[] {
  if (variant.unreadable) return [effectiveValue(undefined, variant.unreadable, 'launch', variant.optionsAt, undefined)];
  const values: EffectiveValue[] = [];
  walkLayers(variant.layers, 0, option, index, values);
  for (let i = 0; i < values.length; i++) {
    if (values[i] === UNSET_VALUE) values[i] = belowLaunch(option, below.defaults, index <= 1 ? amiV2(below) : undefined, below.launch);
  }
  return values.length > 1 ? dedupe(values) : values;
}

const NO_DEFAULTS: ReturnType<AppModel['accountDefaultsFor']> = [];

function belowLaunch(option: OptionName, defaults: ReturnType<AppModel['accountDefaultsFor']>, ami: ImageFact | undefined, launch: Launch): EffectiveValue {
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
  if (ami && option === 'HttpTokens') return effectiveValue('required', undefined, 'AMI', undefined, ami.description);
  // ImdsSupport v2.0 gives hop limit 2; EKS gives its managed node groups 1 (`images.ts`).
  if (ami && option === 'HttpPutResponseHopLimit') return effectiveValue(ami.hopLimit ?? 2, undefined, 'AMI', undefined, ami.description);
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
      return HOP_LIMIT_RANGE;
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
