import { App, Aspects, CfnElement, Stack, Tags, aws_autoscaling as autoscaling, aws_ec2 as ec2, aws_ecs as ecs, aws_eks as eks } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { IConstruct } from 'constructs';
import { Finding, runChecks } from '../../src/checks/check';
import { CheckOptions } from '../../src/checks/rule';
import { ImdsLaunchTemplate } from '../../src/launch/imds-launch-template';
import { cdkFix, cdkWording } from '../../src/private/cdk-fix';
import { ConstructContext } from '../../src/private/construct-context';

const TEMPLATE = 'Stack.template.json';

interface Checked {
  readonly finding: Finding;
  readonly construct?: IConstruct;
  /** The annotation text: the message with the CDK fix. */
  readonly text: string;
}

/**
 * The findings of a stack's synthesized template, each with the construct of its resource, found
 * as the aspect finds it (every element of the stack by logical ID), and its annotation text.
 */
function check(stack: Stack, options: Partial<CheckOptions> = {}): Checked[] {
  const template = Template.fromStack(stack).toJSON();
  const byLogicalId = new Map<string, IConstruct>();
  for (const c of stack.node.findAll()) {
    if (CfnElement.isCfnElement(c) && c.stack === stack) byLogicalId.set(stack.resolve(c.logicalId), c);
  }
  const context = new ConstructContext();
  context.addElements(TEMPLATE, byLogicalId);
  const result = runChecks([{ path: TEMPLATE, template, stackName: 'Stack', region: 'us-east-1' }], options, context);
  return result.findings.map((finding) => {
    const construct = context.construct(TEMPLATE, finding.logicalId);
    return { finding, construct, text: cdkWording(finding, construct) };
  });
}

/** The annotation texts of one rule. */
function texts(checked: Checked[], ruleId: string): string[] {
  return checked.filter((c) => c.finding.ruleId === ruleId).map((c) => c.text);
}

function newStack(context: Record<string, unknown> = {}): { stack: Stack; vpc: ec2.IVpc } {
  const app = new App({ context });
  const stack = new Stack(app, 'Stack', { env: { region: 'us-east-1', account: '123456789012' } });
  const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0, maxAzs: 1, subnetConfiguration: [{ name: 'Public', subnetType: ec2.SubnetType.PUBLIC }] });
  return { stack, vpc };
}

const T3 = new ec2.InstanceType('t3.micro');
/** An image that says nothing about IMDS: HttpTokens is the AWS default "optional", the hop limit the AWS default 1. */
const IMAGE = ec2.MachineImage.genericLinux({ 'us-east-1': 'ami-12345678' });
/** Amazon Linux 2023: ImdsSupport v2.0, hop limit 2. */
const AL2023 = ec2.MachineImage.latestAmazonLinux2023();
const LAUNCH_TEMPLATE_FLAG = { '@aws-cdk/aws-autoscaling:generateLaunchTemplateInsteadOfLaunchConfig': true };

describe('ec2.Instance', () => {
  test('no metadata props: requireImdsv2, and following it clears the finding', () => {
    const { stack, vpc } = newStack();
    new ec2.Instance(stack, 'Web', { vpc, instanceType: T3, machineImage: IMAGE });
    expect(texts(check(stack), 'IMDS001')).toEqual([
      'IMDS001: AWS::EC2::Instance Web3C8945DB does not require IMDSv2: HttpTokens is "optional" (the AWS default, as nothing sets it). ' +
        'Set HttpTokens to "required" at Web3C8945DB Properties/MetadataOptions. ' +
        'CDK fix: set requireImdsv2: true (or httpTokens: ec2.HttpTokens.REQUIRED) on the ec2.Instance Stack/Web.',
    ]);

    const fixed = newStack();
    new ec2.Instance(fixed.stack, 'Web', { vpc: fixed.vpc, instanceType: T3, machineImage: IMAGE, requireImdsv2: true });
    expect(texts(check(fixed.stack), 'IMDS001')).toEqual([]);
  });

  test('with metadata props: httpTokens, as aws-cdk-lib refuses requireImdsv2 beside them', () => {
    const { stack, vpc } = newStack();
    new ec2.Instance(stack, 'Web', { vpc, instanceType: T3, machineImage: IMAGE, httpTokens: ec2.HttpTokens.OPTIONAL, httpPutResponseHopLimit: 1 });
    expect(texts(check(stack), 'IMDS001')).toEqual([
      'IMDS001: AWS::EC2::Instance Web3C8945DB does not require IMDSv2: HttpTokens is "optional" (set by Web3C8945DB at Properties/MetadataOptions/HttpTokens). ' +
        'Set HttpTokens to "required" at Web3C8945DB Properties/MetadataOptions/HttpTokens. ' +
        'CDK fix: set httpTokens: ec2.HttpTokens.REQUIRED on the ec2.Instance Stack/Web.',
    ]);
  });

  test('requireImdsv2 and a hop limit finding on the launch template it makes: replace requireImdsv2 with httpTokens', () => {
    const { stack, vpc } = newStack();
    new ec2.Instance(stack, 'Web', { vpc, instanceType: T3, machineImage: AL2023, requireImdsv2: true });
    const found = check(stack, { maxHopLimit: 1 });
    expect(found.map((c) => c.construct?.node.path)).toEqual(['Stack/Web/LaunchTemplate']);
    expect(cdkFix(found[0].finding, found[0].construct)).toBe(
      'replace requireImdsv2: true with httpTokens: ec2.HttpTokens.REQUIRED and set httpPutResponseHopLimit: 1 or lower on the ec2.Instance Stack/Web',
    );
    expect(found[0].text).toMatch(/^IMDS003: AWS::EC2::Instance Web3C8945DB has HttpPutResponseHopLimit 2 \(from an Amazon Linux 2023 AMI .*\), above the allowed maximum 1 \(maxHopLimit\)\. Set it to at most 1\. CDK fix: replace requireImdsv2/);

    const fixed = newStack();
    new ec2.Instance(fixed.stack, 'Web', {
      vpc: fixed.vpc, instanceType: T3, machineImage: AL2023, httpTokens: ec2.HttpTokens.REQUIRED, httpPutResponseHopLimit: 1,
    });
    expect(check(fixed.stack, { maxHopLimit: 1 })).toEqual([]);
  });

  test('the endpoint off with user data, the IPv6 endpoint on a Xen type, and tags in metadata name the instance props', () => {
    const { stack, vpc } = newStack();
    const userData = ec2.UserData.forLinux();
    userData.addCommands('yum -y update');
    new ec2.Instance(stack, 'Off', { vpc, instanceType: T3, machineImage: IMAGE, userData, httpTokens: ec2.HttpTokens.REQUIRED, httpEndpoint: false });
    new ec2.Instance(stack, 'Xen', { vpc, instanceType: new ec2.InstanceType('m4.large'), machineImage: IMAGE, httpTokens: ec2.HttpTokens.REQUIRED, httpProtocolIpv6: true });
    const tagged = new ec2.Instance(stack, 'Tagged', { vpc, instanceType: T3, machineImage: IMAGE, httpTokens: ec2.HttpTokens.REQUIRED, instanceMetadataTags: true });
    Tags.of(tagged).add('team/name', 'x');
    const found = check(stack);
    const fixes = Object.fromEntries(found.filter((c) => ['IMDS004', 'IMDS007', 'IMDS009'].includes(c.finding.ruleId)).map((c) => [c.finding.ruleId, cdkFix(c.finding, c.construct)]));
    expect(fixes).toEqual({
      IMDS007: 'set httpEndpoint: true on the ec2.Instance Stack/Off, or remove the user data',
      IMDS004: 'set httpProtocolIpv6: false on the ec2.Instance Stack/Xen, or choose a Nitro instanceType',
      IMDS009: 'set instanceMetadataTags: false on the ec2.Instance Stack/Tagged, or rename the tag',
    });
    expect(texts(found, 'IMDS007')).toEqual([
      'IMDS007: AWS::EC2::Instance Off501F6B1C has HttpEndpoint "disabled" (set by Off501F6B1C at Properties/MetadataOptions/HttpEndpoint) ' +
        'but user data at Off501F6B1C Properties/UserData, which would not run. Set HttpEndpoint to "enabled", or remove the user data. ' +
        'CDK fix: set httpEndpoint: true on the ec2.Instance Stack/Off, or remove the user data.',
    ]);
  });

  test('an escape hatch that sets the option keeps the CloudFormation wording', () => {
    const { stack, vpc } = newStack();
    const web = new ec2.Instance(stack, 'Web', { vpc, instanceType: T3, machineImage: IMAGE, httpTokens: ec2.HttpTokens.REQUIRED });
    (web.node.defaultChild as ec2.CfnInstance).addPropertyOverride('MetadataOptions.HttpTokens', 'optional');
    const found = check(stack);
    expect(found.map((c) => c.finding.ruleId)).toEqual(['IMDS001']);
    expect(cdkFix(found[0].finding, found[0].construct)).toBeUndefined();
    expect(found[0].text).toBe(found[0].finding.message);
    expect(found[0].text).toBe(
      'IMDS001: AWS::EC2::Instance Web3C8945DB does not require IMDSv2: HttpTokens is "optional" (set by Web3C8945DB at Properties/MetadataOptions/HttpTokens). ' +
        'Set HttpTokens to "required" at Web3C8945DB Properties/MetadataOptions/HttpTokens.',
    );
  });

  test('an escape hatch on another option does not hide the fix', () => {
    const { stack, vpc } = newStack();
    const web = new ec2.Instance(stack, 'Web', { vpc, instanceType: T3, machineImage: IMAGE, httpTokens: ec2.HttpTokens.OPTIONAL });
    (web.node.defaultChild as ec2.CfnInstance).addPropertyOverride('MetadataOptions.HttpPutResponseHopLimit', 1);
    const [c] = check(stack);
    expect(cdkFix(c.finding, c.construct)).toBe('set httpTokens: ec2.HttpTokens.REQUIRED on the ec2.Instance Stack/Web');
  });

  test('the L2 itself may be given instead of its L1', () => {
    const { stack, vpc } = newStack();
    const web = new ec2.Instance(stack, 'Web', { vpc, instanceType: T3, machineImage: IMAGE });
    const [c] = check(stack);
    expect(cdkFix(c.finding, web)).toBe('set requireImdsv2: true (or httpTokens: ec2.HttpTokens.REQUIRED) on the ec2.Instance Stack/Web');
  });
});

describe('ec2.LaunchTemplate and ImdsLaunchTemplate', () => {
  test('httpTokens (or requireImdsv2) and the hop limit on an ec2.LaunchTemplate of an Auto Scaling group', () => {
    const { stack, vpc } = newStack();
    const template = new ec2.LaunchTemplate(stack, 'Template', {
      machineImage: IMAGE, instanceType: T3, httpTokens: ec2.LaunchTemplateHttpTokens.OPTIONAL, httpPutResponseHopLimit: 3,
    });
    new autoscaling.AutoScalingGroup(stack, 'Group', { vpc, launchTemplate: template });
    expect(check(stack, { maxHopLimit: 2 }).map((c) => c.text)).toEqual([
      'IMDS001: AWS::AutoScaling::AutoScalingGroup GroupASG3C6DFE3B does not require IMDSv2: HttpTokens is "optional" ' +
        '(set by Template576A9730 at Properties/LaunchTemplateData/MetadataOptions/HttpTokens). ' +
        'Set HttpTokens to "required" at Template576A9730 Properties/LaunchTemplateData/MetadataOptions/HttpTokens. ' +
        'CDK fix: set httpTokens: ec2.LaunchTemplateHttpTokens.REQUIRED (or requireImdsv2: true) on the ec2.LaunchTemplate Stack/Template.',
      'IMDS003: AWS::AutoScaling::AutoScalingGroup GroupASG3C6DFE3B has HttpPutResponseHopLimit 3 ' +
        '(set by Template576A9730 at Properties/LaunchTemplateData/MetadataOptions/HttpPutResponseHopLimit), above the allowed maximum 2 (maxHopLimit). ' +
        'Set it to at most 2. CDK fix: set httpPutResponseHopLimit: 2 or lower on the ec2.LaunchTemplate Stack/Template.',
    ]);
  });

  test('an ImdsLaunchTemplate with httpTokens OPTIONAL: remove it', () => {
    const { stack } = newStack();
    new ImdsLaunchTemplate(stack, 'Template', { machineImage: IMAGE, httpTokens: ec2.LaunchTemplateHttpTokens.OPTIONAL });
    const [c] = check(stack);
    expect(cdkFix(c.finding, c.construct)).toBe('remove httpTokens: ec2.LaunchTemplateHttpTokens.OPTIONAL from the ImdsLaunchTemplate Stack/Template (it requires IMDSv2 by default)');
  });

  test('an ImdsLaunchTemplate of an EKS node group with hop limit 1: httpPutResponseHopLimit 2, and containerHost clears it', () => {
    const { stack, vpc } = newStack();
    const template = new ImdsLaunchTemplate(stack, 'Template', { machineImage: IMAGE });
    const cluster = eks.Cluster.fromClusterAttributes(stack, 'Cluster', { clusterName: 'c', vpc });
    new eks.Nodegroup(stack, 'Nodes', { cluster, launchTemplateSpec: { id: template.launchTemplateId!, version: template.latestVersionNumber } });
    expect(check(stack).map((c) => c.text)).toEqual([
      'IMDS011: AWS::EKS::Nodegroup Nodes66C30434 is a container host (an EKS managed node group runs pods) that requires IMDSv2 with hop limit 1: ' +
        'containers cannot reach instance metadata or the instance role. Set HttpPutResponseHopLimit to 2 if they need it; ' +
        'if blocking them is intended, acknowledge IMDS011 with that reason. ' +
        'CDK fix: set httpPutResponseHopLimit: 2 on the ImdsLaunchTemplate Stack/Template (containerHost: true makes 2 its default).',
    ]);

    const fixed = newStack();
    const hosts = new ImdsLaunchTemplate(fixed.stack, 'Template', { machineImage: IMAGE, containerHost: true });
    const fixedCluster = eks.Cluster.fromClusterAttributes(fixed.stack, 'Cluster', { clusterName: 'c', vpc: fixed.vpc });
    new eks.Nodegroup(fixed.stack, 'Nodes', { cluster: fixedCluster, launchTemplateSpec: { id: hosts.launchTemplateId!, version: hosts.latestVersionNumber } });
    expect(check(fixed.stack)).toEqual([]);
  });
});

describe('autoscaling.AutoScalingGroup', () => {
  test('with a launch configuration: requireImdsv2, and the feature flag for IMDS012', () => {
    const { stack, vpc } = newStack();
    new autoscaling.AutoScalingGroup(stack, 'Group', { vpc, instanceType: T3, machineImage: IMAGE });
    const found = check(stack);
    expect(found.map((c) => [c.construct?.node.path, cdkFix(c.finding, c.construct)])).toEqual([
      ['Stack/Group/LaunchConfig', 'set requireImdsv2: true on the autoscaling.AutoScalingGroup Stack/Group'],
      [
        'Stack/Group/ASG',
        'set the feature flag @aws-cdk/aws-autoscaling:generateLaunchTemplateInsteadOfLaunchConfig to true (cdk.json context) ' +
          'so that the autoscaling.AutoScalingGroup Stack/Group makes a launch template, or give it a launchTemplate',
      ],
    ]);
    expect(texts(found, 'IMDS012')).toEqual([
      'IMDS012: AWS::AutoScaling::AutoScalingGroup GroupASG3C6DFE3B uses a launch configuration: IAM conditions on ec2:RunInstances are checked only when the group is created or updated, ' +
        'and launch configurations are deprecated. Use a launch template with a specific version. ' +
        'CDK fix: set the feature flag @aws-cdk/aws-autoscaling:generateLaunchTemplateInsteadOfLaunchConfig to true (cdk.json context) ' +
        'so that the autoscaling.AutoScalingGroup Stack/Group makes a launch template, or give it a launchTemplate.',
    ]);
  });

  test('with the launch template it makes: requireImdsv2, and following it clears every finding', () => {
    const { stack, vpc } = newStack(LAUNCH_TEMPLATE_FLAG);
    new autoscaling.AutoScalingGroup(stack, 'Group', { vpc, instanceType: T3, machineImage: IMAGE });
    const found = check(stack);
    expect(found.map((c) => [c.finding.ruleId, c.construct?.node.path, cdkFix(c.finding, c.construct)])).toEqual([
      ['IMDS001', 'Stack/Group/LaunchTemplate/Resource', 'set requireImdsv2: true on the autoscaling.AutoScalingGroup Stack/Group'],
    ]);

    const fixed = newStack(LAUNCH_TEMPLATE_FLAG);
    new autoscaling.AutoScalingGroup(fixed.stack, 'Group', { vpc: fixed.vpc, instanceType: T3, machineImage: IMAGE, requireImdsv2: true });
    expect(check(fixed.stack)).toEqual([]);
  });

  test('a hop limit the group cannot set: give it a launchTemplate', () => {
    const { stack, vpc } = newStack(LAUNCH_TEMPLATE_FLAG);
    new autoscaling.AutoScalingGroup(stack, 'Group', { vpc, instanceType: T3, machineImage: AL2023, requireImdsv2: true });
    const [c] = check(stack, { maxHopLimit: 1 });
    expect(cdkFix(c.finding, c.construct)).toBe(
      'give the autoscaling.AutoScalingGroup Stack/Group a launchTemplate: a launch template that sets httpPutResponseHopLimit: 1 or lower ' +
        '(an ec2.LaunchTemplate, or an ImdsLaunchTemplate), in place of requireImdsv2 and its instance props',
    );
  });
});

describe('ecs.Cluster addCapacity', () => {
  test('IMDS001: the Auto Scaling aspect, as addCapacity takes no requireImdsv2; following it clears the finding', () => {
    const { stack, vpc } = newStack(LAUNCH_TEMPLATE_FLAG);
    const cluster = new ecs.Cluster(stack, 'Cluster', { vpc });
    cluster.addCapacity('Capacity', { instanceType: T3, machineImage: IMAGE });
    expect(texts(check(stack), 'IMDS001')).toEqual([
      'IMDS001: AWS::AutoScaling::AutoScalingGroup ClusterCapacityASGA6ED330E does not require IMDSv2: HttpTokens is "optional" (the AWS default, as nothing sets it). ' +
        'Set HttpTokens to "required" at ClusterCapacityLaunchTemplate257E53DD Properties/LaunchTemplateData/MetadataOptions. ' +
        'CDK fix: add new autoscaling.AutoScalingGroupRequireImdsv2Aspect() to the autoscaling.AutoScalingGroup Stack/Cluster/Capacity ' +
        '(Aspects.of(group).add(...), group being what ecs.Cluster addCapacity returns: it takes no requireImdsv2).',
    ]);

    const fixed = newStack(LAUNCH_TEMPLATE_FLAG);
    const group = new ecs.Cluster(fixed.stack, 'Cluster', { vpc: fixed.vpc }).addCapacity('Capacity', { instanceType: T3, machineImage: IMAGE });
    Aspects.of(group).add(new autoscaling.AutoScalingGroupRequireImdsv2Aspect());
    expect(texts(check(fixed.stack), 'IMDS001')).toEqual([]);
  });

  test('a hop limit addCapacity cannot set: a group with a launch template, added as a capacity provider', () => {
    const { stack, vpc } = newStack(LAUNCH_TEMPLATE_FLAG);
    const group = new ecs.Cluster(stack, 'Cluster', { vpc }).addCapacity('Capacity', { instanceType: T3, machineImage: AL2023 });
    Aspects.of(group).add(new autoscaling.AutoScalingGroupRequireImdsv2Aspect());
    const found = check(stack, { maxHopLimit: 1 });
    expect(found.map((c) => [c.finding.ruleId, cdkFix(c.finding, c.construct)])).toEqual([
      [
        'IMDS003',
        'ecs.Cluster addCapacity cannot set this option: in place of Stack/Cluster/Capacity, create an autoscaling.AutoScalingGroup whose launchTemplate is ' +
          'a launch template that sets httpPutResponseHopLimit: 1 or lower (an ec2.LaunchTemplate, or an ImdsLaunchTemplate), ' +
          'and add it with cluster.addAsgCapacityProvider(new ecs.AsgCapacityProvider(...))',
      ],
    ]);
  });
});

describe('eks.Nodegroup', () => {
  test('without a launch template: a launchTemplateSpec', () => {
    const { stack, vpc } = newStack();
    const cluster = eks.Cluster.fromClusterAttributes(stack, 'Cluster', { clusterName: 'c', vpc });
    new eks.Nodegroup(stack, 'Nodes', { cluster });
    expect(check(stack).map((c) => c.text)).toEqual([
      'IMDS001: AWS::EKS::Nodegroup Nodes66C30434 does not require IMDSv2: HttpTokens is "optional" (the AWS default, as nothing sets it), ' +
        'and only a launch template can set it for this launch. Name a launch template that sets HttpTokens to "required" at Properties/LaunchTemplate ' +
        '(or, with trustAccountDefaults, require it as the account default). ' +
        'CDK fix: give the eks.Nodegroup Stack/Nodes a launchTemplateSpec of a launch template that sets httpTokens: ec2.LaunchTemplateHttpTokens.REQUIRED ' +
        '(an ImdsLaunchTemplate with containerHost: true requires IMDSv2 with hop limit 2).',
    ]);
  });
});

describe('no known construct: the CloudFormation wording stays', () => {
  test('a plain CfnInstance, and no construct at all', () => {
    const { stack } = newStack();
    new ec2.CfnInstance(stack, 'Plain', { imageId: 'ami-12345678', instanceType: 't3.micro' });
    const [c] = check(stack);
    expect(c.construct?.node.path).toBe('Stack/Plain');
    expect(cdkFix(c.finding, c.construct)).toBeUndefined();
    expect(c.text).toBe(
      'IMDS001: AWS::EC2::Instance Plain does not require IMDSv2: HttpTokens is "optional" (the AWS default, as nothing sets it). Set HttpTokens to "required" at Plain Properties/MetadataOptions.',
    );
    expect(cdkWording(c.finding, undefined)).toBe(c.finding.message);
  });
});
