/**
 * The objects a launch reader returns. Facts that most checks never need (the AMI, instance types,
 * user data, key pair, tags, subnets, the container-host marker) are read on first use, and a
 * launch template's facts once however many launches use it.
 */
import type { Location, ResourceEntry, TemplateModel } from '../template-model';
import type { ImageFact, InstanceTypeFact, Launch, LaunchTags, LaunchVariant, OptionLayer, OptionName, SubnetFact, SubnetsResult, TagFact, TokensSwitch } from './shape';

/** What a reader tells a variant about its own settings (each optional; the launch template fills in the rest). */
export interface VariantInput {
  readonly resource?: ResourceEntry;
  readonly label?: string;
  readonly optionsPath?: string;
  readonly supported?: ReadonlySet<OptionName>;
  readonly imageId?: unknown;
  readonly imagePath?: string;
  readonly imageDescription?: string;
  /** The AMI when neither the launch nor its launch template names one (an EKS node group's `AmiType`), read on first use. */
  readonly defaultImages?: () => ImageFact[];
  readonly instanceType?: unknown;
  readonly instanceTypePath?: string;
  readonly instanceTypes?: Array<[unknown, string]>;
  readonly batchTypes?: boolean;
  readonly userData?: unknown;
  readonly userDataPath?: string;
  readonly keyName?: unknown;
  readonly keyNamePath?: string;
  /** The launch's own tags, or a function that reads them on first use. */
  readonly tags?: LaunchTags;
  readonly version?: [unknown, string];
  /** Where a launch template would be named, for launches that can only get options from one. */
  readonly launchTemplatePath?: string;
  /** The service's own IMDSv1 switch, when tokens are set through one (SageMaker, AppStream). */
  readonly tokensSwitch?: TokensSwitch;
}

/** What a launch template says. */
export interface LaunchTemplateFacts {
  readonly layer: OptionLayer;
  readonly keyName?: Location;
  images(): ImageFact[];
  instanceTypes(): InstanceTypeFact[];
  userData(): { at: Location } | undefined;
  tags(): TagFact[];
}

/** The reads a variant makes on first use (the launch reader does them). */
export interface VariantFactReader {
  variantImages(model: TemplateModel, o: VariantInput, template: LaunchTemplateFacts | undefined): ImageFact[];
  variantInstanceTypes(model: TemplateModel, id: string, o: VariantInput, template: LaunchTemplateFacts | undefined): InstanceTypeFact[];
  variantUserData(model: TemplateModel, id: string, o: VariantInput, template: LaunchTemplateFacts | undefined): { at: Location } | undefined;
  variantKeyName(model: TemplateModel, id: string, o: VariantInput, template: LaunchTemplateFacts | undefined): Location | undefined;
}

/** The fields of a variant known when it is made. */
export interface VariantFixed {
  readonly label?: string;
  readonly layers: readonly OptionLayer[];
  readonly optionsAt: Location;
  readonly supported: ReadonlySet<OptionName>;
  readonly launchTemplate?: LaunchVariant['launchTemplate'];
  readonly unreadable?: string;
  readonly floatingVersion?: LaunchVariant['floatingVersion'];
}

/** No tags (never changed). */
const NO_TAGS: TagFact[] = [];

/** A launch variant whose AMI, instance types, user data, key pair and tags are read on first use. */
export class Variant implements LaunchVariant {
  public readonly label?: string;
  public readonly layers: readonly OptionLayer[];
  public readonly optionsAt: Location;
  public readonly supported: ReadonlySet<OptionName>;
  public readonly launchTemplate?: LaunchVariant['launchTemplate'];
  public readonly unreadable?: string;
  public readonly floatingVersion?: LaunchVariant['floatingVersion'];
  public readonly tokensSwitch?: TokensSwitch;
  private _images?: ImageFact[];
  private _instanceTypes?: InstanceTypeFact[];
  private _userData?: { at: Location } | null;
  private _keyName?: Location | null;
  private _tags?: TagFact[];

  constructor(
    private readonly reader: VariantFactReader,
    private readonly model: TemplateModel,
    private readonly id: string,
    private readonly input: VariantInput,
    private readonly template: LaunchTemplateFacts | undefined,
    fixed: VariantFixed,
  ) {
    this.label = fixed.label;
    this.layers = fixed.layers;
    this.optionsAt = fixed.optionsAt;
    this.supported = fixed.supported;
    this.launchTemplate = fixed.launchTemplate;
    this.unreadable = fixed.unreadable;
    this.floatingVersion = fixed.floatingVersion;
    this.tokensSwitch = input.tokensSwitch;
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

/** What a launch is besides its variants and subnets. */
export interface LaunchExtras {
  /** Why the launch runs containers, or a function that finds out on first use. */
  readonly containerHost?: string | (() => string | undefined);
  /** False for service-managed instances (SageMaker, AppStream): no account default or AMI applies. */
  readonly accountLayers?: boolean;
  readonly serviceDefault?: string;
  readonly launchConfiguration?: Location;
}

/** A launch whose subnets and container-host marker are read on first use. */
export class LaunchRecord implements Launch {
  public readonly model: TemplateModel;
  public readonly logicalId: string;
  public readonly type: string;
  public readonly accountLayers: boolean;
  public readonly serviceDefault?: string;
  public readonly launchConfiguration?: Location;
  private sub?: SubnetsResult;
  private host?: string | null;

  constructor(
    model: TemplateModel,
    r: ResourceEntry,
    public readonly variants: readonly LaunchVariant[],
    private readonly subnetsSource: SubnetsResult | (() => SubnetsResult),
    private readonly extras: LaunchExtras = {},
  ) {
    this.model = model;
    this.logicalId = r.logicalId;
    this.type = r.type;
    this.accountLayers = extras.accountLayers ?? true;
    this.serviceDefault = extras.serviceDefault;
    this.launchConfiguration = extras.launchConfiguration;
  }

  public get subnets(): readonly SubnetFact[] {
    return this.subnetResult().subnets;
  }

  public get subnetsUnknown(): string | undefined {
    return this.subnetResult().unknown;
  }

  public get containerHost(): string | undefined {
    if (this.host === undefined) {
      const h = this.extras.containerHost;
      this.host = (typeof h === 'function' ? h() : h) ?? null;
    }
    return this.host ?? undefined;
  }

  private subnetResult(): SubnetsResult {
    const s = this.subnetsSource;
    return (this.sub ??= typeof s === 'function' ? s() : s);
  }
}
