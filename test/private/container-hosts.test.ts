/**
 * `ContainerHosts` lets the checker decide which launches are container hosts from a skeleton of
 * each stack (the properties that tell, read without resolving a lazy). Here it must decide what
 * the checker decides on the synthesized templates of the same app.
 */
import { App, AspectPriority, Aspects, CfnResource, Fn, Lazy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as batch from 'aws-cdk-lib/aws-batch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as iam from 'aws-cdk-lib/aws-iam';
import { RequireImdsv2Everywhere } from '../../src';
import { AppModel } from '../../src/checks/app-model';
import { runChecks } from '../../src/checks/check';
import { forEachLaunch } from '../../src/checks/launches';
import { ContainerHosts } from '../../src/private/container-hosts';

const env = { account: '111111111111', region: 'eu-west-1' };
const t3 = new ec2.InstanceType('t3.micro');
const amiId = 'ami-0123456789abcdef0';
const linux = ec2.MachineImage.genericLinux({ [env.region]: amiId });
const LAUNCH_TYPES = ['AWS::EC2::LaunchTemplate', 'AWS::AutoScaling::LaunchConfiguration', 'AWS::EC2::Instance'];

/** One app with a container host of every kind the checker knows, and launches that are not. */
function build(app: App): Stack[] {
  const s = new Stack(app, 'S', { env });
  const other = new Stack(app, 'Other', { env });
  const vpc = new ec2.Vpc(s, 'Vpc', { natGateways: 0, maxAzs: 1 });
  const cluster = new ecs.Cluster(s, 'Cluster', { vpc });
  const role = new iam.Role(s, 'Role', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });

  // ECS: a capacity provider's group on a launch template, one on a launch configuration, addCapacity, Bottlerocket.
  const cpTemplate = new ec2.LaunchTemplate(s, 'CpTemplate', { instanceType: t3, machineImage: linux, userData: ec2.UserData.forLinux(), role });
  cluster.addAsgCapacityProvider(new ecs.AsgCapacityProvider(s, 'Cp', { autoScalingGroup: new autoscaling.AutoScalingGroup(s, 'CpGroup', { vpc, launchTemplate: cpTemplate }) }));
  const lcGroup = new autoscaling.AutoScalingGroup(s, 'LcGroup', { vpc, instanceType: t3, machineImage: linux });
  new ecs.CfnCapacityProvider(s, 'LcCp', { autoScalingGroupProvider: { autoScalingGroupArn: lcGroup.autoScalingGroupName } });
  cluster.addCapacity('Capacity', { instanceType: t3 });
  cluster.addCapacity('Bottlerocket', { instanceType: t3, machineImage: new ecs.BottleRocketImage() });
  // A mixed-instances group of a capacity provider: its launch template and an override's.
  const mixedBase = new ec2.CfnLaunchTemplate(s, 'MixedBase', { launchTemplateData: {} });
  const mixedOverride = new ec2.CfnLaunchTemplate(s, 'MixedOverride', { launchTemplateData: {} });
  const mixed = new autoscaling.CfnAutoScalingGroup(s, 'Mixed', {
    maxSize: '1',
    minSize: '0',
    vpcZoneIdentifier: ['subnet-1'],
    mixedInstancesPolicy: {
      launchTemplate: {
        launchTemplateSpecification: { launchTemplateId: mixedBase.ref, version: mixedBase.attrLatestVersionNumber },
        overrides: [{ instanceType: 't3.large', launchTemplateSpecification: { launchTemplateId: mixedOverride.ref, version: '1' } }],
      },
    },
  });
  new ecs.CfnCapacityProvider(s, 'MixedCp', { autoScalingGroupProvider: { autoScalingGroupArn: mixed.ref } });

  // EKS node groups by Ref and by name; Batch by Ref (the L2) and by name (in another stack).
  const byRef = new ec2.CfnLaunchTemplate(s, 'NodesByRef', { launchTemplateData: {} });
  new ec2.CfnLaunchTemplate(s, 'NodesByName', { launchTemplateName: 'nodes', launchTemplateData: {} });
  new eks.CfnNodegroup(s, 'Ng1', { clusterName: 'c', nodeRole: 'r', subnets: ['subnet-1'], launchTemplate: { id: byRef.ref, version: '1' } });
  new eks.CfnNodegroup(s, 'Ng2', { clusterName: 'c', nodeRole: 'r', subnets: ['subnet-1'], launchTemplate: { name: 'nodes' } });
  new batch.ManagedEc2EcsComputeEnvironment(s, 'Jobs', { vpc, launchTemplate: new ec2.LaunchTemplate(s, 'JobsTemplate', {}) });
  new ec2.CfnLaunchTemplate(other, 'Shared', { launchTemplateName: 'shared-jobs', launchTemplateData: {} });
  new batch.CfnComputeEnvironment(s, 'Ce', {
    type: 'MANAGED', computeResources: { type: 'EC2', maxvCpus: 4, subnets: ['subnet-1'], instanceRole: 'r', launchTemplate: { launchTemplateName: 'shared-jobs' } },
  });

  // User data that joins a cluster: an L2 instance, an instance from a launch template, L1 user data.
  const joins = ec2.UserData.forLinux();
  joins.addCommands(`echo ECS_CLUSTER=${cluster.clusterName} >> /etc/ecs/ecs.config`);
  new ec2.Instance(s, 'EcsInstance', { vpc, instanceType: t3, machineImage: linux, userData: joins });
  const fromTemplate = new ec2.CfnLaunchTemplate(s, 'InstanceTemplate', { launchTemplateData: { imageId: amiId } });
  new ec2.CfnInstance(s, 'FromTemplate', {
    launchTemplate: { launchTemplateId: fromTemplate.ref, version: fromTemplate.attrLatestVersionNumber },
    userData: Fn.base64('#!/bin/bash\n/etc/eks/bootstrap.sh my-cluster'),
  });
  const nodeadm = new ec2.CfnLaunchTemplate(s, 'Nodeadm', { launchTemplateData: { userData: Fn.base64(Fn.sub('#!/bin/bash\nnodeadm init --cluster ${AWS::StackName}')) } });
  new ec2.CfnInstance(s, 'FromNodeadm', { launchTemplate: { launchTemplateId: nodeadm.ref, version: '1' } });
  const toml = new autoscaling.CfnLaunchConfiguration(other, 'Toml', { imageId: amiId, instanceType: 't3.micro', userData: Fn.base64('[settings.kubernetes]\ncluster-name = "c"') });
  new autoscaling.CfnAutoScalingGroup(other, 'TomlGroup', { maxSize: '1', minSize: '0', vpcZoneIdentifier: ['subnet-1'], launchConfigurationName: toml.ref });

  // Not container hosts.
  new ec2.Instance(s, 'Web', { vpc, instanceType: t3, machineImage: linux, userData: ec2.UserData.forLinux() });
  new ec2.LaunchTemplate(s, 'Plain', { instanceType: t3, machineImage: linux, userData: ec2.UserData.forLinux() });
  new autoscaling.AutoScalingGroup(s, 'PlainGroup', { vpc, instanceType: t3, machineImage: linux });
  new ec2.CfnInstance(other, 'PlainL1', { imageId: amiId, userData: Fn.base64('#!/bin/bash\necho hello') });
  return [s, other];
}

/** `stack/logicalId` of the launches of an app that the checker calls container hosts, as ContainerHosts records them. */
function checkerHosts(stacks: Stack[]): string[] {
  const app = new AppModel(stacks.map((s) => ({ path: s.stackName, template: Template.fromStack(s).toJSON() })));
  const out = new Set<string>();
  forEachLaunch(app, (launch) => {
    if (!launch.containerHost) return;
    out.add(`${launch.model.path}/${launch.logicalId}`);
    for (const v of launch.variants) if (v.launchTemplate) out.add(`${v.launchTemplate.model.path}/${v.launchTemplate.entry.logicalId}`);
    if (launch.launchConfiguration) out.add(`${launch.launchConfiguration.model.path}/${launch.launchConfiguration.logicalId}`);
  });
  return [...out].filter((key) => {
    const [stack, id] = key.split('/');
    return LAUNCH_TYPES.includes(Template.fromStack(stacks.find((s) => s.stackName === stack)!).toJSON().Resources[id].Type);
  }).sort();
}

/** The launch templates, launch configurations and instances that ContainerHosts calls container hosts, read before synthesis. */
function aspectHosts(app: App): string[] {
  const hosts = new ContainerHosts(app);
  return app.node.findAll()
    .filter((c): c is CfnResource => CfnResource.isCfnResource(c) && LAUNCH_TYPES.includes(c.cfnResourceType))
    .filter((c) => hosts.isHost(c))
    .map((c) => `${c.stack.stackName}/${c.stack.resolve(c.logicalId)}`)
    .sort();
}

describe('ContainerHosts decides as the checker does on the synthesized app', () => {
  test('every kind of container host, and launches that are not', () => {
    const app = new App();
    const stacks = build(app);
    const fromAspect = aspectHosts(app);
    const fromChecker = checkerHosts(stacks);
    expect(fromAspect).toEqual(fromChecker);
    // Every container host built above is one (so the two cannot agree by both finding nothing).
    expect(fromAspect.map((k) => k.replace(/[0-9A-F]{8}$/, ''))).toEqual([
      'Other/Shared',
      'Other/Toml',
      'S/ClusterBottlerocketLaunchConfig',
      'S/ClusterCapacityLaunchConfig',
      'S/CpTemplate',
      'S/EcsInstance',
      'S/FromNodeadm',
      'S/FromTemplate',
      'S/InstanceTemplate',
      'S/JobsTemplate',
      'S/LcGroupLaunchConfig',
      'S/MixedBase',
      'S/MixedOverride',
      'S/Nodeadm',
      'S/NodesByName',
      'S/NodesByRef',
    ]);
  });

  test('the one difference: user data that joins a cluster only inside a Lazy is not read; IMDS011 then reports the hop limit', () => {
    const app = new App();
    const s = new Stack(app, 'S', { env });
    const userData = ec2.UserData.forLinux();
    userData.addCommands(Lazy.string({ produce: () => 'echo ECS_CLUSTER=c >> /etc/ecs/ecs.config' }));
    const hidden = new ec2.LaunchTemplate(s, 'Hidden', { userData });
    new ec2.CfnInstance(s, 'I', { launchTemplate: { launchTemplateId: hidden.launchTemplateId, version: '1' } });
    expect(aspectHosts(app)).toEqual([]);
    Aspects.of(app).add(new RequireImdsv2Everywhere(), { priority: AspectPriority.MUTATING });
    expect(checkerHosts([s])).toEqual(['S/HiddenC5FDDB5E', 'S/I']);
    const result = runChecks([{ path: 's.json', template: Template.fromStack(s).toJSON(), region: env.region }], {});
    expect(result.findings.map((f) => `${f.ruleId} ${f.logicalId}`)).toEqual(['IMDS011 HiddenC5FDDB5E']);
  });
});
