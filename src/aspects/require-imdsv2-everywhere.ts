import { Annotations, CfnResource, IAspect, Stack, Token } from 'aws-cdk-lib';
import { CfnLaunchTemplate } from 'aws-cdk-lib/aws-ec2';
import { IConstruct } from 'constructs';
import { isIntrinsicObject, isObject, onlyKey } from '../checks/template-json';
import { LaunchTemplatesByName } from '../private/app-launch-templates';
import { ContainerHosts } from '../private/container-hosts';
import { readWithoutLazies } from '../private/read-without-lazies';

/**
 * Options of `RequireImdsv2Everywhere`.
 */
export interface RequireImdsv2EverywhereProps {
  /**
   * The hop limit set on a launch that is not a container host and sets none.
   *
   * A hop limit the launch already sets is kept.
   *
   * @default 1
   * @see https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/configuring-IMDS-new-instances.html
   */
  readonly hopLimit?: number;

  /**
   * The hop limit set on a container host (ECS, EKS, Batch) that sets none.
   *
   * Containers reach the instance metadata service through one more hop, so with IMDSv2 required
   * they need a hop limit of 2.
   *
   * @default 2
   * @see https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/instance-metadata-v2-how-it-works.html
   */
  readonly containerHostHopLimit?: number;

  /**
   * Whether a launch whose metadata endpoint is `disabled` is left alone.
   *
   * When false, such a launch also gets `httpTokens: required`; its endpoint stays disabled.
   *
   * @default true
   */
  readonly leaveEndpointDisabled?: boolean;

  /**
   * Whether an EKS managed node group or a Batch compute environment without a launch template gets
   * a minimal one that carries only the metadata options.
   *
   * The template sets no AMI, user data or anything else the service derives. EKS can only update a
   * node group to a launch template if it was created with one, so an existing node group is
   * replaced or its update fails: turn this on for new node groups and compute environments. A node
   * group with `remoteAccess` or `diskSize` (which EKS rejects together with a launch template) is
   * warned about instead.
   *
   * @default false - such launches are warned about
   * @see https://docs.aws.amazon.com/eks/latest/userguide/launch-templates.html
   */
  readonly addLaunchTemplates?: boolean;
}

/*
 * Where each kind carries the setting (CloudFormation property reference):
 * - EC2 instances, launch templates, launch configurations, EC2 fleet overrides, WorkSpaces instances:
 *   MetadataOptions.HttpTokens 'required'
 *   (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-ec2-launchtemplate-metadataoptions.html).
 * - Image Builder: InstanceMetadataOptions.HttpTokens; it sets no hop limit, as container image builds
 *   need two hops and the service's default applies
 *   (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-imagebuilder-infrastructureconfiguration-instancemetadataoptions.html).
 * - SageMaker: MinimumInstanceMetadataServiceVersion '2'
 *   (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-sagemaker-notebookinstance-instancemetadataserviceconfiguration.html).
 * - AppStream: DisableIMDSV1 true (https://docs.aws.amazon.com/appstream2/latest/APIReference/API_CreateFleet.html).
 * - Elastic Beanstalk: aws:autoscaling:launchconfiguration DisableIMDSv1 'true'; setting it can migrate an
 *   environment from launch configurations to launch templates
 *   (https://docs.aws.amazon.com/elasticbeanstalk/latest/dg/environments-cfg-ec2-imds.html,
 *   https://docs.aws.amazon.com/elasticbeanstalk/latest/dg/using-features.managing.ec2.namespace.html).
 * - EMR: the security configuration's InstanceMetadataServiceConfiguration
 *   (https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-create-security-configuration.html).
 * - EKS managed node groups take metadata options only from a launch template
 *   (https://docs.aws.amazon.com/eks/latest/userguide/launch-templates.html).
 */

/** The warning ID of a launch the aspect cannot make require IMDSv2. */
const CANNOT_FIX = 'cdk-imds:RequireImdsv2Everywhere.cannotFix';


interface Metadata {
  readonly httpTokens?: unknown;
  readonly httpEndpoint?: unknown;
  readonly httpPutResponseHopLimit?: unknown;
  readonly [key: string]: unknown;
}

/**
 * Makes every launch in its scope require IMDSv2 (an opt-in, mutating aspect).
 *
 * Add it at the mutating priority:
 * `Aspects.of(scope).add(new RequireImdsv2Everywhere(), { priority: AspectPriority.MUTATING })`.
 *
 * It writes the metadata options of the CloudFormation resources of each launch kind: EC2
 * instances, launch templates (also those aws-cdk-lib creates behind `requireImdsv2`), launch
 * configurations, EC2 fleet overrides that carry metadata options, Image Builder infrastructure
 * configurations, SageMaker notebook instances, AppStream fleets, image builders and app block
 * builders, WorkSpaces instances, and Elastic Beanstalk environments and configuration templates.
 *
 * It never lowers what a launch sets: a hop limit that is set is kept (3 stays 3), and only a
 * launch that sets none gets `hopLimit` or, for a container host, `containerHostHopLimit`. An
 * explicit `httpTokens: optional` becomes `required`: that is what the aspect is for.
 *
 * What it cannot fix (launches from an imported launch template, EKS node groups and Batch
 * compute environments without a launch template unless `addLaunchTemplates`,
 * Spot Fleet launch specifications, EMR clusters, values that are tokens) gets a warning with the
 * ID `cdk-imds:RequireImdsv2Everywhere.cannotFix`, which `Annotations.of(scope).acknowledgeWarning`
 * acknowledges.
 *
 * @example
 * declare const stack: Stack;
 * Aspects.of(stack).add(new imds.RequireImdsv2Everywhere({ containerHostHopLimit: 2 }), {
 *   priority: AspectPriority.MUTATING,
 * });
 */
export class RequireImdsv2Everywhere implements IAspect {
  /** The ID of the warning on a launch the aspect cannot make require IMDSv2. */
  public static readonly CANNOT_FIX_WARNING = CANNOT_FIX;

  private readonly hopLimit: number;
  private readonly containerHostHopLimit: number;
  private readonly leaveEndpointDisabled: boolean;
  private readonly addLaunchTemplates: boolean;
  /** Per app (the root of the tree), its container hosts and its launch templates by name. */
  private readonly apps = new WeakMap<IConstruct, { hosts: ContainerHosts; templates: LaunchTemplatesByName }>();
  /** Launch templates already fixed, so a template named by several launches is fixed once. */
  private readonly fixedTemplates = new WeakSet<CfnResource>();

  constructor(props: RequireImdsv2EverywhereProps = {}) {
    this.hopLimit = props.hopLimit ?? 1;
    this.containerHostHopLimit = props.containerHostHopLimit ?? 2;
    this.leaveEndpointDisabled = props.leaveEndpointDisabled ?? true;
    this.addLaunchTemplates = props.addLaunchTemplates ?? false;
    for (const [name, value] of [['hopLimit', this.hopLimit], ['containerHostHopLimit', this.containerHostHopLimit]] as const) {
      if (!Token.isUnresolved(value) && (!Number.isInteger(value) || value < 1 || value > 64)) {
        throw new Error(`RequireImdsv2Everywhere: ${name} is ${value}; it must be a whole number from 1 to 64.`);
      }
    }
  }

  /** Fixes or warns about the resource `node`, when it is a launch. */
  public visit(node: IConstruct): void {
    if (!CfnResource.isCfnResource(node)) return;
    const cfn = node as CfnResource & Record<string, any>;
    switch (cfn.cfnResourceType) {
      case 'AWS::AutoScaling::AutoScalingGroup':
        this.warnImported(cfn, cfn.launchTemplate, 'launchTemplate');
        if (!Token.isUnresolved(cfn.mixedInstancesPolicy) && cfn.mixedInstancesPolicy) {
          const spec = cfn.mixedInstancesPolicy.launchTemplate;
          this.warnImported(cfn, Token.isUnresolved(spec) ? undefined : spec?.launchTemplateSpecification, 'mixedInstancesPolicy.launchTemplate');
        }
        break;
      case 'AWS::EC2::Instance': {
        const host = this.app(cfn).hosts.isHost(cfn);
        // The launch template aws-cdk-lib adds behind `requireImdsv2` is created after the app was read.
        if (host && cfn.launchTemplate !== undefined) this.app(cfn).hosts.noteTemplate(cfn, cfn.launchTemplate);
        this.warnImported(cfn, cfn.launchTemplate, 'launchTemplate');
        // An instance launched from a template keeps the template's hop limit unless it sets its own.
        this.fixProp(cfn, 'metadataOptions', host, cfn.launchTemplate === undefined || cfn.metadataOptions !== undefined);
        break;
      }
      case 'AWS::AutoScaling::LaunchConfiguration':
        this.fixProp(cfn, 'metadataOptions', this.app(cfn).hosts.isHost(cfn));
        break;
      case 'AWS::EC2::LaunchTemplate':
        this.fixLaunchTemplate(cfn);
        break;
      case 'AWS::ImageBuilder::InfrastructureConfiguration':
        this.fixProp(cfn, 'instanceMetadataOptions', false, false);
        break;
      case 'AWS::WorkspacesInstances::WorkspaceInstance':
        this.fixWorkspaceInstance(cfn);
        break;
      case 'AWS::EC2::EC2Fleet':
        this.fixEc2Fleet(cfn);
        break;
      case 'AWS::SageMaker::NotebookInstance':
        this.fixSageMaker(cfn);
        break;
      case 'AWS::AppStream::Fleet':
      case 'AWS::AppStream::ImageBuilder':
      case 'AWS::AppStream::AppBlockBuilder':
        this.fixAppStream(cfn);
        break;
      case 'AWS::ElasticBeanstalk::Environment':
      case 'AWS::ElasticBeanstalk::ConfigurationTemplate':
        this.fixBeanstalk(cfn);
        break;
      case 'AWS::EKS::Nodegroup':
        this.warnImported(cfn, cfn.launchTemplate, 'launchTemplate');
        if (cfn.launchTemplate === undefined && this.addLaunchTemplates && cfn.remoteAccess === undefined && cfn.diskSize === undefined) {
          const lt = this.minimalLaunchTemplate(cfn);
          cfn.launchTemplate = { id: lt.ref, version: lt.attrLatestVersionNumber };
        } else if (cfn.launchTemplate === undefined) {
          warn(cfn, 'an EKS managed node group without a launch template launches with the metadata options EKS chooses; '
            + 'give it a launch template with httpTokens: required (and a hop limit of 2 for pods)');
        }
        break;
      case 'AWS::Batch::ComputeEnvironment':
        this.warnImported(cfn, Token.isUnresolved(cfn.computeResources) ? undefined : cfn.computeResources?.launchTemplate, 'computeResources.launchTemplate');
        if (!Token.isUnresolved(cfn.computeResources) && cfn.computeResources && cfn.computeResources.launchTemplate === undefined
          && !['FARGATE', 'FARGATE_SPOT'].includes(cfn.computeResources.type)) {
          if (this.addLaunchTemplates) {
            const lt = this.minimalLaunchTemplate(cfn);
            cfn.computeResources = { ...cfn.computeResources, launchTemplate: { launchTemplateId: lt.ref, version: lt.attrLatestVersionNumber } };
            break;
          }
          warn(cfn, 'a Batch compute environment without a launch template launches with the metadata options of its AMI; '
            + 'give computeResources a launch template with httpTokens: required (and a hop limit of 2 for containers)');
        }
        break;
      case 'AWS::EC2::SpotFleet': {
        // A fleet that launches from launch templates is fixed through them; launch specifications cannot be.
        const data = Token.isUnresolved(cfn.spotFleetRequestConfigData) ? undefined : cfn.spotFleetRequestConfigData;
        const specs = data?.launchSpecifications;
        if (data && (specs === undefined || (Array.isArray(specs) && specs.length === 0))) break;
        warn(cfn, 'Spot Fleet launch specifications have no metadata options in CloudFormation; '
          + 'use launchTemplateConfigs with a launch template that sets httpTokens: required');
        break;
      }
      case 'AWS::EMR::Cluster':
        this.fixEmr(cfn);
        break;
      default:
        break;
    }
  }

  /**
   * The options object `existing` (plain, or a token that resolves to a plain object) with
   * camelCase keys, or undefined when a token hides it (a parameter, `Fn::If`). Its fields keep
   * their values, tokens included: `literal` tells which can be read.
   *
   * This, `merged`, `literal`, and the reads of the AppStream switch and of the value of the
   * Elastic Beanstalk switch are the only places the aspect resolves a token that may be a cached
   * `Lazy`: the options and switches it sets itself. Everything else is read with `readWithoutLazies`.
   */
  private read(cfn: CfnResource, existing: unknown): Metadata | undefined {
    if (existing === undefined) return {};
    const value = Token.isUnresolved(existing) ? Stack.of(cfn).resolve(existing) : existing;
    if (value === undefined || value === null) return {};
    if (typeof value !== 'object' || Array.isArray(value) || Token.isUnresolved(value) || isIntrinsic(value)) return undefined;
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value as object)) out[key.charAt(0).toLowerCase() + key.slice(1)] = v;
    return out;
  }

  /**
   * The metadata options with httpTokens required and a hop limit, or undefined (with a warning)
   * when a token hides them, or `existing` itself when the endpoint is disabled and left alone.
   */
  private merged(cfn: CfnResource, where: string, existing: unknown, containerHost: boolean, withHopLimit: boolean = true): Metadata | undefined {
    const md = this.read(cfn, existing);
    const readable = (v: unknown) => literal(cfn, v);
    if (md === undefined || !readable(md.httpTokens) || !readable(md.httpEndpoint) || !readable(md.httpPutResponseHopLimit)) {
      warn(cfn, `${where} is a token or holds one, so its httpTokens cannot be set to required; set httpTokens: required there`);
      return undefined;
    }
    if (Stack.of(cfn).resolve(md.httpEndpoint) === 'disabled' && this.leaveEndpointDisabled) return undefined;
    const hop = md.httpPutResponseHopLimit ?? (containerHost ? this.containerHostHopLimit : this.hopLimit);
    return { ...md, httpTokens: 'required', ...(withHopLimit ? { httpPutResponseHopLimit: hop } : {}) };
  }

  private fixProp(cfn: Record<string, any> & CfnResource, prop: string, containerHost: boolean, withHopLimit: boolean = true): void {
    const md = this.merged(cfn, prop, cfn[prop], containerHost, withHopLimit);
    if (md) cfn[prop] = md;
  }

  private fixLaunchTemplate(cfn: Record<string, any> & CfnResource): void {
    if (this.fixedTemplates.has(cfn)) return;
    this.fixedTemplates.add(cfn);
    const data = cfn.launchTemplateData;
    if (Token.isUnresolved(data)) {
      warn(cfn, 'launchTemplateData is a token, so its metadataOptions cannot be set; set metadataOptions.httpTokens: required there');
      return;
    }
    const md = this.merged(cfn, 'launchTemplateData.metadataOptions', data?.metadataOptions, this.app(cfn).hosts.isHost(cfn));
    if (md) cfn.launchTemplateData = { ...(data ?? {}), metadataOptions: md };
  }

  private fixWorkspaceInstance(cfn: Record<string, any> & CfnResource): void {
    const managed = cfn.managedInstance;
    if (Token.isUnresolved(managed) || !managed || typeof managed !== 'object') {
      warn(cfn, 'managedInstance is a token or missing, so its metadataOptions cannot be set; set managedInstance.metadataOptions.httpTokens: required there');
      return;
    }
    const md = this.merged(cfn, 'managedInstance.metadataOptions', managed.metadataOptions, false);
    if (md) cfn.managedInstance = { ...managed, metadataOptions: md };
  }

  private fixEc2Fleet(cfn: Record<string, any> & CfnResource): void {
    const configs = cfn.launchTemplateConfigs;
    if (Token.isUnresolved(configs) || !Array.isArray(configs)) return;
    let changed = false;
    const next = configs.map((config: any, i: number) => {
      if (Token.isUnresolved(config) || !Array.isArray(config?.overrides)) return config;
      const overrides = config.overrides.map((o: any, j: number) => {
        if (Token.isUnresolved(o) || o?.metadataOptions === undefined) return o;
        const md = this.merged(cfn, `launchTemplateConfigs[${i}].overrides[${j}].metadataOptions`, o.metadataOptions, false);
        if (!md) return o;
        changed = true;
        return { ...o, metadataOptions: md };
      });
      return { ...config, overrides };
    });
    if (changed) cfn.launchTemplateConfigs = next;
  }

  private fixSageMaker(cfn: Record<string, any> & CfnResource): void {
    const cfg = this.read(cfn, cfn.instanceMetadataServiceConfiguration);
    if (cfg === undefined || !literal(cfn, cfg.minimumInstanceMetadataServiceVersion)) {
      warn(cfn, 'instanceMetadataServiceConfiguration is a token or holds one, so its minimumInstanceMetadataServiceVersion cannot be set; '
        + 'set minimumInstanceMetadataServiceVersion: \'2\' there');
      return;
    }
    cfn.instanceMetadataServiceConfiguration = { ...cfg, minimumInstanceMetadataServiceVersion: '2' };
  }

  private fixAppStream(cfn: Record<string, any> & CfnResource): void {
    const value = Token.isUnresolved(cfn.disableImdsv1) ? Stack.of(cfn).resolve(cfn.disableImdsv1) : cfn.disableImdsv1;
    if (value !== undefined && typeof value !== 'boolean') {
      warn(cfn, 'disableImdsv1 is a token, so it cannot be set; set disableImdsv1: true');
      return;
    }
    cfn.disableImdsv1 = true;
  }

  private fixBeanstalk(cfn: Record<string, any> & CfnResource): void {
    const settings = cfn.optionSettings;
    if (Token.isUnresolved(settings) || (settings !== undefined && !Array.isArray(settings))) {
      warn(cfn, 'optionSettings is a token, so it cannot be changed; add aws:autoscaling:launchconfiguration DisableIMDSv1 = true');
      return;
    }
    const wanted = { namespace: 'aws:autoscaling:launchconfiguration', optionName: 'DisableIMDSv1', value: 'true' };
    const list: any[] = settings ?? [];
    // A setting whose namespace or name is a token may be the switch: adding another would give two.
    // The namespace and name of every setting are read without resolving a lazy (most settings are
    // not the switch, and must deploy as they will be); the value only of the switch, which is set.
    const raw = (s: any, name: string) =>
      (Token.isUnresolved(s) || isIntrinsic(s) ? undefined : s?.[name] ?? s?.[name.charAt(0).toUpperCase() + name.slice(1)]);
    const field = (s: any, name: 'namespace' | 'optionName' | 'value') =>
      (name === 'value' ? Stack.of(cfn).resolve(raw(s, name)) : readWithoutLazies(cfn, raw(s, name)));
    const matches = (v: unknown, want: string) => v === want || !literal(cfn, v);
    const mayBeSwitch = (s: any) => Token.isUnresolved(s) || isIntrinsic(s)
      || (matches(field(s, 'namespace'), wanted.namespace) && matches(field(s, 'optionName'), wanted.optionName));
    const isSwitch = (s: any) => field(s, 'namespace') === wanted.namespace && field(s, 'optionName') === wanted.optionName;
    const unsure = list.find((s) => mayBeSwitch(s) && !isSwitch(s));
    if (unsure !== undefined) {
      warn(cfn, 'an entry of optionSettings is a token or names its namespace or option with one, so it may be the DisableIMDSv1 switch and cannot be changed; '
        + 'add aws:autoscaling:launchconfiguration DisableIMDSv1 = true as a literal setting');
      return;
    }
    if (list.some((s) => isSwitch(s) && !literal(cfn, field(s, 'value')))) {
      warn(cfn, 'the aws:autoscaling:launchconfiguration DisableIMDSv1 option setting has a token value, so it cannot be set; set its value to true');
      return;
    }
    const at = list.findIndex(isSwitch);
    cfn.optionSettings = at < 0 ? [...list, wanted] : list.map((s, i) => (i === at ? { ...s, value: 'true' } : s)).filter((s, i) => i <= at || !isSwitch(s));
  }

  private fixEmr(cfn: Record<string, any> & CfnResource): void {
    const why = 'its security configuration\'s InstanceMetadataServiceConfiguration (MinimumInstanceMetadataServiceVersion 2, HttpPutResponseHopLimit) '
      + 'must require IMDSv2, and it is not a literal AWS::EMR::SecurityConfiguration of this app named by Ref or by its Name';
    const ref = Token.isUnresolved(cfn.securityConfiguration) ? readWithoutLazies(cfn, cfn.securityConfiguration) : undefined;
    const target = ref && typeof ref === 'object' && typeof ref.Ref === 'string'
      ? findByLogicalId(cfn, ref.Ref)
      : typeof cfn.securityConfiguration === 'string' && !Token.isUnresolved(cfn.securityConfiguration)
        ? findSecurityConfigurationNamed(cfn, cfn.securityConfiguration)
        : undefined;
    if (!target || target.cfnResourceType !== 'AWS::EMR::SecurityConfiguration') {
      warn(cfn, why);
      return;
    }
    const sc = target as CfnResource & Record<string, any>;
    const doc = Token.isUnresolved(sc.securityConfiguration) ? undefined : sc.securityConfiguration;
    if (!doc || typeof doc !== 'object' || Array.isArray(doc)) {
      warn(cfn, why);
      return;
    }
    const imds = doc.InstanceMetadataServiceConfiguration ?? {};
    if (Token.isUnresolved(imds) || typeof imds !== 'object') {
      warn(cfn, why);
      return;
    }
    sc.securityConfiguration = {
      ...doc,
      InstanceMetadataServiceConfiguration: {
        ...imds,
        MinimumInstanceMetadataServiceVersion: 2,
        HttpPutResponseHopLimit: imds.HttpPutResponseHopLimit ?? this.hopLimit,
      },
    };
  }

  /**
   * Warns when a launch names a launch template by a literal ID, or by a name no launch template of
   * the app has: it is not in the app, so its metadata options cannot be set here. A name that a
   * launch template of the app has (in any stack) is fixed through that template.
   */
  private warnImported(cfn: CfnResource, spec: unknown, where: string): void {
    if (spec === undefined || spec === null) return;
    const r = readWithoutLazies(cfn, spec);
    if (typeof r !== 'object' || r === null) return;
    const id = r.launchTemplateId ?? r.LaunchTemplateId ?? r.id ?? r.Id;
    const name = r.launchTemplateName ?? r.LaunchTemplateName ?? r.name ?? r.Name;
    let named: string | undefined;
    if (typeof id === 'string') {
      named = `ID ${id}`;
    } else if (typeof name === 'string') {
      const templates = this.app(cfn).templates.named(name, cfn);
      for (const lt of templates) this.fixLaunchTemplate(lt);
      if (templates.length === 0) named = `name ${name}`;
    }
    if (named) {
      warn(cfn, `${where} names the launch template with ${named}, which is not in this app (imported), so its metadata options cannot be set here; `
        + 'create a version of it with httpTokens: required, or launch from a launch template of the app');
    }
  }

  /** A launch template beside `cfn` that carries only metadata options, for a container host. */
  private minimalLaunchTemplate(cfn: CfnResource): CfnLaunchTemplate {
    return new CfnLaunchTemplate(cfn.node.scope!, `${cfn.node.id}Imdsv2LaunchTemplate`, {
      launchTemplateData: { metadataOptions: { httpTokens: 'required', httpPutResponseHopLimit: this.containerHostHopLimit } },
    });
  }

  /** What the aspect knows of the app of `cfn`, read when first needed. */
  private app(cfn: CfnResource): { hosts: ContainerHosts; templates: LaunchTemplatesByName } {
    const root = cfn.node.root;
    let known = this.apps.get(root);
    if (!known) this.apps.set(root, (known = { hosts: new ContainerHosts(root), templates: new LaunchTemplatesByName(root) }));
    return known;
  }
}

/** The element of the stack of `from` with this logical ID (`CfnElement.logicalId` is an uncached lazy: resolving it freezes nothing). */
function findByLogicalId(from: CfnResource, logicalId: string): CfnResource | undefined {
  const stack = Stack.of(from);
  return stack.node.findAll().find((c): c is CfnResource => CfnResource.isCfnResource(c) && stack.resolve(c.logicalId) === logicalId);
}

/**
 * The EMR security configuration of the app (any stack) whose literal `Name` is `name`, as the
 * checker finds the one a cluster names (`src/checks/launches/emr.ts`).
 */
function findSecurityConfigurationNamed(from: CfnResource, name: string): CfnResource | undefined {
  return from.node.root.node.findAll().find((c): c is CfnResource =>
    CfnResource.isCfnResource(c) && c.cfnResourceType === 'AWS::EMR::SecurityConfiguration' && (c as CfnResource & { name?: unknown }).name === name);
}

/**
 * Whether a resolved value is a CloudFormation intrinsic (`{ Ref }`, `{ 'Fn::If': ... }`) or a
 * condition reference (`{ Condition }`): known only at deployment.
 */
function isIntrinsic(v: unknown): boolean {
  return isIntrinsicObject(v) || (isObject(v) && onlyKey(v) === 'Condition');
}

/** Whether an option's value can be read: absent, or (a token for) a literal string, number or boolean. */
function literal(cfn: CfnResource, v: unknown): boolean {
  const value = Token.isUnresolved(v) ? Stack.of(cfn).resolve(v) : v;
  return value === undefined || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

function warn(cfn: CfnResource, why: string): void {
  Annotations.of(cfn).addWarningV2(CANNOT_FIX, `RequireImdsv2Everywhere cannot make ${cfn.cfnResourceType} ${cfn.node.path} require IMDSv2: ${why}.`);
}
