import { Annotations, CustomResource, RemovalPolicy, Stack, Token, Validations, aws_iam as iam } from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';
import { InstanceMetadataDefaultsFunction } from './instance-metadata-defaults-function';
import {
  ALL_REGIONS_PROPERTY,
  ALL_REGIONS_VALUE,
  HOP_LIMIT_NO_PREFERENCE,
  INSTANCE_METADATA_DEFAULTS_RESOURCE_TYPE,
  InstanceMetadataDefaultsResourceProperties,
  REGIONS_PROPERTY,
  REGION_PATTERN,
  REMOVAL_POLICY_PROPERTY,
} from './private/defaults-contract';
import { ImdsConfigurationError } from '../private/errors';
import { HandlerProvider } from '../private/handler-provider';
import { HOP_LIMIT_ADVICE, HOP_LIMIT_RANGE, isValidHopLimit } from '../private/hop-limit';

/**
 * Account default for `HttpTokens` (whether IMDSv2 is required) in a Region.
 *
 * @see https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ModifyInstanceMetadataDefaults.html
 */
export enum DefaultHttpTokens {
  /** IMDSv1 and IMDSv2 both answer. */
  OPTIONAL = 'optional',
  /** Only IMDSv2 (session tokens) answers. */
  REQUIRED = 'required',
  /** No account preference: the AMI or the AWS default decides. */
  NO_PREFERENCE = 'no-preference',
}

/** Account default for `HttpEndpoint` (whether the metadata endpoint is on) in a Region. */
export enum DefaultHttpEndpoint {
  /** The endpoint is on. */
  ENABLED = 'enabled',
  /** The endpoint is off: user data does not run and the key pair's key is not served. */
  DISABLED = 'disabled',
  /** No account preference: enabled unless the launch says otherwise. */
  NO_PREFERENCE = 'no-preference',
}

/** Account default for `InstanceMetadataTags` (tags readable from metadata) in a Region. */
export enum DefaultInstanceMetadataTags {
  /** Instance tags are readable from metadata (every tag key must then be one IMDS can serve). */
  ENABLED = 'enabled',
  /** Instance tags are not in metadata. */
  DISABLED = 'disabled',
  /** No account preference: disabled unless the launch says otherwise. */
  NO_PREFERENCE = 'no-preference',
}

/**
 * Account setting `HttpTokensEnforced` in a Region.
 *
 * When enabled, every launch whose tokens do not resolve to `required` fails, and instances that
 * require IMDSv2 cannot be switched back to optional.
 */
export enum DefaultHttpTokensEnforced {
  /** Launches that would allow IMDSv1 fail. */
  ENABLED = 'enabled',
  /** Not enforced. */
  DISABLED = 'disabled',
  /** No account preference. */
  NO_PREFERENCE = 'no-preference',
}

/**
 * Account default for `HttpPutResponseHopLimit` in a Region: a number of hops, or no preference.
 *
 * @example
 * new imds.InstanceMetadataDefaults(this, 'Defaults', {
 *   httpPutResponseHopLimit: imds.DefaultHopLimit.of(2),
 * });
 */
export class DefaultHopLimit {
  /** No account preference: 2 for an AMI marked `ImdsSupport: v2.0`, otherwise 1. */
  public static readonly NO_PREFERENCE = new DefaultHopLimit(undefined);

  /**
   * A hop limit from 1 to 64.
   *
   * @param hops 1 for instances, 2 for container hosts whose containers use IMDSv2
   */
  public static of(hops: number): DefaultHopLimit {
    if (!Token.isUnresolved(hops) && !isValidHopLimit(hops)) {
      throw new ImdsConfigurationError(`httpPutResponseHopLimit is ${hops}: it must be ${HOP_LIMIT_RANGE} (${HOP_LIMIT_ADVICE}), or DefaultHopLimit.NO_PREFERENCE.`);
    }
    return new DefaultHopLimit(hops);
  }

  /** The number of hops, or undefined for no preference. */
  public readonly hops?: number;

  private constructor(hops: number | undefined) {
    this.hops = hops;
  }
}

/**
 * The Regions whose account defaults an `InstanceMetadataDefaults` manages.
 *
 * @example
 * new imds.InstanceMetadataDefaults(this, 'Defaults', {
 *   httpTokens: imds.DefaultHttpTokens.REQUIRED,
 *   regions: imds.DefaultsRegions.of(['eu-west-1', 'eu-central-1']),
 * });
 */
export class DefaultsRegions {
  /** The stack's own Region (`AWS::Region` when the stack is environment-agnostic). */
  public static stackRegion(): DefaultsRegions {
    return new DefaultsRegions(undefined, false);
  }

  /**
   * These Regions, given as literal names (e.g. `us-east-1`), each once.
   *
   * Tokens are refused: the list must be known at synthesis so that overlaps and the IAM
   * policy can be checked. Use `stackRegion()` for the stack's own Region.
   */
  public static of(regions: string[]): DefaultsRegions {
    if (Token.isUnresolved(regions)) {
      throw new ImdsConfigurationError('regions is a token list: give the Region names literally (e.g. DefaultsRegions.of([\'us-east-1\'])), or use DefaultsRegions.stackRegion()');
    }
    if (regions.length === 0) {
      throw new ImdsConfigurationError('regions is an empty list: give at least one Region name, or use DefaultsRegions.stackRegion() or DefaultsRegions.allEnabled()');
    }
    const seen = new Set<string>();
    for (const region of regions) {
      if (Token.isUnresolved(region)) {
        throw new ImdsConfigurationError(
          `regions contains a token (${region}): give Region names literally; for the stack's own Region use DefaultsRegions.stackRegion()`,
        );
      }
      if (!REGION_PATTERN.test(region)) {
        throw new ImdsConfigurationError(`regions contains ${JSON.stringify(region)}: expected a Region name such as us-east-1 or ap-southeast-2`);
      }
      if (seen.has(region)) {
        throw new ImdsConfigurationError(`regions contains ${region} more than once: list each Region once`);
      }
      seen.add(region);
    }
    return new DefaultsRegions([...regions], false);
  }

  /**
   * Every Region enabled in the account, listed with DescribeRegions at each deployment.
   *
   * Regions enabled later are picked up by the next update of the stack. The handler's role is
   * then allowed to call EC2 in every Region.
   */
  public static allEnabled(): DefaultsRegions {
    return new DefaultsRegions(undefined, true);
  }

  /** The Region names given to `of()`; undefined for the stack's Region or all enabled Regions. */
  public readonly regionNames?: string[];
  /** Whether every enabled Region is managed. */
  public readonly allRegions: boolean;

  private constructor(regionNames: string[] | undefined, allRegions: boolean) {
    this.regionNames = regionNames;
    this.allRegions = allRegions;
  }
}

/** Properties of `InstanceMetadataDefaults`. Every option left out is not managed. */
export interface InstanceMetadataDefaultsProps {
  /**
   * Account default for `HttpTokens`. `REQUIRED` makes IMDSv2 the default for new instances.
   *
   * @default - not managed (never sent, never restored)
   */
  readonly httpTokens?: DefaultHttpTokens;

  /**
   * Account default for `HttpPutResponseHopLimit`.
   *
   * @default - not managed (never sent, never restored)
   */
  readonly httpPutResponseHopLimit?: DefaultHopLimit;

  /**
   * Account default for `HttpEndpoint`.
   *
   * @default - not managed (never sent, never restored)
   */
  readonly httpEndpoint?: DefaultHttpEndpoint;

  /**
   * Account default for `InstanceMetadataTags`.
   *
   * @default - not managed (never sent, never restored)
   */
  readonly instanceMetadataTags?: DefaultInstanceMetadataTags;

  /**
   * Account setting `HttpTokensEnforced`: launches that would allow IMDSv1 fail.
   *
   * @default - not managed (never sent, never restored)
   */
  readonly httpTokensEnforced?: DefaultHttpTokensEnforced;

  /**
   * The Regions to manage.
   *
   * @default DefaultsRegions.stackRegion()
   */
  readonly regions?: DefaultsRegions;

  /**
   * What happens to the settings when this resource is deleted (or a Region or option is removed
   * from it).
   *
   * `DESTROY` writes back the values found before it first changed them (including "no
   * preference"); `RETAIN` leaves the settings as they are.
   *
   * @default RemovalPolicy.DESTROY
   */
  readonly removalPolicy?: RemovalPolicy;
}

const PROVIDER_ID = 'CdkImdsInstanceMetadataDefaultsProvider';
const IS_DEFAULTS = Symbol.for('cdk-imds.InstanceMetadataDefaults');

/**
 * The account-level instance metadata defaults of EC2 (ModifyInstanceMetadataDefaults), in one
 * Region, several, or every enabled Region.
 *
 * CloudFormation has no resource type for these settings; this custom resource
 * (`Custom::InstanceMetadataDefaults`) captures the values it finds, applies only the options you
 * set, rolls back every Region it changed when one Region fails, and on deletion restores what it
 * found (`RemovalPolicy.DESTROY`) or leaves the settings (`RemovalPolicy.RETAIN`).
 *
 * The defaults apply to instances launched later without their own metadata options; they never
 * change running instances.
 *
 * @see https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/configuring-IMDS-new-instances.html
 *
 * @example
 * const defaults = new imds.InstanceMetadataDefaults(this, 'ImdsDefaults', {
 *   httpTokens: imds.DefaultHttpTokens.REQUIRED,
 *   httpPutResponseHopLimit: imds.DefaultHopLimit.of(2),
 *   httpTokensEnforced: imds.DefaultHttpTokensEnforced.ENABLED,
 * });
 */
export class InstanceMetadataDefaults extends Construct {
  /** Whether `x` is an `InstanceMetadataDefaults` (works across copies of this library). */
  public static isInstanceMetadataDefaults(x: any): x is InstanceMetadataDefaults {
    return x !== null && typeof x === 'object' && IS_DEFAULTS in x;
  }

  /** `HttpTokens` read back after applying (`optional`, `required` or `no-preference`). */
  public readonly attrHttpTokens: string;
  /** `HttpPutResponseHopLimit` read back after applying (`1`–`64` or `no-preference`). */
  public readonly attrHttpPutResponseHopLimit: string;
  /** `HttpEndpoint` read back after applying (`enabled`, `disabled` or `no-preference`). */
  public readonly attrHttpEndpoint: string;
  /** `InstanceMetadataTags` read back after applying (`enabled`, `disabled` or `no-preference`). */
  public readonly attrInstanceMetadataTags: string;
  /** `HttpTokensEnforced` read back after applying (`enabled`, `disabled` or `no-preference`). */
  public readonly attrHttpTokensEnforced: string;
  /** Who manages the settings: `account`, or `declarative-policy` when an EC2 policy does. */
  public readonly attrManagedBy: string;
  /** The Region the attributes were read in: the stack's Region when managed, else the first Region. */
  public readonly attrRegion: string;
  /** Every Region managed, comma-separated and sorted. */
  public readonly attrRegions: string;
  /** The Regions this resource manages. */
  public readonly regions: DefaultsRegions;
  /**
   * The role of the handler that applies and restores the defaults (shared by the stack's
   * `InstanceMetadataDefaults`).
   *
   * A policy that restricts `ec2:ModifyInstanceMetadataDefaults` to administrators must allow it.
   */
  public readonly handlerRole: iam.IRole;

  private readonly resource: CustomResource;

  public constructor(scope: Construct, id: string, props: InstanceMetadataDefaultsProps = {}) {
    super(scope, id);
    Object.defineProperty(this, IS_DEFAULTS, { value: true });

    const removal = props.removalPolicy ?? RemovalPolicy.DESTROY;
    if (removal !== RemovalPolicy.DESTROY && removal !== RemovalPolicy.RETAIN) {
      const name = Object.entries(RemovalPolicy).find(([, v]) => v === removal)?.[0] ?? String(removal);
      throw new ImdsConfigurationError(`removalPolicy is RemovalPolicy.${name}: allowed values are RemovalPolicy.DESTROY (restore the values found) and RemovalPolicy.RETAIN (leave the settings)`);
    }
    if (
      props.httpTokens === undefined &&
      props.httpPutResponseHopLimit === undefined &&
      props.httpEndpoint === undefined &&
      props.instanceMetadataTags === undefined &&
      props.httpTokensEnforced === undefined
    ) {
      throw new ImdsConfigurationError(
        `InstanceMetadataDefaults ${this.node.path} sets nothing: set at least one of httpTokens, httpPutResponseHopLimit, httpEndpoint, instanceMetadataTags, httpTokensEnforced (to a value, or to NO_PREFERENCE)`,
      );
    }
    this.regions = props.regions ?? DefaultsRegions.stackRegion();

    const properties: InstanceMetadataDefaultsResourceProperties = {
      HttpTokens: props.httpTokens,
      HttpPutResponseHopLimit:
        props.httpPutResponseHopLimit === undefined ? undefined : props.httpPutResponseHopLimit.hops ?? HOP_LIMIT_NO_PREFERENCE,
      HttpEndpoint: props.httpEndpoint,
      InstanceMetadataTags: props.instanceMetadataTags,
      HttpTokensEnforced: props.httpTokensEnforced,
      [REGIONS_PROPERTY]: this.regions.allRegions ? undefined : this.regions.regionNames ?? [Stack.of(this).region],
      [ALL_REGIONS_PROPERTY]: this.regions.allRegions ? ALL_REGIONS_VALUE : undefined,
      [REMOVAL_POLICY_PROPERTY]: removal === RemovalPolicy.DESTROY ? 'destroy' : 'retain',
    };

    const provider = HandlerProvider.getOrCreate(
      this,
      PROVIDER_ID,
      'cdk-imds Custom::InstanceMetadataDefaults',
      (s, i, p) => new InstanceMetadataDefaultsFunction(s, i, p),
    );
    this.grant(provider.role);
    this.handlerRole = provider.role;

    this.resource = new CustomResource(this, 'Resource', {
      serviceToken: provider.serviceToken,
      resourceType: INSTANCE_METADATA_DEFAULTS_RESOURCE_TYPE,
      properties: properties as unknown as Record<string, unknown>,
      removalPolicy: removal,
    });
    this.attrHttpTokens = this.resource.getAttString('HttpTokens');
    this.attrHttpPutResponseHopLimit = this.resource.getAttString('HttpPutResponseHopLimit');
    this.attrHttpEndpoint = this.resource.getAttString('HttpEndpoint');
    this.attrInstanceMetadataTags = this.resource.getAttString('InstanceMetadataTags');
    this.attrHttpTokensEnforced = this.resource.getAttString('HttpTokensEnforced');
    this.attrManagedBy = this.resource.getAttString('ManagedBy');
    this.attrRegion = this.resource.getAttString('Region');
    this.attrRegions = this.resource.getAttString('Regions');

    if (props.httpTokensEnforced === DefaultHttpTokensEnforced.ENABLED && props.httpTokens !== DefaultHttpTokens.REQUIRED) {
      Annotations.of(this).addWarningV2(
        'cdk-imds:defaultsEnforcedWithoutRequired',
        `httpTokensEnforced is ENABLED while httpTokens is ${props.httpTokens === undefined ? 'not managed' : props.httpTokens}: ` +
          'every launch that does not itself set HttpTokens to required (and whose AMI does not) will fail. Set httpTokens to DefaultHttpTokens.REQUIRED.',
      );
    }
    this.node.addValidation({ validate: () => this.overlaps() });
  }

  /** Allow the handler to read and modify the defaults in exactly these Regions. */
  private grant(role: iam.Role): void {
    const stack = Stack.of(this);
    const actions = ['ec2:GetInstanceMetadataDefaults', 'ec2:ModifyInstanceMetadataDefaults'];
    if (this.regions.allRegions) {
      role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: [...actions, 'ec2:DescribeRegions'], resources: ['*'] }));
    } else {
      role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          actions,
          resources: ['*'],
          conditions: { StringEquals: { 'aws:RequestedRegion': this.regions.regionNames ?? [stack.region] } },
        }),
      );
    }
    const provider = stack.node.findChild(PROVIDER_ID) as HandlerProvider;
    if (!provider.node.tryFindChild('StackReadGranted')) {
      new Construct(provider, 'StackReadGranted');
      // Delete tells a real deletion from the clean-up of a replaced physical ID.
      role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['cloudformation:DescribeStackResource'], resources: [stack.stackId] }));
      acknowledgeWildcard(role);
    }
  }

  /** Two of these for one account and Region in the same app fight over the same settings. */
  private overlaps(): string[] {
    const mine = targetKey(this);
    const errors: string[] = [];
    for (const other of this.node.root.node.findAll()) {
      if (other === this || !InstanceMetadataDefaults.isInstanceMetadataDefaults(other)) continue;
      const theirs = targetKey(other);
      if (mine.account !== theirs.account) continue;
      const shared = sharedRegions(mine.regions, theirs.regions);
      if (shared.length === 0) continue;
      const agnostic = mine.account === ENV_AGNOSTIC ? ' (both stacks are environment-agnostic, so they deploy to the same account and Region unless given an env)' : '';
      errors.push(
        `InstanceMetadataDefaults ${this.node.path} and ${other.node.path} both manage the defaults of account ${mine.account} in ${shared.join(', ')}${agnostic}: ` +
          'each would restore or overwrite the other\'s settings. Keep one InstanceMetadataDefaults per account and Region.',
      );
    }
    return errors;
  }
}

const ENV_AGNOSTIC = '(environment-agnostic)';
const ALL = '*';

function targetKey(d: InstanceMetadataDefaults): { account: string; regions: string[] } {
  const stack = Stack.of(d);
  const account = Token.isUnresolved(stack.account) ? ENV_AGNOSTIC : stack.account;
  if (d.regions.allRegions) return { account, regions: [ALL] };
  if (d.regions.regionNames) return { account, regions: d.regions.regionNames };
  return { account, regions: [Token.isUnresolved(stack.region) ? `the stack Region (${ENV_AGNOSTIC})` : stack.region] };
}

function sharedRegions(a: string[], b: string[]): string[] {
  if (a.includes(ALL)) return b.includes(ALL) ? ['every enabled Region'] : b;
  if (b.includes(ALL)) return a;
  return a.filter((r) => b.includes(r));
}

function acknowledgeWildcard(scope: IConstruct): void {
  Validations.of(scope).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason:
      'ec2:GetInstanceMetadataDefaults, ec2:ModifyInstanceMetadataDefaults and ec2:DescribeRegions support no resource-level permissions (Resource "*" is the only form AWS accepts); the statements are limited to the managed Regions with aws:RequestedRegion.',
  });
}
