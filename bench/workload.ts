/**
 * The benchmark's CDK app: a dual-stack network stack and workload stacks holding a given number
 * of launches.
 *
 * Each workload stack holds up to LAUNCHES_PER_STACK launches (CloudFormation allows 500
 * resources per stack, and aws-cdk-lib enforces it). Every 10 launches are, in this order:
 *
 * | # | launch | metadata options |
 * |---|---|---|
 * | 3 | `ec2.Instance` launched from an `ImdsLaunchTemplate` (`applyToInstance`) | tokens required, IPv6 endpoint on (t3, Nitro) |
 * | 2 | `ec2.Instance` with `requireImdsv2: true` (aws-cdk-lib adds a launch template by name) | tokens required |
 * | 4 | `AutoScalingGroup`, mixed-instances policy over an `ec2.LaunchTemplate`, 3 overrides | tokens required, tags in metadata, user data |
 * | 1 | `AutoScalingGroup`, mixed-instances policy over an `ec2.LaunchTemplate` | tokens optional: IMDS001 |
 *
 * Instances and groups are placed in the subnets of one dual-stack VPC in the network stack, so
 * subnet IDs reach the workload stacks as cross-stack exports. The launches share one role and one
 * security group per workload stack. The AMI is Amazon Linux 2023 from its public SSM parameter.
 */
import { App, Stack, aws_autoscaling as autoscaling, aws_ec2 as ec2, aws_iam as iam } from 'aws-cdk-lib';
import { ImdsLaunchTemplate } from '../lib';

/** Launches per workload stack: about 250 resources, half CloudFormation's per-stack limit. */
export const LAUNCHES_PER_STACK = 100;

/** The kinds of launch the workload mixes, in the order of the pattern of 10. */
export const LAUNCH_PATTERN = [
  'instance-imds-template',
  'instance-imds-template',
  'instance-imds-template',
  'instance-require-imdsv2',
  'instance-require-imdsv2',
  'asg-mixed-tags-user-data',
  'asg-mixed-tags-user-data',
  'asg-mixed-tags-user-data',
  'asg-mixed-tags-user-data',
  'asg-mixed-tokens-optional',
] as const;

/** What the app holds, to check that a run did what it says. */
export interface WorkloadShape {
  readonly launches: number;
  readonly workloadStacks: number;
  /** Launches without IMDSv2 (IMDS001 expected on each of their launch templates). */
  readonly launchesWithoutImdsv2: number;
}

/** The shape of an app of `launches` launches, without building it. */
export function workloadShape(launches: number): WorkloadShape {
  let without = 0;
  for (let i = 0; i < launches; i++) if (LAUNCH_PATTERN[i % LAUNCH_PATTERN.length] === 'asg-mixed-tokens-optional') without++;
  return { launches, workloadStacks: Math.ceil(launches / LAUNCHES_PER_STACK), launchesWithoutImdsv2: without };
}

/** Add the network stack and the workload stacks with `launches` launches to `app`. */
export function buildWorkload(app: App, launches: number): WorkloadShape {
  if (!Number.isInteger(launches) || launches < 1) {
    throw new Error(`launches is ${launches}: it must be a whole number of at least 1.`);
  }
  const network = new Stack(app, 'Network');
  const vpc = new ec2.Vpc(network, 'Vpc', {
    ipProtocol: ec2.IpProtocol.DUAL_STACK,
    maxAzs: 2,
    natGateways: 1,
    subnetConfiguration: [
      { name: 'Public', subnetType: ec2.SubnetType.PUBLIC },
      { name: 'Private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
    ],
  });
  const subnets: ec2.SubnetSelection = { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS };
  const image = ec2.MachineImage.latestAmazonLinux2023();

  const shape = workloadShape(launches);
  for (let s = 0; s < shape.workloadStacks; s++) {
    const stack = new Stack(app, `Workload${s}`);
    const role = new iam.Role(stack, 'InstanceRole', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });
    const securityGroup = new ec2.SecurityGroup(stack, 'Instances', { vpc, allowAllOutbound: true });
    const first = s * LAUNCHES_PER_STACK;
    const last = Math.min(launches, first + LAUNCHES_PER_STACK);
    for (let i = first; i < last; i++) {
      const kind = LAUNCH_PATTERN[i % LAUNCH_PATTERN.length];
      const id = `L${i}`;
      switch (kind) {
        case 'instance-imds-template': {
          const instance = new ec2.Instance(stack, id, {
            vpc,
            vpcSubnets: subnets,
            instanceType: new ec2.InstanceType('t3.micro'),
            machineImage: image,
            role,
            securityGroup,
          });
          const template = new ImdsLaunchTemplate(stack, `${id}Template`, { httpProtocolIpv6: true });
          template.applyToInstance(instance);
          break;
        }
        case 'instance-require-imdsv2':
          new ec2.Instance(stack, id, {
            vpc,
            vpcSubnets: subnets,
            instanceType: new ec2.InstanceType('m6i.large'),
            machineImage: image,
            role,
            securityGroup,
            requireImdsv2: true,
          });
          break;
        case 'asg-mixed-tags-user-data':
        case 'asg-mixed-tokens-optional': {
          const secure = kind === 'asg-mixed-tags-user-data';
          const userData = ec2.UserData.forLinux();
          if (secure) userData.addCommands('dnf install -y amazon-cloudwatch-agent', `echo launch-${i} > /etc/launch-id`);
          const template = new ec2.LaunchTemplate(stack, `${id}Template`, {
            machineImage: image,
            role,
            securityGroup,
            userData,
            ...(secure
              ? { httpTokens: ec2.LaunchTemplateHttpTokens.REQUIRED, httpEndpoint: true, httpPutResponseHopLimit: 2, instanceMetadataTags: true }
              : { httpTokens: ec2.LaunchTemplateHttpTokens.OPTIONAL }),
          });
          new autoscaling.AutoScalingGroup(stack, id, {
            vpc,
            vpcSubnets: subnets,
            minCapacity: 0,
            maxCapacity: 2,
            mixedInstancesPolicy: {
              launchTemplate: template,
              launchTemplateOverrides: [
                { instanceType: new ec2.InstanceType('m5.large') },
                { instanceType: new ec2.InstanceType('m6i.large') },
                { instanceType: new ec2.InstanceType('m7i.large') },
              ],
              instancesDistribution: { onDemandPercentageAboveBaseCapacity: 25 },
            },
          });
          break;
        }
      }
    }
  }
  return shape;
}
