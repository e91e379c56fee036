/**
 * Everything in a template that starts EC2 instances ("a launch"), read into one shape.
 *
 * Each launch has one or more variants: the ways its instances can be started (an Auto Scaling
 * group's launch template and each override that names another one, each launch template config
 * of a fleet, each launch specification of a Spot Fleet). A variant carries the layers of launch
 * metadata options (the first that sets an option wins), the AMI, the instance types, user data,
 * key pair and tags. Subnets and the container-host marker belong to the launch.
 */
import { AppModel, IMAGE_IMDS_SUPPORT_TYPE } from './app-model';
import type { LayerReading } from './effective-options';
import { Location, ResourceEntry, TemplateModel, UnknownValue, Value, describe, isObject } from './template-model';
import { userDataScriptHasContent } from './user-data';

/** The five per-launch metadata options, by their CloudFormation names. */
export type OptionName = 'HttpTokens' | 'HttpPutResponseHopLimit' | 'HttpEndpoint' | 'HttpProtocolIpv6' | 'InstanceMetadataTags';

export const OPTION_NAMES: readonly OptionName[] = ['HttpTokens', 'HttpPutResponseHopLimit', 'HttpEndpoint', 'HttpProtocolIpv6', 'InstanceMetadataTags'];

const ALL_OPTIONS: ReadonlySet<OptionName> = new Set(OPTION_NAMES);
const THREE_OPTIONS: ReadonlySet<OptionName> = new Set<OptionName>(['HttpTokens', 'HttpPutResponseHopLimit', 'HttpEndpoint']);
const TOKENS_AND_HOPS: ReadonlySet<OptionName> = new Set<OptionName>(['HttpTokens', 'HttpPutResponseHopLimit']);
const TOKENS_ONLY: ReadonlySet<OptionName> = new Set<OptionName>(['HttpTokens']);
const NO_OPTIONS: ReadonlySet<OptionName> = new Set<OptionName>();

/** One layer of launch-level options: a `MetadataOptions`-shaped property of some resource. */
export interface OptionLayer {
  readonly model: TemplateModel;
  readonly logicalId: string;
  /** Path of the options object inside the resource. */
  readonly path: string;
  /** The raw options expression. */
  readonly raw: unknown;
  /** The options this property can carry. */
  readonly supported: ReadonlySet<OptionName>;
  /** Translate a non-standard shape (SageMaker, AppStream) to the five options. */
  readonly translate?: (raw: unknown) => unknown;
  /** What the options expression says, read on first use (see effective-options.ts). */
  reading?: LayerReading;
}

/** The AMI of a variant, as far as IMDS is concerned. */
export interface ImageFact {
  /** `v2` = known to require IMDSv2 (ImdsSupport v2.0); `not-known` otherwise. */
  readonly support: 'v2' | 'not-known';
  readonly description: string;
}

/** A possible instance type of a variant. */
export interface InstanceTypeFact {
  readonly value?: string;
  readonly why?: string;
  readonly at: Location;
}

/** A subnet a launch may use. */
export interface SubnetFact {
  readonly ipv6: 'yes' | 'no' | 'unknown';
  readonly name: string;
  readonly why?: string;
}

/** A tag the instances get. */
export interface TagFact {
  readonly key?: string;
  readonly why?: string;
  readonly at: Location;
}

/** One way a launch starts instances. */
export interface LaunchVariant {
  /** e.g. `override 2 (m4.large)`; undefined for the only variant. */
  readonly label?: string;
  /** Launch-level options, first layer first. */
  readonly layers: readonly OptionLayer[];
  /** The resource and property where a user sets these options. */
  readonly optionsAt: Location;
  /** The options the launch can set at all. */
  readonly supported: ReadonlySet<OptionName>;
  /** The launch template, if the variant uses one it could find. */
  readonly launchTemplate?: { readonly entry: ResourceEntry; readonly model: TemplateModel };
  /** Launch-level settings that cannot be read at all (an imported launch template). */
  readonly unreadable?: string;
  readonly images: readonly ImageFact[];
  readonly instanceTypes: readonly InstanceTypeFact[];
  /** Possible user data: true = has content; undefined = none. */
  readonly userData?: { readonly at: Location };
  readonly keyName?: Location;
  readonly tags: readonly TagFact[];
  /** A launch template version that IAM conditions cannot pin (`$Latest`, `$Default`). */
  readonly floatingVersion?: { readonly value: string; readonly at: Location };
}

/** Anything that starts instances. */
export interface Launch {
  readonly model: TemplateModel;
  readonly logicalId: string;
  readonly type: string;
  readonly variants: readonly LaunchVariant[];
  readonly subnets: readonly SubnetFact[];
  /** Why the subnets cannot be known, when they cannot. */
  readonly subnetsUnknown?: string;
  /** Why this launch runs containers, when it does. */
  readonly containerHost?: string;
  /** Whether account defaults and the AMI apply (false for service-managed instances). */
  readonly accountLayers: boolean;
  /** Service default for tokens when nothing sets them (SageMaker, AppStream). */
  readonly serviceDefault?: string;
  /** An Auto Scaling group using a launch configuration. */
  readonly launchConfiguration?: Location;
}

/**
 * Every resource type the launch reader reads: the launches, the launch templates and
 * configurations they use (or that stand alone), and ECS capacity providers (container hosts).
 */
export function launchResourceTypes(): string[] {
  return [
    ...LaunchReader.READERS.map(([type]) => type),
    'AWS::EC2::LaunchTemplate',
    'AWS::AutoScaling::LaunchConfiguration',
    'AWS::ECS::CapacityProvider',
  ];
}

/** Where a launch template's settings are. */
const LT_DATA = 'Properties/LaunchTemplateData';

const AL2023_SSM_PATH = /\/aws\/service\/ami-amazon-linux-latest\/al2023-ami-/;

/** Read every launch of every template. Launch templates and configurations no launch uses are launches of their own. */
export function findLaunches(app: AppModel): Launch[] {
  const launches: Launch[] = [];
  forEachLaunch(app, (l) => launches.push(l));
  return launches;
}

/**
 * Visit every launch, one at a time, so a caller can check each and let it go (large templates
 * then never hold every launch in memory at once).
 */
export function forEachLaunch(app: AppModel, visit: (launch: Launch) => void): void {
  // Resource entries are unique objects: use them as keys instead of building strings.
  const used = new Set<ResourceEntry>();
  for (const model of app.templates) {
    const reader = new LaunchReader(app, model);
    for (const [type, read] of LaunchReader.READERS) {
      for (const r of model.resourcesOfType(type)) {
        const launch = read(reader, r);
        if (!launch) continue;
        for (const v of launch.variants) {
          if (v.launchTemplate) used.add(v.launchTemplate.entry);
        }
        const lc = launch.launchConfiguration;
        if (lc) {
          const entry = lc.model.resources.get(lc.logicalId);
          if (entry) used.add(entry);
        }
        visit(launch);
      }
    }
  }
  for (const model of app.templates) {
    const reader = new LaunchReader(app, model);
    for (const lt of model.resourcesOfType('AWS::EC2::LaunchTemplate')) {
      if (!used.has(lt)) visit(reader.standaloneLaunchTemplate(lt));
    }
    for (const lc of model.resourcesOfType('AWS::AutoScaling::LaunchConfiguration')) {
      if (!used.has(lc)) visit(reader.standaloneLaunchConfiguration(lc));
    }
  }
}

interface FoundTemplate {
  readonly entry?: ResourceEntry;
  readonly model?: TemplateModel;
  readonly unreadable?: string;
}

class LaunchReader {
  /** The reader of each launch resource type, in the order launches are visited. */
  public static readonly READERS: ReadonlyArray<readonly [string, (reader: LaunchReader, r: ResourceEntry) => Launch | undefined]> = [
    ['AWS::EC2::Instance', (x, r) => x.instance(r)],
    ['AWS::AutoScaling::AutoScalingGroup', (x, r) => x.autoScalingGroup(r)],
    ['AWS::EC2::EC2Fleet', (x, r) => x.ec2Fleet(r)],
    ['AWS::EC2::SpotFleet', (x, r) => x.spotFleet(r)],
    ['AWS::EKS::Nodegroup', (x, r) => x.eksNodegroup(r)],
    ['AWS::Batch::ComputeEnvironment', (x, r) => x.batch(r)],
    ['AWS::ImageBuilder::InfrastructureConfiguration', (x, r) => x.imageBuilder(r)],
    ['AWS::SageMaker::NotebookInstance', (x, r) => x.sageMaker(r)],
    ['AWS::AppStream::Fleet', (x, r) => x.appStream(r)],
    ['AWS::AppStream::ImageBuilder', (x, r) => x.appStream(r)],
    ['AWS::WorkspacesInstances::WorkspaceInstance', (x, r) => x.workspaceInstance(r)],
  ];

  private readonly ecsHosts = new Set<string>();
  /** Readers of the other templates of the app, made when first needed. */
  private readonly others = new Map<TemplateModel, LaunchReader>();

  constructor(private readonly app: AppModel, private readonly model: TemplateModel) {
    for (const cp of model.resourcesOfType('AWS::ECS::CapacityProvider')) {
      const provider = cp.properties.AutoScalingGroupProvider;
      if (!isObject(provider)) continue;
      for (const v of model.resolve(provider.AutoScalingGroupArn)) if (v.kind === 'ref') this.ecsHosts.add(v.logicalId);
    }
  }

  /** The reader of a template of the app: this one, or one made once per template. */
  private readerOf(model: TemplateModel): LaunchReader {
    if (model === this.model) return this;
    let reader = this.others.get(model);
    if (reader === undefined) this.others.set(model, (reader = new LaunchReader(this.app, model)));
    return reader;
  }

  public standaloneLaunchTemplate(lt: ResourceEntry): Launch {
    const variant = this.variant({ entry: lt, model: this.model }, [], {});
    return this.launch(lt, [variant], () => this.templateSubnets(lt, this.model));
  }

  public standaloneLaunchConfiguration(lc: ResourceEntry): Launch {
    const v = this.launchConfigurationVariant(lc, this.model);
    return withFields(this.launch(lc, [v], { subnets: [], unknown: 'a launch configuration names no subnet' }), { launchConfiguration: loc(this.model, lc.logicalId, '') });
  }

  private instance(r: ResourceEntry): Launch {
    const p = r.properties;
    const found = isObject(p.LaunchTemplate) ? this.findTemplate(r, p.LaunchTemplate, 'Properties/LaunchTemplate') : undefined;
    const own: Layer = { raw: p.MetadataOptions, path: 'Properties/MetadataOptions', supported: ALL_OPTIONS };
    const variant = this.variant(found, [own], {
      resource: r,
      imageId: p.ImageId,
      instanceType: p.InstanceType === undefined && !found ? 'm1.small' : p.InstanceType,
      userData: p.UserData,
      keyName: p.KeyName,
      tags: this.lazyTags(p.Tags, () => this.tagList(r, p.Tags, 'Properties/Tags')),
    });
    const subnets = () => this.subnetsOf(r, [['Properties/SubnetId', p.SubnetId]], p.NetworkInterfaces, 'Properties/NetworkInterfaces', found);
    return this.launch(r, [variant], subnets, () => this.containerHostFromUserData(variant));
  }

  private autoScalingGroup(r: ResourceEntry): Launch {
    const p = r.properties;
    const tags = this.lazyTags(r.properties.Tags, () => this.asgTags(r));
    const variants: LaunchVariant[] = [];
    let launchConfiguration: Location | undefined;
    if (isObject(p.LaunchTemplate)) {
      const found = this.findTemplate(r, p.LaunchTemplate, 'Properties/LaunchTemplate');
      variants.push(this.variant(found, [], { resource: r, tags, version: [p.LaunchTemplate.Version, 'Properties/LaunchTemplate/Version'] }));
    } else if (isObject(p.MixedInstancesPolicy)) {
      const lt = isObject(p.MixedInstancesPolicy.LaunchTemplate) ? p.MixedInstancesPolicy.LaunchTemplate : {};
      const spec = isObject(lt.LaunchTemplateSpecification) ? lt.LaunchTemplateSpecification : {};
      const base = 'Properties/MixedInstancesPolicy/LaunchTemplate';
      const found = this.findTemplate(r, spec, `${base}/LaunchTemplateSpecification`);
      const overrides = this.model.list(lt.Overrides, r.logicalId, `${base}/Overrides`);
      const types: Array<[unknown, string]> = [];
      const list = Array.isArray(overrides) ? overrides : [];
      list.forEach((o, i) => {
        if (!isObject(o)) return;
        const path = `${base}/Overrides/${i}`;
        if (isObject(o.LaunchTemplateSpecification)) {
          const other = this.findTemplate(r, o.LaunchTemplateSpecification, `${path}/LaunchTemplateSpecification`);
          variants.push(
            this.variant(other, [], {
              resource: r,
              tags,
              label: `override ${i}`,
              instanceType: o.InstanceType,
              instanceTypePath: `${path}/InstanceType`,
              version: [o.LaunchTemplateSpecification.Version, `${path}/LaunchTemplateSpecification/Version`],
            }),
          );
        } else if (o.InstanceType !== undefined) {
          types.push([o.InstanceType, `${path}/InstanceType`]);
        }
      });
      variants.unshift(
        this.variant(found, [], {
          resource: r,
          tags,
          instanceTypes: types.length > 0 ? types : undefined,
          version: [spec.Version, `${base}/LaunchTemplateSpecification/Version`],
        }),
      );
    } else if (p.LaunchConfigurationName !== undefined) {
      const refs = this.model.resolve(p.LaunchConfigurationName);
      const lcRef = refs.find((v) => v.kind === 'ref');
      const lcEntry = lcRef && lcRef.kind === 'ref' ? lcRef.model.resources.get(lcRef.logicalId) : undefined;
      launchConfiguration = loc(this.model, r.logicalId, 'Properties/LaunchConfigurationName');
      if (lcEntry && lcRef && lcRef.kind === 'ref' && lcEntry.type === 'AWS::AutoScaling::LaunchConfiguration') {
        launchConfiguration = loc(lcRef.model, lcEntry.logicalId, '');
        const v = this.launchConfigurationVariant(lcEntry, lcRef.model, tags);
        variants.push(v);
      } else {
        variants.push(this.unreadableVariant(r, `the launch configuration is ${describeValues(refs)}, not in the templates given`, 'Properties/LaunchConfigurationName', THREE_OPTIONS));
      }
    } else if (p.InstanceId !== undefined) {
      variants.push(this.unreadableVariant(r, 'the group copies the settings of instance ' + describeValues(this.model.resolve(p.InstanceId)), 'Properties/InstanceId', ALL_OPTIONS));
    } else {
      return this.launch(r, [this.unreadableVariant(r, 'the group names no launch template or launch configuration', 'Properties', ALL_OPTIONS)], { subnets: [] });
    }
    const subnets = () => this.subnetList(r, p.VPCZoneIdentifier, 'Properties/VPCZoneIdentifier', 'the group has no VPCZoneIdentifier (default subnets of its Availability Zones)');
    const ecs = this.ecsHosts.has(r.logicalId) ? 'an ECS capacity provider uses this group' : undefined;
    const launch = this.launch(r, variants, subnets, () => ecs ?? this.containerHostFromUserData(variants[0]));
    return launchConfiguration ? withFields(launch, { launchConfiguration }) : launch;
  }

  private ec2Fleet(r: ResourceEntry): Launch {
    const configs = this.model.list(r.properties.LaunchTemplateConfigs, r.logicalId, 'Properties/LaunchTemplateConfigs');
    return this.fleet(r, configs, 'Properties/LaunchTemplateConfigs', r.properties.TagSpecifications, 'Properties/TagSpecifications');
  }

  private fleet(r: ResourceEntry, configs: unknown[] | UnknownValue | undefined, base: string, tagSpecs: unknown, tagPath: string): Launch {
    const variants: LaunchVariant[] = [];
    const subnetInputs: Array<[string, unknown]> = [];
    const tags = this.tagSpecifications(r, tagSpecs, tagPath);
    if (!Array.isArray(configs)) {
      return this.launch(r, [this.unreadableVariant(r, configs ? configs.why : 'the fleet has no launch template configs', base, ALL_OPTIONS)], { subnets: [] });
    }
    configs.forEach((c, i) => {
      if (!isObject(c)) return;
      const spec = isObject(c.LaunchTemplateSpecification) ? c.LaunchTemplateSpecification : {};
      const found = this.findTemplate(r, spec, `${base}/${i}/LaunchTemplateSpecification`);
      const overrides = this.model.list(c.Overrides, r.logicalId, `${base}/${i}/Overrides`);
      const list = Array.isArray(overrides) && overrides.length > 0 ? overrides : [undefined];
      list.forEach((o, j) => {
        const path = `${base}/${i}/Overrides/${j}`;
        const ov = isObject(o) ? o : {};
        if (ov.SubnetId !== undefined) subnetInputs.push([`${path}/SubnetId`, ov.SubnetId]);
        variants.push(
          this.variant(found, ov.MetadataOptions !== undefined ? [{ raw: ov.MetadataOptions, path: `${path}/MetadataOptions`, supported: ALL_OPTIONS }] : [], {
            resource: r,
            tags,
            label: configs.length > 1 || list.length > 1 ? `config ${i} override ${j}` : undefined,
            instanceType: ov.InstanceType,
            instanceTypePath: `${path}/InstanceType`,
            keyName: ov.KeyName,
          }),
        );
      });
    });
    if (variants.length === 0) variants.push(this.unreadableVariant(r, 'the fleet has no launch template configs', base, ALL_OPTIONS));
    const subnets = () => (subnetInputs.length > 0 ? this.subnetsOf(r, subnetInputs, undefined, '', undefined) : this.subnetsFromTemplates(variants));
    return this.launch(r, variants, subnets);
  }

  private spotFleet(r: ResourceEntry): Launch {
    const data = isObject(r.properties.SpotFleetRequestConfigData) ? r.properties.SpotFleetRequestConfigData : {};
    const base = 'Properties/SpotFleetRequestConfigData';
    if (data.LaunchTemplateConfigs !== undefined) {
      const configs = this.model.list(data.LaunchTemplateConfigs, r.logicalId, `${base}/LaunchTemplateConfigs`);
      return this.fleet(r, configs, `${base}/LaunchTemplateConfigs`, data.TagSpecification, `${base}/TagSpecification`);
    }
    const specs = this.model.list(data.LaunchSpecifications, r.logicalId, `${base}/LaunchSpecifications`);
    const variants: LaunchVariant[] = [];
    const subnetInputs: Array<[string, unknown]> = [];
    const list = Array.isArray(specs) ? specs : [];
    list.forEach((s, i) => {
      if (!isObject(s)) return;
      const path = `${base}/LaunchSpecifications/${i}`;
      // A launch specification has no metadata options: the options come only from the account
      // default, the AMI or AWS. What a user changes is the fleet (use launch template configs).
      const v = this.variant(undefined, [], {
        resource: r,
        optionsPath: path,
        supported: new Set<OptionName>(),
        label: list.length > 1 ? `launch specification ${i}` : undefined,
        imageId: s.ImageId,
        imagePath: `${path}/ImageId`,
        instanceType: s.InstanceType,
        instanceTypePath: `${path}/InstanceType`,
        userData: s.UserData,
        userDataPath: `${path}/UserData`,
        keyName: s.KeyName,
        tags: this.tagSpecifications(r, s.TagSpecifications, `${path}/TagSpecifications`),
      });
      variants.push(v);
      if (s.SubnetId !== undefined) subnetInputs.push([`${path}/SubnetId`, s.SubnetId]);
    });
    if (variants.length === 0) variants.push(this.unreadableVariant(r, 'the Spot Fleet has neither launch template configs nor launch specifications', base, ALL_OPTIONS));
    return this.launch(r, variants, subnetInputs.length > 0 ? this.subnetsOf(r, subnetInputs, undefined, '', undefined) : { subnets: [], unknown: 'the launch specifications name no subnet' });
  }

  private eksNodegroup(r: ResourceEntry): Launch {
    const p = r.properties;
    const lt = isObject(p.LaunchTemplate) ? p.LaunchTemplate : undefined;
    const spec = lt ? { LaunchTemplateId: lt.Id, LaunchTemplateName: lt.Name, Version: lt.Version } : undefined;
    const found = spec ? this.findTemplate(r, spec, 'Properties/LaunchTemplate') : undefined;
    const remote = isObject(p.RemoteAccess) ? p.RemoteAccess.Ec2SshKey : undefined;
    const variant = this.variant(found, [], {
      resource: r,
      instanceTypes: this.typeList(r, p.InstanceTypes, 'Properties/InstanceTypes'),
      keyName: remote,
      keyNamePath: 'Properties/RemoteAccess/Ec2SshKey',
      launchTemplatePath: 'Properties/LaunchTemplate',
      imageDescription: typeof p.AmiType === 'string' ? `EKS AMI type ${p.AmiType}` : undefined,
    });
    const subnets = () => this.subnetList(r, p.Subnets, 'Properties/Subnets', 'the node group names no subnets');
    return this.launch(r, [variant], subnets, 'an EKS managed node group runs pods');
  }

  private batch(r: ResourceEntry): Launch | undefined {
    const cr = r.properties.ComputeResources;
    if (!isObject(cr)) return undefined; // UNMANAGED: no instances launched by Batch
    const type = this.model.resolve(cr.Type)[0];
    if (type.kind === 'known' && typeof type.value === 'string' && type.value.startsWith('FARGATE')) return undefined;
    const base = 'Properties/ComputeResources';
    const found = isObject(cr.LaunchTemplate) ? this.findTemplate(r, cr.LaunchTemplate, `${base}/LaunchTemplate`) : undefined;
    const tags: TagFact[] = [];
    if (isObject(cr.Tags)) for (const key of Object.keys(cr.Tags)) tags.push({ key, at: loc(this.model, r.logicalId, `${base}/Tags`) });
    const variant = this.variant(found, [], {
      resource: r,
      imageId: cr.ImageId,
      imagePath: `${base}/ImageId`,
      instanceTypes: this.typeList(r, cr.InstanceTypes, `${base}/InstanceTypes`),
      batchTypes: true,
      keyName: cr.Ec2KeyPair,
      keyNamePath: `${base}/Ec2KeyPair`,
      launchTemplatePath: `${base}/LaunchTemplate`,
      tags,
    });
    const subnets = () => this.subnetList(r, cr.Subnets, `${base}/Subnets`, 'the compute environment names no subnets');
    return this.launch(r, [variant], subnets, 'a Batch compute environment runs containers');
  }

  private imageBuilder(r: ResourceEntry): Launch {
    const p = r.properties;
    const variant = this.variant(undefined, [{ raw: p.InstanceMetadataOptions, path: 'Properties/InstanceMetadataOptions', supported: TOKENS_AND_HOPS }], {
      resource: r,
      optionsPath: 'Properties/InstanceMetadataOptions',
      supported: TOKENS_AND_HOPS,
      instanceTypes: this.typeList(r, p.InstanceTypes, 'Properties/InstanceTypes'),
      keyName: p.KeyPair,
      keyNamePath: 'Properties/KeyPair',
      imageDescription: 'the AMI of the image recipe',
    });
    const subnets = p.SubnetId !== undefined ? this.subnetsOf(r, [['Properties/SubnetId', p.SubnetId]], undefined, '', undefined) : { subnets: [], unknown: 'no SubnetId' };
    return this.launch(r, [variant], subnets);
  }

  private sageMaker(r: ResourceEntry): Launch {
    const path = 'Properties/InstanceMetadataServiceConfiguration';
    const translate = (raw: unknown): unknown => {
      if (!isObject(raw)) return raw;
      const v = raw.MinimumInstanceMetadataServiceVersion;
      if (v === undefined) return {};
      if (v === '2' || v === 2) return { HttpTokens: 'required' };
      if (v === '1' || v === 1) return { HttpTokens: 'optional' };
      return { HttpTokens: v };
    };
    const variant = this.variant(undefined, [{ raw: r.properties.InstanceMetadataServiceConfiguration, path, supported: TOKENS_ONLY, translate }], {
      resource: r,
      optionsPath: path,
      supported: TOKENS_ONLY,
      imageDescription: 'a SageMaker-managed image',
    });
    return withFields(this.launch(r, [variant], { subnets: [] }), {
      accountLayers: false,
      serviceDefault: 'SageMaker allows IMDSv1 unless MinimumInstanceMetadataServiceVersion is "2"',
    });
  }

  private appStream(r: ResourceEntry): Launch {
    const translate = (raw: unknown): unknown => (raw === true || raw === 'true' ? { HttpTokens: 'required' } : raw === false || raw === 'false' ? { HttpTokens: 'optional' } : { HttpTokens: raw });
    const variant = this.variant(undefined, [{ raw: r.properties.DisableIMDSV1, path: 'Properties/DisableIMDSV1', supported: TOKENS_ONLY, translate }], {
      resource: r,
      optionsPath: 'Properties/DisableIMDSV1',
      supported: TOKENS_ONLY,
      imageDescription: 'an AppStream image',
    });
    return withFields(this.launch(r, [variant], { subnets: [] }), { accountLayers: false, serviceDefault: 'AppStream allows IMDSv1 unless DisableIMDSV1 is true' });
  }

  private workspaceInstance(r: ResourceEntry): Launch {
    const m = isObject(r.properties.ManagedInstance) ? r.properties.ManagedInstance : {};
    const base = 'Properties/ManagedInstance';
    const variant = this.variant(undefined, [{ raw: m.MetadataOptions, path: `${base}/MetadataOptions`, supported: ALL_OPTIONS }], {
      resource: r,
      optionsPath: `${base}/MetadataOptions`,
      imageId: m.ImageId,
      imagePath: `${base}/ImageId`,
      instanceType: m.InstanceType,
      instanceTypePath: `${base}/InstanceType`,
      userData: m.UserData,
      userDataPath: `${base}/UserData`,
      keyName: m.KeyName,
      keyNamePath: `${base}/KeyName`,
      tags: this.tagSpecifications(r, m.TagSpecifications, `${base}/TagSpecifications`),
    });
    const subnets = () => this.subnetsOf(r, [[`${base}/SubnetId`, m.SubnetId]], m.NetworkInterfaces, `${base}/NetworkInterfaces`, undefined);
    return this.launch(r, [variant], subnets);
  }

  // ---------------------------------------------------------------------------------------------

  private launch(
    r: ResourceEntry,
    variants: LaunchVariant[],
    subnets: SubnetsResult | (() => SubnetsResult),
    containerHost?: string | (() => string | undefined),
  ): Launch {
    return new LaunchRecord(this.model, r, variants, subnets, containerHost);
  }

  private unreadableVariant(r: ResourceEntry, why: string, path: string, supported: ReadonlySet<OptionName>): LaunchVariant {
    return {
      layers: [],
      optionsAt: loc(this.model, r.logicalId, path),
      supported,
      unreadable: why,
      images: [],
      instanceTypes: [],
      tags: [],
    };
  }

  private launchConfigurationVariant(lc: ResourceEntry, model: TemplateModel, tags: TagFact[] | (() => TagFact[]) = []): LaunchVariant {
    const p = lc.properties;
    const reader = this.readerOf(model);
    return reader.variant(undefined, [{ raw: p.MetadataOptions, path: 'Properties/MetadataOptions', supported: THREE_OPTIONS }], {
      resource: lc,
      optionsPath: 'Properties/MetadataOptions',
      supported: THREE_OPTIONS,
      imageId: p.ImageId,
      imagePath: 'Properties/ImageId',
      instanceType: p.InstanceType,
      instanceTypePath: 'Properties/InstanceType',
      userData: p.UserData,
      userDataPath: 'Properties/UserData',
      keyName: p.KeyName,
      tags,
    });
  }

  /** Find the launch template a specification names. */
  private findTemplate(r: ResourceEntry, spec: Record<string, unknown>, path: string): FoundTemplate {
    const id = spec.LaunchTemplateId;
    const name = spec.LaunchTemplateName;
    const raw = id !== undefined ? id : name;
    const field = id !== undefined ? 'LaunchTemplateId' : 'LaunchTemplateName';
    if (raw === undefined) return { unreadable: `${path} names no launch template` };
    const values = this.model.resolve(raw);
    for (const v of values) {
      if (v.kind === 'ref') {
        const entry = v.model.resources.get(v.logicalId);
        if (entry && entry.type === 'AWS::EC2::LaunchTemplate') return { entry, model: v.model };
        return { unreadable: `${path}/${field} refers to ${v.logicalId}, a ${entry?.type ?? 'resource'} that is not a launch template` };
      }
      if (v.kind === 'known' && typeof v.value === 'string') {
        const ltName = v.value;
        if (field === 'LaunchTemplateName') {
          const owner = this.model.launchTemplatesByName.has(ltName)
            ? this.model
            : this.app.templates.find((t) => t.launchTemplatesByName.has(ltName));
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

  private ltData(lt: ResourceEntry, model: TemplateModel): Record<string, unknown> {
    const d = lt.properties.LaunchTemplateData;
    if (d !== undefined && !isObject(d)) {
      model.addProblem(lt.logicalId, LT_DATA, `LaunchTemplateData of ${lt.logicalId} is ${describe(d)}, expected an object`);
      return {};
    }
    return d ?? {};
  }

  /** Build a variant from an optional launch template plus the launch's own settings (which win). */
  private variant(found: FoundTemplate | undefined, own: Layer[], o: VariantInput): LaunchVariant {
    const resource = o.resource;
    const id = resource?.logicalId ?? '';
    const model = this.model;
    // Every layer is built with the same fields in the same order, so the code that reads layers
    // sees one object shape.
    const layers: OptionLayer[] = own.map((l) => ({
      model,
      logicalId: id,
      path: l.path,
      raw: l.raw,
      supported: l.supported,
      translate: l.translate,
      reading: undefined,
    }));
    let optionsAt = loc(model, id, o.optionsPath ?? 'Properties/MetadataOptions');
    let supported = o.supported ?? ALL_OPTIONS;
    let launchTemplate: LaunchVariant['launchTemplate'];
    let unreadable: string | undefined;
    let template: LaunchTemplateFacts | undefined;

    if (found?.entry && found.model) {
      const m = found.model;
      const lt = found.entry;
      launchTemplate = { entry: lt, model: m };
      template = this.templateFacts(lt, m);
      layers.push(template.layer);
      optionsAt = loc(m, lt.logicalId, template.layer.path);
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
        if (v.kind === 'known' && (v.value === '$Latest' || v.value === '$Default')) {
          floatingVersion = { value: v.value, at: loc(model, id, o.version[1]) };
        }
      }
    }
    return new Variant(this, model, id, o, template, { label: o.label, layers, optionsAt, supported, launchTemplate, unreadable, floatingVersion });
  }

  /** The AMI facts of a variant. */
  public variantImages(model: TemplateModel, o: VariantInput, template: LaunchTemplateFacts | undefined): ImageFact[] {
    if (o.imageId !== undefined) return this.imageFacts(model, o.imageId);
    const fromTemplate = template?.images() ?? [];
    if (fromTemplate.length > 0) return fromTemplate;
    return o.imageDescription ? [{ support: 'not-known', description: o.imageDescription }] : [];
  }

  /** The instance types of a variant. */
  public variantInstanceTypes(model: TemplateModel, id: string, o: VariantInput, template: LaunchTemplateFacts | undefined): InstanceTypeFact[] {
    if (o.instanceTypes) return o.instanceTypes.flatMap(([raw, path]) => this.typeFacts(model, id, raw, path, o.batchTypes));
    if (o.instanceType !== undefined) return this.typeFacts(model, id, o.instanceType, o.instanceTypePath ?? 'Properties/InstanceType');
    return template?.instanceTypes() ?? [];
  }

  /** The user data of a variant, if it has any content. */
  public variantUserData(model: TemplateModel, id: string, o: VariantInput, template: LaunchTemplateFacts | undefined): { at: Location } | undefined {
    if (o.userData !== undefined && this.hasUserData(model, o.userData)) return { at: loc(model, id, o.userDataPath ?? 'Properties/UserData') };
    return template?.userData();
  }

  /** Where a variant names a key pair. */
  public variantKeyName(model: TemplateModel, id: string, o: VariantInput, template: LaunchTemplateFacts | undefined): Location | undefined {
    if (o.keyName !== undefined && model.resolve(o.keyName).some((v) => v.kind !== 'absent')) return loc(model, id, o.keyNamePath ?? 'Properties/KeyName');
    return template?.keyName;
  }

  /** What a launch template says, read once per template however many launches use it. */
  private templateFacts(lt: ResourceEntry, m: TemplateModel): LaunchTemplateFacts {
    let facts = TEMPLATE_FACTS.get(lt);
    if (facts) return facts;
    const data = this.ltData(lt, m);
    const reader = this.readerOf(m);
    facts = new TemplateFacts(reader, lt, m, data);
    TEMPLATE_FACTS.set(lt, facts);
    return facts;
  }

  public hasUserData(model: TemplateModel, raw: unknown): boolean {
    return model.resolveText(raw).some((t) => userDataScriptHasContent(t));
  }

  public imageFacts(model: TemplateModel, raw: unknown): ImageFact[] {
    const out: ImageFact[] = [];
    for (const v of model.resolve(raw)) out.push(imageFact(v));
    return out;
  }

  public typeFacts(model: TemplateModel, logicalId: string, raw: unknown, path: string, batch = false): InstanceTypeFact[] {
    const at = loc(model, logicalId, path);
    return model.resolve(raw).map((v): InstanceTypeFact => {
      if (v.kind === 'known' && typeof v.value === 'string') {
        // Batch also accepts a family ("c5") or "optimal"/"default_*": families are given a size.
        const value = batch && /^[a-z0-9-]+$/.test(v.value) && !v.value.startsWith('optimal') && !v.value.startsWith('default') ? `${v.value}.large` : v.value;
        return { value, at };
      }
      if (v.kind === 'known') {
        model.addProblem(logicalId, path, `${path} of ${logicalId} is ${describe(v.value)}, expected an instance type name`);
        return { why: `the instance type is ${describe(v.value)}`, at };
      }
      return { why: v.kind === 'unknown' ? v.why : v.kind === 'absent' ? 'no instance type is set' : `a reference to ${v.logicalId}`, at };
    });
  }

  private typeList(r: ResourceEntry, raw: unknown, path: string): Array<[unknown, string]> | undefined {
    if (raw === undefined) return undefined;
    const list = this.model.list(raw, r.logicalId, path);
    if (list === undefined) return undefined;
    if (!Array.isArray(list)) return [[raw, path]];
    return list.map((item, i) => [item, `${path}/${i}`]);
  }

  private containerHostFromUserData(v: LaunchVariant): string | undefined {
    const userData = v.userData;
    if (!userData) return undefined;
    const at = userData.at;
    if (CONTAINER_HOST.has(at)) return CONTAINER_HOST.get(at);
    const res = at.model.resources.get(at.logicalId);
    let raw: unknown = res?.properties;
    for (const part of at.path.split('/').slice(1)) raw = isObject(raw) ? raw[part] : undefined;
    const text = at.model.resolveText(raw).join('\n');
    let why: string | undefined;
    if (/ECS_CLUSTER=/.test(text)) why = 'its user data joins an ECS cluster (ECS_CLUSTER)';
    else if (/\/etc\/eks\/bootstrap\.sh|nodeadm/.test(text)) why = 'its user data joins an EKS cluster';
    CONTAINER_HOST.set(at, why);
    return why;
  }

  private tagList(r: ResourceEntry, raw: unknown, path: string, model: TemplateModel = this.model): TagFact[] {
    const list = model.list(raw, r.logicalId, path);
    if (list === undefined) return [];
    const at = loc(model, r.logicalId, path);
    if (!Array.isArray(list)) return [{ why: list.why, at }];
    const out: TagFact[] = [];
    for (const t of list) {
      if (!isObject(t)) continue;
      out.push(...tagKey(model, t.Key, at));
    }
    return out;
  }

  public tagSpecifications(r: ResourceEntry, raw: unknown, path: string, model: TemplateModel = this.model): TagFact[] {
    const specs = model.list(raw, r.logicalId, path);
    if (!Array.isArray(specs)) return specs ? [{ why: specs.why, at: loc(model, r.logicalId, path) }] : [];
    const out: TagFact[] = [];
    specs.forEach((s, i) => {
      if (!isObject(s)) return;
      const type = model.resolve(s.ResourceType)[0];
      if (type.kind === 'known' && type.value !== 'instance') return;
      out.push(...this.tagList(r, s.Tags, `${path}/${i}/Tags`, model));
    });
    return out;
  }

  /**
   * The tags of a launch, read when a rule first asks for them (most launches never need them), or
   * now when reading them may record a problem of the template (a `Tags` that is not a list).
   */
  private lazyTags(raw: unknown, read: () => TagFact[]): TagFact[] | (() => TagFact[]) {
    if (raw !== undefined && !Array.isArray(raw)) return read();
    let tags: TagFact[] | undefined;
    return () => (tags ??= read());
  }

  private asgTags(r: ResourceEntry): TagFact[] {
    const path = 'Properties/Tags';
    const list = this.model.list(r.properties.Tags, r.logicalId, path);
    if (!Array.isArray(list)) return list ? [{ why: list.why, at: loc(this.model, r.logicalId, path) }] : [];
    const out: TagFact[] = [];
    list.forEach((t, i) => {
      if (!isObject(t)) return;
      const prop = this.model.resolve(t.PropagateAtLaunch)[0];
      if (prop.kind === 'known' && (prop.value === false || prop.value === 'false')) return;
      out.push(...tagKey(this.model, t.Key, loc(this.model, r.logicalId, `${path}/${i}/Key`)));
    });
    return out;
  }

  private subnetList(r: ResourceEntry, raw: unknown, path: string, missing: string): { subnets: SubnetFact[]; unknown?: string } {
    if (raw === undefined) return { subnets: [], unknown: missing };
    const list = this.model.list(raw, r.logicalId, path);
    if (list === undefined) return { subnets: [], unknown: missing };
    if (!Array.isArray(list)) return { subnets: [], unknown: list.why };
    return this.subnetsOf(r, list.map((s, i) => [`${path}/${i}`, s] as [string, unknown]), undefined, '', undefined);
  }

  private subnetsOf(
    r: ResourceEntry,
    inputs: Array<[string, unknown]>,
    interfaces: unknown,
    interfacesPath: string,
    found: FoundTemplate | undefined,
  ): { subnets: SubnetFact[]; unknown?: string } {
    const subnets: SubnetFact[] = [];
    for (const [, raw] of inputs) {
      if (raw === undefined) continue;
      for (const v of this.model.resolve(raw)) subnets.push(subnetFact(v));
    }
    if (interfaces !== undefined) subnets.push(...this.subnetsFromInterfaces(r, interfaces, interfacesPath).subnets);
    if (subnets.length === 0 && found?.entry && found.model) {
      subnets.push(...this.templateSubnets(found.entry, found.model).subnets);
    }
    const real = subnets.filter((s) => !(s.ipv6 === 'unknown' && s.why === 'absent'));
    return real.length > 0 ? { subnets: real } : { subnets: [], unknown: 'no subnet is named (the default subnet of the default VPC)' };
  }

  private subnetsFromTemplates(variants: LaunchVariant[]): { subnets: SubnetFact[]; unknown?: string } {
    const subnets: SubnetFact[] = [];
    for (const v of variants) {
      if (!v.launchTemplate) continue;
      subnets.push(...this.templateSubnets(v.launchTemplate.entry, v.launchTemplate.model).subnets);
    }
    return subnets.length > 0 ? { subnets } : { subnets: [], unknown: 'no subnet is named' };
  }

  /** The subnets of a launch template's network interfaces. */
  private templateSubnets(lt: ResourceEntry, model: TemplateModel): { subnets: SubnetFact[]; unknown?: string } {
    return this.readerOf(model).subnetsFromInterfaces(lt, this.ltData(lt, model).NetworkInterfaces, `${LT_DATA}/NetworkInterfaces`);
  }

  private subnetsFromInterfaces(r: ResourceEntry, raw: unknown, path: string): { subnets: SubnetFact[]; unknown?: string } {
    const list = this.model.list(raw, r.logicalId, path);
    if (!Array.isArray(list)) return { subnets: [] };
    const subnets: SubnetFact[] = [];
    for (const ni of list) {
      if (!isObject(ni) || ni.SubnetId === undefined) continue;
      for (const v of this.model.resolve(ni.SubnetId)) subnets.push(subnetFact(v));
    }
    return { subnets };
  }
}

interface SubnetsResult {
  readonly subnets: SubnetFact[];
  readonly unknown?: string;
}

interface LaunchTemplateFacts {
  readonly layer: OptionLayer;
  readonly images: () => ImageFact[];
  readonly instanceTypes: () => InstanceTypeFact[];
  readonly userData: () => { at: Location } | undefined;
  readonly keyName?: Location;
  readonly tags: () => TagFact[];
}

/** No tags (never changed). */
const NO_TAGS: TagFact[] = [];

/** Whether user data (by its location, shared by the launches of one template) makes a container host. */
const CONTAINER_HOST = new WeakMap<Location, string | undefined>();

/** Facts of launch templates, read once each (entries belong to one template model). */
const TEMPLATE_FACTS = new WeakMap<ResourceEntry, LaunchTemplateFacts>();

interface VariantFixed {
  readonly label?: string;
  readonly layers: readonly OptionLayer[];
  readonly optionsAt: Location;
  readonly supported: ReadonlySet<OptionName>;
  readonly launchTemplate?: LaunchVariant['launchTemplate'];
  readonly unreadable?: string;
  readonly floatingVersion?: LaunchVariant['floatingVersion'];
}

/**
 * A launch variant whose AMI, instance types, user data, key pair and tags are read on first use.
 *
 * Made for every launch: its fields are declared (`declare`) and set once in the constructor. A
 * class field without `declare` is first defined as undefined and then set again, a cost paid for
 * every field of every launch.
 */
class Variant implements LaunchVariant {
  declare public readonly label?: string;
  declare public readonly layers: readonly OptionLayer[];
  declare public readonly optionsAt: Location;
  declare public readonly supported: ReadonlySet<OptionName>;
  declare public readonly launchTemplate?: LaunchVariant['launchTemplate'];
  declare public readonly unreadable?: string;
  declare public readonly floatingVersion?: LaunchVariant['floatingVersion'];
  declare private readonly reader: LaunchReader;
  declare private readonly model: TemplateModel;
  declare private readonly id: string;
  declare private readonly input: VariantInput;
  declare private readonly template: LaunchTemplateFacts | undefined;
  declare private _images: ImageFact[] | undefined;
  declare private _instanceTypes: InstanceTypeFact[] | undefined;
  declare private _userData: { at: Location } | null | undefined;
  declare private _keyName: Location | null | undefined;
  declare private _tags: TagFact[] | undefined;

  constructor(
    reader: LaunchReader,
    model: TemplateModel,
    id: string,
    input: VariantInput,
    template: LaunchTemplateFacts | undefined,
    fixed: VariantFixed,
  ) {
    this.label = fixed.label;
    this.layers = fixed.layers;
    this.optionsAt = fixed.optionsAt;
    this.supported = fixed.supported;
    this.launchTemplate = fixed.launchTemplate;
    this.unreadable = fixed.unreadable;
    this.floatingVersion = fixed.floatingVersion;
    this.reader = reader;
    this.model = model;
    this.id = id;
    this.input = input;
    this.template = template;
    this._images = undefined;
    this._instanceTypes = undefined;
    this._userData = undefined;
    this._keyName = undefined;
    this._tags = undefined;
  }

  public get images(): ImageFact[] {
    return (this._images ??= this.reader.variantImages(this.model, this.input, this.template));
  }

  public get instanceTypes(): InstanceTypeFact[] {
    return (this._instanceTypes ??= this.reader.variantInstanceTypes(this.model, this.id, this.input, this.template));
  }

  public get userData(): { at: Location } | undefined {
    if (this._userData === undefined) this._userData = this.reader.variantUserData(this.model, this.id, this.input, this.template) ?? null;
    return this._userData ?? undefined;
  }

  public get keyName(): Location | undefined {
    if (this._keyName === undefined) this._keyName = this.reader.variantKeyName(this.model, this.id, this.input, this.template) ?? null;
    return this._keyName ?? undefined;
  }

  public get tags(): TagFact[] {
    if (this._tags === undefined) {
      const t = this.input.tags;
      const own = typeof t === 'function' ? t() : t ?? NO_TAGS;
      const fromTemplate = this.template?.tags() ?? NO_TAGS;
      // The lists are only read: one of them alone is used as it is.
      this._tags = fromTemplate.length === 0 ? own : own.length === 0 ? fromTemplate : [...own, ...fromTemplate];
    }
    return this._tags;
  }
}

/** A launch whose subnets and container-host marker are read on first use (fields as in `Variant`). */
class LaunchRecord implements Launch {
  declare public readonly model: TemplateModel;
  declare public readonly logicalId: string;
  declare public readonly type: string;
  declare public readonly variants: readonly LaunchVariant[];
  declare public accountLayers: boolean;
  declare public serviceDefault: string | undefined;
  declare public launchConfiguration: Location | undefined;
  declare private readonly subnetsSource: SubnetsResult | (() => SubnetsResult);
  declare private readonly hostSource: string | (() => string | undefined) | undefined;
  declare private sub: SubnetsResult | undefined;
  declare private host: string | null | undefined;

  constructor(
    model: TemplateModel,
    r: ResourceEntry,
    variants: readonly LaunchVariant[],
    subnetsSource: SubnetsResult | (() => SubnetsResult),
    hostSource?: string | (() => string | undefined),
  ) {
    this.model = model;
    this.logicalId = r.logicalId;
    this.type = r.type;
    this.variants = variants;
    this.accountLayers = true;
    this.serviceDefault = undefined;
    this.launchConfiguration = undefined;
    this.subnetsSource = subnetsSource;
    this.hostSource = hostSource;
    this.sub = undefined;
    this.host = undefined;
  }

  public get subnets(): readonly SubnetFact[] {
    return this.subnetResult().subnets;
  }

  public get subnetsUnknown(): string | undefined {
    return this.subnetResult().unknown;
  }

  public get containerHost(): string | undefined {
    if (this.host === undefined) {
      const h = this.hostSource;
      this.host = (typeof h === 'function' ? h() : h) ?? null;
    }
    return this.host ?? undefined;
  }

  private subnetResult(): SubnetsResult {
    const s = this.subnetsSource;
    return (this.sub ??= typeof s === 'function' ? s() : s);
  }
}

/**
 * What a launch template says; each fact is read on first use, once however many launches use the
 * template (fields as in `Variant`).
 */
class TemplateFacts implements LaunchTemplateFacts {
  declare public readonly layer: OptionLayer;
  declare public readonly keyName: Location | undefined;
  declare private readonly reader: LaunchReader;
  declare private readonly lt: ResourceEntry;
  declare private readonly m: TemplateModel;
  declare private readonly data: Record<string, unknown>;
  declare private _images: ImageFact[] | undefined;
  declare private _instanceTypes: InstanceTypeFact[] | undefined;
  declare private _userData: { at: Location } | null | undefined;
  declare private _tags: TagFact[] | undefined;

  constructor(reader: LaunchReader, lt: ResourceEntry, m: TemplateModel, data: Record<string, unknown>) {
    this.layer = { model: m, logicalId: lt.logicalId, path: `${LT_DATA}/MetadataOptions`, raw: data.MetadataOptions, supported: ALL_OPTIONS, translate: undefined, reading: undefined };
    this.keyName = data.KeyName !== undefined ? loc(m, lt.logicalId, `${LT_DATA}/KeyName`) : undefined;
    this.reader = reader;
    this.lt = lt;
    this.m = m;
    this.data = data;
    this._images = undefined;
    this._instanceTypes = undefined;
    this._userData = undefined;
    this._tags = undefined;
  }

  public images(): ImageFact[] {
    return (this._images ??= this.data.ImageId !== undefined ? this.reader.imageFacts(this.m, this.data.ImageId) : []);
  }

  public instanceTypes(): InstanceTypeFact[] {
    return (this._instanceTypes ??= this.data.InstanceType !== undefined ? this.reader.typeFacts(this.m, this.lt.logicalId, this.data.InstanceType, `${LT_DATA}/InstanceType`) : []);
  }

  public userData(): { at: Location } | undefined {
    if (this._userData === undefined) {
      const raw = this.data.UserData;
      this._userData = raw !== undefined && this.reader.hasUserData(this.m, raw) ? { at: loc(this.m, this.lt.logicalId, `${LT_DATA}/UserData`) } : null;
    }
    return this._userData ?? undefined;
  }

  public tags(): TagFact[] {
    return (this._tags ??= this.reader.tagSpecifications(this.lt, this.data.TagSpecifications, `${LT_DATA}/TagSpecifications`, this.m));
  }
}

/** Set fields of a launch record. */
function withFields(launch: Launch, fields: Partial<Pick<Launch, 'launchConfiguration' | 'accountLayers' | 'serviceDefault'>>): Launch {
  return Object.assign(launch as LaunchRecord, fields);
}

interface Layer {
  readonly raw: unknown;
  readonly path: string;
  readonly supported: ReadonlySet<OptionName>;
  readonly translate?: (raw: unknown) => unknown;
}

interface VariantInput {
  readonly resource?: ResourceEntry;
  readonly label?: string;
  readonly optionsPath?: string;
  readonly supported?: ReadonlySet<OptionName>;
  readonly imageId?: unknown;
  readonly imagePath?: string;
  readonly imageDescription?: string;
  readonly instanceType?: unknown;
  readonly instanceTypePath?: string;
  readonly instanceTypes?: Array<[unknown, string]>;
  readonly batchTypes?: boolean;
  readonly userData?: unknown;
  readonly userDataPath?: string;
  readonly keyName?: unknown;
  readonly keyNamePath?: string;
  /** The launch's own tags, or a function that reads them on first use. */
  readonly tags?: TagFact[] | (() => TagFact[]);
  readonly version?: [unknown, string];
  /** Where a launch template would be named, for launches that can only get options from one. */
  readonly launchTemplatePath?: string;
}

export function loc(model: TemplateModel, logicalId: string, path: string): Location {
  return { model, logicalId, path };
}

function tagKey(model: TemplateModel, raw: unknown, at: Location): TagFact[] {
  return model.resolve(raw).map((v) => {
    if (v.kind === 'known' && typeof v.value === 'string') return { key: v.value, at };
    return { why: v.kind === 'unknown' ? v.why : `the tag key is ${v.kind === 'known' ? describe(v.value) : 'not literal'}`, at };
  });
}

/** What an AMI expression tells about IMDS support. */
export function imageFact(v: Value): ImageFact {
  if (v.kind === 'ref') {
    const entry = v.model.resources.get(v.logicalId);
    if (entry?.type === IMAGE_IMDS_SUPPORT_TYPE && v.attribute === 'ImageId') {
      return { support: 'v2', description: `the AMI marked ImdsSupport v2.0 by ${v.logicalId}` };
    }
    return { support: 'not-known', description: `the AMI from ${v.logicalId}` };
  }
  if (v.kind === 'known' && typeof v.value === 'string') {
    if (AL2023_SSM_PATH.test(v.value)) return { support: 'v2', description: 'an Amazon Linux 2023 AMI (ImdsSupport v2.0)' };
    return { support: 'not-known', description: `AMI ${v.value}` };
  }
  if (v.kind === 'unknown' && v.parameter) {
    const d = v.parameter.defaultValue;
    if (typeof d === 'string' && AL2023_SSM_PATH.test(d) && (v.parameter.type ?? '').startsWith('AWS::SSM::Parameter::Value')) {
      return { support: 'v2', description: `an Amazon Linux 2023 AMI (parameter ${v.parameter.name}, ImdsSupport v2.0)` };
    }
    return { support: 'not-known', description: `the AMI in parameter ${v.parameter.name}` };
  }
  return { support: 'not-known', description: v.kind === 'unknown' ? `an AMI from ${v.why}` : 'no AMI' };
}

function subnetFact(v: Value): SubnetFact {
  if (v.kind === 'absent') return { ipv6: 'unknown', name: '', why: 'absent' };
  if (v.kind === 'ref') {
    const entry = v.model.resources.get(v.logicalId);
    if (!entry || entry.type !== 'AWS::EC2::Subnet') return { ipv6: 'unknown', name: v.logicalId, why: `${v.logicalId} is not a subnet` };
    const p = entry.properties;
    const yes = (x: unknown) => x !== undefined && x !== false && x !== 'false';
    if (yes(p.Ipv6CidrBlock) || yes(p.Ipv6Native) || yes(p.Ipv6IpamPoolId) || yes(p.Ipv6NetmaskLength)) return { ipv6: 'yes', name: v.logicalId };
    if ((v.model.ipv6CidrBlocksBySubnet.get(v.logicalId) ?? []).length > 0) return { ipv6: 'yes', name: v.logicalId };
    return { ipv6: 'no', name: v.logicalId };
  }
  if (v.kind === 'known' && typeof v.value === 'string') return { ipv6: 'unknown', name: v.value, why: `subnet ${v.value} is not defined in the templates given (imported)` };
  return { ipv6: 'unknown', name: 'subnet', why: v.kind === 'unknown' ? `the subnet is ${v.why}` : 'the subnet is not literal' };
}

function describeValues(values: Value[]): string {
  return values
    .map((v) => (v.kind === 'known' ? describe(v.value) : v.kind === 'ref' ? v.logicalId : v.kind === 'unknown' ? v.why : 'nothing'))
    .join(' or ');
}
