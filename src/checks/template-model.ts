/**
 * One CloudFormation template, indexed once, with a small evaluator for the intrinsic functions
 * the checks need.
 *
 * Pure functions over JSON: nothing here imports aws-cdk-lib. Any JSON is accepted; what cannot be
 * read is recorded in `problems` (wrong types) or comes back as an "unknown" value (tokens,
 * parameters, imports), never as an exception.
 */

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

/** A reference to a resource of a template: `Ref` or `Fn::GetAtt`. */
export interface RefValue {
  readonly kind: 'ref';
  readonly logicalId: string;
  readonly attribute?: string;
  readonly model: TemplateModel;
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

/** One possible value of an expression. */
export type Value = KnownValue | RefValue | AbsentValue | UnknownValue;

/** A problem with the shape of the template (a property of the wrong type). */
export interface TemplateProblem {
  readonly logicalId?: string;
  readonly path: string;
  readonly message: string;
}

/** Where a value sits in a template. */
export interface Location {
  readonly model: TemplateModel;
  readonly logicalId: string;
  /** Property path inside the resource, e.g. `Properties/MetadataOptions/HttpTokens`. */
  readonly path: string;
}

/** Resolves `Fn::ImportValue` across the templates of one app. */
export interface ExportLookup {
  findExport(name: string): { readonly model: TemplateModel; readonly value: unknown } | undefined;
}

/** What the caller knows about a template. */
export interface TemplateSource {
  /** Path or name of the template, used in messages and reports. */
  readonly path: string;
  /** The parsed template (any JSON). */
  readonly template: unknown;
  /** The stack's Region, when known. @default - unknown */
  readonly region?: string;
  /** The stack's name or construct path, when known. @default - from the path */
  readonly stackName?: string;
}

/** A resource of the template. */
export interface ResourceEntry {
  readonly logicalId: string;
  readonly type: string;
  /** The `Properties` object; an empty object when absent or not an object. */
  readonly properties: Record<string, unknown>;
  readonly raw: Record<string, unknown>;
  /** `Metadata['aws:cdk:path']`, when the template carries it. */
  readonly cdkPath?: string;
}

const ABSENT: AbsentValue = { kind: 'absent' };

export function known(value: unknown): KnownValue {
  return { kind: 'known', value };
}

export function unknownValue(why: string, parameter?: ParameterInfo): UnknownValue {
  return parameter ? { kind: 'unknown', why, parameter } : { kind: 'unknown', why };
}

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
function onlyKey(o: Record<string, unknown>): string | undefined {
  let key: string | undefined;
  for (const k in o) {
    if (key !== undefined) return undefined;
    key = k;
  }
  return key;
}

/** A short, single-line description of a JSON value for messages. */
export function describe(x: unknown): string {
  if (x === undefined) return 'nothing';
  if (typeof x === 'string') return JSON.stringify(x.length > 80 ? x.slice(0, 77) + '...' : x);
  if (typeof x === 'number' || typeof x === 'boolean' || x === null) return String(x);
  if (Array.isArray(x)) return `a list of ${x.length}`;
  const fn = onlyKey(x as Record<string, unknown>);
  if (fn !== undefined && (fn === 'Ref' || fn.startsWith('Fn::'))) return `a ${fn} expression`;
  return 'an object';
}

/** A CloudFormation template indexed by logical ID, launch template name and subnet. */
export class TemplateModel {
  public readonly path: string;
  public readonly region?: string;
  public readonly stackName: string;
  public readonly resources = new Map<string, ResourceEntry>();
  public readonly problems: TemplateProblem[] = [];
  /** Resources by type, in template order. */
  public readonly byType = new Map<string, ResourceEntry[]>();
  /** `AWS::EC2::LaunchTemplate` resources by their literal `LaunchTemplateName`. */
  public readonly launchTemplatesByName = new Map<string, ResourceEntry>();
  /** `AWS::EC2::SubnetCidrBlock` resources that add IPv6, by the logical ID of their subnet. */
  public readonly ipv6CidrBlocksBySubnet = new Map<string, ResourceEntry[]>();
  /** Whether the template has a `Resources` section that is an object. */
  public readonly hasResources: boolean;
  /** Logical IDs of `Outputs` by export name (literal names only). */
  public readonly exports = new Map<string, unknown>();

  private readonly parameters = new Map<string, ParameterInfo>();
  private readonly conditions: Record<string, unknown>;
  private readonly mappings: Record<string, unknown>;
  private readonly conditionCache = new Map<string, boolean | undefined>();
  /** `resolveText` of expressions (objects of the template), by expression. */
  private readonly textCache = new WeakMap<object, string[]>();
  private exportLookup?: ExportLookup;

  constructor(source: TemplateSource) {
    this.path = source.path;
    this.region = source.region;
    this.stackName = source.stackName ?? source.path;
    const t = source.template;
    const template = isObject(t) ? t : {};
    if (!isObject(t)) {
      this.problems.push({ path: '', message: `the template is ${describe(t)}, not a JSON object` });
    }
    this.conditions = isObject(template.Conditions) ? template.Conditions : {};
    this.mappings = isObject(template.Mappings) ? template.Mappings : {};

    if (isObject(template.Parameters)) {
      for (const [name, p] of Object.entries(template.Parameters)) {
        if (!isObject(p)) continue;
        this.parameters.set(name, {
          name,
          type: typeof p.Type === 'string' ? p.Type : undefined,
          defaultValue: p.Default,
        });
      }
    }

    this.hasResources = isObject(template.Resources);
    if (template.Resources !== undefined && !this.hasResources) {
      this.problems.push({ path: 'Resources', message: `Resources is ${describe(template.Resources)}, expected an object of resources` });
    }
    const resources = this.hasResources ? (template.Resources as Record<string, unknown>) : {};
    for (const logicalId in resources) {
      const r = resources[logicalId];
      if (!isObject(r)) {
        this.problems.push({ logicalId, path: `Resources/${logicalId}`, message: `resource ${logicalId} is ${describe(r)}, expected an object with Type` });
        continue;
      }
      if (typeof r.Type !== 'string') {
        this.problems.push({ logicalId, path: `Resources/${logicalId}/Type`, message: `resource ${logicalId} has Type ${describe(r.Type)}, expected a string` });
        continue;
      }
      if (r.Properties !== undefined && !isObject(r.Properties)) {
        this.problems.push({
          logicalId,
          path: `Resources/${logicalId}/Properties`,
          message: `resource ${logicalId} has Properties ${describe(r.Properties)}, expected an object`,
        });
      }
      const meta = r.Metadata;
      const cdkPath = isObject(meta) && typeof meta['aws:cdk:path'] === 'string' ? meta['aws:cdk:path'] : undefined;
      const entry: ResourceEntry = {
        logicalId,
        type: r.Type,
        properties: isObject(r.Properties) ? r.Properties : {},
        raw: r,
        cdkPath,
      };
      this.resources.set(logicalId, entry);
      let list = this.byType.get(entry.type);
      if (!list) this.byType.set(entry.type, (list = []));
      list.push(entry);
    }

    // Second pass over the (few) resources that other resources find by something other than Ref.
    for (const lt of this.byType.get('AWS::EC2::LaunchTemplate') ?? []) {
      const name = lt.properties.LaunchTemplateName;
      if (typeof name === 'string') this.launchTemplatesByName.set(name, lt);
    }
    for (const block of this.byType.get('AWS::EC2::SubnetCidrBlock') ?? []) {
      const p = block.properties;
      if (p.Ipv6CidrBlock === undefined && p.Ipv6IpamPoolId === undefined && p.Ipv6NetmaskLength === undefined) continue;
      for (const v of this.resolve(p.SubnetId)) {
        if (v.kind !== 'ref' || v.model !== this) continue;
        let list = this.ipv6CidrBlocksBySubnet.get(v.logicalId);
        if (!list) this.ipv6CidrBlocksBySubnet.set(v.logicalId, (list = []));
        list.push(block);
      }
    }

    if (isObject(template.Outputs)) {
      for (const output of Object.values(template.Outputs)) {
        if (!isObject(output) || !isObject(output.Export)) continue;
        const name = output.Export.Name;
        if (typeof name === 'string') this.exports.set(name, output.Value);
      }
    }
  }

  /** Let `Fn::ImportValue` follow exports of the other templates of the app. */
  public setExportLookup(lookup: ExportLookup): void {
    this.exportLookup = lookup;
  }

  /** The resources of one type. */
  public resourcesOfType(type: string): readonly ResourceEntry[] {
    return this.byType.get(type) ?? [];
  }

  /** Record a problem with the shape of a property. */
  public addProblem(logicalId: string, path: string, message: string): void {
    this.problems.push({ logicalId, path: `Resources/${logicalId}/${path}`, message });
  }

  /**
   * Evaluate an expression into its possible values.
   *
   * `Fn::If` on a condition that cannot be decided gives both branches. Never throws.
   */
  public resolve(raw: unknown, depth: number = 0): Value[] {
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

  private resolveTextNow(raw: unknown, depth: number): string[] {
    const out: string[] = [];
    for (const v of this.resolve(raw, depth)) {
      if (v.kind === 'known') out.push(typeof v.value === 'string' ? v.value : textOfJoin(this, v.value, depth));
      else if (v.kind === 'absent') out.push('');
      else out.push('${token}');
    }
    return [...new Set(out)];
  }

  /**
   * The objects an expression may be: plain objects, `undefined` for absent.
   *
   * Values that are neither (a string where an object belongs) are recorded as problems.
   */
  public objects(raw: unknown, logicalId: string, path: string): Array<Record<string, unknown> | undefined | UnknownValue> {
    const out: Array<Record<string, unknown> | undefined | UnknownValue> = [];
    for (const v of this.resolve(raw)) {
      if (v.kind === 'absent') {out.push(undefined);} else if (v.kind === 'unknown') {out.push(v);} else if (v.kind === 'known' && isObject(v.value)) {out.push(v.value);} else if (v.kind === 'ref') {out.push(unknownValue(`a reference to ${v.logicalId}`));} else {
        this.addProblem(logicalId, path, `${path} of ${logicalId} is ${describe(v.value)}, expected an object`);
        out.push(undefined);
      }
    }
    return out;
  }

  /** The items of a list expression; `undefined` when it is absent; an UnknownValue when it cannot be read. */
  public list(raw: unknown, logicalId: string, path: string): unknown[] | UnknownValue | undefined {
    const items: unknown[] = [];
    let sawList = false;
    for (const v of this.resolve(raw)) {
      if (v.kind === 'absent') continue;
      if (v.kind === 'unknown') return v;
      if (v.kind === 'ref') return unknownValue(`a reference to ${v.logicalId}`);
      if (Array.isArray(v.value)) {
        sawList = true;
        items.push(...v.value);
      } else {
        this.addProblem(logicalId, path, `${path} of ${logicalId} is ${describe(v.value)}, expected a list`);
        return undefined;
      }
    }
    return sawList ? items : undefined;
  }

  /** Decide a named condition: true, false, or undefined when it depends on a parameter. */
  public condition(name: string, depth: number = 0): boolean | undefined {
    if (this.conditionCache.has(name)) return this.conditionCache.get(name);
    this.conditionCache.set(name, undefined); // a cycle decides nothing
    const result = this.evalCondition(this.conditions[name], depth + 1);
    this.conditionCache.set(name, result);
    return result;
  }

  /** A parameter by name. */
  public parameter(name: string): ParameterInfo | undefined {
    return this.parameters.get(name);
  }

  private resolveRef(arg: unknown): Value {
    if (typeof arg !== 'string') return unknownValue(`a Ref to ${describe(arg)}`);
    if (arg === 'AWS::NoValue') return ABSENT;
    if (arg === 'AWS::Region') return this.region ? known(this.region) : unknownValue('the stack Region (AWS::Region)');
    if (arg.startsWith('AWS::')) return unknownValue(`the pseudo parameter ${arg}`);
    if (this.resources.has(arg)) return { kind: 'ref', logicalId: arg, model: this };
    const p = this.parameters.get(arg);
    if (p) return unknownValue(`parameter ${arg}`, p);
    return unknownValue(`a Ref to ${arg}, which is neither a resource nor a parameter of the template`);
  }

  private resolveGetAtt(arg: unknown): Value {
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
    if (!this.resources.has(id)) return unknownValue(`Fn::GetAtt of ${id}, which is not a resource of the template`);
    return { kind: 'ref', logicalId: id, attribute: attr, model: this };
  }

  private resolveIf(arg: unknown, depth: number): Value[] {
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

  private resolveSub(arg: unknown, depth: number): Value[] {
    let text: unknown = arg;
    let vars: Record<string, unknown> = {};
    if (Array.isArray(arg)) {
      text = arg[0];
      vars = isObject(arg[1]) ? arg[1] : {};
    }
    if (typeof text !== 'string') return [unknownValue('a malformed Fn::Sub')];
    const parts: Array<string | Value[]> = [];
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
        parts.push(this.resolve(vars[name], depth + 1));
      } else if (name.includes('.') && !name.startsWith('AWS::')) {
        const dot = name.indexOf('.');
        parts.push([this.resolveGetAtt([name.slice(0, dot), name.slice(dot + 1)])]);
      } else {
        parts.push([this.resolveRef(name)]);
      }
    }
    parts.push(text.slice(last));
    return concat(parts, 'Fn::Sub');
  }

  private resolveJoin(arg: unknown, depth: number): Value[] {
    if (!Array.isArray(arg) || arg.length !== 2 || typeof arg[0] !== 'string') return [unknownValue('a malformed Fn::Join')];
    const sep = arg[0];
    const items = this.resolve(arg[1], depth + 1);
    const out: Value[] = [];
    for (const list of items) {
      if (list.kind !== 'known' || !Array.isArray(list.value)) {
        out.push(list.kind === 'unknown' ? list : unknownValue('Fn::Join of something that is not a list'));
        continue;
      }
      const parts: Array<string | Value[]> = [];
      list.value.forEach((item, i) => {
        if (i > 0) parts.push(sep);
        parts.push(this.resolve(item, depth + 1));
      });
      out.push(...concat(parts, 'Fn::Join'));
    }
    return cap(out);
  }

  private resolveSelect(arg: unknown, depth: number): Value[] {
    if (!Array.isArray(arg) || arg.length !== 2) return [unknownValue('a malformed Fn::Select')];
    const out: Value[] = [];
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

  private resolveFindInMap(arg: unknown, depth: number): Value[] {
    if (!Array.isArray(arg) || arg.length < 3) return [unknownValue('a malformed Fn::FindInMap')];
    const keys = arg.slice(0, 3).map((k) => this.resolve(k, depth + 1));
    if (keys.some((k) => k.length !== 1 || k[0].kind !== 'known' || typeof (k[0] as KnownValue).value !== 'string')) {
      return [unknownValue('Fn::FindInMap with keys that are not literal')];
    }
    const [map, top, second] = keys.map((k) => (k[0] as KnownValue).value as string);
    const m = this.mappings[map];
    const row = isObject(m) ? m[top] : undefined;
    if (!isObject(row) || !(second in row)) return [unknownValue(`Fn::FindInMap ${map}/${top}/${second} is not in the template's Mappings`)];
    return this.resolve(row[second], depth + 1);
  }

  private resolveImport(arg: unknown, depth: number): Value[] {
    const out: Value[] = [];
    for (const name of this.resolve(arg, depth + 1)) {
      if (name.kind !== 'known' || typeof name.value !== 'string') {
        out.push(unknownValue('Fn::ImportValue of a name that cannot be evaluated'));
        continue;
      }
      const found = this.exportLookup?.findExport(name.value);
      if (!found) {
        out.push(unknownValue(`Fn::ImportValue ${name.value}, an export of another stack not given to the checker`));
        continue;
      }
      out.push(...found.model.resolve(found.value, depth + 1));
    }
    return cap(out);
  }
}

/** Concatenate text parts, some of which have several possible values. */
function concat(parts: Array<string | Value[]>, fn: string): Value[] {
  let acc: string[] = [''];
  for (const part of parts) {
    if (typeof part === 'string') {
      acc = acc.map((a) => a + part);
      continue;
    }
    const texts: string[] = [];
    for (const v of part) {
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

/** Text of a known non-string value (a list given to Fn::Join in user data, say). */
function textOfJoin(model: TemplateModel, value: unknown, depth: number): string {
  if (Array.isArray(value)) return value.map((v) => model.resolveText(v, depth + 1)[0] ?? '').join('');
  return value === null || value === undefined ? '' : typeof value === 'object' ? '${object}' : String(value);
}

function cap(values: Value[]): Value[] {
  const out: Value[] = [];
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
  return 'object:' + out_id(value as object);
}

const ids = new WeakMap<object, number>();
let nextId = 0;
function out_id(o: object): number {
  let id = ids.get(o);
  if (id === undefined) ids.set(o, (id = ++nextId));
  return id;
}
