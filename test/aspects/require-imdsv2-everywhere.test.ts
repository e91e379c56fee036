import { App, AspectPriority, Aspects, CfnCondition, CfnParameter, Fn, Lazy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as appstream from 'aws-cdk-lib/aws-appstream';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as batch from 'aws-cdk-lib/aws-batch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as beanstalk from 'aws-cdk-lib/aws-elasticbeanstalk';
import * as emr from 'aws-cdk-lib/aws-emr';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as imagebuilder from 'aws-cdk-lib/aws-imagebuilder';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import * as workspaces from 'aws-cdk-lib/aws-workspacesinstances';
import { RequireImdsv2Everywhere, RequireImdsv2EverywhereProps } from '../../src';
import { runChecks } from '../../src/checks/check';

const WARNING = 'cdk-imds:RequireImdsv2Everywhere.cannotFix';

/** aws-cdk-lib's feature flag that gives Auto Scaling groups a launch template instead of a launch configuration. */
const LAUNCH_TEMPLATES = { '@aws-cdk/aws-autoscaling:generateLaunchTemplateInsteadOfLaunchConfig': true };

function fixed(build: (stack: Stack) => void, props?: RequireImdsv2EverywhereProps, context?: Record<string, unknown>): Stack {
  const app = new App({ context });
  const stack = new Stack(app, 'S', { env: { account: '111111111111', region: 'eu-west-1' } });
  build(stack);
  Aspects.of(app).add(new RequireImdsv2Everywhere(props), { priority: AspectPriority.MUTATING });
  return stack;
}

/** IMDS001 findings of the checker on the stack's template. */
function imds001(stack: Stack): string[] {
  const result = runChecks([{ path: 't.json', template: Template.fromStack(stack).toJSON(), region: 'eu-west-1' }], {});
  return result.findings.filter(f => f.ruleId === 'IMDS001').map(f => `${f.logicalId}: ${f.message}`);
}

/** The same app without the aspect: its IMDS001 findings, to show the app did not require IMDSv2. */
function unfixedImds001(build: (stack: Stack) => void, context?: Record<string, unknown>): string[] {
  const stack = new Stack(new App({ context }), 'S', { env: { account: '111111111111', region: 'eu-west-1' } });
  build(stack);
  return imds001(stack);
}

/** The findings of the checker on the stack's template, as `RULE LogicalId`. */
function findings(stack: Stack): string[] {
  const result = runChecks([{ path: 't.json', template: Template.fromStack(stack).toJSON(), region: 'eu-west-1' }], {});
  return result.findings.map(f => `${f.ruleId} ${f.logicalId}`);
}

/** The metadata options of every launch template and launch configuration of the stack, by logical ID. */
function launchOptions(stack: Stack): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [id, r] of Object.entries<any>(Template.fromStack(stack).toJSON().Resources)) {
    if (r.Type === 'AWS::EC2::LaunchTemplate') out[id] = r.Properties.LaunchTemplateData?.MetadataOptions;
    if (r.Type === 'AWS::AutoScaling::LaunchConfiguration') out[id] = r.Properties.MetadataOptions;
  }
  return out;
}

const amiId = 'ami-0123456789abcdef0';

describe('RequireImdsv2Everywhere fixes', () => {
  test('AWS::EC2::Instance: httpTokens required, hop limit 1', () => {
    const build = (s: Stack) => new ec2.CfnInstance(s, 'I', { imageId: amiId, instanceType: 't3.micro' });
    expect(unfixedImds001(build).length).toBeGreaterThan(0);
    const stack = fixed(build);
    Template.fromStack(stack).hasResourceProperties('AWS::EC2::Instance', {
      MetadataOptions: { HttpTokens: 'required', HttpPutResponseHopLimit: 1 },
    });
    expect(imds001(stack)).toEqual([]);
  });

  test('AWS::EC2::LaunchTemplate (ec2.LaunchTemplate with httpTokens optional) used by an Auto Scaling group', () => {
    const build = (s: Stack) => {
      const lt = new ec2.CfnLaunchTemplate(s, 'LT', {
        launchTemplateData: { imageId: amiId, instanceType: 't3.micro', metadataOptions: { httpTokens: 'optional' } },
      });
      new autoscaling.CfnAutoScalingGroup(s, 'G', {
        minSize: '1',
        maxSize: '1',
        availabilityZones: ['eu-west-1a'],
        launchTemplate: { launchTemplateId: lt.ref, version: lt.attrLatestVersionNumber },
      });
    };
    expect(unfixedImds001(build).length).toBeGreaterThan(0);
    const stack = fixed(build);
    Template.fromStack(stack).hasResourceProperties('AWS::EC2::LaunchTemplate', {
      LaunchTemplateData: { ImageId: amiId, InstanceType: 't3.micro', MetadataOptions: { HttpTokens: 'required', HttpPutResponseHopLimit: 1 } },
    });
    expect(imds001(stack)).toEqual([]);
  });

  test('the L2 ec2.Instance', () => {
    const build = (s: Stack) => {
      const vpc = new ec2.Vpc(s, 'Vpc', { natGateways: 0, maxAzs: 1 });
      new ec2.Instance(s, 'Web', {
        vpc, instanceType: new ec2.InstanceType('t3.micro'), machineImage: ec2.MachineImage.genericLinux({ 'eu-west-1': amiId }),
      });
    };
    expect(unfixedImds001(build).length).toBeGreaterThan(0);
    const stack = fixed(build);
    Template.fromStack(stack).hasResourceProperties('AWS::EC2::Instance', { MetadataOptions: { HttpTokens: 'required', HttpPutResponseHopLimit: 1 } });
    expect(imds001(stack)).toEqual([]);
  });

  test('the launch template aws-cdk-lib creates behind ec2.Instance requireImdsv2 keeps required and gets a hop limit', () => {
    const stack = fixed(s => {
      const vpc = new ec2.Vpc(s, 'Vpc', { natGateways: 0, maxAzs: 1 });
      new ec2.Instance(s, 'Web', {
        vpc, requireImdsv2: true, instanceType: new ec2.InstanceType('t3.micro'), machineImage: ec2.MachineImage.genericLinux({ 'eu-west-1': amiId }),
      });
    });
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::EC2::LaunchTemplate', 1);
    t.hasResourceProperties('AWS::EC2::LaunchTemplate', {
      LaunchTemplateData: { MetadataOptions: { HttpTokens: 'required', HttpPutResponseHopLimit: 1 } },
    });
    // The instance takes its hop limit from the template: the aspect sets none on the instance.
    t.hasResourceProperties('AWS::EC2::Instance', {
      LaunchTemplate: Match.objectLike({}), MetadataOptions: { HttpTokens: 'required', HttpPutResponseHopLimit: Match.absent() },
    });
    expect(imds001(stack)).toEqual([]);
  });

  test('an ECS container host (user data with ECS_CLUSTER=) gets hop limit 2 on its launch template', () => {
    const build = (s: Stack) => {
      const userData = ec2.UserData.forLinux();
      userData.addCommands('echo ECS_CLUSTER=my-cluster >> /etc/ecs/ecs.config');
      new ec2.LaunchTemplate(s, 'Host', { machineImage: ec2.MachineImage.genericLinux({ 'eu-west-1': amiId }), userData });
    };
    const stack = fixed(build);
    Template.fromStack(stack).hasResourceProperties('AWS::EC2::LaunchTemplate', {
      LaunchTemplateData: { MetadataOptions: { HttpTokens: 'required', HttpPutResponseHopLimit: 2 }, UserData: Match.anyValue() },
    });
    expect(imds001(stack)).toEqual([]);
  });

  test('AWS::AutoScaling::LaunchConfiguration', () => {
    const build = (s: Stack) => {
      const lc = new autoscaling.CfnLaunchConfiguration(s, 'LC', { imageId: amiId, instanceType: 't3.micro' });
      new autoscaling.CfnAutoScalingGroup(s, 'G', {
        minSize: '1', maxSize: '1', availabilityZones: ['eu-west-1a'], launchConfigurationName: lc.ref,
      });
    };
    expect(unfixedImds001(build).length).toBeGreaterThan(0);
    const stack = fixed(build);
    Template.fromStack(stack).hasResourceProperties('AWS::AutoScaling::LaunchConfiguration', {
      MetadataOptions: { HttpTokens: 'required', HttpPutResponseHopLimit: 1 },
    });
    expect(imds001(stack)).toEqual([]);
  });

  test('AWS::ImageBuilder::InfrastructureConfiguration', () => {
    const build = (s: Stack) => new imagebuilder.CfnInfrastructureConfiguration(s, 'IC', { name: 'ic', instanceProfileName: 'p' });
    expect(unfixedImds001(build).length).toBeGreaterThan(0);
    const stack = fixed(build);
    Template.fromStack(stack).hasResourceProperties('AWS::ImageBuilder::InfrastructureConfiguration', {
      InstanceMetadataOptions: { HttpTokens: 'required' },
    });
    expect(imds001(stack)).toEqual([]);
  });

  test('AWS::SageMaker::NotebookInstance', () => {
    const build = (s: Stack) => new sagemaker.CfnNotebookInstance(s, 'N', { instanceType: 'ml.t3.medium', roleArn: 'arn:aws:iam::111111111111:role/r' });
    expect(unfixedImds001(build).length).toBeGreaterThan(0);
    const stack = fixed(build);
    Template.fromStack(stack).hasResourceProperties('AWS::SageMaker::NotebookInstance', {
      InstanceMetadataServiceConfiguration: { MinimumInstanceMetadataServiceVersion: '2' },
    });
    expect(imds001(stack)).toEqual([]);
  });

  test.each([
    ['AWS::AppStream::Fleet', (s: Stack) => new appstream.CfnFleet(s, 'F', { name: 'f', instanceType: 'stream.standard.small', imageName: 'img' })],
    ['AWS::AppStream::ImageBuilder', (s: Stack) => new appstream.CfnImageBuilder(s, 'B', { name: 'b', instanceType: 'stream.standard.small', imageName: 'img' })],
    ['AWS::AppStream::AppBlockBuilder', (s: Stack) => new appstream.CfnAppBlockBuilder(s, 'A', {
      name: 'a', instanceType: 'stream.standard.small', platform: 'WINDOWS_SERVER_2019', vpcConfig: { subnetIds: ['subnet-1'] },
    })],
  ])('%s: disableImdsv1 true', (type, build) => {
    const stack = fixed(build);
    Template.fromStack(stack).hasResourceProperties(type, { DisableIMDSV1: true });
    expect(imds001(stack)).toEqual([]);
  });

  test('AWS::WorkspacesInstances::WorkspaceInstance', () => {
    const build = (s: Stack) => new workspaces.CfnWorkspaceInstance(s, 'W', { managedInstance: { imageId: amiId, instanceType: 't3.micro' } });
    const stack = fixed(build);
    Template.fromStack(stack).hasResourceProperties('AWS::WorkspacesInstances::WorkspaceInstance', {
      ManagedInstance: { ImageId: amiId, InstanceType: 't3.micro', MetadataOptions: { HttpTokens: 'required', HttpPutResponseHopLimit: 1 } },
    });
    expect(imds001(stack)).toEqual([]);
  });

  test.each([
    ['AWS::ElasticBeanstalk::Environment', (s: Stack) => new beanstalk.CfnEnvironment(s, 'E', {
      applicationName: 'app',
      solutionStackName: '64bit Amazon Linux 2023 v6.1.0 running Node.js 20',
      optionSettings: [{ namespace: 'aws:autoscaling:launchconfiguration', optionName: 'DisableIMDSv1', value: 'false' }],
    })],
    ['AWS::ElasticBeanstalk::ConfigurationTemplate', (s: Stack) => new beanstalk.CfnConfigurationTemplate(s, 'C', {
      applicationName: 'app', solutionStackName: '64bit Amazon Linux 2023 v6.1.0 running Node.js 20',
    })],
  ])('%s: DisableIMDSv1 true', (type, build) => {
    const stack = fixed(build);
    Template.fromStack(stack).hasResourceProperties(type, {
      OptionSettings: [{ Namespace: 'aws:autoscaling:launchconfiguration', OptionName: 'DisableIMDSv1', Value: 'true' }],
    });
    expect(imds001(stack)).toEqual([]);
  });

  test('AWS::EC2::EC2Fleet overrides that carry their own metadata options', () => {
    const build = (s: Stack) => {
      const lt = new ec2.CfnLaunchTemplate(s, 'LT', { launchTemplateData: { imageId: amiId, metadataOptions: { httpTokens: 'required' } } });
      new ec2.CfnEC2Fleet(s, 'Fleet', {
        targetCapacitySpecification: { totalTargetCapacity: 1 },
        launchTemplateConfigs: [{
          launchTemplateSpecification: { launchTemplateId: lt.ref, version: '1' },
          overrides: [{ instanceType: 't3.micro', metadataOptions: { httpTokens: 'optional' } }, { instanceType: 't3.small' }],
        }],
      });
    };
    const stack = fixed(build);
    Template.fromStack(stack).hasResourceProperties('AWS::EC2::EC2Fleet', {
      LaunchTemplateConfigs: [{
        Overrides: [{ InstanceType: 't3.micro', MetadataOptions: { HttpTokens: 'required', HttpPutResponseHopLimit: 1 } }, { InstanceType: 't3.small' }],
      }],
    });
    expect(imds001(stack)).toEqual([]);
  });

  test('an EMR cluster whose security configuration is a literal document of the app', () => {
    const build = (s: Stack) => {
      const sc = new emr.CfnSecurityConfiguration(s, 'SC', { securityConfiguration: { EncryptionConfiguration: { EnableInTransitEncryption: false } } });
      new emr.CfnCluster(s, 'C', {
        name: 'c',
        jobFlowRole: 'r',
        serviceRole: 's',
        releaseLabel: 'emr-7.0.0',
        securityConfiguration: sc.ref,
        instances: { masterInstanceGroup: { instanceCount: 1, instanceType: 'm5.xlarge' } },
      });
    };
    const stack = fixed(build);
    Template.fromStack(stack).hasResourceProperties('AWS::EMR::SecurityConfiguration', {
      SecurityConfiguration: {
        EncryptionConfiguration: { EnableInTransitEncryption: false },
        InstanceMetadataServiceConfiguration: { MinimumInstanceMetadataServiceVersion: 2, HttpPutResponseHopLimit: 1 },
      },
    });
    expect(imds001(stack)).toEqual([]);
  });

  test('an EMR cluster that names a security configuration of the app by its literal Name', () => {
    const stack = fixed((s) => {
      new emr.CfnSecurityConfiguration(s, 'SC', { name: 'analytics', securityConfiguration: { EncryptionConfiguration: { EnableInTransitEncryption: false } } });
      new emr.CfnCluster(s, 'C', {
        name: 'c',
        jobFlowRole: 'r',
        serviceRole: 's',
        releaseLabel: 'emr-7.0.0',
        securityConfiguration: 'analytics',
        instances: { masterInstanceGroup: { instanceCount: 1, instanceType: 'm5.xlarge' } },
      });
    });
    Template.fromStack(stack).hasResourceProperties('AWS::EMR::SecurityConfiguration', {
      Name: 'analytics',
      SecurityConfiguration: {
        EncryptionConfiguration: { EnableInTransitEncryption: false },
        InstanceMetadataServiceConfiguration: { MinimumInstanceMetadataServiceVersion: 2, HttpPutResponseHopLimit: 1 },
      },
    });
    Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
    expect(imds001(stack)).toEqual([]);
  });
});

describe('RequireImdsv2Everywhere adds a minimal launch template when asked', () => {
  test('AWS::EKS::Nodegroup without a launch template', () => {
    const build = (s: Stack) => new eks.CfnNodegroup(s, 'NG', { clusterName: 'c', nodeRole: 'arn:aws:iam::111111111111:role/n', subnets: ['subnet-1'] });
    expect(unfixedImds001(build).length).toBeGreaterThan(0);
    const stack = fixed(build, { addLaunchTemplates: true });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::EKS::Nodegroup', {
      ClusterName: 'c', LaunchTemplate: { Id: { Ref: 'NGImdsv2LaunchTemplate' }, Version: Match.anyValue() }, AmiType: Match.absent(),
    });
    expect(t.findResources('AWS::EC2::LaunchTemplate')).toEqual({
      NGImdsv2LaunchTemplate: {
        Type: 'AWS::EC2::LaunchTemplate',
        Properties: { LaunchTemplateData: { MetadataOptions: { HttpTokens: 'required', HttpPutResponseHopLimit: 2 } } },
      },
    });
    expect(imds001(stack)).toEqual([]);
    Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
  });

  test('AWS::Batch::ComputeEnvironment without a launch template', () => {
    const build = (s: Stack) => new batch.CfnComputeEnvironment(s, 'CE', {
      type: 'MANAGED', computeResources: { type: 'EC2', maxvCpus: 4, subnets: ['subnet-1'], instanceTypes: ['optimal'], instanceRole: 'r' },
    });
    expect(unfixedImds001(build).length).toBeGreaterThan(0);
    const stack = fixed(build, { addLaunchTemplates: true });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::Batch::ComputeEnvironment', {
      ComputeResources: {
        Type: 'EC2',
        MaxvCpus: 4,
        InstanceRole: 'r',
        LaunchTemplate: { LaunchTemplateId: { Ref: 'CEImdsv2LaunchTemplate' }, Version: Match.anyValue() },
      },
    });
    t.hasResourceProperties('AWS::EC2::LaunchTemplate', {
      LaunchTemplateData: { MetadataOptions: { HttpTokens: 'required', HttpPutResponseHopLimit: 2 } },
    });
    expect(imds001(stack)).toEqual([]);
  });

  test('a node group with remoteAccess is warned about, not changed', () => {
    const stack = fixed(s => new eks.CfnNodegroup(s, 'NG', {
      clusterName: 'c', nodeRole: 'r', subnets: ['subnet-1'], remoteAccess: { ec2SshKey: 'k' },
    }), { addLaunchTemplates: true });
    Template.fromStack(stack).resourceCountIs('AWS::EC2::LaunchTemplate', 0);
    Annotations.fromStack(stack).hasWarning('/S/NG', Match.stringLikeRegexp('cannot make AWS::EKS::Nodegroup S/NG require IMDSv2'));
  });
});

describe('RequireImdsv2Everywhere never lowers', () => {
  test('a hop limit of 3 stays 3 and required stays required', () => {
    const stack = fixed(s => new ec2.CfnInstance(s, 'I', { imageId: amiId, metadataOptions: { httpTokens: 'required', httpPutResponseHopLimit: 3 } }));
    Template.fromStack(stack).hasResourceProperties('AWS::EC2::Instance', { MetadataOptions: { HttpTokens: 'required', HttpPutResponseHopLimit: 3 } });
  });

  test('options that are tokens for literal values are read as those values', () => {
    const stack = fixed(s => {
      new ec2.CfnInstance(s, 'I', { imageId: amiId, metadataOptions: { httpTokens: 'optional', httpPutResponseHopLimit: Lazy.number({ produce: () => 3 }) } });
      new ec2.CfnInstance(s, 'Off', { imageId: amiId, metadataOptions: { httpEndpoint: Lazy.string({ produce: () => 'disabled' }) } });
    });
    const t = Template.fromStack(stack);
    expect(t.findResources('AWS::EC2::Instance').I.Properties.MetadataOptions).toEqual({ HttpTokens: 'required', HttpPutResponseHopLimit: 3 });
    expect(t.findResources('AWS::EC2::Instance').Off.Properties.MetadataOptions).toEqual({ HttpEndpoint: 'disabled' });
    Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
  });

  test('a launch whose endpoint is disabled is left alone unless asked', () => {
    const build = (s: Stack) => new ec2.CfnInstance(s, 'I', { imageId: amiId, metadataOptions: { httpEndpoint: 'disabled' } });
    Template.fromStack(fixed(build)).hasResourceProperties('AWS::EC2::Instance', { MetadataOptions: { HttpEndpoint: 'disabled', HttpTokens: Match.absent() } });
    Template.fromStack(fixed(build, { leaveEndpointDisabled: false })).hasResourceProperties('AWS::EC2::Instance', {
      MetadataOptions: { HttpEndpoint: 'disabled', HttpTokens: 'required', HttpPutResponseHopLimit: 1 },
    });
  });

  test('the hop limits are options', () => {
    const stack = fixed(s => new ec2.CfnInstance(s, 'I', { imageId: amiId }), { hopLimit: 4 });
    Template.fromStack(stack).hasResourceProperties('AWS::EC2::Instance', { MetadataOptions: { HttpTokens: 'required', HttpPutResponseHopLimit: 4 } });
    expect(() => new RequireImdsv2Everywhere({ containerHostHopLimit: 0 }))
      .toThrow('RequireImdsv2Everywhere: containerHostHopLimit is 0; it must be a whole number from 1 to 64.');
  });
});

describe('RequireImdsv2Everywhere changes nothing else', () => {
  test('templates before and after differ only in the metadata options and switches', () => {
    const build = (s: Stack) => {
      const vpc = new ec2.Vpc(s, 'Vpc', { natGateways: 0, maxAzs: 1 });
      const userData = ec2.UserData.forLinux();
      userData.addCommands('echo hello');
      new autoscaling.AutoScalingGroup(s, 'Asg', {
        vpc, instanceType: new ec2.InstanceType('t3.micro'), machineImage: ec2.MachineImage.genericLinux({ 'eu-west-1': amiId }), userData,
      });
      new sagemaker.CfnNotebookInstance(s, 'N', { instanceType: 'ml.t3.medium', roleArn: 'arn:aws:iam::111111111111:role/r' });
      new appstream.CfnFleet(s, 'F', { name: 'f', instanceType: 'stream.standard.small', imageName: 'img' });
      new beanstalk.CfnEnvironment(s, 'E', { applicationName: 'app', solutionStackName: 'x' });
    };
    const before = new Stack(new App(), 'S', { env: { account: '111111111111', region: 'eu-west-1' } });
    build(before);
    const after = fixed(build);
    const strip = (t: any) => {
      for (const r of Object.values<any>(t.Resources)) {
        const p = r.Properties ?? {};
        delete p.MetadataOptions;
        delete p.InstanceMetadataServiceConfiguration;
        delete p.DisableIMDSV1;
        delete p.LaunchTemplateData?.MetadataOptions;
        if (r.Type === 'AWS::ElasticBeanstalk::Environment') {
          p.OptionSettings = (p.OptionSettings ?? []).filter((o: any) => o.OptionName !== 'DisableIMDSv1');
          if (p.OptionSettings.length === 0) delete p.OptionSettings;
        }
      }
      return t;
    };
    expect(imds001(before).length).toBe(4);
    expect(imds001(after)).toEqual([]);
    const a = JSON.parse(JSON.stringify(Template.fromStack(after).toJSON()));
    const b = JSON.parse(JSON.stringify(Template.fromStack(before).toJSON()));
    expect(JSON.stringify(a)).not.toEqual(JSON.stringify(b));
    expect(strip(a)).toEqual(strip(b));
  });
});

describe('RequireImdsv2Everywhere warns where it cannot fix', () => {
  const warned = (stack: Stack, path: string, text: string) => {
    Template.fromStack(stack);
    Annotations.fromStack(stack).hasWarning(path, Match.stringLikeRegexp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}.*\\[ack: ${WARNING}\\]$`));
  };

  test('an EKS node group without a launch template', () => {
    const stack = fixed(s => new eks.CfnNodegroup(s, 'NG', { clusterName: 'c', nodeRole: 'arn:aws:iam::111111111111:role/n', subnets: ['subnet-1'] }));
    warned(stack, '/S/NG', 'RequireImdsv2Everywhere cannot make AWS::EKS::Nodegroup S/NG require IMDSv2: an EKS managed node group without a launch template');
  });

  test('a Batch compute environment without a launch template', () => {
    const stack = fixed(s => new batch.CfnComputeEnvironment(s, 'CE', {
      type: 'MANAGED', computeResources: { type: 'EC2', maxvCpus: 4, subnets: ['subnet-1'], instanceTypes: ['optimal'], instanceRole: 'r' },
    }));
    warned(stack, '/S/CE', 'RequireImdsv2Everywhere cannot make AWS::Batch::ComputeEnvironment S/CE require IMDSv2: a Batch compute environment without a launch template');
  });

  test('a Spot Fleet', () => {
    const stack = fixed(s => new ec2.CfnSpotFleet(s, 'SF', {
      spotFleetRequestConfigData: { iamFleetRole: 'r', targetCapacity: 1, launchSpecifications: [{ imageId: amiId, instanceType: 't3.micro' }] },
    }));
    warned(stack, '/S/SF', 'RequireImdsv2Everywhere cannot make AWS::EC2::SpotFleet S/SF require IMDSv2: Spot Fleet launch specifications have no metadata options');
  });

  test('a Spot Fleet that launches from a launch template of the app is fixed through it, without a warning', () => {
    const stack = fixed(s => {
      const lt = new ec2.CfnLaunchTemplate(s, 'LT', { launchTemplateData: { imageId: amiId } });
      new ec2.CfnSpotFleet(s, 'SF', {
        spotFleetRequestConfigData: {
          iamFleetRole: 'r',
          targetCapacity: 1,
          launchTemplateConfigs: [{ launchTemplateSpecification: { launchTemplateId: lt.ref, version: lt.attrLatestVersionNumber } }],
        },
      });
    });
    Template.fromStack(stack).hasResourceProperties('AWS::EC2::LaunchTemplate', {
      LaunchTemplateData: { ImageId: amiId, MetadataOptions: { HttpTokens: 'required', HttpPutResponseHopLimit: 1 } },
    });
    Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
    expect(imds001(stack)).toEqual([]);
  });

  test('an EMR cluster whose security configuration is not in the app', () => {
    const stack = fixed(s => new emr.CfnCluster(s, 'C', {
      name: 'c', jobFlowRole: 'r', serviceRole: 's', releaseLabel: 'emr-7.0.0', securityConfiguration: 'shared-config', instances: {},
    }));
    warned(stack, '/S/C', 'RequireImdsv2Everywhere cannot make AWS::EMR::Cluster S/C require IMDSv2: its security configuration');
  });

  test('a literal Name that no security configuration of the app has is not fixed: warned', () => {
    const stack = fixed((s) => {
      new emr.CfnSecurityConfiguration(s, 'SC', { name: 'other', securityConfiguration: {} });
      new emr.CfnCluster(s, 'C', { name: 'c', jobFlowRole: 'r', serviceRole: 's', releaseLabel: 'emr-7.0.0', securityConfiguration: 'analytics', instances: {} });
    });
    Template.fromStack(stack).hasResourceProperties('AWS::EMR::SecurityConfiguration', { Name: 'other', SecurityConfiguration: {} });
    warned(stack, '/S/C', 'RequireImdsv2Everywhere cannot make AWS::EMR::Cluster S/C require IMDSv2: its security configuration');
  });

  test('an Auto Scaling group launching from an imported launch template', () => {
    const stack = fixed(s => {
      const lt = ec2.LaunchTemplate.fromLaunchTemplateAttributes(s, 'Imported', { launchTemplateId: 'lt-0123456789abcdef0' });
      new autoscaling.CfnAutoScalingGroup(s, 'G', {
        minSize: '1', maxSize: '1', availabilityZones: ['eu-west-1a'], launchTemplate: { launchTemplateId: lt.launchTemplateId, version: '$Latest' },
      });
    });
    warned(stack, '/S/G', 'RequireImdsv2Everywhere cannot make AWS::AutoScaling::AutoScalingGroup S/G require IMDSv2: launchTemplate names '
      + 'the launch template with ID lt-0123456789abcdef0, which is not in this app (imported), so its metadata options cannot be set here; '
      + 'create a version of it with httpTokens: required, or launch from a launch template of the app.');
  });

  test('a launch template of the app named by its name is not imported', () => {
    const stack = fixed(s => {
      new ec2.CfnLaunchTemplate(s, 'LT', { launchTemplateName: 'web', launchTemplateData: { imageId: amiId } });
      new ec2.CfnInstance(s, 'I', { launchTemplate: { launchTemplateName: 'web', version: '1' } });
    });
    Template.fromStack(stack).hasResourceProperties('AWS::EC2::LaunchTemplate', { LaunchTemplateData: { MetadataOptions: { HttpTokens: 'required' } } });
    Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
  });

  test('metadata options that are a token', () => {
    const stack = fixed(s => {
      const p = new CfnParameter(s, 'Tokens', { default: 'optional' });
      new ec2.CfnInstance(s, 'I', { imageId: amiId, metadataOptions: { httpTokens: p.valueAsString } });
    });
    warned(stack, '/S/I', 'RequireImdsv2Everywhere cannot make AWS::EC2::Instance S/I require IMDSv2: metadataOptions is a token or holds one');
    Template.fromStack(stack).hasResourceProperties('AWS::EC2::Instance', { MetadataOptions: { HttpTokens: { Ref: 'Tokens' } } });
  });
});

describe('RequireImdsv2Everywhere finds the container host behind a launch template named by name', () => {
  const hopLimits = (stack: Stack) => Object.values<any>(Template.fromStack(stack).findResources('AWS::EC2::LaunchTemplate'))
    .map((r) => r.Properties.LaunchTemplateData.MetadataOptions);

  test.each([
    ['an EKS node group, by the literal LaunchTemplateName', (s: Stack) => {
      new ec2.CfnLaunchTemplate(s, 'LT', { launchTemplateName: 'nodes', launchTemplateData: {} });
      new eks.CfnNodegroup(s, 'NG', { clusterName: 'c', nodeRole: 'r', subnets: ['subnet-1'], launchTemplate: { name: 'nodes' } });
    }],
    ['a Batch compute environment, by the literal launchTemplateName', (s: Stack) => {
      new ec2.CfnLaunchTemplate(s, 'LT', { launchTemplateName: 'jobs', launchTemplateData: {} });
      new batch.CfnComputeEnvironment(s, 'CE', {
        type: 'MANAGED', computeResources: { type: 'EC2', maxvCpus: 4, subnets: ['subnet-1'], instanceRole: 'r', launchTemplate: { launchTemplateName: 'jobs' } },
      });
    }],
  ])('%s: hop limit 2', (_, build) => {
    const stack = fixed(build);
    expect(hopLimits(stack)).toEqual([{ HttpTokens: 'required', HttpPutResponseHopLimit: 2 }]);
    const result = runChecks([{ path: 't.json', template: Template.fromStack(stack).toJSON(), region: 'eu-west-1' }], {});
    expect(result.findings.filter((f) => f.ruleId === 'IMDS011')).toEqual([]);
  });

  test('a launch template of the same name elsewhere in the stack is not a container host', () => {
    const stack = fixed((s) => {
      new ec2.CfnLaunchTemplate(s, 'LT', { launchTemplateName: 'web', launchTemplateData: {} });
      new eks.CfnNodegroup(s, 'NG', { clusterName: 'c', nodeRole: 'r', subnets: ['subnet-1'], launchTemplate: { name: 'nodes' } });
    });
    expect(hopLimits(stack)).toEqual([{ HttpTokens: 'required', HttpPutResponseHopLimit: 1 }]);
  });
});

/** The exact warning the aspect leaves on `path` (a construct path without the leading slash). */
function cannotFix(type: string, path: string, why: string): string {
  return `RequireImdsv2Everywhere cannot make ${type} ${path} require IMDSv2: ${why}. [ack: ${WARNING}]`;
}

describe('RequireImdsv2Everywhere keeps a metadata switch that is a token, and warns', () => {
  /** A stack with a parameter `P` and a condition `C` on it, for the switches to depend on. */
  const withToken = (build: (s: Stack, p: CfnParameter, c: CfnCondition) => void) => fixed(s => {
    const p = new CfnParameter(s, 'P', { default: '1' });
    const c = new CfnCondition(s, 'C', { expression: Fn.conditionEquals(p.valueAsString, '1') });
    build(s, p, c);
  });
  const SAGEMAKER = 'instanceMetadataServiceConfiguration is a token or holds one, so its minimumInstanceMetadataServiceVersion cannot be set; '
    + 'set minimumInstanceMetadataServiceVersion: \'2\' there';
  const APPSTREAM = 'disableImdsv1 is a token, so it cannot be set; set disableImdsv1: true';
  const BEANSTALK_VALUE = 'the aws:autoscaling:launchconfiguration DisableIMDSv1 option setting has a token value, so it cannot be set; set its value to true';
  const BEANSTALK_ENTRY = 'an entry of optionSettings is a token or names its namespace or option with one, so it may be the DisableIMDSv1 switch '
    + 'and cannot be changed; add aws:autoscaling:launchconfiguration DisableIMDSv1 = true as a literal setting';
  const WORKSPACES = 'managedInstance.metadataOptions is a token or holds one, so its httpTokens cannot be set to required; set httpTokens: required there';
  const roleArn = 'arn:aws:iam::111111111111:role/r';
  const stream = { instanceType: 'stream.standard.small', imageName: 'img' };
  const solution = '64bit Amazon Linux 2023 v6.1.0 running Node.js 20';
  const ns = 'aws:autoscaling:launchconfiguration';

  test.each<[string, string, (s: Stack, p: CfnParameter, c: CfnCondition) => void, string, Record<string, unknown>]>([
    ['a SageMaker minimum version from a parameter', 'AWS::SageMaker::NotebookInstance', (s, p) => new sagemaker.CfnNotebookInstance(s, 'R', {
      instanceType: 'ml.t3.medium', roleArn, instanceMetadataServiceConfiguration: { minimumInstanceMetadataServiceVersion: p.valueAsString },
    }), SAGEMAKER, { InstanceMetadataServiceConfiguration: { MinimumInstanceMetadataServiceVersion: { Ref: 'P' } } }],
    ['a SageMaker minimum version from Fn::If', 'AWS::SageMaker::NotebookInstance', (s, _p, c) => new sagemaker.CfnNotebookInstance(s, 'R', {
      instanceType: 'ml.t3.medium', roleArn, instanceMetadataServiceConfiguration: { minimumInstanceMetadataServiceVersion: Fn.conditionIf(c.logicalId, '1', '2').toString() },
    }), SAGEMAKER, { InstanceMetadataServiceConfiguration: { MinimumInstanceMetadataServiceVersion: { 'Fn::If': ['C', '1', '2'] } } }],
    ['a SageMaker configuration that is Fn::If as a whole', 'AWS::SageMaker::NotebookInstance', (s, _p, c) => new sagemaker.CfnNotebookInstance(s, 'R', {
      instanceType: 'ml.t3.medium', roleArn, instanceMetadataServiceConfiguration: Fn.conditionIf(c.logicalId, { MinimumInstanceMetadataServiceVersion: '1' }, Fn.ref('AWS::NoValue')),
    }), SAGEMAKER, { InstanceMetadataServiceConfiguration: { 'Fn::If': ['C', { MinimumInstanceMetadataServiceVersion: '1' }, { Ref: 'AWS::NoValue' }] } }],
    ['an AppStream fleet switch from a parameter', 'AWS::AppStream::Fleet', (s, p) => new appstream.CfnFleet(s, 'R', {
      name: 'f', ...stream, disableImdsv1: p.value,
    }), APPSTREAM, { DisableIMDSV1: { Ref: 'P' } }],
    ['an AppStream fleet switch from Fn::If', 'AWS::AppStream::Fleet', (s, _p, c) => new appstream.CfnFleet(s, 'R', {
      name: 'f', ...stream, disableImdsv1: Fn.conditionIf(c.logicalId, false, true),
    }), APPSTREAM, { DisableIMDSV1: { 'Fn::If': ['C', false, true] } }],
    ['an AppStream image builder switch from Fn::If', 'AWS::AppStream::ImageBuilder', (s, _p, c) => new appstream.CfnImageBuilder(s, 'R', {
      name: 'b', ...stream, disableImdsv1: Fn.conditionIf(c.logicalId, false, true),
    }), APPSTREAM, { DisableIMDSV1: { 'Fn::If': ['C', false, true] } }],
    ['an AppStream app block builder switch from a parameter', 'AWS::AppStream::AppBlockBuilder', (s, p) => new appstream.CfnAppBlockBuilder(s, 'R', {
      name: 'a', instanceType: 'stream.standard.small', platform: 'WINDOWS_SERVER_2019', vpcConfig: { subnetIds: ['subnet-1'] }, disableImdsv1: p.value,
    }), APPSTREAM, { DisableIMDSV1: { Ref: 'P' } }],
    ['an Elastic Beanstalk DisableIMDSv1 value from a parameter', 'AWS::ElasticBeanstalk::Environment', (s, p) => new beanstalk.CfnEnvironment(s, 'R', {
      applicationName: 'app', solutionStackName: solution, optionSettings: [{ namespace: ns, optionName: 'DisableIMDSv1', value: p.valueAsString }],
    }), BEANSTALK_VALUE, { OptionSettings: [{ Namespace: ns, OptionName: 'DisableIMDSv1', Value: { Ref: 'P' } }] }],
    ['an Elastic Beanstalk option setting that is Fn::If', 'AWS::ElasticBeanstalk::ConfigurationTemplate', (s, _p, c) => new beanstalk.CfnConfigurationTemplate(s, 'R', {
      applicationName: 'app',
      solutionStackName: solution,
      optionSettings: [Fn.conditionIf(c.logicalId, { Namespace: ns, OptionName: 'DisableIMDSv1', Value: 'false' }, Fn.ref('AWS::NoValue'))],
    }), BEANSTALK_ENTRY, { OptionSettings: [{ 'Fn::If': ['C', { Namespace: ns, OptionName: 'DisableIMDSv1', Value: 'false' }, { Ref: 'AWS::NoValue' }] }] }],
    ['an Elastic Beanstalk option setting whose namespace is a parameter', 'AWS::ElasticBeanstalk::Environment', (s, p) => new beanstalk.CfnEnvironment(s, 'R', {
      applicationName: 'app', solutionStackName: solution, optionSettings: [{ namespace: p.valueAsString, optionName: 'DisableIMDSv1', value: 'false' }],
    }), BEANSTALK_ENTRY, { OptionSettings: [{ Namespace: { Ref: 'P' }, OptionName: 'DisableIMDSv1', Value: 'false' }] }],
    ['Elastic Beanstalk option settings that are Fn::If as a whole', 'AWS::ElasticBeanstalk::Environment', (s, _p, c) => new beanstalk.CfnEnvironment(s, 'R', {
      applicationName: 'app', solutionStackName: solution, optionSettings: Fn.conditionIf(c.logicalId, [], Fn.ref('AWS::NoValue')),
    }), 'optionSettings is a token, so it cannot be changed; add aws:autoscaling:launchconfiguration DisableIMDSv1 = true',
    { OptionSettings: { 'Fn::If': ['C', [], { Ref: 'AWS::NoValue' }] } }],
    ['WorkSpaces httpTokens from a parameter', 'AWS::WorkspacesInstances::WorkspaceInstance', (s, p) => new workspaces.CfnWorkspaceInstance(s, 'R', {
      managedInstance: { imageId: amiId, instanceType: 't3.micro', metadataOptions: { httpTokens: p.valueAsString } },
    }), WORKSPACES, { ManagedInstance: { ImageId: amiId, InstanceType: 't3.micro', MetadataOptions: { HttpTokens: { Ref: 'P' } } } }],
    ['WorkSpaces metadata options that are Fn::If as a whole', 'AWS::WorkspacesInstances::WorkspaceInstance', (s, _p, c) => new workspaces.CfnWorkspaceInstance(s, 'R', {
      managedInstance: { imageId: amiId, instanceType: 't3.micro', metadataOptions: Fn.conditionIf(c.logicalId, { HttpTokens: 'optional' }, Fn.ref('AWS::NoValue')) },
    }), WORKSPACES, { ManagedInstance: { ImageId: amiId, InstanceType: 't3.micro', MetadataOptions: { 'Fn::If': ['C', { HttpTokens: 'optional' }, { Ref: 'AWS::NoValue' }] } } }],
    ['a WorkSpaces managed instance that is Fn::If as a whole', 'AWS::WorkspacesInstances::WorkspaceInstance', (s, _p, c) => new workspaces.CfnWorkspaceInstance(s, 'R', {
      managedInstance: Fn.conditionIf(c.logicalId, { ImageId: amiId, InstanceType: 't3.micro' }, { ImageId: amiId, InstanceType: 't3.small' }),
    }), 'managedInstance is a token or missing, so its metadataOptions cannot be set; set managedInstance.metadataOptions.httpTokens: required there',
    { ManagedInstance: { 'Fn::If': ['C', { ImageId: amiId, InstanceType: 't3.micro' }, { ImageId: amiId, InstanceType: 't3.small' }] } }],
    ['EC2 instance metadata options that are Fn::If as a whole', 'AWS::EC2::Instance', (s, _p, c) => new ec2.CfnInstance(s, 'R', {
      imageId: amiId, metadataOptions: Fn.conditionIf(c.logicalId, { HttpTokens: 'optional' }, Fn.ref('AWS::NoValue')),
    }), 'metadataOptions is a token or holds one, so its httpTokens cannot be set to required; set httpTokens: required there',
    { MetadataOptions: { 'Fn::If': ['C', { HttpTokens: 'optional' }, { Ref: 'AWS::NoValue' }] } }],
  ])('%s', (_name, type, build, why, properties) => {
    const stack = withToken(build);
    // The whole property is exactly what the user wrote: nothing merged into it, nothing added beside it.
    const resource = Template.fromStack(stack).findResources(type).R;
    for (const [key, value] of Object.entries(properties)) expect(resource.Properties[key]).toEqual(value);
    const warnings = Annotations.fromStack(stack).findWarning('*', Match.anyValue()).map(w => w.entry.data);
    expect(warnings).toEqual([cannotFix(type, 'S/R', why)]);
  });

  test('a switch that is a token for a literal value is fixed', () => {
    const stack = fixed(s => new appstream.CfnFleet(s, 'R', { name: 'f', ...stream, disableImdsv1: Lazy.any({ produce: () => false }) }));
    Template.fromStack(stack).hasResourceProperties('AWS::AppStream::Fleet', { DisableIMDSV1: true });
    Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
  });
});

describe('RequireImdsv2Everywhere gives ECS container hosts the container hop limit', () => {
  const t3 = new ec2.InstanceType('t3.micro');
  const genericLinux = ec2.MachineImage.genericLinux({ 'eu-west-1': amiId });

  test('an Auto Scaling group of ecs.AsgCapacityProvider (cluster.addAsgCapacityProvider)', () => {
    const build = (s: Stack) => {
      const vpc = new ec2.Vpc(s, 'Vpc', { natGateways: 0, maxAzs: 1 });
      const cluster = new ecs.Cluster(s, 'Cluster', { vpc });
      const autoScalingGroup = new autoscaling.AutoScalingGroup(s, 'Asg', { vpc, instanceType: t3, machineImage: ecs.EcsOptimizedImage.amazonLinux2023() });
      cluster.addAsgCapacityProvider(new ecs.AsgCapacityProvider(s, 'Capacity', { autoScalingGroup }));
    };
    expect(unfixedImds001(build, LAUNCH_TEMPLATES).length).toBeGreaterThan(0);
    const stack = fixed(build, {}, LAUNCH_TEMPLATES);
    expect(Object.values(launchOptions(stack))).toEqual([{ HttpTokens: 'required', HttpPutResponseHopLimit: 2 }]);
    expect(findings(stack)).toEqual([]);
  });

  test('a group that only an AWS::ECS::CapacityProvider names (its user data does not join a cluster)', () => {
    const build = (s: Stack, withProvider: boolean) => {
      const vpc = new ec2.Vpc(s, 'Vpc', { natGateways: 0, maxAzs: 1 });
      const asg = new autoscaling.AutoScalingGroup(s, 'Asg', { vpc, instanceType: t3, machineImage: genericLinux });
      asg.addUserData('echo hello');
      if (withProvider) new ecs.CfnCapacityProvider(s, 'Capacity', { autoScalingGroupProvider: { autoScalingGroupArn: asg.autoScalingGroupName } });
    };
    expect(Object.values(launchOptions(fixed(s => build(s, true), {}, LAUNCH_TEMPLATES)))).toEqual([{ HttpTokens: 'required', HttpPutResponseHopLimit: 2 }]);
    expect(Object.values(launchOptions(fixed(s => build(s, false), {}, LAUNCH_TEMPLATES)))).toEqual([{ HttpTokens: 'required', HttpPutResponseHopLimit: 1 }]);
    // Without the flag the group has a launch configuration: it is the one that gets hop limit 2.
    expect(launchOptions(fixed(s => build(s, true)))).toEqual({ AsgLaunchConfig6D4F96BB: { HttpTokens: 'required', HttpPutResponseHopLimit: 2 } });
  });

  test('capacity from ecs.Cluster addCapacity (a launch configuration by default, a launch template with the flag)', () => {
    const build = (s: Stack) => {
      const vpc = new ec2.Vpc(s, 'Vpc', { natGateways: 0, maxAzs: 1 });
      new ecs.Cluster(s, 'Cluster', { vpc }).addCapacity('Capacity', { instanceType: t3 });
    };
    for (const context of [undefined, LAUNCH_TEMPLATES]) {
      expect(unfixedImds001(build, context).length).toBeGreaterThan(0);
      const stack = fixed(build, {}, context);
      expect(Object.values(launchOptions(stack))).toEqual([{ HttpTokens: 'required', HttpPutResponseHopLimit: 2 }]);
      expect(findings(stack).filter(f => !f.startsWith('IMDS012'))).toEqual([]);
    }
  });

  test('Bottlerocket capacity from addCapacity (TOML user data, no capacity provider)', () => {
    const stack = fixed(s => {
      const vpc = new ec2.Vpc(s, 'Vpc', { natGateways: 0, maxAzs: 1 });
      new ecs.Cluster(s, 'Cluster', { vpc }).addCapacity('Capacity', { instanceType: t3, machineImage: new ecs.BottleRocketImage() });
    }, {}, LAUNCH_TEMPLATES);
    expect(Object.values(launchOptions(stack))).toEqual([{ HttpTokens: 'required', HttpPutResponseHopLimit: 2 }]);
    expect(findings(stack)).toEqual([]);
  });

  test('a hop limit of 3 on a capacity provider\'s launch template stays 3', () => {
    const stack = fixed(s => {
      const vpc = new ec2.Vpc(s, 'Vpc', { natGateways: 0, maxAzs: 1 });
      const cluster = new ecs.Cluster(s, 'Cluster', { vpc });
      const launchTemplate = new ec2.LaunchTemplate(s, 'Template', {
        instanceType: t3,
        machineImage: ecs.EcsOptimizedImage.amazonLinux2023(),
        httpPutResponseHopLimit: 3,
        userData: ec2.UserData.forLinux(),
        role: new iam.Role(s, 'Role', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') }),
      });
      const autoScalingGroup = new autoscaling.AutoScalingGroup(s, 'Asg', { vpc, launchTemplate });
      cluster.addAsgCapacityProvider(new ecs.AsgCapacityProvider(s, 'Capacity', { autoScalingGroup }));
    });
    expect(Object.values(launchOptions(stack))).toEqual([{ HttpTokens: 'required', HttpPutResponseHopLimit: 3 }]);
  });

  test('the launch template aws-cdk-lib adds behind requireImdsv2 on an ec2.Instance that joins an ECS cluster', () => {
    const stack = fixed(s => {
      const vpc = new ec2.Vpc(s, 'Vpc', { natGateways: 0, maxAzs: 1 });
      const userData = ec2.UserData.forLinux();
      userData.addCommands('echo ECS_CLUSTER=my-cluster >> /etc/ecs/ecs.config');
      // The second template is added after the aspect has read the app (when it fixed the first).
      new ec2.Instance(s, 'Host', { vpc, requireImdsv2: true, instanceType: t3, machineImage: genericLinux, userData });
      new ec2.Instance(s, 'Host2', { vpc, requireImdsv2: true, instanceType: t3, machineImage: genericLinux, userData });
      new ec2.Instance(s, 'Plain', { vpc, requireImdsv2: true, instanceType: t3, machineImage: genericLinux });
    });
    expect(launchOptions(stack)).toEqual({
      HostLaunchTemplate035C0694: { HttpTokens: 'required', HttpPutResponseHopLimit: 2 },
      Host2LaunchTemplate1ED369D5: { HttpTokens: 'required', HttpPutResponseHopLimit: 2 },
      PlainLaunchTemplate77A20B30: { HttpTokens: 'required', HttpPutResponseHopLimit: 1 },
    });
    expect(findings(stack)).toEqual([]);
  });

  test('an EKS node group\'s launch template, named by Ref or by name', () => {
    const stack = fixed(s => {
      const byRef = new ec2.CfnLaunchTemplate(s, 'ByRef', { launchTemplateData: {} });
      new ec2.CfnLaunchTemplate(s, 'ByName', { launchTemplateName: 'nodes', launchTemplateData: {} });
      new ec2.CfnLaunchTemplate(s, 'Other', { launchTemplateData: {} });
      new eks.CfnNodegroup(s, 'NG1', { clusterName: 'c', nodeRole: 'r', subnets: ['subnet-1'], launchTemplate: { id: byRef.ref, version: '1' } });
      new eks.CfnNodegroup(s, 'NG2', { clusterName: 'c', nodeRole: 'r', subnets: ['subnet-1'], launchTemplate: { name: 'nodes', version: '1' } });
    });
    expect(launchOptions(stack)).toEqual({
      ByRef: { HttpTokens: 'required', HttpPutResponseHopLimit: 2 },
      ByName: { HttpTokens: 'required', HttpPutResponseHopLimit: 2 },
      Other: { HttpTokens: 'required', HttpPutResponseHopLimit: 1 },
    });
  });
});

describe('RequireImdsv2Everywhere and the L2 eks.Nodegroup', () => {
  const nodegroup = (launchTemplate: boolean) => (s: Stack) => {
    const vpc = new ec2.Vpc(s, 'Vpc', { natGateways: 0, maxAzs: 1 });
    const cluster = eks.Cluster.fromClusterAttributes(s, 'Cluster', { clusterName: 'c', vpc });
    const template = launchTemplate ? new ec2.LaunchTemplate(s, 'Template', { instanceType: new ec2.InstanceType('t3.large') }) : undefined;
    new eks.Nodegroup(s, 'Nodes', {
      cluster,
      ...(template ? { launchTemplateSpec: { id: template.launchTemplateId!, version: template.latestVersionNumber } } : {}),
    });
  };

  test.each([false, true])('with launchTemplateSpec (addLaunchTemplates %s): its launch template requires IMDSv2 with hop limit 2', (addLaunchTemplates) => {
    expect(unfixedImds001(nodegroup(true)).length).toBeGreaterThan(0);
    const stack = fixed(nodegroup(true), { addLaunchTemplates });
    expect(Object.values(launchOptions(stack))).toEqual([{ HttpTokens: 'required', HttpPutResponseHopLimit: 2 }]);
    Template.fromStack(stack).hasResourceProperties('AWS::EKS::Nodegroup', { LaunchTemplate: { Id: { Ref: Match.stringLikeRegexp('^Template') } } });
    expect(findings(stack)).toEqual([]);
    Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
  });

  test('without launchTemplateSpec and addLaunchTemplates off: warned about, not changed', () => {
    const stack = fixed(nodegroup(false));
    Template.fromStack(stack).resourceCountIs('AWS::EC2::LaunchTemplate', 0);
    Template.fromStack(stack).hasResourceProperties('AWS::EKS::Nodegroup', { LaunchTemplate: Match.absent() });
    expect(Annotations.fromStack(stack).findWarning('*', Match.anyValue()).map(w => w.entry.data)).toEqual([
      cannotFix('AWS::EKS::Nodegroup', 'S/Nodes/Resource', 'an EKS managed node group without a launch template launches with the metadata options EKS chooses; '
        + 'give it a launch template with httpTokens: required (and a hop limit of 2 for pods)'),
    ]);
    expect(findings(stack)).toEqual(['IMDS001 Nodes66C30434']);
  });

  test('without launchTemplateSpec and addLaunchTemplates on: a metadata-only launch template', () => {
    const stack = fixed(nodegroup(false), { addLaunchTemplates: true });
    const t = Template.fromStack(stack);
    expect(launchOptions(stack)).toEqual({ NodesResourceImdsv2LaunchTemplate5358E52B: { HttpTokens: 'required', HttpPutResponseHopLimit: 2 } });
    t.hasResourceProperties('AWS::EKS::Nodegroup', {
      LaunchTemplate: { Id: { Ref: 'NodesResourceImdsv2LaunchTemplate5358E52B' }, Version: Match.anyValue() },
      AmiType: Match.absent(),
    });
    expect(findings(stack)).toEqual([]);
    Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
  });
});

describe('RequireImdsv2Everywhere and launch templates named by a literal name', () => {
  const env = { account: '111111111111', region: 'eu-west-1' };
  /** Stack A holds launch template `web`; stack B launches an instance from the template `name`. */
  const twoStacks = (name: string, aspectOn: 'app' | 'B') => {
    const app = new App();
    const a = new Stack(app, 'A', { env });
    const b = new Stack(app, 'B', { env });
    new ec2.CfnLaunchTemplate(a, 'LT', { launchTemplateName: 'web', launchTemplateData: { imageId: amiId } });
    new ec2.CfnInstance(b, 'I', { launchTemplate: { launchTemplateName: name, version: '1' } });
    Aspects.of(aspectOn === 'app' ? app : b).add(new RequireImdsv2Everywhere(), { priority: AspectPriority.MUTATING });
    return { a, b };
  };

  test.each(['app', 'B'] as const)('a template of another stack is the app\'s, and fixed through it (aspect on %s)', (aspectOn) => {
    const { a, b } = twoStacks('web', aspectOn);
    Template.fromStack(a).hasResourceProperties('AWS::EC2::LaunchTemplate', {
      LaunchTemplateName: 'web', LaunchTemplateData: { ImageId: amiId, MetadataOptions: { HttpTokens: 'required', HttpPutResponseHopLimit: 1 } },
    });
    Annotations.fromStack(b).hasNoWarning('*', Match.anyValue());
    const result = runChecks([
      { path: 'a.json', template: Template.fromStack(a).toJSON(), region: 'eu-west-1' },
      { path: 'b.json', template: Template.fromStack(b).toJSON(), region: 'eu-west-1' },
    ], {});
    expect(result.findings.map(f => `${f.ruleId} ${f.logicalId}`)).toEqual([]);
  });

  test('a name no launch template of the app has is imported', () => {
    const { a, b } = twoStacks('elsewhere', 'app');
    expect(Annotations.fromStack(b).findWarning('*', Match.anyValue()).map(w => w.entry.data)).toEqual([
      cannotFix('AWS::EC2::Instance', 'B/I', 'launchTemplate names the launch template with name elsewhere, which is not in this app (imported), '
        + 'so its metadata options cannot be set here; create a version of it with httpTokens: required, or launch from a launch template of the app'),
    ]);
    Annotations.fromStack(a).hasNoWarning('*', Match.anyValue());
  });
});
