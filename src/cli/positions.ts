/**
 * Where a finding is in its template file: the line and column of the key of its property path
 * (`Resources/<logicalId>/<propertyPath>`), for SARIF's `region`.
 *
 * JSON is YAML 1.2, so one reader serves both: the `yaml` package's document, whose nodes keep
 * their offsets in the text, and a `LineCounter` to turn offsets into lines and columns. It is
 * loaded and run only when SARIF output is asked for; the other formats never pay for it.
 */
import type { Document, LineCounter } from 'yaml';

/** A SARIF region: 1-based line and column (UTF-16 code units, SARIF's default column kind). */
export interface Region {
  readonly startLine: number;
  readonly startColumn: number;
}

interface Parsed {
  readonly text: string;
  readonly doc: Document.Parsed;
  readonly lines: LineCounter;
}

/** Positions in the texts of a run's template files, each parsed on first use. */
export class SourcePositions {
  private readonly parsed = new Map<string, Parsed | undefined>();

  /** `texts`: the text of each template file, by the path the findings name. */
  constructor(private readonly texts: ReadonlyMap<string, string>) {}

  /**
   * The region of the deepest key of `Resources/<logicalId>/<propertyPath>` in the file: the
   * property's key when the template has it, else the nearest key above it that it has (the
   * resource's logical ID at least); undefined when the file does not have the resource.
   */
  public region(templatePath: string, logicalId: string, propertyPath: string): Region | undefined {
    const p = this.parse(templatePath);
    if (!p) return undefined;
    const segments = ['Resources', logicalId, ...propertyPath.split('/').filter((s) => s !== '')];
    const offset = deepestOffset(p.text, p.doc, segments);
    if (offset === undefined) return undefined;
    const { line, col } = p.lines.linePos(offset);
    return { startLine: line, startColumn: col };
  }

  private parse(templatePath: string): Parsed | undefined {
    if (this.parsed.has(templatePath)) return this.parsed.get(templatePath);
    const text = this.texts.get(templatePath);
    let result: Parsed | undefined;
    if (text !== undefined) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const YAML = require('yaml') as typeof import('yaml');
      const lines = new YAML.LineCounter();
      // Tags are left unresolved (a short-form `!Ref` is then a tagged scalar, with its offset);
      // duplicate keys are allowed, the last one winning as in JSON.parse.
      const doc = YAML.parseDocument(text, { lineCounter: lines, uniqueKeys: false, prettyErrors: false, resolveKnownTags: false });
      result = { text, doc, lines };
    }
    this.parsed.set(templatePath, result);
    return result;
  }
}

/**
 * The offset of the deepest node along `segments` that is found: a map's key by name (the last
 * of equal keys), a list's item by index. Undefined unless the first two (Resources and the
 * logical ID) are found.
 */
function deepestOffset(text: string, doc: Document.Parsed, segments: readonly string[]): number | undefined {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const YAML = require('yaml') as typeof import('yaml');
  let node: unknown = doc.contents;
  let found: number | undefined;
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i];
    let offset: number | undefined;
    let next: unknown;
    if (YAML.isMap(node)) {
      for (let k = node.items.length - 1; k >= 0; k--) {
        const key = node.items[k].key;
        if (YAML.isScalar(key) && String(key.value) === segment && key.range) {
          offset = key.range[0];
          next = node.items[k].value;
          break;
        }
      }
    } else if (YAML.isSeq(node) && /^\d+$/.test(segment)) {
      const item = node.items[Number(segment)];
      if (YAML.isNode(item) && item.range) {
        // A tagged item (`- !If [...]`) starts at its tag, which its range leaves out.
        const tag = item.tag ? /!\S*[ \t]+$/.exec(text.slice(Math.max(0, item.range[0] - 200), item.range[0])) : null;
        offset = item.range[0] - (tag ? tag[0].length : 0);
        next = item;
      }
    }
    if (offset === undefined) return i < 2 ? undefined : found;
    found = offset;
    node = next;
  }
  return found;
}
