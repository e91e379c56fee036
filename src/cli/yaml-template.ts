/**
 * Parse YAML CloudFormation templates, short-form intrinsics included (`!Ref`, `!GetAtt a.b`,
 * `!Sub`, `!If`, ...), into the same JSON a JSON template gives.
 *
 * It reads the YAML CloudFormation reads, as the CloudFormation User Guide describes it
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/template-formats.html): YAML
 * without aliases, hash merges and the binary, omap, pairs, set and timestamp tags, and with no
 * tags beyond YAML's own and the short forms of CloudFormation's functions. A template that uses
 * any of those is refused with a `YamlConstructError`, never read as something else.
 */
import type { Document } from 'yaml';

/**
 * Short-form tags and the function each stands for: the functions of the intrinsic function
 * reference (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference.html),
 * `Fn::GetStackOutput` (.../TemplateReference/intrinsic-function-reference-getstackoutput.html) and
 * the rule functions of the Rules section (.../TemplateReference/intrinsic-function-reference-rules.html).
 */
const FUNCTIONS: ReadonlyArray<[string, string]> = [
  ['Ref', 'Ref'],
  ['Condition', 'Condition'],
  ['GetAtt', 'Fn::GetAtt'],
  ['Sub', 'Fn::Sub'],
  ['If', 'Fn::If'],
  ['Join', 'Fn::Join'],
  ['Select', 'Fn::Select'],
  ['Split', 'Fn::Split'],
  ['Base64', 'Fn::Base64'],
  ['FindInMap', 'Fn::FindInMap'],
  ['ImportValue', 'Fn::ImportValue'],
  ['GetAZs', 'Fn::GetAZs'],
  ['Cidr', 'Fn::Cidr'],
  ['Equals', 'Fn::Equals'],
  ['Not', 'Fn::Not'],
  ['And', 'Fn::And'],
  ['Or', 'Fn::Or'],
  ['Transform', 'Fn::Transform'],
  ['Length', 'Fn::Length'],
  ['ToJsonString', 'Fn::ToJsonString'],
  ['GetStackOutput', 'Fn::GetStackOutput'],
  ['Contains', 'Fn::Contains'],
  ['EachMemberEquals', 'Fn::EachMemberEquals'],
  ['EachMemberIn', 'Fn::EachMemberIn'],
  ['RefAll', 'Fn::RefAll'],
  ['ValueOf', 'Fn::ValueOf'],
  ['ValueOfAll', 'Fn::ValueOfAll'],
];

const SHORT_FORMS = FUNCTIONS.map(([short]) => `!${short}`);

/** YAML 1.1 tags that CloudFormation does not support (template-formats.html, above). */
const UNSUPPORTED_TAGS = ['binary', 'omap', 'pairs', 'set', 'timestamp'].map((t) => `tag:yaml.org,2002:${t}`);

/** YAML's standard tags that the parser reads: a warning on one of these means the value does not fit it. */
const STANDARD_TAGS = ['str', 'int', 'float', 'bool', 'null', 'map', 'seq'].map((t) => `tag:yaml.org,2002:${t}`);

/** A YAML construct CloudFormation does not read, with where it is (1-based line and column). */
export class YamlConstructError extends Error {
  constructor(
    message: string,
    public readonly line: number,
    public readonly column: number,
    /** Whether the document is a map with `Resources`, that is, meant as a template. */
    public readonly isTemplate: boolean,
  ) {
    super(message);
  }
}

/**
 * Parse YAML text. Throws an Error with a one-line message on text that is not YAML, and a
 * `YamlConstructError` on YAML that CloudFormation does not read.
 */
export function parseYamlTemplate(text: string): unknown {
  // Loaded only for YAML input, so JSON runs never pay for it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const YAML = require('yaml') as typeof import('yaml');
  const tags: any[] = [];
  for (const [short, long] of FUNCTIONS) {
    for (const collection of [undefined, 'seq', 'map'] as const) {
      tags.push({
        tag: `!${short}`,
        collection,
        resolve: (value: unknown) => {
          const v = toJs(value);
          if (long === 'Fn::GetAtt' && typeof v === 'string') {
            const dot = v.indexOf('.');
            return { [long]: dot < 0 ? [v] : [v.slice(0, dot), v.slice(dot + 1)] };
          }
          return { [long]: v };
        },
      });
    }
  }
  // Duplicate keys stay allowed, the last one winning as in JSON.parse (the CloudFormation docs say
  // nothing about duplicate keys, so they are read as before). The YAML 1.1 tags
  // CloudFormation does not support are left unresolved, so that they are refused with the others.
  const options = { customTags: tags, uniqueKeys: false, prettyErrors: false, resolveKnownTags: false };
  let source = text;
  let lineCounter = new YAML.LineCounter();
  let doc = YAML.parseDocument(source, { ...options, lineCounter });
  const reindented = new Map<number, number>();
  if (doc.errors.length > 0) {
    let lastCut = -1;
    for (let cut = firstCutQuotedScalar(YAML, source); cut !== undefined && cut.open > lastCut; cut = firstCutQuotedScalar(YAML, source)) {
      lastCut = cut.open;
      source = reindent(source, cut, reindented);
    }
    if (lastCut >= 0) {
      lineCounter = new YAML.LineCounter();
      doc = YAML.parseDocument(source, { ...options, lineCounter });
    }
  }
  if (doc.errors.length > 0) throw new Error(doc.errors[0].message.split('\n')[0]);
  const refused = firstRefusal(YAML, doc, source);
  if (refused) {
    const { line, col } = lineCounter.linePos(refused.offset);
    const shift = reindented.get(line) ?? 0;
    const contents = doc.contents;
    const isTemplate = YAML.isMap(contents) && contents.has('Resources');
    throw new YamlConstructError(refused.message, line, col > shift ? col - shift : col, isTemplate);
  }
  return doc.toJS({ maxAliasCount: 100 });
}

function toJs(value: unknown): unknown {
  const v = value as { toJSON?: () => unknown };
  return v !== null && typeof v === 'object' && typeof v.toJSON === 'function' ? v.toJSON() : value;
}

/**
 * Multi-line quoted scalars whose continuation lines are indented less than YAML 1.2 asks.
 *
 * YAML 1.2 wants each continuation line of a quoted scalar indented past the block it is in
 * (https://yaml.org/spec/1.2.2/#63-line-prefixes). The `yaml` package follows that, and no option
 * relaxes it: its lexer ends the scalar at the first line indented less (`continueScalar` in
 * yaml/dist/parse/lexer.js; `strict: false` and `version: '1.1'` change nothing there), and the
 * document then fails with "Missing closing quote". CloudFormation accepts such templates, and so
 * does PyYAML, which cfn-lint reads templates with: PyYAML does not check the indentation of
 * quoted scalars.
 *
 * So, when a parse fails, the first quoted scalar the lexer cut short (its opening quote is at
 * `open`, and its real closing quote, found by the lexer's own rule, is further on) has its
 * continuation lines indented to the column of its opening quote, and the text is parsed again.
 * That keeps the scalar's value: the white space that starts a continuation line of a flow scalar
 * is not part of it (https://yaml.org/spec/1.2.2/#731-double-quoted-style, 7.3.2 for single
 * quotes). A line starting with a document marker (`---` or `...`) is left alone, so it still ends
 * the scalar, as in PyYAML.
 */
function firstCutQuotedScalar(YAML: typeof import('yaml'), text: string): { open: number; close: number } | undefined {
  // The lexer's tokens, with offsets counted as the package's Parser counts them: the control
  // tokens are not in the text, and the token after a `scalar` one is a plain or block scalar.
  let offset = 0;
  let atScalar = false;
  for (const lexeme of new YAML.Lexer().lex(text)) {
    const type: string | null = atScalar ? 'scalar-value' : YAML.CST.tokenType(lexeme);
    atScalar = type === 'scalar';
    if (type === 'scalar' || type === 'doc-mode' || type === 'flow-error-end') continue;
    if (type === 'double-quoted-scalar' || type === 'single-quoted-scalar') {
      const close = closingQuote(text, offset);
      if (close > offset + lexeme.length - 1) return { open: offset, close };
    }
    offset += lexeme.length;
  }
  return undefined;
}

/** Where the quoted scalar opened at `open` closes, by the rule of the `yaml` lexer; -1 if never. */
function closingQuote(text: string, open: number): number {
  const quote = text[open];
  let end = text.indexOf(quote, open + 1);
  if (quote === "'") {
    while (end !== -1 && text[end + 1] === "'") end = text.indexOf("'", end + 2);
  } else {
    while (end !== -1) {
      let backslashes = 0;
      while (text[end - 1 - backslashes] === '\\') backslashes++;
      if (backslashes % 2 === 0) break;
      end = text.indexOf('"', end + 1);
    }
  }
  return end;
}

/** Indent the continuation lines of the scalar from `open` to `close`; note the spaces added per line. */
function reindent(text: string, cut: { open: number; close: number }, added: Map<number, number>): string {
  const column = cut.open - (text.lastIndexOf('\n', cut.open - 1) + 1);
  let line = 1;
  for (let nl = text.indexOf('\n'); nl !== -1 && nl < cut.open; nl = text.indexOf('\n', nl + 1)) line++;
  let out = text.slice(0, cut.open);
  let from = cut.open;
  for (let nl = text.indexOf('\n', cut.open); nl !== -1 && nl < cut.close; nl = text.indexOf('\n', nl + 1)) {
    const start = nl + 1;
    line++;
    let spaces = 0;
    while (text[start + spaces] === ' ') spaces++;
    if (spaces >= column || /^(---|\.\.\.)(\s|$)/.test(text.slice(start, start + 4))) continue;
    out += text.slice(from, start) + ' '.repeat(column - spaces);
    from = start;
    added.set(line, (added.get(line) ?? 0) + column - spaces);
  }
  return out + text.slice(from);
}

/** The first construct of the document that CloudFormation does not read, if any. */
function firstRefusal(YAML: typeof import('yaml'), doc: Document.Parsed, source: string): { offset: number; message: string } | undefined {
  const found: Array<{ offset: number; message: string }> = [];
  for (const w of doc.warnings) {
    if (w.code !== 'TAG_RESOLVE_FAILED' && w.code !== 'BAD_COLLECTION_TYPE') continue;
    const written = source.slice(w.pos[0], w.pos[1]);
    found.push({ offset: w.pos[0], message: tagMessage(written, doc.directives?.tagName(written, () => {}) ?? written) });
  }
  YAML.visit(doc, {
    Alias(_, node) {
      found.push({ offset: node.range![0], message: `YAML alias *${node.source}: CloudFormation does not support aliases; write the value out in full` });
    },
    Pair(_, pair) {
      const key = pair.key;
      if (YAML.isScalar(key) && key.type === 'PLAIN' && key.value === '<<') {
        found.push({ offset: key.range![0], message: 'YAML merge key <<: CloudFormation does not support hash merges; write the keys out in full' });
      }
    },
  });
  return found.sort((a, b) => a.offset - b.offset)[0];
}

function tagMessage(written: string, resolved: string): string {
  if (UNSUPPORTED_TAGS.includes(resolved)) return `YAML tag ${written}: CloudFormation does not support the binary, omap, pairs, set and timestamp tags`;
  if (STANDARD_TAGS.includes(resolved)) return `YAML tag ${written} does not fit the value it tags`;
  const known = `CloudFormation knows only the short forms of its functions: ${SHORT_FORMS.join(', ')}`;
  if (!resolved.startsWith('!')) return `unknown YAML tag ${written}: besides YAML's standard tags, ${known}`;
  const near = SHORT_FORMS.find((s) => s.toLowerCase() === resolved.toLowerCase());
  return `unknown YAML tag ${written}: ${known}${near ? `; did you mean ${near}?` : ''}`;
}
