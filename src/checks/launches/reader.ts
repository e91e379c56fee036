/**
 * What every launch reader uses: finding a launch template, building a variant from a launch
 * template plus the launch's own settings, reading subnets, tags and user data.
 *
 * One `ReadRun` per reading of an app owns the caches: the facts of each launch template (read
 * once however many launches use it) and whether some user data makes a container host.
 */
import type { AppModel } from '../app-model';
import { Location, ResourceEntry, TemplateModel, describe, isObject } from '../template-model';
import { containerHostUserData } from '../user-data';
import { TemplateFacts, hasUserData, imageFacts, launchTemplateData, LT_DATA, subnetFact, subnetsFromInterfaces, tagList, typeFacts } from './facts';
import { LaunchExtras, LaunchRecord, LaunchTemplateFacts, Variant, VariantFactReader, VariantInput } from './records';
import { ALL_OPTIONS, ImageFact, InstanceTypeFact, Launch, LaunchVariant, NO_OPTIONS, OptionLayer, OptionName, SubnetFact, SubnetsResult, TagFact, loc } from './shape';

/** The launch template a specification names, or why it cannot be read. */
export interface FoundTemplate {
  readonly entry?: ResourceEntry;
  readonly model?: TemplateModel;
  readonly unreadable?: string;
}

/** A launch's own options property. */
export interface OwnLayer {
  readonly raw: unknown;
  readonly path: string;
  readonly supported: ReadonlySet<OptionName>;
  readonly translate?: (raw: unknown) => unknown;
}

/** One reading of an app's launches, with the caches that live as long as it. */
export class ReadRun {
  private readonly readers = new Map<TemplateModel, LaunchReader>();
  /** Launch template facts, by launch template. */
  public readonly templateFacts = new Map<ResourceEntry, LaunchTemplateFacts>();
  /** Why user data (by its location, shared by the launches of one launch template) makes a container host. */
  public readonly containerHosts = new Map<Location, string | undefined>();

  constructor(public readonly app: AppModel) {}

  /** The reader of one template of the app. */
  public readerOf(model: TemplateModel): LaunchReader {
    let reader = this.readers.get(model);
    if (reader === undefined) this.readers.set(model, (reader = new LaunchReader(this, model)));
    return reader;
  }
}

/** Reads the launches of one template (the readers of each kind call it). */
export class LaunchReader implements VariantFactReader {
  /** Auto Scaling groups an ECS capacity provider uses, by logical ID. */
  public readonly ecsHosts = new Set<string>();
  public readonly app: AppModel;

  constructor(public readonly run: ReadRun, public readonly model: TemplateModel) {
    this.app = run.app;
    for (const cp of model.resourcesOfType('AWS::ECS::CapacityProvider')) {
      const provider = cp.properties.AutoScalingGroupProvider;
      if (!isObject(provider)) continue;
      for (const v of model.resolve(provider.AutoScalingGroupArn)) if (v.kind === 'ref') this.ecsHosts.add(v.logicalId);
    }
  }

  /** A launch of this template. */
  public launch(r: ResourceEntry, variants: LaunchVariant[], subnets: SubnetsResult | (() => SubnetsResult), extras?: LaunchExtras): Launch {
    return new LaunchRecord(this.model, r, variants, subnets, extras);
  }

  /** A variant whose launch-level settings cannot be read. */
  public unreadableVariant(r: ResourceEntry, why: string, path: string, supported: ReadonlySet<OptionName>): LaunchVariant {
    return { layers: [], optionsAt: loc(this.model, r.logicalId, path), supported, unreadable: why, images: [], instanceTypes: [], tags: [] };
  }

  /** Find the launch template a specification (`LaunchTemplateId` or `LaunchTemplateName`) names. */
  public findTemplate(r: ResourceEntry, spec: Record<string, unknown>, path: string): FoundTemplate {
    const id = spec.LaunchTemplateId;
    const name = spec.LaunchTemplateName;
    const raw = id !== undefined ? id : name;
    const field = id !== undefined ? 'LaunchTemplateId' : 'LaunchTemplateName';
    if (raw === undefined) return { unreadable: `${path} names no launch template` };
    for (const v of this.model.resolve(raw)) {
      if (v.kind === 'ref') {
        const entry = v.model.resources.get(v.logicalId);
        if (entry && entry.type === 'AWS::EC2::LaunchTemplate') return { entry, model: v.model };
        return { unreadable: `${path}/${field} refers to ${v.logicalId}, a ${entry?.type ?? 'resource'} that is not a launch template` };
      }
      if (v.kind === 'known' && typeof v.value === 'string') {
        const ltName = v.value;
        if (field === 'LaunchTemplateName') {
          const has = (t: TemplateModel) => t.launchTemplatesByName.has(ltName);
          const owner = has(this.model) ? this.model : this.app.templates.find(has);
          const entry = owner?.launchTemplatesByName.get(ltName);
          if (owner && entry) return { entry, model: owner };
        }
        return { unreadable: `launch template ${ltName} is not defined in the templates given (imported)` };
      }
      if (v.kind === 'unknown') return { unreadable: `the launch template is ${v.why}` };
      if (v.kind === 'known') this.model.addProblem(r.logicalId, `${path}/${field}`, `${path}/${field} of ${r.logicalId} is ${describe(v.value)}, expected a launch template ID or name`);
    }
    return { unreadable: `${path}/${field} cannot be read` };
  }

  /** Build a variant from an optional launch template plus the launch's own settings (which win). */
  public variant(found: FoundTemplate | undefined, own: OwnLayer[], o: VariantInput): LaunchVariant {
    const id = o.resource?.logicalId ?? '';
    const model = this.model;
    const layers = own.map((l): OptionLayer => ({ model, logicalId: id, path: l.path, raw: l.raw, supported: l.supported, translate: l.translate }));
    let optionsAt = loc(model, id, o.optionsPath ?? 'Properties/MetadataOptions');
    let supported = o.supported ?? ALL_OPTIONS;
    let launchTemplate: LaunchVariant['launchTemplate'];
    let unreadable: string | undefined;
    let template: LaunchTemplateFacts | undefined;

    if (found?.entry && found.model) {
      launchTemplate = { entry: found.entry, model: found.model };
      template = this.templateFacts(found.entry, found.model);
      layers.push(template.layer);
      optionsAt = loc(found.model, found.entry.logicalId, template.layer.path);
      supported = ALL_OPTIONS;
    } else if (found?.unreadable) {
      unreadable = found.unreadable;
      optionsAt = loc(model, id, o.optionsPath ?? 'Properties');
    } else if (layers.length === 0) {
      // No launch template and no options of its own: only a launch template could set them.
      supported = NO_OPTIONS;
      optionsAt = loc(model, id, o.launchTemplatePath ?? o.optionsPath ?? 'Properties');
    }

    let floatingVersion: LaunchVariant['floatingVersion'];
    if (o.version) {
      for (const v of model.resolve(o.version[0])) {
        if (v.kind === 'known' && (v.value === '$Latest' || v.value === '$Default')) floatingVersion = { value: v.value, at: loc(model, id, o.version[1]) };
      }
    }
    return new Variant(this, model, id, o, template, { label: o.label, layers, optionsAt, supported, launchTemplate, unreadable, floatingVersion });
  }

  public variantImages(model: TemplateModel, o: VariantInput, template: LaunchTemplateFacts | undefined): ImageFact[] {
    if (o.imageId !== undefined) return imageFacts(model, o.imageId);
    const fromTemplate = template?.images() ?? [];
    if (fromTemplate.length > 0) return fromTemplate;
    if (o.defaultImages) return o.defaultImages();
    return o.imageDescription ? [{ support: 'not-known', description: o.imageDescription }] : [];
  }

  public variantInstanceTypes(model: TemplateModel, id: string, o: VariantInput, template: LaunchTemplateFacts | undefined): InstanceTypeFact[] {
    if (o.instanceTypes) return o.instanceTypes.flatMap(([raw, path]) => typeFacts(model, id, raw, path, o.batchTypes));
    if (o.instanceType !== undefined) return typeFacts(model, id, o.instanceType, o.instanceTypePath ?? 'Properties/InstanceType');
    return template?.instanceTypes() ?? [];
  }

  public variantUserData(model: TemplateModel, id: string, o: VariantInput, template: LaunchTemplateFacts | undefined): { at: Location } | undefined {
    if (o.userData !== undefined && hasUserData(model, o.userData)) return { at: loc(model, id, o.userDataPath ?? 'Properties/UserData') };
    return template?.userData();
  }

  public variantKeyName(model: TemplateModel, id: string, o: VariantInput, template: LaunchTemplateFacts | undefined): Location | undefined {
    if (o.keyName !== undefined && model.resolve(o.keyName).some((v) => v.kind !== 'absent')) return loc(model, id, o.keyNamePath ?? 'Properties/KeyName');
    return template?.keyName;
  }

  /** What a launch template says, read once per run however many launches use it. */
  private templateFacts(lt: ResourceEntry, m: TemplateModel): LaunchTemplateFacts {
    let facts = this.run.templateFacts.get(lt);
    if (facts === undefined) this.run.templateFacts.set(lt, (facts = new TemplateFacts(lt, m, launchTemplateData(lt, m))));
    return facts;
  }

  /** A list of instance types (EKS, Batch, Image Builder), each with its path. */
  public typeList(r: ResourceEntry, raw: unknown, path: string): Array<[unknown, string]> | undefined {
    if (raw === undefined) return undefined;
    const list = this.model.list(raw, r.logicalId, path);
    if (list === undefined) return undefined;
    if (!Array.isArray(list)) return [[raw, path]];
    return list.map((item, i) => [item, `${path}/${i}`]);
  }

  /** Whether a variant's user data joins an ECS or EKS cluster. */
  public containerHostFromUserData(v: LaunchVariant): string | undefined {
    const at = v.userData?.at;
    if (!at) return undefined;
    const hosts = this.run.containerHosts;
    if (hosts.has(at)) return hosts.get(at);
    let raw: unknown = at.model.resources.get(at.logicalId)?.properties;
    for (const part of at.path.split('/').slice(1)) raw = isObject(raw) ? raw[part] : undefined;
    const text = at.model.resolveText(raw).join('\n');
    const why = containerHostUserData(text);
    hosts.set(at, why);
    return why;
  }

  /**
   * The tags of a launch, read when a rule first asks for them (most launches never need them), or
   * now when reading them may record a problem of the template (a `Tags` that is not a list).
   */
  public lazyTags(raw: unknown, read: () => TagFact[]): TagFact[] | (() => TagFact[]) {
    if (raw !== undefined && !Array.isArray(raw)) return read();
    let tags: TagFact[] | undefined;
    return () => (tags ??= read());
  }

  /** The keys of a `{Key, Value}` tag list of this template. */
  public tagList(r: ResourceEntry, raw: unknown, path: string): TagFact[] {
    return tagList(this.model, r, raw, path);
  }

  /** The subnets of a list of subnet IDs. */
  public subnetList(r: ResourceEntry, raw: unknown, path: string, missing: string): SubnetsResult {
    if (raw === undefined) return { subnets: [], unknown: missing };
    const list = this.model.list(raw, r.logicalId, path);
    if (list === undefined) return { subnets: [], unknown: missing };
    if (!Array.isArray(list)) return { subnets: [], unknown: list.why };
    return this.subnetsOf(r, list.map((s, i) => [`${path}/${i}`, s] as [string, unknown]));
  }

  /** The subnets of subnet ID properties, network interfaces, and else the launch template's interfaces. */
  public subnetsOf(r: ResourceEntry, inputs: Array<[string, unknown]>, interfaces?: unknown, interfacesPath = '', found?: FoundTemplate): SubnetsResult {
    const subnets: SubnetFact[] = [];
    for (const [, raw] of inputs) {
      if (raw === undefined) continue;
      for (const v of this.model.resolve(raw)) subnets.push(subnetFact(v));
    }
    if (interfaces !== undefined) subnets.push(...subnetsFromInterfaces(this.model, r, interfaces, interfacesPath).subnets);
    if (subnets.length === 0 && found?.entry && found.model) subnets.push(...this.templateSubnets(found.entry, found.model).subnets);
    const real = subnets.filter((s) => !(s.ipv6 === 'unknown' && s.why === 'absent'));
    return real.length > 0 ? { subnets: real } : { subnets: [], unknown: 'no subnet is named (the default subnet of the default VPC)' };
  }

  /** The subnets of the launch templates of some variants. */
  public subnetsFromTemplates(variants: LaunchVariant[]): SubnetsResult {
    const subnets: SubnetFact[] = [];
    for (const v of variants) {
      if (v.launchTemplate) subnets.push(...this.templateSubnets(v.launchTemplate.entry, v.launchTemplate.model).subnets);
    }
    return subnets.length > 0 ? { subnets } : { subnets: [], unknown: 'no subnet is named' };
  }

  /** The subnets of a launch template's network interfaces. */
  public templateSubnets(lt: ResourceEntry, model: TemplateModel): SubnetsResult {
    return subnetsFromInterfaces(model, lt, launchTemplateData(lt, model).NetworkInterfaces, `${LT_DATA}/NetworkInterfaces`);
  }
}
