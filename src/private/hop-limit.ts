/**
 * The hop limits EC2 accepts for `HttpPutResponseHopLimit`: a whole number from 1 to 64
 * (FACTS.md §1).
 *
 * The one place this range is written. No import at all: the constructs, the checker, the CLI and
 * the custom resource handlers all use it.
 */

/** The lowest hop limit EC2 accepts. */
export const HOP_LIMIT_MIN = 1;

/** The highest hop limit EC2 accepts: a maximum this high restricts nothing. */
export const HOP_LIMIT_MAX = 64;

/** What EC2 accepts, for messages: `a whole number from 1 to 64`. */
export const HOP_LIMIT_RANGE = `a whole number from ${HOP_LIMIT_MIN} to ${HOP_LIMIT_MAX}`;

/** Which hop limit to choose, for messages. */
export const HOP_LIMIT_ADVICE = '1 for instances, 2 for container hosts whose containers use IMDSv2';

/**
 * Whether EC2 accepts a hop limit.
 *
 * A token (an unresolved number) is not a hop limit EC2 accepts: callers that accept tokens test
 * for them first.
 */
export function isValidHopLimit(n: unknown): n is number {
  return typeof n === 'number' && Number.isInteger(n) && n >= HOP_LIMIT_MIN && n <= HOP_LIMIT_MAX;
}

/**
 * A value given as a hop limit, as JavaScript holds it: a number as written (`0`, `1.5`, `NaN`),
 * anything else with its type, so that the string `'2'` does not read as the number 2:
 * `"2" (a string)`, `true (a boolean)`, `[2] (an array)`, `undefined`, `null`.
 */
export function describeHopLimit(value: unknown): string {
  if (typeof value === 'number') return String(value);
  if (value === undefined || value === null) return String(value);
  if (typeof value === 'string') return `${JSON.stringify(value)} (a string)`;
  if (typeof value === 'bigint') return `${String(value)}n (a bigint)`;
  if (typeof value === 'object') {
    const kind = Array.isArray(value) ? 'an array' : 'an object';
    const json = shortJson(value);
    return json === undefined ? kind : `${json} (${kind})`;
  }
  return `${String(value)} (a ${typeof value})`;
}

/**
 * The message for a hop limit EC2 refuses: `prop is value: it must be a whole number from 1 to 64 (advice).`
 *
 * A value that is not a number says so, with its type: `prop is "2" (a string): it must be a
 * number, a whole number from 1 to 64 (advice).`, and a string that holds an accepted hop limit
 * says which number to give instead.
 *
 * @param prop the prop, as the user wrote it (`httpPutResponseHopLimit`, `maxHopLimit`)
 * @param value the value given
 * @param advice what to choose, in parentheses after the range
 */
export function hopLimitRangeMessage(prop: string, value: unknown, advice: string = HOP_LIMIT_ADVICE): string {
  if (typeof value === 'number') return `${prop} is ${String(value)}: it must be ${HOP_LIMIT_RANGE} (${advice}).`;
  const asNumber = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : undefined;
  const instead = asNumber !== undefined && isValidHopLimit(asNumber) ? ` Give the number ${asNumber}, without quotes.` : '';
  return `${prop} is ${describeHopLimit(value)}: it must be a number, ${HOP_LIMIT_RANGE} (${advice}).${instead}`;
}

/** The JSON of a value, shortened; undefined when it has none (a cycle). */
function shortJson(value: unknown): string | undefined {
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch {
    json = undefined;
  }
  if (json === undefined) return undefined;
  return json.length > 40 ? `${json.slice(0, 37)}...` : json;
}
