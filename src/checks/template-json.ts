/**
 * Small helpers over parsed JSON, shared by everything that reads templates, manifests and
 * construct metadata: type tests, number reading and one-line descriptions for messages.
 *
 * Pure functions with no imports; none of them throws.
 */

/** Whether a value is a plain JSON object (not an array, not null). */
export function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** A number from a JSON number or numeric string; NaN for anything else (never throws). */
export function toNumber(x: unknown): number {
  if (typeof x === 'number') return x;
  if (typeof x === 'string' && x.trim() !== '') return Number(x);
  return NaN;
}

/**
 * The key of an object that has exactly one (an intrinsic such as `{"Ref": ...}` or a condition
 * function); undefined for any other number of keys. Found without listing the keys.
 */
export function onlyKey(o: Record<string, unknown>): string | undefined {
  let key: string | undefined;
  for (const k in o) {
    if (key !== undefined) return undefined;
    key = k;
  }
  return key;
}

/** Whether a value is a CloudFormation intrinsic function: an object whose one key is `Ref` or `Fn::...`. */
export function isIntrinsicObject(x: unknown): x is Record<string, unknown> {
  if (!isObject(x)) return false;
  const fn = onlyKey(x);
  return fn !== undefined && (fn === 'Ref' || fn.startsWith('Fn::'));
}

/** A short, single-line description of a JSON value for messages. */
export function describe(x: unknown): string {
  if (x === undefined) return 'nothing';
  if (typeof x === 'string') return JSON.stringify(x.length > 80 ? x.slice(0, 77) + '...' : x);
  if (typeof x === 'number' || typeof x === 'boolean' || x === null) return String(x);
  if (Array.isArray(x)) return `a list of ${x.length}`;
  if (isIntrinsicObject(x)) return `a ${onlyKey(x)} expression`;
  return 'an object';
}
