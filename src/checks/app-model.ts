/**
 * The templates of one app (or one CLI run) together, with the facts that cross templates:
 * exports, account defaults (`Custom::InstanceMetadataDefaults`), AMIs marked by
 * `Custom::ImageImdsSupport`, and what the app's policies deny.
 *
 * The type names of both custom resources, their property names and the AMI attribute come from
 * the contracts shared with the constructs (`account/private/defaults-contract.ts`,
 * `image/private/image-contract.ts`).
 */
import { AppPolicies } from './enforcement';
import { describe, isObject, toNumber } from './template-json';
import { ExportLookup, TemplateModel, TemplateSource } from './template-model';
import {
  ALL_REGIONS_PROPERTY,
  ALL_REGIONS_VALUE,
  DEFAULTS_FIELDS,
  HOP_LIMIT_NO_PREFERENCE,
  INSTANCE_METADATA_DEFAULTS_RESOURCE_TYPE,
  NO_PREFERENCE,
  REGIONS_PROPERTY,
} from '../account/private/defaults-contract';
import { IMAGE_ID_ATTRIBUTE, IMAGE_IMDS_SUPPORT_RESOURCE_TYPE } from '../image/private/image-contract';

/** Resource type of the account-defaults custom resource (see `InstanceMetadataDefaults`). */
export const ACCOUNT_DEFAULTS_TYPE = INSTANCE_METADATA_DEFAULTS_RESOURCE_TYPE;
/** Resource type of the AMI custom resource (see `ImageImdsSupport`). */
export const IMAGE_IMDS_SUPPORT_TYPE = IMAGE_IMDS_SUPPORT_RESOURCE_TYPE;
/** Attribute of the AMI custom resource that names the marked AMI (`Fn::GetAtt [<resource>, ImageId]`). */
export const IMAGE_IMDS_SUPPORT_ATTRIBUTE = IMAGE_ID_ATTRIBUTE;

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

/** All templates of a run, each indexed once. */
export class AppModel implements ExportLookup {
  public readonly templates: TemplateModel[];
  public readonly accountDefaults: AccountDefaults[] = [];
  /** What the policies of the app deny (enforcement.ts). */
  public readonly policies: AppPolicies;
  private readonly defaultsByModel = new Map<TemplateModel, AccountDefaults[]>();
  private readonly exportIndex = new Map<string, { model: TemplateModel; value: unknown }>();

  constructor(sources: readonly TemplateSource[]) {
    this.templates = sources.map((s) => new TemplateModel(s));
    for (const t of this.templates) {
      for (const [name, value] of t.exports) this.exportIndex.set(name, { model: t, value });
    }
    for (const t of this.templates) t.setExportLookup(this);

    for (const t of this.templates) {
      for (const r of t.resourcesOfType(ACCOUNT_DEFAULTS_TYPE)) this.accountDefaults.push(readAccountDefaults(t, r.logicalId, r.properties));
    }
    this.policies = new AppPolicies(this.templates);
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

  /**
   * The account defaults that turn `HttpTokensEnforced` on for launches of a template: such a
   * launch fails unless its effective HttpTokens (after precedence) is `required`.
   */
  public tokensEnforcedBy(model: TemplateModel): AccountDefaults | undefined {
    return this.accountDefaultsFor(model).find((d) => d.values.get('HttpTokensEnforced') === 'enabled');
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
  for (const name of DEFAULTS_FIELDS) {
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
      else if (n !== HOP_LIMIT_NO_PREFERENCE) values.set(name, n);
    } else if (typeof v.value === 'string' && v.value !== NO_PREFERENCE) {
      values.set(name, v.value);
    }
  }
  const all = model.resolve(p[ALL_REGIONS_PROPERTY])[0];
  const allRegions = all.kind === 'known' && (all.value === true || all.value === ALL_REGIONS_VALUE);
  const regions: string[] = [];
  const listed = p[REGIONS_PROPERTY];
  let ownRegion = listed === undefined;
  if (Array.isArray(listed)) {
    for (const item of listed) {
      if (isObject(item) && item.Ref === 'AWS::Region') {
        ownRegion = true;
        continue;
      }
      for (const v of model.resolve(item)) if (v.kind === 'known' && typeof v.value === 'string') regions.push(v.value);
    }
  }
  return { model, logicalId, values, unknownValues, allRegions, regions, ownRegion };
}
