/**
 * Offsets of keys in JSON text, read with `jsonc-parser`'s `visit` (the JSON parser of VS Code),
 * which reports each property and value with its offset as it goes and builds no tree. The
 * members of the top-level `Resources` object are indexed in one pass over the text; a path
 * inside one resource is then found by visiting only that resource's text. On a large template
 * this is a small part of what a YAML document of the same text costs, in time and in memory.
 *
 * The text is meant to be JSON that JSON.parse accepted. On text that is not strict JSON (YAML in
 * flow style, comments, trailing commas), `JsonPositions.of` returns undefined and the caller reads
 * positions another way.
 */
import { visit, type JSONVisitor, type ParseOptions } from 'jsonc-parser';

/** Strict JSON, as JSON.parse reads it. */
const STRICT: ParseOptions = { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false };

/** A resource's key offset and the extent of its value in the text. */
interface Member {
  readonly keyAt: number;
  valueAt: number;
  valueEnd: number;
}

/** Key offsets of one JSON document. */
export class JsonPositions {
  /** The positions of a JSON text; undefined if it is not JSON with an object at the top. */
  public static of(text: string): JsonPositions | undefined {
    const resources = indexResources(text);
    return resources && new JsonPositions(text, resources);
  }

  private constructor(private readonly text: string, private readonly resources: ReadonlyMap<string, Member>) {}

  /**
   * The offset of the deepest key (or list item) along `Resources/<logicalId>/<segments...>` that
   * the text has; undefined without the resource.
   */
  public offset(logicalId: string, segments: readonly string[]): number | undefined {
    const r = this.resources.get(logicalId);
    if (!r) return undefined;
    if (segments.length === 0 || r.valueEnd <= r.valueAt) return r.keyAt;
    const found = deepest(this.text.slice(r.valueAt, r.valueEnd), segments);
    return found === undefined ? r.keyAt : r.valueAt + found;
  }
}

/**
 * Each member of the top-level `Resources` object (the last of equal keys, as in JSON.parse);
 * undefined if the text is not strict JSON or its top-level value is not an object.
 */
function indexResources(text: string): Map<string, Member> | undefined {
  let out = new Map<string, Member>();
  let ok = true;
  let topIsObject = false;
  // Open objects and lists; the top-level object's members are at depth 1, resources at depth 2.
  let depth = 0;
  // The key just read at depth 1 is `Resources`.
  let resourcesKey = false;
  // The Resources object is open.
  let inResources = false;
  // The resource whose value is read next, or is being read.
  let current: Member | undefined;

  /** A value starts at `offset`, at the current depth. */
  const value = (offset: number, isObject: boolean) => {
    if (depth === 0) {topIsObject = isObject;} else if (depth === 1 && resourcesKey) {
      // A later `Resources` replaces an earlier one; one that is not an object has no resources.
      resourcesKey = false;
      out = new Map();
      inResources = isObject;
    } else if (depth === 2 && inResources && current) {current.valueAt = offset;}
  };
  /** A value ends just before `end`. */
  const valueEnds = (end: number) => {
    if (depth === 2 && inResources && current) {
      current.valueEnd = end;
      current = undefined;
    } else if (depth === 1) {inResources = false;}
  };
  const begin = (offset: number, isObject: boolean) => {
    value(offset, isObject);
    depth++;
  };
  const end = (offset: number) => {
    depth--;
    valueEnds(offset + 1);
  };
  const visitor: JSONVisitor = {
    onObjectBegin: (offset) => begin(offset, true),
    onArrayBegin: (offset) => begin(offset, false),
    onObjectEnd: end,
    onArrayEnd: end,
    onLiteralValue: (_value, offset, length) => {
      value(offset, false);
      valueEnds(offset + length);
    },
    onObjectProperty: (property, offset) => {
      if (depth === 1) {resourcesKey = property === 'Resources';} else if (depth === 2 && inResources) {
        current = { keyAt: offset, valueAt: offset, valueEnd: offset };
        out.set(property, current);
      }
    },
    onError: () => {
      ok = false;
    },
  };
  visit(text, visitor, STRICT);
  return ok && topIsObject ? out : undefined;
}

/** An open object or list while `deepest` visits. */
interface Frame {
  /** The index in `segments` that its keys or items are matched against; -1 when it is off the path. */
  readonly level: number;
  /** For a list, the index of its next item; -1 for an object. */
  next: number;
}

/**
 * The offset in `text` (one JSON value) of the deepest key or list item along `segments` that it
 * has: a key by name (the last of equal keys), an item by index; undefined if not even the first.
 */
function deepest(text: string, segments: readonly string[]): number | undefined {
  // A segment names a list item by its index, as for a YAML sequence.
  const indices = segments.map((s) => (/^\d+$/.test(s) ? Number(s) : -1));
  // found[i]: the offset of the key or item that segments[i] names, under those of found[0..i-1].
  const found: number[] = [];
  const open: Frame[] = [];
  // The level of the value after the key just read: one deeper if the key matched, else -1.
  let afterKey = -1;

  /** Record the key or item at `offset` as what segments[level] names; the level below is next. */
  const match = (level: number, offset: number): number => {
    found.length = level;
    found.push(offset);
    return level + 1 < segments.length ? level + 1 : -1;
  };
  /** The level of the value that starts at `offset` (an item of a list on the path is matched by index). */
  const level = (offset: number): number => {
    const top = open[open.length - 1];
    if (!top) return 0;
    if (top.next < 0) return afterKey;
    const index = top.next++;
    return top.level >= 0 && indices[top.level] === index ? match(top.level, offset) : -1;
  };
  const begin = (offset: number, isList: boolean) => {
    open.push({ level: level(offset), next: isList ? 0 : -1 });
  };
  const end = () => {
    open.pop();
  };
  const visitor: JSONVisitor = {
    onObjectBegin: (offset) => begin(offset, false),
    onArrayBegin: (offset) => begin(offset, true),
    onObjectEnd: end,
    onArrayEnd: end,
    onLiteralValue: (_value, offset) => {
      level(offset);
    },
    onObjectProperty: (property, offset) => {
      const top = open[open.length - 1];
      afterKey = top.level >= 0 && segments[top.level] === property ? match(top.level, offset) : -1;
    },
  };
  visit(text, visitor, STRICT);
  return found.length === 0 ? undefined : found[found.length - 1];
}
