import { App, AspectPriority, Aspects, Stack, aws_autoscaling as autoscaling, aws_ec2 as ec2 } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { ImdsChecks, ImdsLaunchTemplate } from '../../src';

// The built-in CloudFormation validation only adds noise about the AMIs here.
process.env.CDK_VALIDATION = 'false';

/**
 * A VPC in one stack, launches in another: the subnets reach the launches as exports that
 * aws-cdk-lib adds when it resolves references, after the aspects ran.
 */
function crossStackApp(ipProtocol: ec2.IpProtocol): { app: App; workload: Stack } {
  const app = new App({ context: { 'aws:cdk:disable-creation-stack-traces': true } });
  const env = { account: '111111111111', region: 'eu-west-1' };
  const network = new Stack(app, 'Network', { env });
  const vpc = new ec2.Vpc(network, 'Vpc', {
    ipProtocol,
    maxAzs: 2,
    natGateways: 0,
    subnetConfiguration: [{ name: 'Public', subnetType: ec2.SubnetType.PUBLIC }],
  });
  const workload = new Stack(app, 'Workload', { env });
  const launchTemplate = new ImdsLaunchTemplate(workload, 'Template', {
    machineImage: ec2.MachineImage.latestAmazonLinux2023(),
    instanceType: new ec2.InstanceType('t3.micro'),
    httpProtocolIpv6: true,
  });
  new autoscaling.AutoScalingGroup(workload, 'Group', { vpc, launchTemplate, vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC } });
  Aspects.of(app).add(new ImdsChecks({ report: false }), { priority: AspectPriority.READONLY });
  return { app, workload };
}

describe('ImdsChecks follows subnets exported by another stack of the app', () => {
  test('dual-stack subnets of another stack: the IPv6 endpoint is verified, not "cannot verify"', () => {
    const { workload } = crossStackApp(ec2.IpProtocol.DUAL_STACK);
    const annotations = Annotations.fromStack(workload);
    annotations.hasNoWarning('*', Match.stringLikeRegexp('^IMDS010: '));
    annotations.hasNoError('*', Match.stringLikeRegexp('^IMDS0\\d\\d: '));
  });

  test('IPv4-only subnets of another stack: IMDS005 names the subnet', () => {
    const { workload } = crossStackApp(ec2.IpProtocol.IPV4_ONLY);
    const annotations = Annotations.fromStack(workload);
    annotations.hasError('/Workload/Group/ASG', Match.stringLikeRegexp('^IMDS005: .* launches into subnets VpcPublicSubnet1\\w+, VpcPublicSubnet2\\w+ without IPv6'));
    annotations.hasNoWarning('*', Match.stringLikeRegexp('^IMDS010: '));
  });
});
