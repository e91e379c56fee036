/**
 * `RequireImdsv2Everywhere` runs while other aspects and code still change the app. aws-cdk-lib
 * renders user data, security groups and tags through `Lazy` values that it caches on first
 * resolution, so an aspect that resolved them would freeze them. These tests let a later aspect
 * change all three on every launch kind the aspect fixes that has such lazies, and require the
 * template with the aspect to equal the one without it except for the metadata options.
 */
import { App, AspectPriority, Aspects, IAspect, Lazy, Stack, TagManager } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as beanstalk from 'aws-cdk-lib/aws-elasticbeanstalk';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';
import { RequireImdsv2Everywhere } from '../../src';

/** aws-cdk-lib's feature flag that gives Auto Scaling groups a launch template instead of a launch configuration. */
const LAUNCH_TEMPLATES = { '@aws-cdk/aws-autoscaling:generateLaunchTemplateInsteadOfLaunchConfig': true };
const env = { account: '111111111111', region: 'eu-west-1' };
const t3 = new ec2.InstanceType('t3.micro');
const amiId = 'ami-0123456789abcdef0';

/**
 * Runs after RequireImdsv2Everywhere: adds a user data command, the security group `Late` and the
 * tag `Late` to every instance, launch template and Auto Scaling group that takes them.
 */
class LateChanges implements IAspect {
  constructor(private readonly sg: ec2.ISecurityGroup) {}

  public visit(node: IConstruct): void {
    const command = `echo late-${node.node.id}`;
    if (node instanceof ec2.Instance) {
      node.userData.addCommands(command);
      node.addSecurityGroup(this.sg);
    } else if (node instanceof ec2.LaunchTemplate) {
      node.userData?.addCommands(command);
      node.addSecurityGroup(this.sg);
    } else if (node instanceof autoscaling.AutoScalingGroup && node.node.tryFindChild('LaunchConfig')) {
      node.addUserData(command);
      node.addSecurityGroup(this.sg);
    }
    if (TagManager.isTaggable(node)) node.tags.setTag('Late', 'yes', 100, true);
  }
}

/** One app of each kind: the resources, and the metadata options the aspect must give each launch template, configuration or instance. */
interface Case {
  readonly context?: Record<string, unknown>;
  readonly build: (s: Stack, vpc: ec2.IVpc) => void;
  readonly options: Record<string, unknown>;
}

const role = (s: Stack) => new iam.Role(s, 'Role', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });
const REQUIRED_1 = { HttpTokens: 'required', HttpPutResponseHopLimit: 1 };
const REQUIRED_2 = { HttpTokens: 'required', HttpPutResponseHopLimit: 2 };

const CASES: Record<string, Case> = {
  'an ec2.Instance': {
    build: (s, vpc) => {
      new ec2.Instance(s, 'Web', { vpc, instanceType: t3, machineImage: ec2.MachineImage.genericLinux({ [env.region]: amiId }), userData: ec2.UserData.forLinux() });
    },
    options: { Web: REQUIRED_1 },
  },
  'an ec2.LaunchTemplate behind an Auto Scaling group of an ecs.AsgCapacityProvider': {
    build: (s, vpc) => {
      const cluster = new ecs.Cluster(s, 'Cluster', { vpc });
      const launchTemplate = new ec2.LaunchTemplate(s, 'Hosts', {
        instanceType: t3,
        machineImage: ecs.EcsOptimizedImage.amazonLinux2023(),
        userData: ec2.UserData.forLinux(),
        securityGroup: new ec2.SecurityGroup(s, 'HostsSg', { vpc }),
        role: role(s),
      });
      const autoScalingGroup = new autoscaling.AutoScalingGroup(s, 'Asg', { vpc, launchTemplate });
      cluster.addAsgCapacityProvider(new ecs.AsgCapacityProvider(s, 'Capacity', { autoScalingGroup }));
    },
    options: { Hosts: REQUIRED_2 },
  },
  'ecs.Cluster addCapacity (a launch configuration)': {
    build: (s, vpc) => {
      new ecs.Cluster(s, 'Cluster', { vpc }).addCapacity('Capacity', { instanceType: t3 });
    },
    options: { ClusterCapacityLaunchConfig: REQUIRED_2 },
  },
  'ecs.Cluster addCapacity (a launch template, with the feature flag)': {
    context: LAUNCH_TEMPLATES,
    build: (s, vpc) => {
      new ecs.Cluster(s, 'Cluster', { vpc }).addCapacity('Capacity', { instanceType: t3 });
    },
    options: { ClusterCapacityLaunchTemplate: REQUIRED_2 },
  },
  'an Auto Scaling group with a launch configuration': {
    build: (s, vpc) => {
      new autoscaling.AutoScalingGroup(s, 'Asg', { vpc, instanceType: t3, machineImage: ec2.MachineImage.genericLinux({ [env.region]: amiId }) });
    },
    options: { AsgLaunchConfig: REQUIRED_1 },
  },
  'an eks.Nodegroup of a cluster from fromClusterAttributes, with a launchTemplateSpec': {
    build: (s, vpc) => {
      const cluster = eks.Cluster.fromClusterAttributes(s, 'Cluster', { clusterName: 'c', vpc });
      const template = new ec2.LaunchTemplate(s, 'Nodes', {
        instanceType: new ec2.InstanceType('t3.large'),
        userData: ec2.UserData.forLinux(),
        securityGroup: new ec2.SecurityGroup(s, 'NodesSg', { vpc }),
      });
      new eks.Nodegroup(s, 'Group', { cluster, launchTemplateSpec: { id: template.launchTemplateId!, version: template.latestVersionNumber } });
    },
    options: { Nodes: REQUIRED_2 },
  },
};

/** The template of the case's app, with RequireImdsv2Everywhere or without, and LateChanges after it. */
function synth(c: Case, withAspect: boolean): any {
  const app = new App({ context: c.context });
  const stack = new Stack(app, 'S', { env });
  // Aspects visit the tree top-down, each node with all its aspects: this launch, visited first,
  // makes RequireImdsv2Everywhere read the app before LateChanges visits the constructs below.
  new ec2.CfnInstance(stack, 'First', { imageId: amiId, instanceType: 't3.micro' });
  const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0, maxAzs: 1 });
  c.build(stack, vpc);
  const late = new ec2.SecurityGroup(stack, 'Late', { vpc });
  if (withAspect) Aspects.of(app).add(new RequireImdsv2Everywhere(), { priority: AspectPriority.MUTATING });
  Aspects.of(app).add(new LateChanges(late), { priority: AspectPriority.MUTATING + 50 });
  return Template.fromStack(stack).toJSON();
}

/** Takes the metadata options out of a template: those of each launch, by the construct ID that begins its logical ID. */
function takeOptions(template: any, ids: string[]): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  for (const [logicalId, r] of Object.entries<any>(template.Resources)) {
    const holder = r.Type === 'AWS::EC2::LaunchTemplate' ? r.Properties.LaunchTemplateData : r.Properties;
    if (holder?.MetadataOptions === undefined) continue;
    const id = ids.find((i) => logicalId.startsWith(i)) ?? logicalId;
    options[id] = holder.MetadataOptions;
    delete holder.MetadataOptions;
  }
  return options;
}

describe('RequireImdsv2Everywhere freezes nothing that later aspects change', () => {
  test.each(Object.keys(CASES))('%s: user data, security groups and tags added later are deployed', (name) => {
    const c = CASES[name];
    const without = synth(c, false);
    const withAspect = synth(c, true);

    // The later aspect changed each launch (else the comparison below would prove nothing).
    const text = JSON.stringify(without);
    expect(text).toContain('echo late-');
    expect(text).toContain('"Key":"Late"');
    expect(text).toMatch(/"Late[0-9A-F]{8}","GroupId"/);

    const ids = Object.keys(c.options);
    expect(takeOptions(without, ids)).toEqual({});
    expect(takeOptions(withAspect, ids)).toEqual({ First: REQUIRED_1, ...c.options });
    expect(withAspect).toEqual(without);
  });
});

describe('RequireImdsv2Everywhere resolves only the switches it sets', () => {
  test('an Elastic Beanstalk option setting whose namespace is a Lazy is not resolved: the value of its later producer deploys beside the switch', () => {
    let namespace = 'aws:elasticbeanstalk:environment';
    const app = new App();
    const stack = new Stack(app, 'S', { env });
    new beanstalk.CfnEnvironment(stack, 'E', {
      applicationName: 'app',
      solutionStackName: '64bit Amazon Linux 2023 v6.1.0 running Node.js 20',
      optionSettings: [{ namespace: Lazy.string({ produce: () => namespace }), optionName: 'EnvironmentType', value: 'SingleInstance' }],
    });
    Aspects.of(app).add(new RequireImdsv2Everywhere(), { priority: AspectPriority.MUTATING });
    // On the environment itself, after RequireImdsv2Everywhere has visited it.
    const late = (node: IConstruct) => {
      if (node instanceof beanstalk.CfnEnvironment) namespace = 'aws:elasticbeanstalk:environment:late';
    };
    Aspects.of(app).add({ visit: late }, { priority: AspectPriority.MUTATING + 50 });
    Template.fromStack(stack).hasResourceProperties('AWS::ElasticBeanstalk::Environment', {
      OptionSettings: [
        { Namespace: 'aws:elasticbeanstalk:environment:late', OptionName: 'EnvironmentType', Value: 'SingleInstance' },
        // Its option name is not the switch's, so it cannot be the switch, which is added.
        { Namespace: 'aws:autoscaling:launchconfiguration', OptionName: 'DisableIMDSv1', Value: 'true' },
      ],
    });
    Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
  });
});
