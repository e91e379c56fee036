/**
 * One CloudFormation template, indexed once: resources by logical ID and type, launch templates by
 * name, IPv6 blocks by subnet, parameters and exports, with readers that record properties of the
 * wrong shape. Expressions are evaluated by the evaluator of `intrinsics.ts`.
 *
 * Pure functions over JSON: nothing here imports aws-cdk-lib. Any JSON is accepted; what cannot be
 * read is recorded in `problems` (wrong types) or comes back as an "unknown" value (tokens,
 * parameters, imports), never as an exception.
 */
import { EvaluatedValue, IntrinsicEvaluator, ParameterInfo, ResourceRef, UnknownValue, unknownValue } from './intrinsics';
import { describe, isObject } from './template-json';

// Names the launch readers import from this module, defined with the evaluator and JSON helpers.
export type { UnknownValue } from './intrinsics';
export { describe, isObject } from './template-json';

/** A reference to a resource of a template: `Ref` or `Fn::GetAtt`. */
export type RefValue = ResourceRef<TemplateModel>;

/** One possible value of an expression. */
export type Value = EvaluatedValue<TemplateModel>;

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
  private readonly evaluator: IntrinsicEvaluator<TemplateModel>;
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
    this.evaluator = new IntrinsicEvaluator<TemplateModel>({
      owner: this,
      region: this.region,
      parameters: this.parameters,
      conditions: isObject(template.Conditions) ? template.Conditions : {},
      mappings: isObject(template.Mappings) ? template.Mappings : {},
      hasResource: (logicalId) => this.resources.has(logicalId),
      importValue: (name, depth) => {
        const found = this.exportLookup?.findExport(name);
        return found ? found.model.resolve(found.value, depth) : undefined;
      },
    });

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
    return this.evaluator.resolve(raw, depth);
  }

  /**
   * Evaluate an expression in a text context, for reading user data.
   *
   * Parts that cannot be evaluated become a placeholder, so the text is known to have content.
   */
  public resolveText(raw: unknown, depth: number = 0): string[] {
    return this.evaluator.resolveText(raw, depth);
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
    return this.evaluator.condition(name, depth);
  }

  /** A parameter by name. */
  public parameter(name: string): ParameterInfo | undefined {
    return this.parameters.get(name);
  }
}
