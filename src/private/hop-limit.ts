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
 * The message for a hop limit EC2 refuses: `prop is value: it must be a whole number from 1 to 64 (advice).`
 *
 * @param prop the prop, as the user wrote it (`httpPutResponseHopLimit`, `maxHopLimit`)
 * @param value the value given
 * @param advice what to choose, in parentheses after the range
 */
export function hopLimitRangeMessage(prop: string, value: unknown, advice: string = HOP_LIMIT_ADVICE): string {
  return `${prop} is ${String(value)}: it must be ${HOP_LIMIT_RANGE} (${advice}).`;
}
