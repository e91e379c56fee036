/**
 * The contract of `Custom::InstanceMetadataDefaults`: its resource type and the names and values
 * of the properties that the `InstanceMetadataDefaults` construct writes, its handler parses and
 * the template checker (`checks/app-model.ts`) reads. Each name is defined here only.
 *
 * CloudFormation hands every property value to the handler as a string, so the handler parses
 * them with `parseDefaultsProperties`, which rejects anything the construct would not write.
 *
 * Imports only the hop-limit range (itself without imports): the handler bundle and the checker
 * both load this module.
 */

import { HOP_LIMIT_MAX, HOP_LIMIT_MIN, isValidHopLimit } from '../../private/hop-limit';

/** The CloudFormation resource type of the account defaults custom resource. */
export const INSTANCE_METADATA_DEFAULTS_RESOURCE_TYPE = 'Custom::InstanceMetadataDefaults';

/** Property listing the Regions to manage. */
export const REGIONS_PROPERTY = 'Regions';
/** Property that asks for every Region enabled in the account, instead of `Regions`. */
export const ALL_REGIONS_PROPERTY = 'AllRegions';
/** The value of `AllRegions` when present. */
export const ALL_REGIONS_VALUE = 'true';
/** Property choosing what Delete does with the settings. */
export const REMOVAL_POLICY_PROPERTY = 'RemovalPolicy';

/** Value of a setting meaning "no preference" in the EC2 API and in the properties. */
export const NO_PREFERENCE = 'no-preference';

/** Hop limit value meaning "no preference" in the EC2 API and in `HttpPutResponseHopLimit`. */
export const HOP_LIMIT_NO_PREFERENCE = -1;

/** Values of `HttpTokens`. */
export const HTTP_TOKENS_VALUES = ['optional', 'required', 'no-preference'] as const;
/** Values of `HttpEndpoint`, `InstanceMetadataTags` and `HttpTokensEnforced`. */
export const ON_OFF_VALUES = ['enabled', 'disabled', 'no-preference'] as const;
/** Values of `RemovalPolicy`. */
export const REMOVAL_POLICY_VALUES = ['destroy', 'retain'] as const;

/**
 * `ResourceProperties` of `Custom::InstanceMetadataDefaults`, as the construct writes them.
 *
 * A field left out is not managed: never sent to EC2 and never restored.
 */
export interface InstanceMetadataDefaultsResourceProperties {
  /** `optional` | `required` | `no-preference`. */
  readonly HttpTokens?: string;
  /** 1–64, or -1 for no preference. A string once CloudFormation has passed it on. */
  readonly HttpPutResponseHopLimit?: number | string;
  /** `enabled` | `disabled` | `no-preference`. */
  readonly HttpEndpoint?: string;
  /** `enabled` | `disabled` | `no-preference`. */
  readonly InstanceMetadataTags?: string;
  /** `enabled` | `disabled` | `no-preference`; absent = not managed. */
  readonly HttpTokensEnforced?: string;
  /**
   * The Regions to manage. The construct's default is the stack's Region: `[Aws.REGION]`
   * (`{ Ref: AWS::Region }`) in an environment-agnostic stack, the literal Region otherwise.
   * Absent with `AllRegions`.
   */
  readonly [REGIONS_PROPERTY]?: string[];
  /** `'true'`: every Region enabled in the account (DescribeRegions). Absent otherwise. */
  readonly [ALL_REGIONS_PROPERTY]?: typeof ALL_REGIONS_VALUE;
  /** `destroy`: Delete restores the values found before Create. `retain`: Delete leaves them. */
  readonly [REMOVAL_POLICY_PROPERTY]: string;
}

/** The five account-level settings, as the handler works with them. Absent = no preference. */
export interface DefaultsValues {
  readonly HttpTokens?: string;
  readonly HttpPutResponseHopLimit?: number;
  readonly HttpEndpoint?: string;
  readonly InstanceMetadataTags?: string;
  readonly HttpTokensEnforced?: string;
}

/**
 * The names of the five settings, in a fixed order: properties of the resource and fields of
 * `DefaultsValues` alike.
 */
export const DEFAULTS_FIELDS = [
  'HttpTokens',
  'HttpPutResponseHopLimit',
  'HttpEndpoint',
  'InstanceMetadataTags',
  'HttpTokensEnforced',
] as const satisfies ReadonlyArray<keyof InstanceMetadataDefaultsResourceProperties & keyof DefaultsValues>;

/** One of the five settings. */
export type DefaultsField = (typeof DEFAULTS_FIELDS)[number];

/**
 * The desired state parsed from `ResourceProperties`.
 *
 * `managed` holds only the fields the user set; a field set to "no preference" holds
 * `'no-preference'` (or -1 for the hop limit).
 */
export interface ParsedDefaultsProperties {
  readonly managed: { readonly [field in DefaultsField]?: string | number };
  /** Literal Regions, or undefined when every enabled Region is asked for. */
  readonly regions?: string[];
  readonly allRegions: boolean;
  readonly removalPolicy: 'destroy' | 'retain';
}

/** Region names as AWS spells them, e.g. `us-east-1`, `ap-southeast-7`, `us-gov-west-1`. */
export const REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

/**
 * Parse and check `ResourceProperties` (values may arrive as strings).
 *
 * @throws Error naming the property, the value and what is allowed
 */
export function parseDefaultsProperties(props: unknown): ParsedDefaultsProperties {
  if (typeof props !== 'object' || props === null) {
    throw new Error(`ResourceProperties is ${JSON.stringify(props)}: expected an object`);
  }
  const p = props as Record<string, unknown>;
  const managed: { [field in DefaultsField]?: string | number } = {};

  const oneOf = (name: DefaultsField, allowed: readonly string[]) => {
    const v = p[name];
    if (v === undefined) return;
    if (typeof v !== 'string' || !allowed.includes(v)) {
      throw new Error(`${name} is ${JSON.stringify(v)}: allowed values are ${allowed.join(', ')} (or leave it out to not manage it)`);
    }
    managed[name] = v;
  };
  oneOf('HttpTokens', HTTP_TOKENS_VALUES);
  oneOf('HttpEndpoint', ON_OFF_VALUES);
  oneOf('InstanceMetadataTags', ON_OFF_VALUES);
  oneOf('HttpTokensEnforced', ON_OFF_VALUES);

  const hop = p.HttpPutResponseHopLimit;
  if (hop !== undefined) {
    const n = typeof hop === 'number' ? hop : typeof hop === 'string' && /^-?\d+$/.test(hop.trim()) ? Number(hop.trim()) : NaN;
    if (!(n === HOP_LIMIT_NO_PREFERENCE || isValidHopLimit(n))) {
      throw new Error(
        `HttpPutResponseHopLimit is ${JSON.stringify(hop)}: allowed values are whole numbers from ${HOP_LIMIT_MIN} to ${HOP_LIMIT_MAX}, or ${HOP_LIMIT_NO_PREFERENCE} for no preference`,
      );
    }
    managed.HttpPutResponseHopLimit = n;
  }

  const all = p[ALL_REGIONS_PROPERTY];
  const allRegions = all !== undefined;
  if (allRegions && all !== ALL_REGIONS_VALUE && all !== true) {
    throw new Error(`${ALL_REGIONS_PROPERTY} is ${JSON.stringify(all)}: the only allowed value is '${ALL_REGIONS_VALUE}'`);
  }
  let regions: string[] | undefined;
  const r = p[REGIONS_PROPERTY];
  if (allRegions) {
    if (r !== undefined) {
      throw new Error(`${REGIONS_PROPERTY} is ${JSON.stringify(r)} while ${ALL_REGIONS_PROPERTY} is '${ALL_REGIONS_VALUE}': give one or the other`);
    }
  } else {
    if (!Array.isArray(r) || r.length === 0) {
      throw new Error(`${REGIONS_PROPERTY} is ${JSON.stringify(r)}: expected a non-empty list of Region names, or ${ALL_REGIONS_PROPERTY} '${ALL_REGIONS_VALUE}'`);
    }
    const seen = new Set<string>();
    for (const region of r) {
      if (typeof region !== 'string' || !REGION_PATTERN.test(region)) {
        throw new Error(`${REGIONS_PROPERTY} contains ${JSON.stringify(region)}: expected a Region name such as us-east-1`);
      }
      if (seen.has(region)) {
        throw new Error(`${REGIONS_PROPERTY} contains ${region} twice: list each Region once`);
      }
      seen.add(region);
    }
    regions = [...r] as string[];
  }

  const rp = p[REMOVAL_POLICY_PROPERTY];
  if (typeof rp !== 'string' || !(REMOVAL_POLICY_VALUES as readonly string[]).includes(rp)) {
    throw new Error(`${REMOVAL_POLICY_PROPERTY} is ${JSON.stringify(rp)}: allowed values are ${REMOVAL_POLICY_VALUES.join(', ')}`);
  }

  if (Object.keys(managed).length === 0) {
    throw new Error(
      `none of ${DEFAULTS_FIELDS.join(', ')} is set: nothing to manage (set at least one, to a value or to no preference)`,
    );
  }
  return { managed, regions, allRegions, removalPolicy: rp as 'destroy' | 'retain' };
}
