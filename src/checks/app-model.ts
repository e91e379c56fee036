/**
 * The templates of one app (or one CLI run) together, with the facts that cross templates:
 * exports, account defaults (`Custom::InstanceMetadataDefaults`), AMIs marked by
 * `Custom::ImageImdsSupport`, and the lowest hop limit a RequireImdsv2 policy allows.
 */
import { ExportLookup, TemplateModel, TemplateSource, Value, describe, isObject, toNumber } from './template-model';

/** Resource type of the account-defaults custom resource (see `InstanceMetadataDefaults`). */
export const ACCOUNT_DEFAULTS_TYPE = 'Custom::InstanceMetadataDefaults';
/** Resource type of the AMI custom resource (see `ImageImdsSupport`). */
export const IMAGE_IMDS_SUPPORT_TYPE = 'Custom::ImageImdsSupport';
/** Resource types whose policy documents can set the maximum hop limit (IMDS003). */
export const POLICY_TYPES: readonly string[] = ['AWS::IAM::ManagedPolicy', 'AWS::IAM::Policy', 'AWS::Organizations::Policy'];

const HOP_LIMIT_KEY = 'ec2:metadatahttpputresponsehoplimit';

/** The account defaults one `Custom::InstanceMetadataDefaults` resource manages. */
export interface AccountDefaults {
  readonly model: TemplateModel;
  readonly logicalId: string;
  /** Option name -> value; an option absent or `no-preference` is not managed. */
  readonly values: ReadonlyMap<string, string | number>;
  /** Values that cannot be read (a parameter, a token), with why. */
  readonly unknownValues: ReadonlyMap<string, string>;
  readonly allRegions: boolean;
  /** Literal Regions. */
  readonly regions: readonly string[];
  /** Whether the list holds `{"Ref": "AWS::Region"}` (or is absent: the stack's Region). */
  readonly ownRegion: boolean;
}

/** The lowest hop limit a policy of the app lets `ec2:RunInstances` use. */
export interface PolicyHopLimit {
  readonly limit: number;
  readonly model: TemplateModel;
  readonly logicalId: string;
  readonly type: string;
}

/** A policy that denies `ec2:RunInstances` above a hop limit known only at deployment. */
export interface UnknownPolicyHopLimit {
  readonly model: TemplateModel;
  readonly logicalId: string;
  readonly type: string;
  /** What the maximum is, e.g. `the parameter MaxHops (default 1)`. */
  readonly why: string;
}

const MANAGED_OPTIONS = ['HttpTokens', 'HttpPutResponseHopLimit', 'HttpEndpoint', 'InstanceMetadataTags', 'HttpTokensEnforced'];

/** All templates of a run, each indexed once. */
export class AppModel implements ExportLookup {
  public readonly templates: TemplateModel[];
  public readonly accountDefaults: AccountDefaults[] = [];
  public readonly policyHopLimit?: PolicyHopLimit;
  /** Policies whose maximum hop limit cannot be read (a parameter, a token): launches above 1 cannot be verified. */
  public readonly unknownPolicyHopLimits: UnknownPolicyHopLimit[] = [];
  private readonly defaultsByModel = new Map<TemplateModel, AccountDefaults[]>();
  private readonly exportIndex = new Map<string, { model: TemplateModel; value: unknown }>();

  constructor(sources: readonly TemplateSource[]) {
    this.templates = sources.map((s) => new TemplateModel(s));
    for (const t of this.templates) {
      for (const [name, value] of t.exports) this.exportIndex.set(name, { model: t, value });
    }
    for (const t of this.templates) t.setExportLookup(this);

    let lowest: PolicyHopLimit | undefined;
    for (const t of this.templates) {
      for (const r of t.resourcesOfType(ACCOUNT_DEFAULTS_TYPE)) this.accountDefaults.push(readAccountDefaults(t, r.logicalId, r.properties));
      for (const type of POLICY_TYPES) {
        for (const r of t.resourcesOfType(type)) {
          let doc: unknown = type === 'AWS::Organizations::Policy' ? r.properties.Content : r.properties.PolicyDocument;
          if (typeof doc === 'string') {
            try {
              doc = JSON.parse(doc);
            } catch {
              continue;
            }
          }
          const denied = hopLimitsDenied(doc, t);
          const limit = denied.lowest;
          if (limit !== undefined && (lowest === undefined || limit < lowest.limit)) {
            lowest = { limit, model: t, logicalId: r.logicalId, type };
          }
          for (const why of denied.unknown) this.unknownPolicyHopLimits.push({ model: t, logicalId: r.logicalId, type, why });
        }
      }
    }
    this.policyHopLimit = lowest;
  }

  public findExport(name: string): { readonly model: TemplateModel; readonly value: unknown } | undefined {
    return this.exportIndex.get(name);
  }

  /** The account defaults that apply to launches of a template (same Region), first one first. */
  public accountDefaultsFor(model: TemplateModel): AccountDefaults[] {
    let found = this.defaultsByModel.get(model);
    if (!found) {
      found = this.matchAccountDefaults(model);
      this.defaultsByModel.set(model, found);
    }
    return found;
  }

  private matchAccountDefaults(model: TemplateModel): AccountDefaults[] {
    return this.accountDefaults.filter((d) => {
      if (d.allRegions) return true;
      if (d.ownRegion && (d.model === model || (d.model.region !== undefined && d.model.region === model.region))) return true;
      return model.region !== undefined && d.regions.includes(model.region);
    });
  }
}

function readAccountDefaults(model: TemplateModel, logicalId: string, p: Record<string, unknown>): AccountDefaults {
  const values = new Map<string, string | number>();
  const unknownValues = new Map<string, string>();
  for (const name of MANAGED_OPTIONS) {
    if (p[name] === undefined) continue;
    const vs = model.resolve(p[name]);
    const v = vs[0];
    if (vs.length !== 1 || v.kind !== 'known') {
      unknownValues.set(name, v.kind === 'unknown' ? v.why : 'a value known only at deployment');
      continue;
    }
    if (name === 'HttpPutResponseHopLimit') {
      const n = toNumber(v.value);
      if (!Number.isFinite(n)) unknownValues.set(name, `the value ${describe(v.value)} is not a number`);
      else if (n !== -1) values.set(name, n);
    } else if (typeof v.value === 'string' && v.value !== 'no-preference') {
      values.set(name, v.value);
    }
  }
  const all = model.resolve(p.AllRegions)[0];
  const allRegions = all.kind === 'known' && (all.value === true || all.value === 'true');
  const regions: string[] = [];
  let ownRegion = p.Regions === undefined;
  if (Array.isArray(p.Regions)) {
    for (const item of p.Regions) {
      if (isObject(item) && item.Ref === 'AWS::Region') {
        ownRegion = true;
        continue;
      }
      for (const v of model.resolve(item)) if (v.kind === 'known' && typeof v.value === 'string') regions.push(v.value);
    }
  }
  return { model, logicalId, values, unknownValues, allRegions, regions, ownRegion };
}

/**
 * The lowest N of the statements in a policy document that Deny `ec2:RunInstances` with
 * `NumericGreaterThan ec2:MetadataHttpPutResponseHopLimit N`.
 */
export function lowestHopLimitDenied(doc: unknown): number | undefined {
  return hopLimitsDenied(doc).lowest;
}

/** The hop limits a policy document denies `ec2:RunInstances` above: the lowest known one, and those known only at deployment. */
export interface DeniedHopLimits {
  readonly lowest?: number;
  /** Each maximum that cannot be read, described (`the parameter MaxHops (default 1)`). */
  readonly unknown: string[];
}

/**
 * Read the `NumericGreaterThan ec2:MetadataHttpPutResponseHopLimit N` conditions of the Deny
 * `ec2:RunInstances` statements of a policy document. With the template, N may be an intrinsic
 * (`Ref` to a parameter, `Fn::Join`, ...): what evaluates to a number counts, anything else is
 * returned as unknown rather than ignored.
 */
export function hopLimitsDenied(doc: unknown, model?: TemplateModel): DeniedHopLimits {
  if (!isObject(doc)) return { unknown: [] };
  const statements = Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
  let lowest: number | undefined;
  const unknown: string[] = [];
  const consider = (n: number) => {
    if (lowest === undefined || n < lowest) lowest = n;
  };
  for (const s of statements) {
    if (!isObject(s) || s.Effect !== 'Deny' || !deniesRunInstances(s.Action)) continue;
    const cond = isObject(s.Condition) ? s.Condition : {};
    for (const [op, body] of Object.entries(cond)) {
      if (op.replace(/^ForAnyValue:|^ForAllValues:/, '') !== 'NumericGreaterThan' || !isObject(body)) continue;
      for (const [key, raw] of Object.entries(body)) {
        if (key.toLowerCase() !== HOP_LIMIT_KEY) continue;
        for (const v of Array.isArray(raw) ? raw : [raw]) {
          if (typeof v === 'number' || typeof v === 'string') {
            const n = toNumber(v);
            if (Number.isFinite(n)) consider(n);
            else unknown.push(`the value ${describe(v)}, which is not a number`);
            continue;
          }
          if (!model) {
            unknown.push(describe(v));
            continue;
          }
          for (const value of model.resolve(v)) {
            const n = value.kind === 'known' ? toNumber(value.value) : NaN;
            if (Number.isFinite(n)) consider(n);
            else unknown.push(describeUnknownLimit(value));
          }
        }
      }
    }
  }
  return { lowest, unknown };
}

function describeUnknownLimit(v: Value): string {
  if (v.kind === 'unknown' && v.parameter) {
    const d = v.parameter.defaultValue;
    return `the parameter ${v.parameter.name}${d !== undefined ? ` (default ${typeof d === 'string' || typeof d === 'number' ? d : describe(d)})` : ''}`;
  }
  if (v.kind === 'unknown') return v.why;
  if (v.kind === 'known') return `the value ${describe(v.value)}, which is not a number`;
  if (v.kind === 'ref') return `an attribute of ${v.logicalId}`;
  return 'absent';
}

function deniesRunInstances(action: unknown): boolean {
  const actions = Array.isArray(action) ? action : [action];
  return actions.some((a) => {
    if (typeof a !== 'string') return false;
    const pattern = new RegExp('^' + a.toLowerCase().replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.') + '$');
    return pattern.test('ec2:runinstances');
  });
}
