// An app being migrated to IMDSv2: one launch of every kind cdk-imds reads, none of which requires
// IMDSv2 as written. RequireImdsv2Everywhere makes every one of them require it, and ImdsChecks
// fails synthesis if one does not. In your own app, import from 'cdk-imds'.
import {
  App,
  AspectPriority,
  Aspects,
  CfnResource,
  Stack,
  StackProps,
  aws_appstream as appstream,
  aws_autoscaling as autoscaling,
  aws_batch as batch,
  aws_ec2 as ec2,
  aws_eks as eks,
  aws_elasticbeanstalk as beanstalk,
  aws_emr as emr,
  aws_iam as iam,
  aws_imagebuilder as imagebuilder,
  aws_sagemaker as sagemaker,
  aws_workspacesinstances as workspaces,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { ImdsChecks, RequireImdsv2Everywhere } from '../src';

/** An Elastic Beanstalk solution stack (platform) name. */
const SOLUTION_STACK = '64bit Amazon Linux 2023 v6.6.0 running Node.js 22';
/** An AppStream 2.0 base image that AWS publishes. */
const APPSTREAM_IMAGE = 'AppStream-WinServer2022-03-12-2025';

/**
 * The launches of a legacy account, written before IMDSv2 was required: every one leaves the
 * metadata options to the AMI or the service, so every one accepts IMDSv1.
 */
export class MigrationStack extends Stack {
  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, props);

    const vpc = new ec2.Vpc(this, 'Vpc', {
      maxAzs: 2,
      natGateways: 0,
      subnetConfiguration: [{ name: 'public', subnetType: ec2.SubnetType.PUBLIC }],
    });
    const subnetIds = vpc.publicSubnets.map((s) => s.subnetId);
    const securityGroup = new ec2.SecurityGroup(this, 'Hosts', { vpc, description: 'legacy hosts' });
    // Amazon Linux 2 is not published with ImdsSupport v2.0: a launch from it that sets no
    // HttpTokens accepts IMDSv1.
    const image = ec2.MachineImage.latestAmazonLinux2();
    const imageId = image.getImage(this).imageId;
    const instanceType = new ec2.InstanceType('t3.small');

    const instanceRole = new iam.Role(this, 'InstanceRole', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });
    const instanceProfile = new iam.CfnInstanceProfile(this, 'InstanceProfile', { roles: [instanceRole.roleName] });

    // EC2 instances: an L1 resource and the L2 ec2.Instance.
    new ec2.CfnInstance(this, 'ReportingServer', { imageId, instanceType: 't3.small', subnetId: subnetIds[0], securityGroupIds: [securityGroup.securityGroupId] });
    new ec2.Instance(this, 'Bastion', { vpc, instanceType, machineImage: image, securityGroup, role: instanceRole });

    // Auto Scaling groups: one on a launch template, one still on a launch configuration (the app
    // leaves @aws-cdk/aws-autoscaling:generateLaunchTemplateInsteadOfLaunchConfig off).
    const webTemplate = new ec2.LaunchTemplate(this, 'WebTemplate', { machineImage: image, instanceType, securityGroup, role: instanceRole });
    new autoscaling.AutoScalingGroup(this, 'WebGroup', { vpc, launchTemplate: webTemplate, minCapacity: 1, maxCapacity: 2 });
    const workers = new autoscaling.AutoScalingGroup(this, 'WorkerGroup', { vpc, instanceType, machineImage: image, securityGroup, role: instanceRole, maxCapacity: 2 });
    // cfn-lint warns that launch configurations are in maintenance mode (W3697): this one is kept on
    // purpose, as the legacy launch the migration has to handle.
    (workers.node.findChild('LaunchConfig') as CfnResource).addMetadata('cfn-lint', { config: { ignore_checks: ['W3697'] } });

    // A launch template no launch of the app uses: teams launch from it by hand.
    new ec2.LaunchTemplate(this, 'BuildAgentTemplate', { machineImage: image, instanceType, securityGroup });

    // An EC2 fleet on a launch template of the app, with an override that allows IMDSv1 itself.
    const renderTemplate = new ec2.LaunchTemplate(this, 'RenderTemplate', { machineImage: image, securityGroup });
    new ec2.CfnEC2Fleet(this, 'RenderFleet', {
      type: 'maintain',
      targetCapacitySpecification: { totalTargetCapacity: 2, defaultTargetCapacityType: 'spot' },
      launchTemplateConfigs: [{
        launchTemplateSpecification: { launchTemplateId: renderTemplate.launchTemplateId, version: renderTemplate.latestVersionNumber },
        overrides: [
          { instanceType: 'c6i.large', subnetId: subnetIds[0], metadataOptions: { httpTokens: 'optional' } },
          { instanceType: 'c7i.large', subnetId: subnetIds[1] },
        ],
      }],
    });

    // A Spot Fleet on a launch template config of the app.
    const spotTemplate = new ec2.LaunchTemplate(this, 'SpotTemplate', { machineImage: image, securityGroup });
    const fleetRole = new iam.Role(this, 'SpotFleetRole', {
      assumedBy: new iam.ServicePrincipal('spotfleet.amazonaws.com'),
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AmazonEC2SpotFleetTaggingRole')],
    });
    new ec2.CfnSpotFleet(this, 'SpotWorkers', {
      spotFleetRequestConfigData: {
        iamFleetRole: fleetRole.roleArn,
        targetCapacity: 2,
        launchTemplateConfigs: [{
          launchTemplateSpecification: { launchTemplateId: spotTemplate.launchTemplateId, version: spotTemplate.latestVersionNumber },
          overrides: subnetIds.map((subnetId) => ({ instanceType: 'm6i.large', subnetId })),
        }],
      },
    });

    // EKS managed node groups of a cluster managed elsewhere: one on a launch template, one without.
    const nodeRole = new iam.Role(this, 'NodeRole', {
      assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com'),
      managedPolicies: ['AmazonEKSWorkerNodePolicy', 'AmazonEKS_CNI_Policy', 'AmazonEC2ContainerRegistryReadOnly']
        .map((name) => iam.ManagedPolicy.fromAwsManagedPolicyName(name)),
    });
    const nodeTemplate = new ec2.CfnLaunchTemplate(this, 'NodeTemplate', {
      launchTemplateData: { blockDeviceMappings: [{ deviceName: '/dev/xvda', ebs: { volumeSize: 50, volumeType: 'gp3' } }] },
    });
    new eks.CfnNodegroup(this, 'AppNodes', {
      clusterName: 'legacy',
      nodeRole: nodeRole.roleArn,
      subnets: subnetIds,
      launchTemplate: { id: nodeTemplate.ref, version: nodeTemplate.attrLatestVersionNumber },
    });
    new eks.CfnNodegroup(this, 'SystemNodes', { clusterName: 'legacy', nodeRole: nodeRole.roleArn, subnets: subnetIds });

    // Batch compute environments: one on a launch template, one without.
    const batchTemplate = new ec2.LaunchTemplate(this, 'BatchTemplate', {
      blockDevices: [{ deviceName: '/dev/xvda', volume: ec2.BlockDeviceVolume.ebs(100) }],
    });
    new batch.ManagedEc2EcsComputeEnvironment(this, 'NightlyJobs', { vpc, launchTemplate: batchTemplate, securityGroups: [securityGroup] });
    new batch.ManagedEc2EcsComputeEnvironment(this, 'AdHocJobs', { vpc, securityGroups: [securityGroup] });

    // An Image Builder infrastructure configuration.
    new imagebuilder.CfnInfrastructureConfiguration(this, 'ImagePipelineHosts', {
      name: 'legacy-image-builds',
      instanceProfileName: instanceProfile.ref,
      instanceTypes: ['m6i.large'],
      subnetId: subnetIds[0],
      securityGroupIds: [securityGroup.securityGroupId],
    });

    // A SageMaker notebook instance.
    const notebookRole = new iam.Role(this, 'NotebookRole', { assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com') });
    new sagemaker.CfnNotebookInstance(this, 'AnalystNotebook', { instanceType: 'ml.t3.medium', roleArn: notebookRole.roleArn });

    // AppStream 2.0: a fleet, an image builder and an app block builder.
    const appstreamVpc = { subnetIds, securityGroupIds: [securityGroup.securityGroupId] };
    new appstream.CfnFleet(this, 'DesktopFleet', {
      name: 'legacy-desktops',
      instanceType: 'stream.standard.medium',
      imageName: APPSTREAM_IMAGE,
      fleetType: 'ON_DEMAND',
      computeCapacity: { desiredInstances: 1 },
      vpcConfig: appstreamVpc,
    });
    new appstream.CfnImageBuilder(this, 'DesktopImageBuilder', {
      name: 'legacy-desktop-images',
      instanceType: 'stream.standard.medium',
      imageName: APPSTREAM_IMAGE,
      vpcConfig: { subnetIds: [subnetIds[0]], securityGroupIds: [securityGroup.securityGroupId] },
    });
    new appstream.CfnAppBlockBuilder(this, 'AppBlockBuilder', {
      name: 'legacy-app-blocks',
      instanceType: 'stream.standard.medium',
      platform: 'WINDOWS_SERVER_2019',
      vpcConfig: appstreamVpc,
    });

    // A WorkSpaces instance.
    new workspaces.CfnWorkspaceInstance(this, 'SupportDesk', { managedInstance: { imageId, instanceType: 't3.medium', subnetId: subnetIds[0] } });

    // Elastic Beanstalk: an environment, and a saved configuration for the team's next environments.
    const application = new beanstalk.CfnApplication(this, 'Portal', { applicationName: 'legacy-portal' });
    new beanstalk.CfnEnvironment(this, 'PortalEnvironment', {
      applicationName: application.ref,
      solutionStackName: SOLUTION_STACK,
      optionSettings: [{ namespace: 'aws:autoscaling:launchconfiguration', optionName: 'IamInstanceProfile', value: instanceProfile.ref }],
    });
    new beanstalk.CfnConfigurationTemplate(this, 'PortalConfiguration', {
      applicationName: application.ref,
      solutionStackName: SOLUTION_STACK,
      optionSettings: [{ namespace: 'aws:autoscaling:launchconfiguration', optionName: 'InstanceType', value: 't3.small' }],
    });

    // An EMR cluster with a security configuration of the app.
    const emrRole = new iam.Role(this, 'EmrServiceRole', {
      assumedBy: new iam.ServicePrincipal('elasticmapreduce.amazonaws.com'),
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AmazonEMRServicePolicy_v2')],
    });
    const emrSecurity = new emr.CfnSecurityConfiguration(this, 'EmrSecurity', {
      securityConfiguration: { EncryptionConfiguration: { EnableInTransitEncryption: false, EnableAtRestEncryption: false } },
    });
    new emr.CfnCluster(this, 'Analytics', {
      name: 'legacy-analytics',
      releaseLabel: 'emr-7.5.0',
      jobFlowRole: instanceProfile.ref,
      serviceRole: emrRole.roleName,
      securityConfiguration: emrSecurity.ref,
      instances: {
        ec2SubnetId: subnetIds[0],
        masterInstanceGroup: { instanceCount: 1, instanceType: 'm5.xlarge' },
        coreInstanceGroup: { instanceCount: 2, instanceType: 'm5.xlarge' },
      },
    });
  }
}

/** Options of `migrationApp`. */
export interface MigrationAppOptions {
  /** Whether RequireImdsv2Everywhere is applied: false gives the app as it was. @default true */
  readonly requireImdsv2?: boolean;
}

/** The migration app, with settings that keep synthesized templates free of local paths. */
export function migrationApp(outdir?: string, options: MigrationAppOptions = {}): App {
  const app = new App({
    outdir,
    // The assembly must not depend on how long synthesis took (performance-counters.json).
    performanceReporting: false,
    context: {
      'aws:cdk:disable-creation-stack-traces': true,
      'aws:cdk:disable-stack-trace': true,
    },
  });
  // Environment-agnostic, so it synthesizes offline.
  new MigrationStack(app, 'ImdsMigration');
  if (options.requireImdsv2 ?? true) {
    // Make every launch require IMDSv2; EKS node groups and Batch compute environments without a
    // launch template get one that carries only the metadata options (they are new here).
    Aspects.of(app).add(new RequireImdsv2Everywhere({ addLaunchTemplates: true }), { priority: AspectPriority.MUTATING });
  }
  Aspects.of(app).add(new ImdsChecks(), { priority: AspectPriority.READONLY });
  return app;
}
