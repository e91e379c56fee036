/**
 * Where a finding is in its template file: the line and column of the key of its property path
 * (`Resources/<logicalId>/<propertyPath>`), for SARIF's `region`.
 *
 * YAML is read with the `yaml` package's document, whose nodes keep their offsets in the text.
 * JSON is YAML 1.2 and would be read the same way, but on a large template that costs more than
 * the check itself, so JSON text is read with `jsonc-parser`'s visitor instead (`JsonPositions`),
 * falling back to the YAML document on text that is not strict JSON. Either runs only when SARIF
 * output is asked for; the other formats never pay for it.
 */
import type { Document } from 'yaml';
import { JsonPositions } from './json-positions';

/** A SARIF region: 1-based line and column (UTF-16 code units, SARIF's default column kind). */
export interface Region {
  readonly startLine: number;
  readonly startColumn: number;
}

/** A template file's offsets of keys. */
interface Locator {
  /** The offset of the deepest key along the path, as `SourcePositions.region` describes it. */
  offset(logicalId: string, segments: readonly string[]): number | undefined;
}

/** Positions in the texts of a run's template files, each parsed on first use. */
export class SourcePositions {
  private readonly parsed = new Map<string, { locator: Locator; lineStarts: LineStarts } | undefined>();

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
    const offset = p.locator.offset(logicalId, propertyPath.split('/').filter((s) => s !== ''));
    return offset === undefined ? undefined : p.lineStarts.region(offset);
  }

  private parse(templatePath: string): { locator: Locator; lineStarts: LineStarts } | undefined {
    if (this.parsed.has(templatePath)) return this.parsed.get(templatePath);
    const text = this.texts.get(templatePath);
    const locator = text === undefined ? undefined : ((/^\s*\{/.test(text) ? JsonPositions.of(text) : undefined) ?? new YamlPositions(text));
    const result = locator && text !== undefined ? { locator, lineStarts: new LineStarts(text) } : undefined;
    this.parsed.set(templatePath, result);
    return result;
  }
}

/** Lines and columns of offsets: 1-based, a line ends at \n (a \r before it is the line's last character). */
class LineStarts {
  private readonly starts: number[] = [0];

  constructor(text: string) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  public region(offset: number): Region {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { startLine: lo + 1, startColumn: offset - this.starts[lo] + 1 };
  }
}

/** Key offsets from the `yaml` package's document of the text. */
class YamlPositions implements Locator {
  private readonly doc: Document.Parsed;

  constructor(private readonly text: string) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const YAML = require('yaml') as typeof import('yaml');
    // Tags are left unresolved (a short-form `!Ref` is then a tagged scalar, with its offset);
    // duplicate keys are allowed, the last one winning as in JSON.parse.
    this.doc = YAML.parseDocument(text, { uniqueKeys: false, prettyErrors: false, resolveKnownTags: false });
  }

  public offset(logicalId: string, segments: readonly string[]): number | undefined {
    return deepestOffset(this.text, this.doc, ['Resources', logicalId, ...segments]);
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
