/**
 * Offsets of keys in JSON text, without building a tree: the members of the top-level
 * `Resources` object are indexed once, and a path inside one resource is found by scanning only
 * that resource's text. On a large template this is a small part of what a YAML document of the
 * same text costs, in time and in memory.
 *
 * The text is meant to be JSON that JSON.parse accepted. On text it does not understand (YAML in
 * flow style, say), `JsonPositions.of` returns undefined and the caller reads positions another
 * way.
 */

/** Thrown by the scanner on text that is not JSON. */
class NotJson extends Error {}

/** Key offsets of one JSON document. */
export class JsonPositions {
  /** The positions of a JSON text; undefined if it is not JSON with an object at the top. */
  public static of(text: string): JsonPositions | undefined {
    const p = new JsonPositions(text);
    try {
      p.resources = p.indexResources();
    } catch (e) {
      if (e instanceof NotJson) return undefined;
      throw e;
    }
    return p;
  }

  /** Each resource's key offset and value offset, by logical ID (the last of equal keys). */
  private resources: Map<string, [number, number]> | undefined;

  private constructor(private readonly text: string) {}

  /**
   * The offset of the deepest key (or list item) along `Resources/<logicalId>/<segments...>` that
   * the text has; undefined without the resource.
   */
  public offset(logicalId: string, segments: readonly string[]): number | undefined {
    const r = this.resources?.get(logicalId);
    if (!r) return undefined;
    let found = r[0];
    let at = r[1];
    try {
      for (const segment of segments) {
        const next = this.child(at, segment);
        if (!next) break;
        [found, at] = next;
      }
    } catch (e) {
      if (!(e instanceof NotJson)) throw e;
    }
    return found;
  }

  private indexResources(): Map<string, [number, number]> {
    const out = new Map<string, [number, number]>();
    const top = this.ws(0);
    if (this.text[top] !== '{') throw new NotJson();
    const resources = this.member(top, 'Resources');
    if (resources && this.text[resources[1]] === '{') {
      this.members(resources[1], (key, keyAt, valueAt) => {
        out.set(key, [keyAt, valueAt]);
      });
    }
    return out;
  }

  /** The key and value offsets of `segment` in the object or list whose value starts at `at`. */
  private child(at: number, segment: string): [number, number] | undefined {
    const c = this.text[at];
    if (c === '{') return this.member(at, segment);
    if (c !== '[' || !/^\d+$/.test(segment)) return undefined;
    let index = Number(segment);
    let i = this.ws(at + 1);
    if (this.text[i] === ']') return undefined;
    for (;;) {
      if (index === 0) return [i, i];
      i = this.ws(this.skipValue(i));
      if (this.text[i] !== ',') return undefined;
      i = this.ws(i + 1);
      index--;
    }
  }

  /** The last member named `name` of the object at `at`. */
  private member(at: number, name: string): [number, number] | undefined {
    let found: [number, number] | undefined;
    this.members(at, (key, keyAt, valueAt) => {
      if (key === name) found = [keyAt, valueAt];
    });
    return found;
  }

  /** Call `each` with every member of the object at `at`: its key, the key's offset and the value's. */
  private members(at: number, each: (key: string, keyAt: number, valueAt: number) => void): void {
    const t = this.text;
    let i = this.ws(at + 1);
    if (t[i] === '}') return;
    for (;;) {
      if (t[i] !== '"') throw new NotJson();
      const end = this.skipString(i);
      const raw = t.slice(i + 1, end - 1);
      const key = raw.includes('\\') ? (JSON.parse(t.slice(i, end)) as string) : raw;
      const colon = this.ws(end);
      if (t[colon] !== ':') throw new NotJson();
      const valueAt = this.ws(colon + 1);
      each(key, i, valueAt);
      i = this.ws(this.skipValue(valueAt));
      if (t[i] === '}') return;
      if (t[i] !== ',') throw new NotJson();
      i = this.ws(i + 1);
    }
  }

  /** The offset just past the value at `i`. */
  private skipValue(i: number): number {
    const t = this.text;
    const c = t[i];
    if (c === '"') return this.skipString(i);
    if (c === '{' || c === '[') {
      let depth = 0;
      for (let k = i; k < t.length; k++) {
        const d = t[k];
        if (d === '"') {k = this.skipString(k) - 1;} else if (d === '{' || d === '[') {depth++;} else if (d === '}' || d === ']') {
          if (--depth === 0) return k + 1;
        }
      }
      throw new NotJson();
    }
    const m = /[^\s,\]}]*/y;
    m.lastIndex = i;
    m.exec(t);
    if (m.lastIndex === i) throw new NotJson();
    return m.lastIndex;
  }

  /** The offset just past the string whose opening quote is at `i`. */
  private skipString(i: number): number {
    const t = this.text;
    for (let k = i + 1; k < t.length; k++) {
      const c = t.charCodeAt(k);
      if (c === 92 /* \ */) k++;
      else if (c === 34 /* " */) return k + 1;
    }
    throw new NotJson();
  }

  /** The first offset from `i` that is not JSON white space. */
  private ws(i: number): number {
    const t = this.text;
    while (i < t.length) {
      const c = t.charCodeAt(i);
      if (c !== 32 && c !== 10 && c !== 13 && c !== 9) break;
      i++;
    }
    return i;
  }
}
