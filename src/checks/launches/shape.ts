/**
 * The shape every launch reader produces: plain data about a resource that starts EC2 instances.
 *
 * Each launch has one or more variants: the ways its instances can be started (an Auto Scaling
 * group's launch template and each override that names another one, each launch template config
 * of a fleet, each launch specification of a Spot Fleet). A variant carries the layers of launch
 * metadata options (the first that sets an option wins), the AMI, the instance types, user data,
 * key pair and tags. Subnets and the container-host marker belong to the launch.
 *
 * Adding a fact about a launch: add its field here, then set it in the readers that know it.
 */
import type { Location, ResourceEntry, TemplateModel } from '../template-model';

/** The five per-launch metadata options, by their CloudFormation names. */
export type OptionName = 'HttpTokens' | 'HttpPutResponseHopLimit' | 'HttpEndpoint' | 'HttpProtocolIpv6' | 'InstanceMetadataTags';

export const OPTION_NAMES: readonly OptionName[] = ['HttpTokens', 'HttpPutResponseHopLimit', 'HttpEndpoint', 'HttpProtocolIpv6', 'InstanceMetadataTags'];

/** A `MetadataOptions` property (launch template, instance, fleet override, WorkSpaces): all five. */
export const ALL_OPTIONS: ReadonlySet<OptionName> = new Set(OPTION_NAMES);
/** A launch configuration's `MetadataOptions`: no IPv6 endpoint, no tags in metadata. */
export const THREE_OPTIONS: ReadonlySet<OptionName> = new Set<OptionName>(['HttpTokens', 'HttpPutResponseHopLimit', 'HttpEndpoint']);
/** Image Builder's `InstanceMetadataOptions`. */
export const TOKENS_AND_HOPS: ReadonlySet<OptionName> = new Set<OptionName>(['HttpTokens', 'HttpPutResponseHopLimit']);
/** A switch between IMDSv1 and IMDSv2 only (SageMaker, AppStream). */
export const TOKENS_ONLY: ReadonlySet<OptionName> = new Set<OptionName>(['HttpTokens']);
/** A launch that can only get options from a launch template it does not have. */
export const NO_OPTIONS: ReadonlySet<OptionName> = new Set<OptionName>();

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
}

/** The AMI of a variant, as far as IMDS is concerned (the families known to require IMDSv2: `images.ts`). */
export interface ImageFact {
  /** `v2` = known to require IMDSv2 (ImdsSupport v2.0); `not-known` otherwise. */
  readonly support: 'v2' | 'not-known';
  readonly description: string;
  /** The AWS page that documents a `v2` verdict. */
  readonly source?: string;
  /** For `v2`: the hop limit when nothing at launch or account level sets one, when it is not the AMI's 2 (an EKS managed node group: 1). */
  readonly hopLimit?: number;
  /** Marked by an `ImageImdsSupport` of the app: counts only with `trustImageImdsSupport`. */
  readonly markedInApp?: boolean;
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

/** The subnets of a launch, or why they cannot be known. */
export interface SubnetsResult {
  readonly subnets: SubnetFact[];
  readonly unknown?: string;
}

/** Tags, or a function that reads them on first use. */
export type LaunchTags = TagFact[] | (() => TagFact[]);

/** A tag the instances get. */
export interface TagFact {
  readonly key?: string;
  /** Why the key is not known, when it is not. */
  readonly why?: string;
  /** A key built with `Fn::Sub` or `Fn::Join` that is not known: the expression, for messages. */
  readonly expression?: string;
  /** ...and the literal text that is in the key whatever the rest turns out to be. */
  readonly literals?: readonly string[];
  readonly at: Location;
}

/**
 * How a launch whose own IMDS switch is not `HttpTokens` (SageMaker, AppStream) requires IMDSv2:
 * set `property`, at `path` of the resource at the variant's `optionsAt`, to `value`.
 */
export interface TokensSwitch {
  /** e.g. `DisableIMDSV1`. */
  readonly property: string;
  /** e.g. `Properties/DisableIMDSV1`. */
  readonly path: string;
  /** The value that requires IMDSv2, as written in a template: `true`, `"2"`. */
  readonly value: string;
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
  /** Where the user data is, when the launch has user data with content. */
  readonly userData?: { readonly at: Location };
  readonly keyName?: Location;
  readonly tags: readonly TagFact[];
  /** A launch template version that IAM conditions cannot pin (`$Latest`, `$Default`). */
  readonly floatingVersion?: { readonly value: string; readonly at: Location };
  /** The launch's own switch for IMDSv2, when it is not `HttpTokens`. */
  readonly tokensSwitch?: TokensSwitch;
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

/** A place in a template. */
export function loc(model: TemplateModel, logicalId: string, path: string): Location {
  return { model, logicalId, path };
}
