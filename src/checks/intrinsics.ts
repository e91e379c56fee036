/**
 * The values an expression of a template may have, and the evaluator of the intrinsic functions
 * the checks need (`Ref`, `Fn::GetAtt`, `Fn::If` and the condition functions, `Fn::Sub`,
 * `Fn::Join`, `Fn::Select`, `Fn::Base64`, `Fn::FindInMap`, `Fn::ImportValue`).
 *
 * The evaluator reads its template through an `EvaluationScope` and knows nothing else of it, so
 * it works for any owner of the template (`TemplateModel` is the one the checks use). Pure
 * functions over JSON: nothing here imports aws-cdk-lib. What cannot be evaluated comes back as an
 * "unknown" value (tokens, parameters, imports), never as an exception.
 */
import { describe, isObject, onlyKey, toNumber } from './template-json';

/** How deep the evaluator follows nested intrinsic functions before it gives up. */
export const MAX_EVALUATION_DEPTH = 48;

/** How many alternative values (from `Fn::If` branches) one expression may produce. */
const MAX_ALTERNATIVES = 16;

/** A parameter of the template, as far as the checks care. */
export interface ParameterInfo {
  readonly name: string;
  readonly type?: string;
  readonly defaultValue?: unknown;
}

/** A literal JSON value (after evaluation). */
export interface KnownValue {
  readonly kind: 'known';
  readonly value: unknown;
}

/** A reference to a resource of the template `model`: `Ref` or `Fn::GetAtt`. */
export interface ResourceRef<M> {
  readonly kind: 'ref';
  readonly logicalId: string;
  readonly attribute?: string;
  readonly model: M;
}

/** `AWS::NoValue`, or a property that is not there. */
export interface AbsentValue {
  readonly kind: 'absent';
}

/** Something the template alone cannot tell: a parameter, an import, a token. */
export interface UnknownValue {
  readonly kind: 'unknown';
  readonly why: string;
  readonly parameter?: ParameterInfo;
}

/** One possible value of an expression of a template owned by `M`. */
export type EvaluatedValue<M> = KnownValue | ResourceRef<M> | AbsentValue | UnknownValue;

/** What the evaluator reads of the template it evaluates expressions of. */
export interface EvaluationScope<M> {
  /** The owner of the template, named by the references the evaluator returns. */
  readonly owner: M;
  /** The stack's Region, when known (for `AWS::Region`). */
  readonly region?: string;
  /** The template's parameters by name. */
  readonly parameters: ReadonlyMap<string, ParameterInfo>;
  /** The template's `Conditions` section (an empty object when absent). */
  readonly conditions: Record<string, unknown>;
  /** The template's `Mappings` section (an empty object when absent). */
  readonly mappings: Record<string, unknown>;
  /** Whether the template has a resource with this logical ID. */
  hasResource(logicalId: string): boolean;
  /**
   * The values of an export of another template (for `Fn::ImportValue`), evaluated in the
   * template that exports it; undefined when no template given exports the name.
   */
  importValue(name: string, depth: number): Array<EvaluatedValue<M>> | undefined;
}

const ABSENT: AbsentValue = { kind: 'absent' };

/** What `resolveText` puts where a part of a text is known only at deployment. */
const TEXT_PLACEHOLDER = '${token}';

/** Evaluates one part of a `Fn::Join` or `Fn::Sub`. */
type Part<M> = (raw: unknown, depth: number) => Array<EvaluatedValue<M>>;

export function known(value: unknown): KnownValue {
  return { kind: 'known', value };
}

export function unknownValue(why: string, parameter?: ParameterInfo): UnknownValue {
  return parameter ? { kind: 'unknown', why, parameter } : { kind: 'unknown', why };
}

/** Evaluates the expressions of one template; remembers decided conditions and user data texts. */
export class IntrinsicEvaluator<M> {
  private readonly conditionCache = new Map<string, boolean | undefined>();
  /** `resolveText` of expressions (objects of the template), by expression. */
  private readonly textCache = new WeakMap<object, string[]>();

  constructor(private readonly scope: EvaluationScope<M>) {}

  /**
   * Evaluate an expression into its possible values.
   *
   * `Fn::If` on a condition that cannot be decided gives both branches. Never throws.
   */
  public resolve(raw: unknown, depth: number = 0): Array<EvaluatedValue<M>> {
    if (depth > MAX_EVALUATION_DEPTH) return [unknownValue(`expression nested more than ${MAX_EVALUATION_DEPTH} levels deep`)];
    if (raw === undefined) return [ABSENT];
    if (!isObject(raw)) return [known(raw)];
    const fn = onlyKey(raw);
    if (fn === undefined) return [known(raw)];
    const arg = raw[fn];
    switch (fn) {
      case 'Ref':
        return [this.resolveRef(arg)];
      case 'Fn::GetAtt':
        return [this.resolveGetAtt(arg)];
      case 'Fn::If':
        return this.resolveIf(arg, depth);
      case 'Fn::Sub':
        return this.resolveSub(arg, depth);
      case 'Fn::Join':
        return this.resolveJoin(arg, depth);
      case 'Fn::Select':
        return this.resolveSelect(arg, depth);
      case 'Fn::Base64':
        return this.resolve(arg, depth + 1).map((v) => (v.kind === 'known' && typeof v.value === 'string' ? v : v.kind === 'unknown' ? v : unknownValue('Fn::Base64 of a value that is not text')));
      case 'Fn::FindInMap':
        return this.resolveFindInMap(arg, depth);
      case 'Fn::ImportValue':
        return this.resolveImport(arg, depth);
      default:
        if (fn.startsWith('Fn::')) return [unknownValue(`${fn} is evaluated only at deployment`)];
        return [known(raw)];
    }
  }

  /**
   * Evaluate an expression in a text context, for reading user data.
   *
   * Parts that cannot be evaluated become a placeholder, so the text is known to have content.
   */
  public resolveText(raw: unknown, depth: number = 0): string[] {
    // User data is read twice per launch (does it have content, does it make a container host).
    if (depth === 0 && raw !== null && typeof raw === 'object') {
      let texts = this.textCache.get(raw);
      if (texts === undefined) this.textCache.set(raw, (texts = this.resolveTextNow(raw, 0)));
      return texts;
    }
    return this.resolveTextNow(raw, depth);
  }

  /** Decide a named condition: true, false, or undefined when it depends on a parameter. */
  public condition(name: string, depth: number = 0): boolean | undefined {
    if (this.conditionCache.has(name)) return this.conditionCache.get(name);
    this.conditionCache.set(name, undefined); // a cycle decides nothing
    const result = this.evalCondition(this.scope.conditions[name], depth + 1);
    this.conditionCache.set(name, result);
    return result;
  }

  private resolveTextNow(raw: unknown, depth: number): string[] {
    if (depth > MAX_EVALUATION_DEPTH) return [TEXT_PLACEHOLDER];
    // Text is built part by part: a part known only at deployment (the `Ref` of a cluster in
    // `echo ECS_CLUSTER=${Ref} >> /etc/ecs/ecs.config`) becomes the placeholder, and the rest stays readable.
    const fn = isObject(raw) ? onlyKey(raw) : undefined;
    if (fn !== undefined && isObject(raw)) {
      const arg = raw[fn];
      const textParts = (r: unknown, d: number) => this.resolveTextNow(r, d).map(known);
      if (fn === 'Fn::Base64') return this.resolveTextNow(arg, depth + 1);
      if (fn === 'Fn::If' && Array.isArray(arg) && arg.length === 3 && typeof arg[0] === 'string') {
        const decided = this.condition(arg[0], depth);
        const branches = decided === true ? [arg[1]] : decided === false ? [arg[2]] : [arg[1], arg[2]];
        return [...new Set(branches.flatMap((b) => this.resolveTextNow(b, depth + 1)))].slice(0, MAX_ALTERNATIVES);
      }
      if (fn === 'Fn::Join' || fn === 'Fn::Sub') {
        const values = fn === 'Fn::Join' ? this.resolveJoin(arg, depth, textParts, TEXT_PLACEHOLDER) : this.resolveSub(arg, depth, textParts, TEXT_PLACEHOLDER);
        return [...new Set(values.map((v) => (v.kind === 'known' && typeof v.value === 'string' ? v.value : TEXT_PLACEHOLDER)))];
      }
    }
    const out: string[] = [];
    for (const v of this.resolve(raw, depth)) {
      if (v.kind === 'known') out.push(typeof v.value === 'string' ? v.value : this.textOfJoin(v.value, depth));
      else if (v.kind === 'absent') out.push('');
      else out.push(TEXT_PLACEHOLDER);
    }
    return [...new Set(out)];
  }

  /** Text of a known non-string value (a list given to Fn::Join in user data, say). */
  private textOfJoin(value: unknown, depth: number): string {
    if (Array.isArray(value)) return value.map((v) => this.resolveText(v, depth + 1)[0] ?? '').join('');
    return value === null || value === undefined ? '' : typeof value === 'object' ? '${object}' : String(value);
  }

  private resolveRef(arg: unknown): EvaluatedValue<M> {
    if (typeof arg !== 'string') return unknownValue(`a Ref to ${describe(arg)}`);
    if (arg === 'AWS::NoValue') return ABSENT;
    if (arg === 'AWS::Region') return this.scope.region ? known(this.scope.region) : unknownValue('the stack Region (AWS::Region)');
    if (arg.startsWith('AWS::')) return unknownValue(`the pseudo parameter ${arg}`);
    if (this.scope.hasResource(arg)) return { kind: 'ref', logicalId: arg, model: this.scope.owner };
    const p = this.scope.parameters.get(arg);
    if (p) return unknownValue(`parameter ${arg}`, p);
    return unknownValue(`a Ref to ${arg}, which is neither a resource nor a parameter of the template`);
  }

  private resolveGetAtt(arg: unknown): EvaluatedValue<M> {
    let id: unknown;
    let attr: unknown;
    if (typeof arg === 'string') {
      const dot = arg.indexOf('.');
      id = dot < 0 ? arg : arg.slice(0, dot);
      attr = dot < 0 ? undefined : arg.slice(dot + 1);
    } else if (Array.isArray(arg) && arg.length >= 2) {
      [id, attr] = arg;
    }
    if (typeof id !== 'string' || typeof attr !== 'string') return unknownValue(`Fn::GetAtt of ${describe(arg)}`);
    if (!this.scope.hasResource(id)) return unknownValue(`Fn::GetAtt of ${id}, which is not a resource of the template`);
    return { kind: 'ref', logicalId: id, attribute: attr, model: this.scope.owner };
  }

  private resolveIf(arg: unknown, depth: number): Array<EvaluatedValue<M>> {
    if (!Array.isArray(arg) || arg.length !== 3 || typeof arg[0] !== 'string') return [unknownValue('a malformed Fn::If')];
    const decided = this.condition(arg[0], depth);
    if (decided === true) return this.resolve(arg[1], depth + 1);
    if (decided === false) return this.resolve(arg[2], depth + 1);
    return cap([...this.resolve(arg[1], depth + 1), ...this.resolve(arg[2], depth + 1)]);
  }

  private evalCondition(raw: unknown, depth: number): boolean | undefined {
    if (depth > MAX_EVALUATION_DEPTH) return undefined;
    if (typeof raw === 'boolean') return raw;
    if (raw === 'true' || raw === 'false') return raw === 'true';
    if (!isObject(raw)) return undefined;
    const fn = onlyKey(raw);
    if (fn === undefined) return undefined;
    const arg = raw[fn];
    switch (fn) {
      case 'Condition':
        return typeof arg === 'string' ? this.condition(arg, depth) : undefined;
      case 'Fn::Not': {
        const inner = Array.isArray(arg) ? this.evalCondition(arg[0], depth + 1) : undefined;
        return inner === undefined ? undefined : !inner;
      }
      case 'Fn::And':
      case 'Fn::Or': {
        if (!Array.isArray(arg)) return undefined;
        const all = fn === 'Fn::And';
        let undecided = false;
        for (const c of arg) {
          const v = this.evalCondition(c, depth + 1);
          if (v === undefined) undecided = true;
          else if (v !== all) return v;
        }
        return undecided ? undefined : all;
      }
      case 'Fn::Equals': {
        if (!Array.isArray(arg) || arg.length !== 2) return undefined;
        const a = this.resolve(arg[0], depth + 1);
        const b = this.resolve(arg[1], depth + 1);
        if (a.length !== 1 || b.length !== 1 || a[0].kind !== 'known' || b[0].kind !== 'known') return undefined;
        const x = a[0].value;
        const y = b[0].value;
        const primitive = (v: unknown) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
        return primitive(x) && primitive(y) ? String(x) === String(y) : undefined;
      }
      default:
        return undefined;
    }
  }

  /**
   * `Fn::Sub`. `part` evaluates the values of its variables; with a `placeholder`, a part that
   * cannot be evaluated becomes that text instead of making the whole value unknown.
   */
  private resolveSub(arg: unknown, depth: number, part: Part<M> = this.resolve.bind(this), placeholder?: string): Array<EvaluatedValue<M>> {
    let text: unknown = arg;
    let vars: Record<string, unknown> = {};
    if (Array.isArray(arg)) {
      text = arg[0];
      vars = isObject(arg[1]) ? arg[1] : {};
    }
    if (typeof text !== 'string') return [unknownValue('a malformed Fn::Sub')];
    const parts: Array<string | Array<EvaluatedValue<M>>> = [];
    const re = /\$\{([^}]*)\}/g;
    let last = 0;
    let m: RegExpExecArray | null;
    while ((m = re.exec(text)) !== null) {
      parts.push(text.slice(last, m.index));
      last = m.index + m[0].length;
      const name = m[1];
      if (name.startsWith('!')) {
        parts.push('${' + name.slice(1) + '}');
        continue;
      }
      if (Object.prototype.hasOwnProperty.call(vars, name)) {
        parts.push(part(vars[name], depth + 1));
      } else if (name.includes('.') && !name.startsWith('AWS::')) {
        const dot = name.indexOf('.');
        parts.push([this.resolveGetAtt([name.slice(0, dot), name.slice(dot + 1)])]);
      } else {
        parts.push([this.resolveRef(name)]);
      }
    }
    parts.push(text.slice(last));
    return concat(parts, 'Fn::Sub', placeholder);
  }

  /** `Fn::Join`; `part` and `placeholder` as for `resolveSub`. */
  private resolveJoin(arg: unknown, depth: number, part: Part<M> = this.resolve.bind(this), placeholder?: string): Array<EvaluatedValue<M>> {
    if (!Array.isArray(arg) || arg.length !== 2 || typeof arg[0] !== 'string') return [unknownValue('a malformed Fn::Join')];
    const sep = arg[0];
    const items = this.resolve(arg[1], depth + 1);
    const out: Array<EvaluatedValue<M>> = [];
    for (const list of items) {
      if (list.kind !== 'known' || !Array.isArray(list.value)) {
        out.push(list.kind === 'unknown' ? list : unknownValue('Fn::Join of something that is not a list'));
        continue;
      }
      const parts: Array<string | Array<EvaluatedValue<M>>> = [];
      list.value.forEach((item, i) => {
        if (i > 0) parts.push(sep);
        parts.push(part(item, depth + 1));
      });
      out.push(...concat(parts, 'Fn::Join', placeholder));
    }
    return cap(out);
  }

  private resolveSelect(arg: unknown, depth: number): Array<EvaluatedValue<M>> {
    if (!Array.isArray(arg) || arg.length !== 2) return [unknownValue('a malformed Fn::Select')];
    const out: Array<EvaluatedValue<M>> = [];
    for (const index of this.resolve(arg[0], depth + 1)) {
      const i = index.kind === 'known' ? toNumber(index.value) : NaN;
      if (!Number.isInteger(i) || i < 0) {
        out.push(index.kind === 'unknown' ? index : unknownValue('Fn::Select with an index that is not a number'));
        continue;
      }
      for (const list of this.resolve(arg[1], depth + 1)) {
        if (list.kind === 'known' && Array.isArray(list.value)) {
          out.push(...(i < list.value.length ? this.resolve(list.value[i], depth + 1) : [unknownValue(`Fn::Select index ${i} is past the end of the list`)]));
        } else {
          out.push(list.kind === 'unknown' ? list : unknownValue('Fn::Select from something that is not a list'));
        }
      }
    }
    return cap(out);
  }

  private resolveFindInMap(arg: unknown, depth: number): Array<EvaluatedValue<M>> {
    if (!Array.isArray(arg) || arg.length < 3) return [unknownValue('a malformed Fn::FindInMap')];
    const keys = arg.slice(0, 3).map((k) => this.resolve(k, depth + 1));
    if (keys.some((k) => k.length !== 1 || k[0].kind !== 'known' || typeof (k[0] as KnownValue).value !== 'string')) {
      return [unknownValue('Fn::FindInMap with keys that are not literal')];
    }
    const [map, top, second] = keys.map((k) => (k[0] as KnownValue).value as string);
    const m = this.scope.mappings[map];
    const row = isObject(m) ? m[top] : undefined;
    if (!isObject(row) || !(second in row)) return [unknownValue(`Fn::FindInMap ${map}/${top}/${second} is not in the template's Mappings`)];
    return this.resolve(row[second], depth + 1);
  }

  private resolveImport(arg: unknown, depth: number): Array<EvaluatedValue<M>> {
    const out: Array<EvaluatedValue<M>> = [];
    for (const name of this.resolve(arg, depth + 1)) {
      if (name.kind !== 'known' || typeof name.value !== 'string') {
        out.push(unknownValue('Fn::ImportValue of a name that cannot be evaluated'));
        continue;
      }
      const found = this.scope.importValue(name.value, depth + 1);
      if (!found) {
        out.push(unknownValue(`Fn::ImportValue ${name.value}, an export of another stack not given to the checker`));
        continue;
      }
      out.push(...found);
    }
    return cap(out);
  }
}

/**
 * Concatenate text parts, some of which have several possible values. A part that is not text
 * makes the result unknown, or, with a `placeholder`, becomes that text.
 */
function concat<M>(parts: Array<string | Array<EvaluatedValue<M>>>, fn: string, placeholder?: string): Array<EvaluatedValue<M>> {
  let acc: string[] = [''];
  for (const part of parts) {
    if (typeof part === 'string') {
      acc = acc.map((a) => a + part);
      continue;
    }
    const texts: string[] = [];
    for (const v of part) {
      const text = v.kind === 'known' && ['string', 'number', 'boolean'].includes(typeof v.value);
      if (placeholder !== undefined && !text && v.kind !== 'absent') {
        texts.push(placeholder);
        continue;
      }
      if (v.kind === 'unknown') return [v];
      if (v.kind === 'ref') return [unknownValue(`${fn} of the ${v.attribute ?? 'name'} of ${v.logicalId}, known only at deployment`)];
      if (v.kind === 'absent') texts.push('');
      else if (typeof v.value === 'string' || typeof v.value === 'number' || typeof v.value === 'boolean') texts.push(String(v.value));
      else return [unknownValue(`${fn} of ${describe(v.value)}`)];
    }
    const next: string[] = [];
    for (const a of acc) for (const t of texts) if (next.length < MAX_ALTERNATIVES) next.push(a + t);
    acc = next;
  }
  return [...new Set(acc)].map(known);
}

/** The distinct values, at most `MAX_ALTERNATIVES` of them, first ones first. */
function cap<M>(values: Array<EvaluatedValue<M>>): Array<EvaluatedValue<M>> {
  const out: Array<EvaluatedValue<M>> = [];
  const seen = new Set<string>();
  for (const v of values) {
    const key = v.kind === 'known' ? 'k' + safeKey(v.value) : v.kind === 'ref' ? `r${v.logicalId}.${v.attribute ?? ''}` : v.kind === 'absent' ? 'a' : 'u' + v.why;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(v);
    if (out.length >= MAX_ALTERNATIVES) break;
  }
  return out;
}

function safeKey(value: unknown): string {
  if (value === null || typeof value !== 'object') return typeof value + ':' + String(value);
  return 'object:' + objectId(value as object);
}

const ids = new WeakMap<object, number>();
let nextId = 0;
function objectId(o: object): number {
  let id = ids.get(o);
  if (id === undefined) ids.set(o, (id = ++nextId));
  return id;
}
