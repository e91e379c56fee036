// An app that uses cdk-imds the way a platform team would. In your own app, import from 'cdk-imds'.
import {
  App,
  AspectPriority,
  Aspects,
  Stack,
  StackProps,
  Tags,
  Validations,
  aws_autoscaling as autoscaling,
  aws_ec2 as ec2,
  aws_sns as sns,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { ImdsChecks, ImdsLaunchTemplate, Imdsv1UsageAlarms, RequireImdsv2Everywhere } from '../src';

/** A web tier and a container tier whose instances all require IMDSv2. */
export class ExampleStack extends Stack {
  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, props);

    const vpc = new ec2.Vpc(this, 'Vpc', {
      maxAzs: 2,
      natGateways: 0,
      ipProtocol: ec2.IpProtocol.DUAL_STACK,
      subnetConfiguration: [{ name: 'public', subnetType: ec2.SubnetType.PUBLIC }],
    });

    // Web servers: IMDSv2 required, hop limit 1, IPv6 endpoint on a Nitro type in a dual-stack VPC.
    const web = new ImdsLaunchTemplate(this, 'WebTemplate', {
      instanceType: new ec2.InstanceType('t3.small'),
      machineImage: ec2.MachineImage.latestAmazonLinux2023(),
      httpProtocolIpv6: true,
      instanceMetadataTags: true,
    });
    Tags.of(web).add('tier', 'web');
    new autoscaling.AutoScalingGroup(this, 'WebGroup', { vpc, launchTemplate: web, minCapacity: 1, maxCapacity: 2 });

    // Container hosts: hop limit 2 so containers can reach IMDSv2, several instance types.
    const containers = new ImdsLaunchTemplate(this, 'ContainerTemplate', {
      machineImage: ec2.MachineImage.latestAmazonLinux2023(),
      containerHost: true,
    });
    new autoscaling.AutoScalingGroup(this, 'ContainerGroup', {
      vpc,
      minCapacity: 0,
      maxCapacity: 4,
      mixedInstancesPolicy: {
        launchTemplate: containers,
        launchTemplateOverrides: [
          { instanceType: new ec2.InstanceType('m6i.large') },
          { instanceType: new ec2.InstanceType('m7i.large') },
        ],
      },
    });

    // A single bastion instance that takes its metadata options from a template.
    const bastion = new ec2.Instance(this, 'Bastion', {
      vpc,
      instanceType: new ec2.InstanceType('t3.micro'),
      machineImage: ec2.MachineImage.latestAmazonLinux2023(),
    });
    new ImdsLaunchTemplate(this, 'BastionTemplate').applyToInstance(bastion);

    // A legacy instance whose software still reads IMDSv1: the checks would fail synthesis
    // (IMDS001), so the exception is acknowledged with a reason, and the report lists it.
    const legacy = new ec2.Instance(this, 'Legacy', {
      vpc,
      instanceType: new ec2.InstanceType('t3.micro'),
      machineImage: ec2.MachineImage.latestAmazonLinux2023(),
      httpTokens: ec2.HttpTokens.OPTIONAL,
    });
    Validations.of(legacy).acknowledge({ id: 'IMDS001', reason: 'vendor agent reads IMDSv1 until its 2027 upgrade' });
    // Its IMDSv1 calls are counted: when the alarm stays quiet after the upgrade, require IMDSv2
    // and remove the acknowledgement.
    new Imdsv1UsageAlarms(this, 'LegacyImdsv1Usage', { scope: legacy });
  }
}

/**
 * A stack written before IMDSv2 was required, being migrated: its launches set no metadata
 * options, `RequireImdsv2Everywhere` (added in `exampleApp`) makes them require IMDSv2, and alarms
 * watch for software that still calls IMDSv1 and is now refused.
 */
export class LegacyStack extends Stack {
  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, props);

    const vpc = new ec2.Vpc(this, 'Vpc', {
      maxAzs: 2,
      natGateways: 0,
      subnetConfiguration: [{ name: 'public', subnetType: ec2.SubnetType.PUBLIC }],
    });
    // Amazon Linux 2 is not published with ImdsSupport v2.0: without options, these accept IMDSv1.
    const machineImage = ec2.MachineImage.latestAmazonLinux2();
    new ec2.Instance(this, 'ReportServer', { vpc, instanceType: new ec2.InstanceType('t3.small'), machineImage });
    new autoscaling.AutoScalingGroup(this, 'Workers', {
      vpc,
      instanceType: new ec2.InstanceType('t3.small'),
      machineImage,
      minCapacity: 1,
      maxCapacity: 4,
    });

    // MetadataNoToken shows IMDSv1 calls still answered, MetadataNoTokenRejected the calls refused
    // once IMDSv2 is required: software the migration broke.
    new Imdsv1UsageAlarms(this, 'Imdsv1Usage', {
      includeRejected: true,
      topic: new sns.Topic(this, 'Imdsv1Calls'),
      dashboard: true,
    });
  }
}

/** The example app, with settings that keep synthesized templates free of local paths. */
export function exampleApp(outdir?: string): App {
  const app = new App({
    outdir,
    // The assembly must not depend on how long synthesis took: aws-cdk-lib otherwise writes
    // performance-counters.json when a stack takes 10 s or more (a slow or busy machine).
    performanceReporting: false,
    context: {
      'aws:cdk:disable-creation-stack-traces': true,
      'aws:cdk:disable-stack-trace': true,
      '@aws-cdk/aws-autoscaling:generateLaunchTemplateInsteadOfLaunchConfig': true,
    },
  });
  // Environment-agnostic, so it synthesizes offline; deploy with `cdk deploy` to any account/Region.
  new ExampleStack(app, 'ImdsExample');
  // Make every launch of the legacy stack require IMDSv2. It is not added to ImdsExample, whose
  // acknowledged legacy instance keeps IMDSv1 on purpose (the aspect would make it required).
  const legacy = new LegacyStack(app, 'ImdsLegacy');
  Aspects.of(legacy).add(new RequireImdsv2Everywhere(), { priority: AspectPriority.MUTATING });
  // Fail synthesis on any launch that would not require IMDSv2, and write imds-report.json/.md.
  Aspects.of(app).add(new ImdsChecks(), { priority: AspectPriority.READONLY });
  return app;
}
