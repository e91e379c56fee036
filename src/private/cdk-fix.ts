/**
 * The fix of a finding in the words of the CDK construct that made the resource.
 *
 * The rules word their fixes in CloudFormation terms (`Set HttpTokens to "required" at Web
 * Properties/MetadataOptions`), which is all a plain template has. When a front-end knows the
 * construct of the resource, the construct that owns it (an `ec2.Instance`, an
 * `ec2.LaunchTemplate`, an `autoscaling.AutoScalingGroup`, an `eks.Nodegroup`, an
 * `ImdsLaunchTemplate`) has props for the same options: this module names them.
 *
 * Constructs are told apart by their jsii type names (`aws-cdk-lib.aws_ec2.Instance`), read from
 * the class chain: no aws-cdk-lib module is loaded for it, and subclasses count as their base.
 * The props named are those of aws-cdk-lib's `InstanceProps` (`requireImdsv2`, `httpTokens`,
 * `httpPutResponseHopLimit`, `httpEndpoint`, `httpProtocolIpv6`, `instanceMetadataTags`),
 * `LaunchTemplateProps` (the same, `httpTokens` being a `LaunchTemplateHttpTokens`) and
 * `AutoScalingGroupProps.requireImdsv2`; `ecs.Cluster.addCapacity` and
 * `eks.Cluster.addAutoScalingGroupCapacity` take no `requireImdsv2`, so the fix there is
 * `autoscaling.AutoScalingGroupRequireImdsv2Aspect`. aws-cdk-lib refuses `requireImdsv2` beside the
 * other metadata props of an `ec2.Instance`, and beside `launchTemplate` on an Auto Scaling group.
 * See https://docs.aws.amazon.com/cdk/api/v2/docs/aws-cdk-lib.aws_ec2.InstanceProps.html,
 * https://docs.aws.amazon.com/cdk/api/v2/docs/aws-cdk-lib.aws_ec2.LaunchTemplateProps.html,
 * https://docs.aws.amazon.com/cdk/api/v2/docs/aws-cdk-lib.aws_autoscaling.AutoScalingGroupProps.html
 * and, for `@aws-cdk/aws-autoscaling:generateLaunchTemplateInsteadOfLaunchConfig`,
 * https://github.com/aws/aws-cdk/blob/main/packages/aws-cdk-lib/cx-api/FEATURE_FLAGS.md
 *
 * Where no owner is known, the owner has no prop for the option, or an escape hatch
 * (`addPropertyOverride`) sets the option, there is no CDK fix: the CloudFormation wording stays.
 */
import { Aspects, CfnElement } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import type { Finding } from '../checks/check';
import { ImdsLaunchTemplate } from '../launch/imds-launch-template';
import { hasJsiiType, renderCloudFormation } from '../validation/cdk-internals';

const FQN = {
  instance: 'aws-cdk-lib.aws_ec2.Instance',
  launchTemplate: 'aws-cdk-lib.aws_ec2.LaunchTemplate',
  instanceAspect: 'aws-cdk-lib.aws_ec2.InstanceRequireImdsv2Aspect',
  autoScalingGroup: 'aws-cdk-lib.aws_autoscaling.AutoScalingGroup',
  ecsCluster: 'aws-cdk-lib.aws_ecs.Cluster',
  eksClusters: ['aws-cdk-lib.aws_eks.Cluster', 'aws-cdk-lib.aws_eks_v2.Cluster'],
  nodegroups: ['aws-cdk-lib.aws_eks.Nodegroup', 'aws-cdk-lib.aws_eks_v2.Nodegroup'],
  cfnInstance: 'aws-cdk-lib.aws_ec2.CfnInstance',
  cfnLaunchTemplate: 'aws-cdk-lib.aws_ec2.CfnLaunchTemplate',
  cfnLaunchConfiguration: 'aws-cdk-lib.aws_autoscaling.CfnLaunchConfiguration',
  cfnAutoScalingGroup: 'aws-cdk-lib.aws_autoscaling.CfnAutoScalingGroup',
  cfnNodegroup: 'aws-cdk-lib.aws_eks.CfnNodegroup',
};

/** The option of `MetadataOptions` each rule judges, by rule ID. */
const OPTION_OF: Readonly<Record<string, readonly string[]>> = {
  IMDS001: ['HttpTokens'],
  IMDS002: ['HttpPutResponseHopLimit'],
  IMDS003: ['HttpPutResponseHopLimit'],
  IMDS011: ['HttpPutResponseHopLimit'],
  IMDS004: ['HttpProtocolIpv6'],
  IMDS005: ['HttpProtocolIpv6'],
  IMDS006: ['HttpProtocolIpv6', 'HttpEndpoint'],
  IMDS007: ['HttpEndpoint'],
  IMDS008: ['HttpEndpoint'],
  IMDS009: ['InstanceMetadataTags'],
};

/** A cluster method that makes an Auto Scaling group, and how to add a group made by hand instead. */
interface ClusterCapacity {
  readonly method: string;
  readonly addInstead: string;
}

const ECS_CAPACITY: ClusterCapacity = { method: 'ecs.Cluster addCapacity', addInstead: 'cluster.addAsgCapacityProvider(new ecs.AsgCapacityProvider(...))' };
const EKS_CAPACITY: ClusterCapacity = { method: 'eks.Cluster addAutoScalingGroupCapacity', addInstead: 'cluster.connectAutoScalingGroupCapacity(group, {})' };

/** Who owns a resource, for the fix. */
type Owner =
  /** An `ec2.Instance`; `requireImdsv2` when the prop is set (it excludes the other metadata props). */
  | { readonly kind: 'instance'; readonly path: string; readonly requireImdsv2: boolean; readonly setsOptions: boolean }
  | { readonly kind: 'launchTemplate'; readonly path: string; readonly imds?: { readonly tokensOptional: boolean } }
  /**
   * An Auto Scaling group: `ownTemplate` when it makes its own launch template or configuration
   * (no `launchTemplate` or `mixedInstancesPolicy`), `by` the cluster method that made it.
   */
  | { readonly kind: 'autoScalingGroup'; readonly path: string; readonly by?: ClusterCapacity; readonly ownTemplate: boolean; readonly launchConfig: boolean }
  | { readonly kind: 'nodegroup'; readonly path: string };

/**
 * The annotation text of a finding: its message, followed by the CDK fix when the construct is
 * known (`IMDS001: ... Set HttpTokens to "required" at ... CDK fix: set requireImdsv2: true on
 * the ec2.Instance Stack/Web.`). The message still begins with the rule ID.
 *
 * @param construct the construct of the finding's resource (its L1, or the L2 whose default child it is)
 */
export function cdkWording(finding: Finding, construct: IConstruct | undefined): string {
  const fix = cdkFix(finding, construct);
  return fix === undefined ? finding.message : `${finding.message} CDK fix: ${fix}.`;
}

/** The fix of a finding in CDK terms (`set requireImdsv2: true on the ec2.Instance Stack/Web`), or undefined. */
export function cdkFix(finding: Finding, construct: IConstruct | undefined): string | undefined {
  const l1 = construct ? resourceOf(construct) : undefined;
  if (!l1) return undefined;
  const owner = ownerOf(l1);
  if (!owner || setByEscapeHatch(finding, l1)) return undefined;
  switch (owner.kind) {
    case 'instance':
      return instanceFix(finding, owner);
    case 'launchTemplate':
      return launchTemplateFix(finding, owner);
    case 'autoScalingGroup':
      return autoScalingGroupFix(finding, owner);
    case 'nodegroup':
      return nodegroupFix(finding, owner);
  }
}

/** `prop: value` of the props that fix a rule, for a construct whose props are those of `ec2.LaunchTemplateProps` / `ec2.InstanceProps`. */
function optionProps(finding: Finding, tokens: string): string | undefined {
  switch (finding.ruleId) {
    case 'IMDS001':
      return tokens;
    case 'IMDS002':
      return 'httpPutResponseHopLimit: 1 (2 for a container host whose containers use IMDSv2)';
    case 'IMDS003': {
      const max = /Set it to at most (\d+)\./.exec(finding.message)?.[1];
      return max !== undefined ? `httpPutResponseHopLimit: ${max} or lower` : 'an httpPutResponseHopLimit the policy allows';
    }
    case 'IMDS011':
      return 'httpPutResponseHopLimit: 2';
    case 'IMDS004':
    case 'IMDS005':
      return 'httpProtocolIpv6: false';
    case 'IMDS006':
      return 'httpEndpoint: true, or httpProtocolIpv6: false,';
    case 'IMDS007':
    case 'IMDS008':
      return 'httpEndpoint: true';
    case 'IMDS009':
      return 'instanceMetadataTags: false';
    default:
      return undefined;
  }
}

/** What else fixes a rule, after the props: `, or remove the user data`. */
function alternative(ruleId: string): string {
  switch (ruleId) {
    case 'IMDS004':
      return ', or choose a Nitro instanceType';
    case 'IMDS005':
      return ', or launch into dual-stack or IPv6-only subnets';
    case 'IMDS007':
      return ', or remove the user data';
    case 'IMDS008':
      return ', or drop the key pair';
    case 'IMDS009':
      return ', or rename the tag';
    default:
      return '';
  }
}

function instanceFix(f: Finding, o: Extract<Owner, { kind: 'instance' }>): string | undefined {
  const on = `on the ec2.Instance ${o.path}`;
  if (f.ruleId === 'IMDS001') {
    if (o.requireImdsv2) return undefined; // already set: what is wrong is not the prop
    return o.setsOptions ? `set httpTokens: ec2.HttpTokens.REQUIRED ${on}` : `set requireImdsv2: true (or httpTokens: ec2.HttpTokens.REQUIRED) ${on}`;
  }
  const props = optionProps(f, '');
  if (!props || !setsOwnOption(f)) return undefined;
  // aws-cdk-lib refuses requireImdsv2 together with the other metadata props.
  const replace = o.requireImdsv2 ? 'replace requireImdsv2: true with httpTokens: ec2.HttpTokens.REQUIRED and ' : '';
  return `${replace}set ${props} ${on}${alternative(f.ruleId)}`;
}

function launchTemplateFix(f: Finding, o: Extract<Owner, { kind: 'launchTemplate' }>): string | undefined {
  if (o.imds) {
    const on = `the ImdsLaunchTemplate ${o.path}`;
    if (f.ruleId === 'IMDS001') return o.imds.tokensOptional ? `remove httpTokens: ec2.LaunchTemplateHttpTokens.OPTIONAL from ${on} (it requires IMDSv2 by default)` : undefined;
    if (f.ruleId === 'IMDS011') return `set httpPutResponseHopLimit: 2 on ${on} (containerHost: true makes 2 its default)`;
    const props = optionProps(f, '');
    return props ? `set ${props} on ${on}${alternative(f.ruleId)}` : undefined;
  }
  const props = optionProps(f, 'httpTokens: ec2.LaunchTemplateHttpTokens.REQUIRED (or requireImdsv2: true)');
  return props ? `set ${props} on the ec2.LaunchTemplate ${o.path}${alternative(f.ruleId)}` : undefined;
}

function autoScalingGroupFix(f: Finding, o: Extract<Owner, { kind: 'autoScalingGroup' }>): string | undefined {
  const group = `the autoscaling.AutoScalingGroup ${o.path}`;
  if (f.ruleId === 'IMDS012') {
    // Only a launch configuration the group makes itself: a floating version is the template's.
    if (!o.launchConfig || !/ uses a launch configuration/.test(f.message)) return undefined;
    return (
      `set the feature flag @aws-cdk/aws-autoscaling:generateLaunchTemplateInsteadOfLaunchConfig to true (cdk.json context) so that ${group} makes a launch template` +
      (o.by ? '' : ', or give it a launchTemplate')
    );
  }
  // Options a group set with launchTemplate or mixedInstancesPolicy takes from that template.
  if (!o.ownTemplate) return undefined;
  if (f.ruleId === 'IMDS001') {
    if (o.by) return `add new autoscaling.AutoScalingGroupRequireImdsv2Aspect() to ${group} (Aspects.of(group).add(...), group being what ${o.by.method} returns: it takes no requireImdsv2)`;
    return `set requireImdsv2: true on ${group}`;
  }
  const props = optionProps(f, '');
  if (!props) return undefined;
  const template = `a launch template that sets ${props} (an ec2.LaunchTemplate, or an ImdsLaunchTemplate${f.ruleId === 'IMDS011' ? ' with containerHost: true' : ''})`;
  if (o.by) {
    return (
      `${o.by.method} cannot set this option: in place of ${o.path}, create an autoscaling.AutoScalingGroup whose launchTemplate is ${template}, ` +
      `and add it with ${o.by.addInstead}`
    );
  }
  // aws-cdk-lib refuses requireImdsv2 together with launchTemplate.
  return `give ${group} a launchTemplate: ${template}, in place of requireImdsv2 and its instance props${alternative(f.ruleId)}`;
}

function nodegroupFix(f: Finding, o: Extract<Owner, { kind: 'nodegroup' }>): string | undefined {
  const props = optionProps(f, 'httpTokens: ec2.LaunchTemplateHttpTokens.REQUIRED');
  if (!props) return undefined;
  const imds = f.ruleId === 'IMDS001' || f.ruleId === 'IMDS011' ? ' (an ImdsLaunchTemplate with containerHost: true requires IMDSv2 with hop limit 2)' : '';
  return `give the eks.Nodegroup ${o.path} a launchTemplateSpec of a launch template that sets ${props}${imds}`;
}

/** The CloudFormation resource of a construct: itself, or the default child of an L2. */
function resourceOf(c: IConstruct): CfnElement | undefined {
  if (CfnElement.isCfnElement(c)) return c;
  const child = c.node.defaultChild;
  return child && CfnElement.isCfnElement(child) ? child : undefined;
}

/** The construct that owns a resource and has props for its metadata options, or undefined. */
function ownerOf(l1: CfnElement): Owner | undefined {
  const parent = l1.node.scope;
  if (!parent) return undefined;
  const isDefault = parent.node.defaultChild === l1;
  if (is(l1, FQN.cfnInstance) && isDefault && is(parent, FQN.instance)) return instanceOwner(parent, l1);
  if (is(l1, FQN.cfnLaunchTemplate)) {
    // The template `requireImdsv2: true` on an ec2.Instance makes (InstanceRequireImdsv2Aspect).
    if (is(parent, FQN.instance) && l1.node.id === 'LaunchTemplate') return instanceOwner(parent, parent.node.defaultChild);
    if (!isDefault || !is(parent, FQN.launchTemplate)) return undefined;
    const group = parent.node.scope;
    if (group && is(group, FQN.autoScalingGroup) && parent.node.id === 'LaunchTemplate') return groupOwner(group);
    return launchTemplateOwner(parent);
  }
  if (is(l1, FQN.cfnLaunchConfiguration) && is(parent, FQN.autoScalingGroup) && l1.node.id === 'LaunchConfig') return groupOwner(parent);
  if (is(l1, FQN.cfnAutoScalingGroup) && isDefault && is(parent, FQN.autoScalingGroup)) return groupOwner(parent);
  if (is(l1, FQN.cfnNodegroup) && isDefault && FQN.nodegroups.some((n) => is(parent, n))) return { kind: 'nodegroup', path: parent.node.path };
  return undefined;
}

function instanceOwner(instance: IConstruct, l1: IConstruct | undefined): Owner {
  const requireImdsv2 = instance.node.tryFindChild('LaunchTemplate') !== undefined && appliesAspect(instance, FQN.instanceAspect);
  const setsOptions = (l1 as { metadataOptions?: unknown } | undefined)?.metadataOptions !== undefined;
  return { kind: 'instance', path: instance.node.path, requireImdsv2, setsOptions };
}

function launchTemplateOwner(template: IConstruct): Owner {
  const imds = template instanceof ImdsLaunchTemplate ? { tokensOptional: template.metadataOptions.httpTokens === 'optional' } : undefined;
  return { kind: 'launchTemplate', path: template.node.path, imds };
}

function groupOwner(group: IConstruct): Owner {
  const scope = group.node.scope;
  const by = !scope ? undefined : is(scope, FQN.ecsCluster) ? ECS_CAPACITY : FQN.eksClusters.some((n) => is(scope, n)) ? EKS_CAPACITY : undefined;
  const launchConfig = group.node.tryFindChild('LaunchConfig') !== undefined;
  const template = group.node.tryFindChild('LaunchTemplate');
  const ownTemplate = launchConfig || (template !== undefined && is(template, FQN.launchTemplate));
  return { kind: 'autoScalingGroup', path: group.node.path, by, ownTemplate, launchConfig };
}

/**
 * Whether the resource of a finding sets the option itself: IMDS005 is placed on the launch
 * whichever resource enables the IPv6 endpoint (`(set by Template)`).
 */
function setsOwnOption(f: Finding): boolean {
  if (f.ruleId !== 'IMDS005') return true;
  const by = /\(set by ([^)\s]+)\)/.exec(f.message)?.[1];
  return by === f.logicalId;
}

/**
 * Whether an escape hatch sets an option the rule judges: the rendered resource (overrides
 * included) differs there from what its construct holds.
 */
function setByEscapeHatch(f: Finding, l1: CfnElement): boolean {
  const options = OPTION_OF[f.ruleId];
  if (!options) return false;
  const held = heldMetadataOptions(l1);
  if (held === NOT_AN_OPTIONS_HOLDER) return false;
  let rendered: unknown;
  try {
    const fragment = renderCloudFormation(l1) as { Resources?: Record<string, { Properties?: Record<string, unknown> }> };
    const resource = fragment.Resources ? Object.values(fragment.Resources)[0] : undefined;
    const props = resource?.Properties;
    rendered = is(l1, FQN.cfnLaunchTemplate) ? field(props?.LaunchTemplateData, 'MetadataOptions') : props?.MetadataOptions;
  } catch {
    return true; // cannot tell: keep the CloudFormation wording
  }
  const resolvedHeld = held === undefined ? undefined : l1.stack.resolve(held);
  return options.some((o) => JSON.stringify(field(rendered, o)) !== JSON.stringify(field(resolvedHeld, camel(o))));
}

const NOT_AN_OPTIONS_HOLDER = Symbol('none');

/** The metadata options a resource's construct holds (its public prop), before overrides. */
function heldMetadataOptions(l1: CfnElement): unknown {
  const r = l1 as { metadataOptions?: unknown; launchTemplateData?: unknown };
  if (is(l1, FQN.cfnInstance) || is(l1, FQN.cfnLaunchConfiguration)) return r.metadataOptions;
  if (is(l1, FQN.cfnLaunchTemplate)) return field(l1.stack.resolve(r.launchTemplateData), 'metadataOptions');
  return NOT_AN_OPTIONS_HOLDER;
}

function field(o: unknown, key: string): unknown {
  return typeof o === 'object' && o !== null ? (o as Record<string, unknown>)[key] : undefined;
}

function camel(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

/** Whether an object's class, or a class it extends, has a jsii type name. */
function is(o: object, fqn: string): boolean {
  return hasJsiiType(o, fqn);
}

/** Whether an aspect of a jsii type was added to the construct itself. */
function appliesAspect(c: IConstruct, fqn: string): boolean {
  return Aspects.of(c).all.some((a) => is(a, fqn));
}
