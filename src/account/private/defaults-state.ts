/**
 * What `Custom::InstanceMetadataDefaults` found before it changed anything, carried in its
 * physical resource ID (CloudFormation does not send `Data` back on Delete, and no external
 * store is used).
 *
 * Format: `imds-defaults:1:` then groups separated by `;`, each `<values>=<region>,<region>...`
 * where `<values>` is five characters-or-digits in this order:
 * HttpTokens (`o` optional, `r` required), HttpEndpoint, InstanceMetadataTags and
 * HttpTokensEnforced (`e` enabled, `d` disabled), each `n` for no preference, then the hop limit
 * (digits, or `n`). Regions with the same values share a group, which keeps the ID short.
 */
import { DefaultsValues, REGION_PATTERN } from './defaults-contract';
import { HOP_LIMIT_MAX, HOP_LIMIT_MIN, isValidHopLimit } from '../../private/hop-limit';

/** Prefix of every physical resource ID this handler returns. */
export const STATE_PREFIX = 'imds-defaults:1:';

/** CloudFormation's limit on a physical resource ID. */
export const PHYSICAL_ID_MAX_LENGTH = 1024;

const TOKENS: Record<string, string> = { optional: 'o', required: 'r' };
const ON_OFF: Record<string, string> = { enabled: 'e', disabled: 'd' };

function code(table: Record<string, string>, value: string | undefined, name: string): string {
  if (value === undefined || value === 'no-preference') return 'n';
  const c = table[value];
  if (c === undefined) throw new Error(`${name} is ${JSON.stringify(value)}: not a value this resource can record`);
  return c;
}

function uncode(table: Record<string, string>, c: string): string | undefined {
  if (c === 'n') return undefined;
  const entry = Object.entries(table).find(([, v]) => v === c);
  if (!entry) throw new Error(`unknown code ${JSON.stringify(c)}`);
  return entry[0];
}

/** Encode one Region's values. */
export function encodeValues(v: DefaultsValues): string {
  const hop = v.HttpPutResponseHopLimit;
  return (
    code(TOKENS, v.HttpTokens, 'HttpTokens') +
    code(ON_OFF, v.HttpEndpoint, 'HttpEndpoint') +
    code(ON_OFF, v.InstanceMetadataTags, 'InstanceMetadataTags') +
    code(ON_OFF, v.HttpTokensEnforced, 'HttpTokensEnforced') +
    (hop === undefined || hop === -1 ? 'n' : String(hop))
  );
}

/** Decode one Region's values. */
export function decodeValues(s: string): DefaultsValues {
  const m = /^([orn])([edn])([edn])([edn])(n|\d{1,2})$/.exec(s);
  if (!m) throw new Error(`not a recorded value set: ${JSON.stringify(s)}`);
  const hop = m[5] === 'n' ? undefined : Number(m[5]);
  if (hop !== undefined && !isValidHopLimit(hop)) {
    throw new Error(`recorded hop limit ${hop} is outside ${HOP_LIMIT_MIN}-${HOP_LIMIT_MAX}`);
  }
  return prune({
    HttpTokens: uncode(TOKENS, m[1]),
    HttpEndpoint: uncode(ON_OFF, m[2]),
    InstanceMetadataTags: uncode(ON_OFF, m[3]),
    HttpTokensEnforced: uncode(ON_OFF, m[4]),
    HttpPutResponseHopLimit: hop,
  });
}

/** Drop absent fields, so that equal values compare equal. */
export function prune(v: DefaultsValues): DefaultsValues {
  const out: Record<string, unknown> = {};
  for (const [k, val] of Object.entries(v)) {
    if (val !== undefined) out[k] = val;
  }
  return out as DefaultsValues;
}

/**
 * Encode the values found per Region into a physical resource ID.
 *
 * @throws Error when the result would exceed CloudFormation's 1 KB limit
 */
export function encodeState(found: ReadonlyMap<string, DefaultsValues>): string {
  const groups = new Map<string, string[]>();
  for (const region of [...found.keys()].sort()) {
    const key = encodeValues(found.get(region)!);
    groups.set(key, [...(groups.get(key) ?? []), region]);
  }
  const body = [...groups.entries()].map(([values, regions]) => `${values}=${regions.join(',')}`).join(';');
  const id = STATE_PREFIX + body;
  if (id.length > PHYSICAL_ID_MAX_LENGTH) {
    throw new Error(
      `the previous settings of ${found.size} Regions take ${id.length} characters, more than the ${PHYSICAL_ID_MAX_LENGTH} a physical resource ID may hold: split the Regions over several InstanceMetadataDefaults in different stacks`,
    );
  }
  return id;
}

/**
 * Decode a physical resource ID written by `encodeState`.
 *
 * @returns the values per Region, or undefined when the ID is not one of ours (e.g. the ID
 * CloudFormation gives a resource whose Create failed)
 * @throws Error when the ID has our prefix but is damaged
 */
export function decodeState(physicalId: string | undefined): Map<string, DefaultsValues> | undefined {
  if (physicalId === undefined || !physicalId.startsWith(STATE_PREFIX)) return undefined;
  const out = new Map<string, DefaultsValues>();
  const body = physicalId.slice(STATE_PREFIX.length);
  for (const group of body.split(';')) {
    const eq = group.indexOf('=');
    if (eq < 0) throw new Error(`physical resource ID ${JSON.stringify(physicalId)} is damaged: group ${JSON.stringify(group)} has no '='`);
    let values: DefaultsValues;
    try {
      values = decodeValues(group.slice(0, eq));
    } catch (e) {
      throw new Error(`physical resource ID ${JSON.stringify(physicalId)} is damaged: ${(e as Error).message}`);
    }
    for (const region of group.slice(eq + 1).split(',')) {
      if (!REGION_PATTERN.test(region) || out.has(region)) {
        throw new Error(`physical resource ID ${JSON.stringify(physicalId)} is damaged: bad or repeated Region ${JSON.stringify(region)}`);
      }
      out.set(region, values);
    }
  }
  return out;
}
