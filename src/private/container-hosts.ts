/**
 * Which launch templates, launch configurations and instances of an app start container hosts,
 * as the checker reads them (IMDS011): the Auto Scaling groups an `AWS::ECS::CapacityProvider`
 * names, EKS managed node groups, Batch compute environments, and user data that joins an ECS or
 * EKS cluster. `RequireImdsv2Everywhere` gives those the container hop limit.
 */
import { CfnResource, Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { AppModel } from '../checks/app-model';
import { forEachLaunch } from '../checks/launches';
import { TemplateModel } from '../checks/template-model';
import { containerHostUserData } from '../checks/user-data';
import { UnsupportedRenderingError, renderCloudFormation } from '../validation/cdk-internals';

/** The resource types whose CloudFormation tells which launches are container hosts. */
const RELATION_TYPES: ReadonlySet<string> = new Set([
  'AWS::ECS::CapacityProvider',
  'AWS::AutoScaling::AutoScalingGroup',
  'AWS::AutoScaling::LaunchConfiguration',
  'AWS::EC2::LaunchTemplate',
  'AWS::EC2::Instance',
  'AWS::EKS::Nodegroup',
  'AWS::Batch::ComputeEnvironment',
]);

/** Evaluates user data on its own: what it references becomes a placeholder. */
const USER_DATA_TEXT = new TemplateModel({ path: 'user data', template: { Resources: {} } });

/** Whether user data (any value a CloudFormation property may hold) joins an ECS or EKS cluster. */
export function userDataJoinsCluster(stack: Stack, userData: unknown): boolean {
  if (userData === undefined) return false;
  return containerHostUserData(USER_DATA_TEXT.resolveText(stack.resolve(userData)).join('\n')) !== undefined;
}

/**
 * The container hosts of one app, read once from the CloudFormation of the resources that tell
 * (when first asked: the tree is then built), plus what launches visited later add.
 */
export class ContainerHosts {
  private hosts?: Set<string>;
  /** Launch templates (by key or `name\0<name>`) that a container host visited later launches from. */
  private readonly noted = new Set<string>();

  constructor(private readonly root: IConstruct) {}

  /** Whether a launch template, launch configuration or instance starts container hosts. */
  public isHost(cfn: CfnResource, userData: unknown): boolean {
    const key = keyOf(cfn);
    if (this.read().has(key) || this.noted.has(key)) return true;
    if (cfn.cfnResourceType === 'AWS::EC2::LaunchTemplate') {
      const name = cfn.stack.resolve((cfn as CfnResource & { launchTemplateName?: unknown }).launchTemplateName);
      if (typeof name === 'string' && this.noted.has(`name\0${name}`)) return true;
    }
    return userDataJoinsCluster(cfn.stack, userData);
  }

  /**
   * Record that a container host launches from the launch template `spec` names: a template that
   * an aspect added after the app was read (`requireImdsv2` on an `ec2.Instance`) is then a host too.
   */
  public noteTemplate(launch: CfnResource, spec: unknown): void {
    const r = launch.stack.resolve(spec);
    if (typeof r !== 'object' || r === null) return;
    const id = r.launchTemplateId ?? r.LaunchTemplateId;
    const name = r.launchTemplateName ?? r.LaunchTemplateName;
    if (typeof id === 'object' && id !== null && typeof id.Ref === 'string') this.noted.add(`${launch.stack.node.path}\0${id.Ref}`);
    if (typeof name === 'string') this.noted.add(`name\0${name}`);
  }

  /** The keys of the launch templates, launch configurations and instances that start container hosts. */
  private read(): Set<string> {
    if (this.hosts) return this.hosts;
    const hosts = new Set<string>();
    this.hosts = hosts;
    const templates = new Map<Stack, Record<string, unknown>>();
    for (const c of this.root.node.findAll()) {
      if (!CfnResource.isCfnResource(c) || !RELATION_TYPES.has(c.cfnResourceType)) continue;
      let fragment: unknown;
      try {
        fragment = renderCloudFormation(c);
      } catch (e) {
        // Without renderings only user data tells; a resource that cannot be rendered yet tells nothing.
        if (e instanceof UnsupportedRenderingError) return hosts;
        continue;
      }
      const resources = (fragment as { Resources?: Record<string, unknown> } | undefined)?.Resources;
      if (typeof resources !== 'object' || resources === null) continue;
      let template = templates.get(c.stack);
      if (!template) templates.set(c.stack, (template = {}));
      Object.assign(template, resources);
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

function keyOf(cfn: CfnResource): string {
  return `${cfn.stack.node.path}\0${cfn.stack.resolve(cfn.logicalId)}`;
}
