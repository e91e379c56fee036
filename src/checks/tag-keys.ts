/**
 * Tag keys that the instance metadata service can serve.
 *
 * With `InstanceMetadataTags` enabled, a launch whose instance tags include a key IMDS cannot
 * represent fails. Allowed: letters a-z/A-Z, digits and `+ - = . , _ : @`; no spaces, no `/`;
 * never exactly `.`, `..` or `_index`. (EC2 User Guide, "View tags for your EC2 instances using
 * instance metadata", https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/work-with-tags-in-IMDS.html;
 * FACTS.md §5.)
 *
 * A key built with `Fn::Sub` or `Fn::Join` is known only at deployment, but its literal parts are
 * in the key whatever its references turn out to be: a literal part holding a character IMDS
 * rejects (`kubernetes.io/cluster/${ClusterName}`) makes every value of the key one IMDS rejects.
 * `keyForms` reads those parts from the raw expression; the template model gives the values of
 * everything else.
 */
import { MAX_EVALUATION_DEPTH } from './intrinsics';
import { TemplateModel, Value, describe, isObject } from './template-model';

const ALLOWED = /^[A-Za-z0-9+\-=.,_:@]+$/;
const ALLOWED_CHAR = /[A-Za-z0-9+\-=.,_:@]/;
const RESERVED: ReadonlySet<string> = new Set(['.', '..', '_index']);

/** What IMDS allows in a tag key, for messages. */
export const IMDS_TAG_KEY_RULE =
  'letters, digits and + - = . , _ : @ only (no spaces, no "/"), and not exactly ".", ".." or "_index"';

/** The characters of some text that IMDS rejects in a tag key (`"/", a space`), or undefined when there are none. */
export function rejectedCharacters(text: string): string | undefined {
  if (ALLOWED.test(text) || text.length === 0) return undefined;
  return [...new Set([...text].filter((c) => !ALLOWED_CHAR.test(c)))].map((c) => (c === ' ' ? 'a space' : `"${c}"`)).join(', ');
}

/** Why a tag key cannot be served by IMDS, or undefined when it can. */
export function imdsTagKeyProblem(key: string): string | undefined {
  if (typeof key !== 'string' || key.length === 0) return 'the key is empty';
  if (RESERVED.has(key)) return `"${key}" is a reserved name`;
  const bad = rejectedCharacters(key);
  return bad ? `it contains ${bad}` : undefined;
}

/** The first literal part of a key that holds a character IMDS rejects, with those characters. */
export function rejectedLiteral(literals: readonly string[] | undefined): { readonly part: string; readonly characters: string } | undefined {
  if (!literals) return undefined;
  for (const part of literals) {
    const characters = rejectedCharacters(part);
    if (characters) return { part, characters };
  }
  return undefined;
}

/** A part of a key known only at deployment, and why. */
export interface KeyHole {
  readonly unknown: string;
}

/** One way a key expression may come out: literal text and parts known only at deployment, in order. */
export type KeyForm = ReadonlyArray<string | KeyHole>;

/** How many forms one key expression may have (as many as the template model's alternatives). */
const MAX_FORMS = 16;

/**
 * The choices of a key expression: the branches of a top-level `Fn::If` whose condition cannot be
 * decided (the decided branch otherwise), each an expression that is not an `Fn::If`.
 */
export function keyChoices(model: TemplateModel, raw: unknown, depth = 0): unknown[] {
  const arg = intrinsic(raw, 'Fn::If');
  if (arg === undefined || depth > MAX_EVALUATION_DEPTH) return [raw];
  if (!Array.isArray(arg) || arg.length !== 3 || typeof arg[0] !== 'string') return [raw];
  const decided = model.condition(arg[0]);
  if (decided === true) return keyChoices(model, arg[1], depth + 1);
  if (decided === false) return keyChoices(model, arg[2], depth + 1);
  return [...keyChoices(model, arg[1], depth + 1), ...keyChoices(model, arg[2], depth + 1)].slice(0, MAX_FORMS);
}

/** Whether an expression is an `Fn::Sub` or `Fn::Join`, whose literal parts `keyForms` reads. */
export function isBuiltKey(raw: unknown): boolean {
  return intrinsic(raw, 'Fn::Sub') !== undefined || intrinsic(raw, 'Fn::Join') !== undefined;
}

/**
 * The forms an `Fn::Sub` or `Fn::Join` key may take. In a launch template, CloudFormation resolves
 * a `${!Literal}` escape to an empty string unless a backslash comes before it (Fn::Sub,
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-sub.html):
 * there, an escape and a backslash before it are no evidence either way.
 */
export function keyForms(model: TemplateModel, raw: unknown, inLaunchTemplate: boolean): KeyForm[] {
  return forms(model, raw, inLaunchTemplate, '', 0);
}

/** The literal parts of a form (non-empty). */
export function literalParts(form: KeyForm): string[] {
  return form.filter((p): p is string => typeof p === 'string' && p.length > 0);
}

/** The key expression, for messages. */
export function describeKeyExpression(raw: unknown): string {
  const text = JSON.stringify(raw) ?? String(raw);
  return text.length > 160 ? `${text.slice(0, 159)}…` : text;
}

function forms(model: TemplateModel, raw: unknown, lt: boolean, fn: string, depth: number): KeyForm[] {
  if (depth > MAX_EVALUATION_DEPTH) return [[{ unknown: `expression nested more than ${MAX_EVALUATION_DEPTH} levels deep` }]];
  const sub = intrinsic(raw, 'Fn::Sub');
  if (sub !== undefined) return subForms(model, sub, lt, depth);
  const join = intrinsic(raw, 'Fn::Join');
  if (join !== undefined) return joinForms(model, join, lt, depth);
  const cond = intrinsic(raw, 'Fn::If');
  if (cond !== undefined && Array.isArray(cond) && cond.length === 3 && typeof cond[0] === 'string') {
    const decided = model.condition(cond[0]);
    if (decided !== undefined) return forms(model, cond[decided ? 1 : 2], lt, fn, depth + 1);
    return [...forms(model, cond[1], lt, fn, depth + 1), ...forms(model, cond[2], lt, fn, depth + 1)].slice(0, MAX_FORMS);
  }
  return valueForms(model.resolve(raw, depth + 1), fn);
}

/** Forms of evaluated values inside an `Fn::Sub` or `Fn::Join` (text, as the template model concatenates them). */
function valueForms(values: Value[], fn: string): KeyForm[] {
  return values.map((v): KeyForm => {
    if (v.kind === 'absent') return [''];
    if (v.kind === 'unknown') return [{ unknown: v.why }];
    if (v.kind === 'ref') return [{ unknown: `${fn} of the ${v.attribute ?? 'name'} of ${v.logicalId}, known only at deployment` }];
    if (typeof v.value === 'string' || typeof v.value === 'number' || typeof v.value === 'boolean') return [String(v.value)];
    return [{ unknown: `${fn} of ${describe(v.value)}` }];
  });
}

function subForms(model: TemplateModel, arg: unknown, lt: boolean, depth: number): KeyForm[] {
  let text: unknown = arg;
  let vars: Record<string, unknown> = {};
  if (Array.isArray(arg)) {
    text = arg[0];
    vars = isObject(arg[1]) ? arg[1] : {};
  }
  if (typeof text !== 'string') return [[{ unknown: 'a malformed Fn::Sub' }]];
  // The same reading of `${...}` as the template model's.
  const parts: KeyForm[][] = [];
  const re = /\$\{([^}]*)\}/g;
  let last = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    let before = text.slice(last, m.index);
    last = m.index + m[0].length;
    const name = m[1];
    if (name.startsWith('!')) {
      if (lt) {
        if (before.endsWith('\\')) before = before.slice(0, -1);
        parts.push([[before]]);
        continue;
      }
      parts.push([[before + '${' + name.slice(1) + '}']]);
      continue;
    }
    parts.push([[before]]);
    if (Object.prototype.hasOwnProperty.call(vars, name)) {
      parts.push(forms(model, vars[name], lt, 'Fn::Sub', depth + 1));
    } else if (name.includes('.') && !name.startsWith('AWS::')) {
      const dot = name.indexOf('.');
      parts.push(valueForms(model.resolve({ 'Fn::GetAtt': [name.slice(0, dot), name.slice(dot + 1)] }, depth + 1), 'Fn::Sub'));
    } else {
      parts.push(valueForms(model.resolve({ Ref: name }, depth + 1), 'Fn::Sub'));
    }
  }
  parts.push([[text.slice(last)]]);
  return product(parts);
}

function joinForms(model: TemplateModel, arg: unknown, lt: boolean, depth: number): KeyForm[] {
  if (!Array.isArray(arg) || arg.length !== 2 || typeof arg[0] !== 'string') return [[{ unknown: 'a malformed Fn::Join' }]];
  const sep = arg[0];
  // A literal list: its items (and the separator between them) are in the key.
  const lists: unknown[][] = [];
  const out: KeyForm[] = [];
  if (Array.isArray(arg[1])) {
    lists.push(arg[1]);
  } else {
    for (const v of model.resolve(arg[1], depth + 1)) {
      if (v.kind === 'known' && Array.isArray(v.value)) lists.push(v.value);
      else out.push([{ unknown: v.kind === 'unknown' ? v.why : 'Fn::Join of something that is not a list' }]);
    }
  }
  for (const list of lists) {
    const parts: KeyForm[][] = [];
    list.forEach((item, i) => {
      if (i > 0) parts.push([[sep]]);
      parts.push(forms(model, item, lt, 'Fn::Join', depth + 1));
    });
    out.push(...product(parts));
  }
  return out.slice(0, MAX_FORMS);
}

/** Every way of taking one form from each part, in order (at most `MAX_FORMS`). */
function product(parts: KeyForm[][]): KeyForm[] {
  let acc: KeyForm[] = [[]];
  for (const choices of parts) {
    const next: KeyForm[] = [];
    for (const a of acc) for (const c of choices) if (next.length < MAX_FORMS) next.push(append(a, c));
    acc = next;
  }
  return acc;
}

/** Two forms one after the other, adjacent literal text merged. */
function append(a: KeyForm, b: KeyForm): KeyForm {
  const out = [...a];
  for (const p of b) {
    if (p === '') continue;
    const end = out.length - 1;
    if (typeof p === 'string' && end >= 0 && typeof out[end] === 'string') out[end] = (out[end] as string) + p;
    else out.push(p);
  }
  return out;
}

/** The argument of an expression that is exactly one intrinsic function `fn`. */
function intrinsic(raw: unknown, fn: string): unknown {
  if (!isObject(raw)) return undefined;
  const keys = Object.keys(raw);
  return keys.length === 1 && keys[0] === fn ? raw[fn] : undefined;
}
