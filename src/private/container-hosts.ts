/**
 * Which launch templates, launch configurations and instances of an app start container hosts,
 * as the checker reads them (IMDS011): the Auto Scaling groups an `AWS::ECS::CapacityProvider`
 * names, EKS managed node groups, Batch compute environments, and user data that joins an ECS or
 * EKS cluster. `RequireImdsv2Everywhere` gives those the container hop limit.
 *
 * The checker decides (`forEachLaunch`, `Launch.containerHost`): it reads a skeleton of each stack
 * made of the few properties that tell, never the rendered resources. `RequireImdsv2Everywhere`
 * runs while other aspects still change the app, and rendering a resource would resolve the lazies
 * aws-cdk-lib caches (user data, security groups, tags: see `read-without-lazies.ts`). So each
 * property is read with `readWithoutLazies`, and user data from the `UserData` of the L2 that owns
 * the L1 (`render()` is public and caches nothing) when there is one.
 */
import { CfnResource, Stack, Token } from 'aws-cdk-lib';
import type { CfnAutoScalingGroup, CfnLaunchConfiguration } from 'aws-cdk-lib/aws-autoscaling';
import type { CfnComputeEnvironment } from 'aws-cdk-lib/aws-batch';
import type { CfnInstance, CfnLaunchTemplate, UserData } from 'aws-cdk-lib/aws-ec2';
import type { CfnCapacityProvider } from 'aws-cdk-lib/aws-ecs';
import type { CfnNodegroup } from 'aws-cdk-lib/aws-eks';
import { IConstruct } from 'constructs';
import { readWithoutLazies, unread } from './read-without-lazies';
import { AppModel } from '../checks/app-model';
import { forEachLaunch } from '../checks/launches';
import { isIntrinsicObject } from '../checks/template-json';
import { TemplateModel, isObject } from '../checks/template-model';
import { containerHostUserData } from '../checks/user-data';
import { hasJsiiType } from '../validation/cdk-internals';

/**
 * For each resource type whose CloudFormation tells which launches are container hosts, the
 * properties the checker reads for it (`LaunchReader`, the readers of `checks/launches/`), with
 * CloudFormation's names: an ECS capacity provider's group, the launch template or configuration
 * of a group, instance, node group or compute environment, a launch template's name, user data.
 */
const RELATIONS: Readonly<Record<string, (c: any) => Record<string, unknown>>> = {
  'AWS::ECS::CapacityProvider': (c: CfnCapacityProvider) => ({ AutoScalingGroupProvider: read(c, c.autoScalingGroupProvider) }),
  'AWS::AutoScaling::AutoScalingGroup': (c: CfnAutoScalingGroup) => ({
    LaunchTemplate: read(c, c.launchTemplate),
    MixedInstancesPolicy: read(c, c.mixedInstancesPolicy),
    LaunchConfigurationName: read(c, c.launchConfigurationName),
  }),
  'AWS::AutoScaling::LaunchConfiguration': (c: CfnLaunchConfiguration) => ({ UserData: userDataOf(c) }),
  'AWS::EC2::LaunchTemplate': (c: CfnLaunchTemplate) => ({ LaunchTemplateName: read(c, c.launchTemplateName), LaunchTemplateData: { UserData: userDataOf(c) } }),
  'AWS::EC2::Instance': (c: CfnInstance) => ({ LaunchTemplate: read(c, c.launchTemplate), UserData: userDataOf(c) }),
  'AWS::EKS::Nodegroup': (c: CfnNodegroup) => ({ LaunchTemplate: read(c, c.launchTemplate) }),
  'AWS::Batch::ComputeEnvironment': (c: CfnComputeEnvironment) => {
    const cr = read(c, c.computeResources);
    return isObject(cr) ? { ComputeResources: { Type: cr.Type, LaunchTemplate: cr.LaunchTemplate } } : {};
  },
};

/** Evaluates user data on its own: what it references becomes a placeholder. */
const USER_DATA_TEXT = new TemplateModel({ path: 'user data', template: { Resources: {} } });

/** Whether the user data of a launch template, launch configuration or instance joins an ECS or EKS cluster. */
function userDataJoinsCluster(cfn: CfnResource): boolean {
  const userData = userDataOf(cfn);
  if (userData === undefined) return false;
  return containerHostUserData(USER_DATA_TEXT.resolveText(userData).join('\n')) !== undefined;
}

/**
 * The container hosts of one app, read once from the properties that tell (when first asked: the
 * tree is then built), plus what launches visited later add.
 */
export class ContainerHosts {
  private hosts?: Set<string>;
  /** Launch templates (by key or `name\0<name>`) that a container host visited later launches from. */
  private readonly noted = new Set<string>();

  constructor(private readonly root: IConstruct) {}

  /** Whether a launch template, launch configuration or instance starts container hosts. */
  public isHost(cfn: CfnResource): boolean {
    const key = keyOf(cfn);
    if (this.read().has(key) || this.noted.has(key)) return true;
    if (cfn.cfnResourceType === 'AWS::EC2::LaunchTemplate') {
      const name = readWithoutLazies(cfn, (cfn as CfnLaunchTemplate).launchTemplateName);
      if (typeof name === 'string' && this.noted.has(`name\0${name}`)) return true;
    }
    return userDataJoinsCluster(cfn);
  }

  /**
   * Record that a container host launches from the launch template `spec` names: a template that
   * an aspect added after the app was read (`requireImdsv2` on an `ec2.Instance`) is then a host too.
   */
  public noteTemplate(launch: CfnResource, spec: unknown): void {
    const r = readWithoutLazies(launch, spec);
    if (!isObject(r)) return;
    const id = r.launchTemplateId ?? r.LaunchTemplateId;
    const name = r.launchTemplateName ?? r.LaunchTemplateName;
    if (isObject(id) && typeof id.Ref === 'string') this.noted.add(`${launch.stack.node.path}\0${id.Ref}`);
    if (typeof name === 'string') this.noted.add(`name\0${name}`);
  }

  /** The keys of the launch templates, launch configurations and instances that start container hosts. */
  private read(): Set<string> {
    if (this.hosts) return this.hosts;
    const hosts = new Set<string>();
    this.hosts = hosts;
    const templates = new Map<Stack, Record<string, unknown>>();
    for (const c of this.root.node.findAll()) {
      if (!CfnResource.isCfnResource(c)) continue;
      const relation = RELATIONS[c.cfnResourceType];
      if (!relation) continue;
      let properties: Record<string, unknown>;
      try {
        properties = relation(c);
      } catch {
        continue; // a resource whose properties cannot be read yet tells nothing
      }
      let template = templates.get(c.stack);
      if (!template) templates.set(c.stack, (template = {}));
      template[logicalIdOf(c)] = { Type: c.cfnResourceType, Properties: properties };
    }
    const stacks = [...templates.keys()];
    const app = new AppModel(stacks.map((s) => ({ path: s.node.path, template: { Resources: templates.get(s) } })));
    forEachLaunch(app, (launch) => {
      if (!launch.containerHost) return;
      hosts.add(`${launch.model.path}\0${launch.logicalId}`);
      for (const v of launch.variants) if (v.launchTemplate) hosts.add(`${v.launchTemplate.model.path}\0${v.launchTemplate.entry.logicalId}`);
      const lc = launch.launchConfiguration;
      if (lc) hosts.add(`${lc.model.path}\0${lc.logicalId}`);
    });
    return hosts;
  }
}

/** A property of `c` as CloudFormation names its fields, read without resolving a lazy. */
function read(c: CfnResource, value: unknown): any {
  return cfnKeys(readWithoutLazies(c, value));
}

/** A struct of an L1 property (`launchTemplateId`) with CloudFormation's field names (`LaunchTemplateId`). */
function cfnKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(cfnKeys);
  if (!isObject(v)) return v;
  // An intrinsic (`Ref`, `Fn::GetAtt`) is CloudFormation already.
  if (isIntrinsicObject(v)) return v;
  return Object.fromEntries(Object.keys(v).map((k) => [k.charAt(0).toUpperCase() + k.slice(1), cfnKeys(v[k])]));
}

/**
 * The user data of a launch template, launch configuration or instance as its template will hold
 * it, read without resolving a lazy: from the `UserData` of the L2 that made the L1 when the L1's
 * property is still the L2's token, else from the L1's property.
 */
function userDataOf(cfn: CfnResource): unknown {
  const raw = l1UserData(cfn);
  if (raw === undefined) return undefined;
  if (Token.isUnresolved(raw)) {
    const owner = l2UserData(cfn);
    // aws-cdk-lib renders the L2's user data as `Fn::Base64` of its script.
    if (owner !== undefined) return owner === null ? undefined : { 'Fn::Base64': readWithoutLazies(cfn, script(owner)) };
  }
  return readWithoutLazies(cfn, raw);
}

function l1UserData(cfn: CfnResource): unknown {
  if (cfn.cfnResourceType !== 'AWS::EC2::LaunchTemplate') return (cfn as CfnInstance | CfnLaunchConfiguration).userData;
  const data = (cfn as CfnLaunchTemplate).launchTemplateData;
  if (!Token.isUnresolved(data)) return (data as CfnLaunchTemplate.LaunchTemplateDataProperty | undefined)?.userData;
  const whole = readWithoutLazies(cfn, data);
  return isObject(whole) ? whole.userData : undefined;
}

/** aws-cdk-lib's L2s that make these L1s, by jsii type name (no aws-cdk-lib module is loaded for them). */
const L2 = {
  instance: 'aws-cdk-lib.aws_ec2.Instance',
  launchTemplate: 'aws-cdk-lib.aws_ec2.LaunchTemplate',
  autoScalingGroup: 'aws-cdk-lib.aws_autoscaling.AutoScalingGroup',
};

/**
 * The `UserData` of the L2 that made `cfn`: an `ec2.Instance`'s, an `ec2.LaunchTemplate`'s (null
 * when it has none), or an `AutoScalingGroup`'s for its launch configuration (construct ID
 * `LaunchConfig`). Undefined when `cfn` is not such an L2's.
 */
function l2UserData(cfn: CfnResource): UserData | null | undefined {
  const scope = cfn.node.scope as (IConstruct & Record<string, any>) | undefined;
  if (!scope) return undefined;
  if (hasJsiiType(scope, L2.instance)) return scope.instance === cfn ? scope.userData : undefined;
  if (hasJsiiType(scope, L2.launchTemplate)) return scope.node.defaultChild === cfn ? scope.userData ?? null : undefined;
  if (hasJsiiType(scope, L2.autoScalingGroup) && cfn.cfnResourceType === 'AWS::AutoScaling::LaunchConfiguration' && cfn.node.id === 'LaunchConfig') {
    try {
      return scope.userData;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** The script of an L2's user data, or `unread()` when it cannot be rendered yet. */
function script(userData: UserData): unknown {
  try {
    return userData.render();
  } catch {
    return unread();
  }
}

/** The logical ID of an element: an uncached lazy of aws-cdk-lib (`CfnElement.logicalId`), so resolving it freezes nothing. */
function logicalIdOf(c: CfnResource): string {
  return c.stack.resolve(c.logicalId);
}

function keyOf(cfn: CfnResource): string {
  return `${cfn.stack.node.path}\0${logicalIdOf(cfn)}`;
}
