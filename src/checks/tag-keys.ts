/**
 * Tag keys that the instance metadata service can serve.
 *
 * With `InstanceMetadataTags` enabled, a launch whose instance tags include a key IMDS cannot
 * represent fails. Allowed: letters a-z/A-Z, digits and `+ - = . , _ : @`; no spaces, no `/`;
 * never exactly `.`, `..` or `_index`. (EC2 User Guide, "Work with instance tags in instance
 * metadata", FACTS.md §5.)
 */

const ALLOWED = /^[A-Za-z0-9+\-=.,_:@]+$/;
const RESERVED: ReadonlySet<string> = new Set(['.', '..', '_index']);

/** What IMDS allows in a tag key, for messages. */
export const IMDS_TAG_KEY_RULE =
  'letters, digits and + - = . , _ : @ only (no spaces, no "/"), and not exactly ".", ".." or "_index"';

/** Why a tag key cannot be served by IMDS, or undefined when it can. */
export function imdsTagKeyProblem(key: string): string | undefined {
  if (typeof key !== 'string' || key.length === 0) return 'the key is empty';
  if (RESERVED.has(key)) return `"${key}" is a reserved name`;
  if (!ALLOWED.test(key)) {
    const bad = [...new Set([...key].filter((c) => !/[A-Za-z0-9+\-=.,_:@]/.test(c)))]
      .map((c) => (c === ' ' ? 'a space' : `"${c}"`));
    return `it contains ${bad.join(', ')}`;
  }
  return undefined;
}
