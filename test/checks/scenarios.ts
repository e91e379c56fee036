/**
 * One table of CloudFormation scenarios, run through every front-end: the checker itself, the
 * CLI, the ImdsChecks aspect and the ImdsValidationPlugin. Each scenario lists every finding it
 * must produce, as `RULE LogicalId`; any other finding fails the test. A scenario may also give
 * the text of each finding (`messages`), which the checker's run must match one for one.
 */
import { CheckOptions } from '../../src/checks/rule';

export interface Scenario {
  readonly name: string;
  /** The rule the scenario is about. */
  readonly rule: string;
  readonly kind: 'compliant' | 'violation' | 'cannot verify';
  readonly template: Record<string, unknown>;
  /** Every finding expected, as "IMDS001 LogicalId" (warnings and errors). */
  readonly expect: readonly string[];
  /** Findings that must be errors (the rest must be warnings). */
  readonly errors?: readonly string[];
  readonly options?: Partial<CheckOptions>;
  /**
   * The findings' texts, one per finding, as `RULE LogicalId PropertyPath: message` (the message
   * without its `RULE: ` prefix): a string must equal a finding's text, a RegExp match it.
   */
  readonly messages?: ReadonlyArray<string | RegExp>;
}

const AMI = 'ami-0123456789abcdef0';
const AL2023 = '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64';

function template(resources: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...extra, Resources: resources };
}

function instance(metadataOptions?: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    Type: 'AWS::EC2::Instance',
    Properties: { ImageId: AMI, InstanceType: 't3.micro', ...(metadataOptions ? { MetadataOptions: metadataOptions } : {}), ...extra },
  };
}

function launchTemplate(metadataOptions?: Record<string, unknown>, data: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    Type: 'AWS::EC2::LaunchTemplate',
    Properties: { LaunchTemplateData: { ImageId: AMI, InstanceType: 't3.micro', ...(metadataOptions ? { MetadataOptions: metadataOptions } : {}), ...data } },
  };
}

function group(launchTemplateId: unknown, extra: Record<string, unknown> = {}, version: unknown = { 'Fn::GetAtt': ['LT', 'LatestVersionNumber'] }): Record<string, unknown> {
  return {
    Type: 'AWS::AutoScaling::AutoScalingGroup',
    Properties: {
      MinSize: '1',
      MaxSize: '2',
      VPCZoneIdentifier: [{ Ref: 'Subnet6' }],
      LaunchTemplate: { LaunchTemplateId: launchTemplateId, Version: version },
      ...extra,
    },
  };
}

const subnet4 = { Type: 'AWS::EC2::Subnet', Properties: { VpcId: 'vpc-12345678', CidrBlock: '10.0.0.0/24' } };
const subnet6 = {
  Type: 'AWS::EC2::Subnet',
  Properties: { VpcId: 'vpc-12345678', CidrBlock: '10.0.1.0/24', Ipv6CidrBlock: { 'Fn::Select': [1, { 'Fn::Cidr': ['2001:db8::/56', 4, '64'] }] } },
};

const REQUIRED = { HttpTokens: 'required' };
/** The end of every IMDS009 message. */
const TAG_KEY_FIX = 'Allowed in a key: letters, digits and + - = . , _ : @ only (no spaces, no "/"), and not exactly ".", ".." or "_index". Rename the tag, or set InstanceMetadataTags to "disabled".';
const IPV6 = { HttpTokens: 'required', HttpProtocolIpv6: 'enabled' };
const TAGS_ON = { HttpTokens: 'required', InstanceMetadataTags: 'enabled' };

export const SCENARIOS: readonly Scenario[] = [
  // IMDS001 ------------------------------------------------------------------------------------
  { name: 'instance requiring IMDSv2', rule: 'IMDS001', kind: 'compliant', template: template({ Web: instance(REQUIRED) }), expect: [] },
  {
    name: 'endpoint disabled passes without tokens',
    rule: 'IMDS001',
    kind: 'compliant',
    template: template({ Web: instance({ HttpEndpoint: 'disabled', HttpTokens: 'optional' }) }),
    expect: [],
  },
  {
    name: 'instance with a literal AMI and no options',
    rule: 'IMDS001',
    kind: 'violation',
    template: template({ Web: instance() }),
    expect: ['IMDS001 Web'],
    errors: ['IMDS001 Web'],
    messages: [
      'IMDS001 Web Properties/MetadataOptions: AWS::EC2::Instance Web does not require IMDSv2: HttpTokens is "optional" (the AWS default, as nothing sets it). Set HttpTokens to "required" at Web Properties/MetadataOptions.',
    ],
  },
  {
    name: 'launch template with tokens optional used by a group: the finding is on the template',
    rule: 'IMDS001',
    kind: 'violation',
    template: template({ LT: launchTemplate({ HttpTokens: 'optional' }), Group: group({ Ref: 'LT' }), Subnet6: subnet6 }),
    expect: ['IMDS001 LT'],
    messages: [
      'IMDS001 LT Properties/LaunchTemplateData/MetadataOptions/HttpTokens: AWS::AutoScaling::AutoScalingGroup Group does not require IMDSv2: HttpTokens is "optional" (set by LT at Properties/LaunchTemplateData/MetadataOptions/HttpTokens). Set HttpTokens to "required" at LT Properties/LaunchTemplateData/MetadataOptions/HttpTokens.',
    ],
  },
  {
    name: 'Amazon Linux 2023 SSM parameter default requires IMDSv2',
    rule: 'IMDS001',
    kind: 'compliant',
    template: template(
      { Web: instance(undefined, { ImageId: { Ref: 'Ami' } }) },
      { Parameters: { Ami: { Type: 'AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>', Default: AL2023 } } },
    ),
    expect: [],
  },
  {
    name: 'another SSM parameter is not known to require IMDSv2',
    rule: 'IMDS001',
    kind: 'violation',
    template: template(
      { Web: instance(undefined, { ImageId: { Ref: 'Ami' } }) },
      { Parameters: { Ami: { Type: 'AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>', Default: '/aws/service/ami-amazon-linux-latest/amzn2-ami-hvm-x86_64-gp2' } } },
    ),
    expect: ['IMDS001 Web'],
  },
  {
    name: 'AMI marked by ImageImdsSupport',
    rule: 'IMDS001',
    kind: 'compliant',
    template: template({
      Image: { Type: 'Custom::ImageImdsSupport', Properties: { ServiceToken: 'arn', ImageId: AMI } },
      Web: instance(undefined, { ImageId: { 'Fn::GetAtt': ['Image', 'ImageId'] } }),
    }),
    expect: [],
  },
  {
    name: 'AMI marked by ImageImdsSupport, not trusted',
    rule: 'IMDS001',
    kind: 'violation',
    template: template({
      Image: { Type: 'Custom::ImageImdsSupport', Properties: { ServiceToken: 'arn', ImageId: AMI } },
      Web: instance(undefined, { ImageId: { 'Fn::GetAtt': ['Image', 'ImageId'] } }),
    }),
    options: { trustImageImdsSupport: false },
    expect: ['IMDS001 Web'],
  },
  {
    name: 'account default in the same app, trusted',
    rule: 'IMDS001',
    kind: 'compliant',
    template: template({
      Defaults: { Type: 'Custom::InstanceMetadataDefaults', Properties: { ServiceToken: 'arn', HttpTokens: 'required', Regions: [{ Ref: 'AWS::Region' }] } },
      Web: instance(),
    }),
    options: { trustAccountDefaults: true },
    expect: [],
  },
  {
    name: 'account default in the same app, not trusted',
    rule: 'IMDS001',
    kind: 'violation',
    template: template({
      Defaults: { Type: 'Custom::InstanceMetadataDefaults', Properties: { ServiceToken: 'arn', HttpTokens: 'required' } },
      Web: instance(),
    }),
    expect: ['IMDS001 Web'],
  },
  {
    name: 'tokens behind a condition that depends on a parameter: both branches count',
    rule: 'IMDS001',
    kind: 'violation',
    template: template(
      { Web: instance({ HttpTokens: { 'Fn::If': ['Strict', 'required', 'optional'] } }) },
      { Parameters: { Env: { Type: 'String', Default: 'prod' } }, Conditions: { Strict: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] } } },
    ),
    expect: ['IMDS001 Web'],
  },
  {
    name: 'tokens behind a condition that can be decided',
    rule: 'IMDS001',
    kind: 'compliant',
    template: template({ Web: instance({ HttpTokens: { 'Fn::If': ['Always', 'required', 'optional'] } }) }, { Conditions: { Always: { 'Fn::Equals': ['a', 'a'] } } }),
    expect: [],
  },
  {
    name: 'tokens from a parameter',
    rule: 'IMDS001',
    kind: 'cannot verify',
    template: template({ Web: instance({ HttpTokens: { Ref: 'Tokens' } }) }, { Parameters: { Tokens: { Type: 'String', Default: 'required' } } }),
    expect: ['IMDS010 Web'],
    messages: [
      'IMDS010 Web Properties/MetadataOptions/HttpTokens: cannot verify HttpTokens of AWS::EC2::Instance Web: it is parameter Tokens. Give it a literal value, or acknowledge IMDS010 with the reason it is safe.',
    ],
  },
  {
    name: 'group with an imported launch template',
    rule: 'IMDS001',
    kind: 'cannot verify',
    template: template({ Group: group('lt-0123456789abcdef0', {}, '3'), Subnet6: subnet6 }),
    expect: ['IMDS010 Group'],
  },
  {
    name: 'Spot Fleet launch specifications cannot carry options',
    rule: 'IMDS001',
    kind: 'violation',
    template: template({
      Fleet: {
        Type: 'AWS::EC2::SpotFleet',
        Properties: { SpotFleetRequestConfigData: { IamFleetRole: 'arn', TargetCapacity: 1, LaunchSpecifications: [{ ImageId: AMI, InstanceType: 't3.micro' }] } },
      },
    }),
    expect: ['IMDS001 Fleet'],
    messages: [
      'IMDS001 Fleet Properties/SpotFleetRequestConfigData/LaunchSpecifications/0: AWS::EC2::SpotFleet Fleet does not require IMDSv2: HttpTokens is "optional" (the AWS default, as nothing sets it), and only a launch template can set it for this launch. Use LaunchTemplateConfigs with a launch template that sets HttpTokens to "required" instead of LaunchSpecifications (or, with trustAccountDefaults, require it as the account default).',
    ],
  },
  {
    name: 'EC2 Fleet override sets tokens optional over a compliant template',
    rule: 'IMDS001',
    kind: 'violation',
    template: template({
      LT: launchTemplate(REQUIRED),
      Fleet: {
        Type: 'AWS::EC2::EC2Fleet',
        Properties: {
          TargetCapacitySpecification: { TotalTargetCapacity: 1 },
          LaunchTemplateConfigs: [{ LaunchTemplateSpecification: { LaunchTemplateId: { Ref: 'LT' }, Version: '1' }, Overrides: [{ InstanceType: 't3.small', MetadataOptions: { HttpTokens: 'optional' } }] }],
        },
      },
    }),
    expect: ['IMDS001 Fleet'],
    messages: [
      'IMDS001 Fleet Properties/LaunchTemplateConfigs/0/Overrides/0/MetadataOptions/HttpTokens: AWS::EC2::EC2Fleet Fleet does not require IMDSv2: HttpTokens is "optional" (set by Fleet at Properties/LaunchTemplateConfigs/0/Overrides/0/MetadataOptions/HttpTokens). Set HttpTokens to "required" at Fleet Properties/LaunchTemplateConfigs/0/Overrides/0/MetadataOptions/HttpTokens.',
    ],
  },
  {
    name: 'SageMaker notebook allowing IMDSv1',
    rule: 'IMDS001',
    kind: 'violation',
    template: template({
      Notebook: { Type: 'AWS::SageMaker::NotebookInstance', Properties: { InstanceType: 'ml.t3.medium', RoleArn: 'arn', InstanceMetadataServiceConfiguration: { MinimumInstanceMetadataServiceVersion: '1' } } },
    }),
    expect: ['IMDS001 Notebook'],
    messages: [
      'IMDS001 Notebook Properties/InstanceMetadataServiceConfiguration/MinimumInstanceMetadataServiceVersion: AWS::SageMaker::NotebookInstance Notebook does not require IMDSv2: MinimumInstanceMetadataServiceVersion allows IMDSv1 (set by Notebook at Properties/InstanceMetadataServiceConfiguration). Set MinimumInstanceMetadataServiceVersion to "2" at Notebook Properties/InstanceMetadataServiceConfiguration/MinimumInstanceMetadataServiceVersion.',
    ],
  },
  {
    name: 'SageMaker notebook requiring IMDSv2',
    rule: 'IMDS001',
    kind: 'compliant',
    template: template({
      Notebook: { Type: 'AWS::SageMaker::NotebookInstance', Properties: { InstanceType: 'ml.t3.medium', RoleArn: 'arn', InstanceMetadataServiceConfiguration: { MinimumInstanceMetadataServiceVersion: '2' } } },
    }),
    expect: [],
  },
  {
    name: 'AppStream fleet with IMDSv1 disabled',
    rule: 'IMDS001',
    kind: 'compliant',
    template: template({ Fleet: { Type: 'AWS::AppStream::Fleet', Properties: { Name: 'f', InstanceType: 'stream.standard.small', DisableIMDSV1: true } } }),
    expect: [],
  },
  {
    name: 'Elastic Beanstalk environment whose configuration template disables IMDSv1',
    rule: 'IMDS001',
    kind: 'compliant',
    template: template({
      Web: { Type: 'AWS::ElasticBeanstalk::Environment', Properties: { ApplicationName: 'shop', TemplateName: { Ref: 'Base' } } },
      Base: {
        Type: 'AWS::ElasticBeanstalk::ConfigurationTemplate',
        Properties: { ApplicationName: 'shop', SolutionStackName: '64bit Amazon Linux 2023 v6.1.0 running Node.js 20', OptionSettings: [{ Namespace: 'aws:autoscaling:launchconfiguration', OptionName: 'DisableIMDSv1', Value: 'true' }] },
      },
    }),
    expect: [],
  },
  {
    name: 'EMR cluster whose security configuration allows IMDSv1',
    rule: 'IMDS001',
    kind: 'violation',
    template: template({
      Etl: { Type: 'AWS::EMR::Cluster', Properties: { Name: 'etl', ReleaseLabel: 'emr-7.1.0', Instances: {}, JobFlowRole: 'r', ServiceRole: 's', SecurityConfiguration: { Ref: 'Sec' } } },
      Sec: { Type: 'AWS::EMR::SecurityConfiguration', Properties: { SecurityConfiguration: { InstanceMetadataServiceConfiguration: { MinimumInstanceMetadataServiceVersion: 1, HttpPutResponseHopLimit: 1 } } } },
    }),
    expect: ['IMDS001 Sec'],
  },
  {
    name: 'EKS node group without a launch template',
    rule: 'IMDS001',
    kind: 'violation',
    template: template({ Nodes: { Type: 'AWS::EKS::Nodegroup', Properties: { ClusterName: 'c', NodeRole: 'arn', Subnets: [{ Ref: 'Subnet6' }] } }, Subnet6: subnet6 }),
    expect: ['IMDS001 Nodes'],
    messages: [
      'IMDS001 Nodes Properties/LaunchTemplate: AWS::EKS::Nodegroup Nodes does not require IMDSv2: HttpTokens is "optional" (the AWS default, as nothing sets it), and only a launch template can set it for this launch. Name a launch template that sets HttpTokens to "required" at Properties/LaunchTemplate (or, with trustAccountDefaults, require it as the account default).',
    ],
  },

  {
    name: 'Batch compute environment whose launch template allows IMDSv1: on the template',
    rule: 'IMDS001',
    kind: 'violation',
    template: template({
      LT: launchTemplate({ HttpTokens: 'optional' }),
      Compute: {
        Type: 'AWS::Batch::ComputeEnvironment',
        Properties: {
          Type: 'MANAGED',
          ComputeResources: {
            Type: 'EC2',
            MaxvCpus: 4,
            Subnets: [{ Ref: 'Subnet6' }],
            InstanceTypes: ['c5'],
            LaunchTemplate: { LaunchTemplateId: { Ref: 'LT' }, Version: '1' },
          },
        },
      },
      Subnet6: subnet6,
    }),
    expect: ['IMDS001 LT'],
  },
  {
    name: 'Image Builder infrastructure requiring IMDSv2',
    rule: 'IMDS001',
    kind: 'compliant',
    template: template({
      Infra: {
        Type: 'AWS::ImageBuilder::InfrastructureConfiguration',
        Properties: { Name: 'infra', InstanceProfileName: 'p', InstanceMetadataOptions: { HttpTokens: 'required', HttpPutResponseHopLimit: 1 } },
      },
    }),
    expect: [],
  },
  {
    name: 'Image Builder infrastructure without metadata options',
    rule: 'IMDS001',
    kind: 'violation',
    template: template({ Infra: { Type: 'AWS::ImageBuilder::InfrastructureConfiguration', Properties: { Name: 'infra', InstanceProfileName: 'p' } } }),
    expect: ['IMDS001 Infra'],
    messages: [
      'IMDS001 Infra Properties/InstanceMetadataOptions: AWS::ImageBuilder::InfrastructureConfiguration Infra does not require IMDSv2: HttpTokens is "optional" (the AWS default, as nothing sets it). Set HttpTokens to "required" at Infra Properties/InstanceMetadataOptions.',
    ],
  },
  {
    name: 'SageMaker notebook without an IMDS configuration allows IMDSv1',
    rule: 'IMDS001',
    kind: 'violation',
    template: template({ Notebook: { Type: 'AWS::SageMaker::NotebookInstance', Properties: { InstanceType: 'ml.t3.medium', RoleArn: 'arn' } } }),
    expect: ['IMDS001 Notebook'],
    messages: [
      'IMDS001 Notebook Properties/InstanceMetadataServiceConfiguration/MinimumInstanceMetadataServiceVersion: AWS::SageMaker::NotebookInstance Notebook does not require IMDSv2 ' +
        '(SageMaker allows IMDSv1 unless MinimumInstanceMetadataServiceVersion is "2"). ' +
        'Set MinimumInstanceMetadataServiceVersion to "2" at Notebook Properties/InstanceMetadataServiceConfiguration/MinimumInstanceMetadataServiceVersion.',
    ],
  },
  {
    name: 'SageMaker notebook with the minimum IMDS version from a parameter',
    rule: 'IMDS001',
    kind: 'cannot verify',
    template: template(
      {
        Notebook: {
          Type: 'AWS::SageMaker::NotebookInstance',
          Properties: { InstanceType: 'ml.t3.medium', RoleArn: 'arn', InstanceMetadataServiceConfiguration: { MinimumInstanceMetadataServiceVersion: { Ref: 'ImdsVersion' } } },
        },
      },
      { Parameters: { ImdsVersion: { Type: 'String', Default: '2' } } },
    ),
    expect: ['IMDS010 Notebook'],
    messages: [
      'IMDS010 Notebook Properties/InstanceMetadataServiceConfiguration/MinimumInstanceMetadataServiceVersion: cannot verify that AWS::SageMaker::NotebookInstance Notebook requires IMDSv2: ' +
        'MinimumInstanceMetadataServiceVersion at Notebook Properties/InstanceMetadataServiceConfiguration/MinimumInstanceMetadataServiceVersion cannot be read (parameter ImdsVersion). ' +
        'Set MinimumInstanceMetadataServiceVersion to "2", or acknowledge IMDS010 with the reason it is safe.',
    ],
  },
  {
    name: 'AppStream fleet with IMDSv1 left on',
    rule: 'IMDS001',
    kind: 'violation',
    template: template({ Fleet: { Type: 'AWS::AppStream::Fleet', Properties: { Name: 'f', InstanceType: 'stream.standard.small', DisableIMDSV1: false } } }),
    expect: ['IMDS001 Fleet'],
    messages: [
      'IMDS001 Fleet Properties/DisableIMDSV1: AWS::AppStream::Fleet Fleet does not require IMDSv2: DisableIMDSV1 allows IMDSv1 (set by Fleet at Properties/DisableIMDSV1). ' +
        'Set DisableIMDSV1 to true at Fleet Properties/DisableIMDSV1.',
    ],
  },
  {
    name: 'AppStream image builder without DisableIMDSV1',
    rule: 'IMDS001',
    kind: 'violation',
    template: template({ Builder: { Type: 'AWS::AppStream::ImageBuilder', Properties: { Name: 'b', InstanceType: 'stream.standard.small' } } }),
    expect: ['IMDS001 Builder'],
    messages: [
      'IMDS001 Builder Properties/DisableIMDSV1: AWS::AppStream::ImageBuilder Builder does not require IMDSv2 (AppStream allows IMDSv1 unless DisableIMDSV1 is true). ' +
        'Set DisableIMDSV1 to true at Builder Properties/DisableIMDSV1.',
    ],
  },
  {
    name: 'AppStream fleet with DisableIMDSV1 from a parameter',
    rule: 'IMDS001',
    kind: 'cannot verify',
    template: template(
      { Fleet: { Type: 'AWS::AppStream::Fleet', Properties: { Name: 'f', InstanceType: 'stream.standard.small', DisableIMDSV1: { Ref: 'NoImdsV1' } } } },
      { Parameters: { NoImdsV1: { Type: 'String', Default: 'true' } } },
    ),
    expect: ['IMDS010 Fleet'],
    messages: [/^IMDS010 Fleet Properties\/DisableIMDSV1: cannot verify that AWS::AppStream::Fleet Fleet requires IMDSv2: DisableIMDSV1 at Fleet Properties\/DisableIMDSV1 cannot be read \(.*parameter NoImdsV1\)\. Set DisableIMDSV1 to true, or acknowledge IMDS010 with the reason it is safe\.$/],
  },
  {
    name: 'Image Builder infrastructure with tokens optional',
    rule: 'IMDS001',
    kind: 'violation',
    template: template({
      Infra: { Type: 'AWS::ImageBuilder::InfrastructureConfiguration', Properties: { Name: 'infra', InstanceProfileName: 'p', InstanceMetadataOptions: { HttpTokens: 'optional' } } },
    }),
    expect: ['IMDS001 Infra'],
    messages: [
      'IMDS001 Infra Properties/InstanceMetadataOptions/HttpTokens: AWS::ImageBuilder::InfrastructureConfiguration Infra does not require IMDSv2: HttpTokens is "optional" ' +
        '(set by Infra at Properties/InstanceMetadataOptions/HttpTokens). Set HttpTokens to "required" at Infra Properties/InstanceMetadataOptions/HttpTokens.',
    ],
  },
  // IMDS002 ------------------------------------------------------------------------------------
  { name: 'hop limit 2', rule: 'IMDS002', kind: 'compliant', template: template({ Web: instance({ HttpTokens: 'required', HttpPutResponseHopLimit: 2 }) }), expect: [] },
  {
    name: 'hop limit 0',
    rule: 'IMDS002',
    kind: 'violation',
    template: template({ LT: launchTemplate({ HttpTokens: 'required', HttpPutResponseHopLimit: 0 }) }),
    expect: ['IMDS002 LT'],
    errors: ['IMDS002 LT'],
  },
  {
    name: 'hop limit 65 as a string',
    rule: 'IMDS002',
    kind: 'violation',
    template: template({ Web: instance({ HttpTokens: 'required', HttpPutResponseHopLimit: '65' }) }),
    expect: ['IMDS002 Web'],
  },
  {
    name: 'hop limit from a parameter',
    rule: 'IMDS002',
    kind: 'cannot verify',
    template: template({ Web: instance({ HttpTokens: 'required', HttpPutResponseHopLimit: { Ref: 'Hops' } }) }, { Parameters: { Hops: { Type: 'Number', Default: 1 } } }),
    expect: ['IMDS010 Web'],
  },

  // IMDS003 ------------------------------------------------------------------------------------
  {
    name: 'hop limit within maxHopLimit',
    rule: 'IMDS003',
    kind: 'compliant',
    template: template({ Web: instance({ HttpTokens: 'required', HttpPutResponseHopLimit: 1 }) }),
    options: { maxHopLimit: 1 },
    expect: [],
  },
  {
    name: 'hop limit above maxHopLimit',
    rule: 'IMDS003',
    kind: 'violation',
    template: template({ Web: instance({ HttpTokens: 'required', HttpPutResponseHopLimit: 3 }) }),
    options: { maxHopLimit: 2 },
    expect: ['IMDS003 Web'],
  },
  {
    name: 'hop limit above the maximum of a policy in the app',
    rule: 'IMDS003',
    kind: 'violation',
    template: template({
      LT: launchTemplate({ HttpTokens: 'required', HttpPutResponseHopLimit: 2 }),
      Guard: {
        Type: 'AWS::IAM::ManagedPolicy',
        Properties: {
          PolicyDocument: {
            Version: '2012-10-17',
            Statement: [{ Effect: 'Deny', Action: 'ec2:RunInstances', Resource: '*', Condition: { NumericGreaterThan: { 'ec2:MetadataHttpPutResponseHopLimit': '1' } } }],
          },
        },
      },
    }),
    expect: ['IMDS003 LT'],
  },
  {
    name: 'hop limit from a parameter against maxHopLimit',
    rule: 'IMDS003',
    kind: 'cannot verify',
    template: template({ Web: instance({ HttpTokens: 'required', HttpPutResponseHopLimit: { Ref: 'Hops' } }) }, { Parameters: { Hops: { Type: 'Number', Default: 1 } } }),
    options: { maxHopLimit: 1 },
    expect: ['IMDS010 Web'],
  },

  {
    name: 'hop limit against a policy maximum from a parameter',
    rule: 'IMDS010',
    kind: 'cannot verify',
    template: template(
      {
        LT: launchTemplate({ HttpTokens: 'required', HttpPutResponseHopLimit: 2 }),
        Guard: {
          Type: 'AWS::IAM::ManagedPolicy',
          Properties: {
            PolicyDocument: {
              Version: '2012-10-17',
              Statement: [{ Effect: 'Deny', Action: 'ec2:RunInstances', Resource: '*', Condition: { NumericGreaterThan: { 'ec2:MetadataHttpPutResponseHopLimit': { Ref: 'MaxHops' } } } }],
            },
          },
        },
      },
      { Parameters: { MaxHops: { Type: 'Number', Default: 1 } } },
    ),
    expect: ['IMDS010 LT'],
  },

  // IMDS004 ------------------------------------------------------------------------------------
  {
    name: 'IPv6 endpoint on a Nitro type in a dual-stack subnet',
    rule: 'IMDS004',
    kind: 'compliant',
    template: template({ Web: instance(IPV6, { SubnetId: { Ref: 'Subnet6' } }), Subnet6: subnet6 }),
    expect: [],
  },
  {
    name: 'IPv6 endpoint on m4.large',
    rule: 'IMDS004',
    kind: 'violation',
    template: template({ Web: instance(IPV6, { InstanceType: 'm4.large', SubnetId: { Ref: 'Subnet6' } }), Subnet6: subnet6 }),
    expect: ['IMDS004 Web'],
  },
  {
    name: 'IPv6 endpoint from a template with a Xen override in a mixed-instances group: on the group',
    rule: 'IMDS004',
    kind: 'violation',
    template: template({
      LT: launchTemplate(IPV6),
      Subnet6: subnet6,
      Group: {
        Type: 'AWS::AutoScaling::AutoScalingGroup',
        Properties: {
          MinSize: '1',
          MaxSize: '2',
          VPCZoneIdentifier: [{ Ref: 'Subnet6' }],
          MixedInstancesPolicy: {
            LaunchTemplate: {
              LaunchTemplateSpecification: { LaunchTemplateId: { Ref: 'LT' }, Version: { 'Fn::GetAtt': ['LT', 'LatestVersionNumber'] } },
              Overrides: [{ InstanceType: 'c5.large' }, { InstanceType: 'c4.large' }],
            },
          },
        },
      },
    }),
    expect: ['IMDS004 Group'],
  },
  {
    name: 'IPv6 endpoint with the instance type from a parameter',
    rule: 'IMDS004',
    kind: 'cannot verify',
    template: template(
      { Web: instance(IPV6, { InstanceType: { Ref: 'Type' }, SubnetId: { Ref: 'Subnet6' } }), Subnet6: subnet6 },
      { Parameters: { Type: { Type: 'String', Default: 't3.micro' } } },
    ),
    expect: ['IMDS010 Web'],
  },

  {
    name: 'WorkSpaces instance with the IPv6 endpoint on t2.micro',
    rule: 'IMDS004',
    kind: 'violation',
    template: template({
      Desk: {
        Type: 'AWS::WorkspacesInstances::WorkspaceInstance',
        Properties: { ManagedInstance: { ImageId: AMI, InstanceType: 't2.micro', SubnetId: { Ref: 'Subnet6' }, MetadataOptions: IPV6 } },
      },
      Subnet6: subnet6,
    }),
    expect: ['IMDS004 Desk'],
  },
  // IMDS005 ------------------------------------------------------------------------------------
  {
    name: 'IPv6 endpoint in a subnet given IPv6 by AWS::EC2::SubnetCidrBlock',
    rule: 'IMDS005',
    kind: 'compliant',
    template: template({
      Web: instance(IPV6, { SubnetId: { Ref: 'Subnet4' } }),
      Subnet4: subnet4,
      Block: { Type: 'AWS::EC2::SubnetCidrBlock', Properties: { SubnetId: { Ref: 'Subnet4' }, Ipv6CidrBlock: '2001:db8::/64' } },
    }),
    expect: [],
  },
  {
    name: 'IPv6 endpoint in an IPv4-only subnet',
    rule: 'IMDS005',
    kind: 'violation',
    template: template({ Web: instance(IPV6, { SubnetId: { Ref: 'Subnet4' } }), Subnet4: subnet4 }),
    expect: ['IMDS005 Web'],
  },
  {
    name: 'IPv6 endpoint in an IPv4-only subnet of a network interface',
    rule: 'IMDS005',
    kind: 'violation',
    template: template({ Web: instance(IPV6, { NetworkInterfaces: [{ DeviceIndex: '0', SubnetId: { Ref: 'Subnet4' } }] }), Subnet4: subnet4 }),
    expect: ['IMDS005 Web'],
  },
  {
    name: 'IPv6 endpoint in an imported subnet',
    rule: 'IMDS005',
    kind: 'cannot verify',
    template: template({ Web: instance(IPV6, { SubnetId: 'subnet-0123456789abcdef0' }) }),
    expect: ['IMDS010 Web'],
    messages: [
      'IMDS010 Web Properties: cannot verify that the subnets of AWS::EC2::Instance Web have IPv6 for the IPv6 metadata endpoint: its subnet cannot be known: subnet subnet-0123456789abcdef0 is not defined in the templates given (imported). Launch into subnets defined in the app.',
    ],
  },

  // IMDS006 ------------------------------------------------------------------------------------
  {
    name: 'IPv6 endpoint with the endpoint enabled',
    rule: 'IMDS006',
    kind: 'compliant',
    template: template({ LT: launchTemplate({ ...IPV6, HttpEndpoint: 'enabled' }), Group: group({ Ref: 'LT' }), Subnet6: subnet6 }),
    expect: [],
  },
  {
    name: 'IPv6 endpoint with the endpoint disabled',
    rule: 'IMDS006',
    kind: 'violation',
    template: template({ LT: launchTemplate({ HttpEndpoint: 'disabled', HttpProtocolIpv6: 'enabled' }), Group: group({ Ref: 'LT' }), Subnet6: subnet6 }),
    expect: ['IMDS006 LT'],
  },
  {
    name: 'IPv6 endpoint with the endpoint from a parameter',
    rule: 'IMDS006',
    kind: 'cannot verify',
    template: template(
      { LT: launchTemplate({ ...IPV6, HttpEndpoint: { Ref: 'Endpoint' } }), Group: group({ Ref: 'LT' }), Subnet6: subnet6 },
      { Parameters: { Endpoint: { Type: 'String', Default: 'enabled' } } },
    ),
    expect: ['IMDS010 LT'],
  },

  // IMDS007 ------------------------------------------------------------------------------------
  {
    name: 'endpoint disabled with shebang-only user data',
    rule: 'IMDS007',
    kind: 'compliant',
    template: template({ Web: instance({ HttpEndpoint: 'disabled' }, { UserData: { 'Fn::Base64': '#!/bin/bash' } }) }),
    expect: [],
  },
  {
    name: 'endpoint disabled with user data',
    rule: 'IMDS007',
    kind: 'violation',
    template: template({ Web: instance({ HttpEndpoint: 'disabled' }, { UserData: { 'Fn::Base64': '#!/bin/bash\nyum -y update' } }) }),
    expect: ['IMDS007 Web'],
  },
  {
    name: 'endpoint disabled in the template, user data from a token',
    rule: 'IMDS007',
    kind: 'violation',
    template: template(
      {
        LT: launchTemplate({ HttpEndpoint: 'disabled' }, { UserData: { 'Fn::Base64': { 'Fn::Join': ['', ['#!/bin/bash\n', { Ref: 'Script' }]] } } }),
        Group: group({ Ref: 'LT' }),
        Subnet6: subnet6,
      },
      { Parameters: { Script: { Type: 'String', Default: 'echo' } } },
    ),
    expect: ['IMDS007 LT'],
  },
  {
    name: 'user data with the endpoint from a parameter',
    rule: 'IMDS007',
    kind: 'cannot verify',
    template: template(
      { Web: instance({ HttpTokens: 'required', HttpEndpoint: { Ref: 'Endpoint' } }, { UserData: { 'Fn::Base64': '#!/bin/bash\necho hi' } }) },
      { Parameters: { Endpoint: { Type: 'String', Default: 'enabled' } } },
    ),
    expect: ['IMDS010 Web'],
  },

  // IMDS008 ------------------------------------------------------------------------------------
  { name: 'key pair with the endpoint on', rule: 'IMDS008', kind: 'compliant', template: template({ Web: instance(REQUIRED, { KeyName: 'ops' }) }), expect: [] },
  {
    name: 'key pair with the endpoint off',
    rule: 'IMDS008',
    kind: 'violation',
    template: template({ Web: instance({ HttpEndpoint: 'disabled' }, { KeyName: 'ops' }) }),
    expect: ['IMDS008 Web'],
    errors: [],
  },
  {
    name: 'key pair with the endpoint from a parameter',
    rule: 'IMDS008',
    kind: 'cannot verify',
    template: template(
      { Web: instance({ HttpTokens: 'required', HttpEndpoint: { Ref: 'Endpoint' } }, { KeyName: 'ops' }) },
      { Parameters: { Endpoint: { Type: 'String', Default: 'enabled' } } },
    ),
    expect: ['IMDS010 Web'],
  },

  // IMDS009 ------------------------------------------------------------------------------------
  {
    name: 'tags in metadata with keys IMDS serves',
    rule: 'IMDS009',
    kind: 'compliant',
    template: template({ Web: instance({ HttpTokens: 'required', InstanceMetadataTags: 'enabled' }, { Tags: [{ Key: 'team:name', Value: 'a' }] }) }),
    expect: [],
  },
  {
    name: 'tags in metadata with a key holding "/"',
    rule: 'IMDS009',
    kind: 'violation',
    template: template({ Web: instance({ HttpTokens: 'required', InstanceMetadataTags: 'enabled' }, { Tags: [{ Key: 'team/name', Value: 'a' }] }) }),
    expect: ['IMDS009 Web'],
    messages: [
      'IMDS009 Web Properties/MetadataOptions: AWS::EC2::Instance Web has tags in instance metadata on (set by Web at Properties/MetadataOptions/InstanceMetadataTags) and ' +
        'tag key "team/name" from Web Properties/Tags cannot be served by IMDS (it contains "/"); the launch would fail. ' +
        TAG_KEY_FIX,
    ],
  },
  {
    name: 'tags in metadata with a bad key in the launch template tag specifications',
    rule: 'IMDS009',
    kind: 'violation',
    template: template({
      LT: launchTemplate(
        { HttpTokens: 'required', InstanceMetadataTags: 'enabled' },
        { TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'cost center', Value: 'a' }] }, { ResourceType: 'volume', Tags: [{ Key: 'ok/for/volumes', Value: 'a' }] }] },
      ),
      Group: group({ Ref: 'LT' }),
      Subnet6: subnet6,
    }),
    expect: ['IMDS009 LT'],
    messages: [
      'IMDS009 LT Properties/LaunchTemplateData/MetadataOptions: AWS::AutoScaling::AutoScalingGroup Group has tags in instance metadata on ' +
        '(set by LT at Properties/LaunchTemplateData/MetadataOptions/InstanceMetadataTags) and tag key "cost center" from LT Properties/LaunchTemplateData/TagSpecifications/0/Tags ' +
        'cannot be served by IMDS (it contains a space); the launch would fail. ' +
        TAG_KEY_FIX,
    ],
  },
  {
    name: 'tags in metadata with a bad group tag that propagates at launch: on the group',
    rule: 'IMDS009',
    kind: 'violation',
    template: template({
      LT: launchTemplate({ HttpTokens: 'required', InstanceMetadataTags: 'enabled' }),
      Group: group({ Ref: 'LT' }, { Tags: [{ Key: '_index', Value: 'a', PropagateAtLaunch: true }, { Key: 'not/propagated', Value: 'b', PropagateAtLaunch: false }] }),
      Subnet6: subnet6,
    }),
    expect: ['IMDS009 Group'],
    messages: [
      'IMDS009 Group Properties/Tags/0/Key: AWS::AutoScaling::AutoScalingGroup Group has tags in instance metadata on (set by LT at Properties/LaunchTemplateData/MetadataOptions/InstanceMetadataTags) ' +
        'and tag key "_index" from Group Properties/Tags/0/Key cannot be served by IMDS ("_index" is a reserved name); the launch would fail. ' +
        TAG_KEY_FIX,
    ],
  },
  {
    name: 'tags in metadata with a tag key from a parameter',
    rule: 'IMDS009',
    kind: 'cannot verify',
    template: template(
      { Web: instance({ HttpTokens: 'required', InstanceMetadataTags: 'enabled' }, { Tags: [{ Key: { Ref: 'TagKey' }, Value: 'a' }] }) },
      { Parameters: { TagKey: { Type: 'String', Default: 'team' } } },
    ),
    expect: ['IMDS010 Web'],
    messages: [
      'IMDS010 Web Properties/Tags: cannot verify the tag keys of AWS::EC2::Instance Web for tags in instance metadata: a key is parameter TagKey. Use literal tag keys.',
    ],
  },

  {
    name: 'tags in metadata with an Fn::Sub key whose literal part holds "/"',
    rule: 'IMDS009',
    kind: 'violation',
    template: template(
      { Web: instance(TAGS_ON, { Tags: [{ Key: { 'Fn::Sub': 'kubernetes.io/cluster/${ClusterName}' }, Value: 'owned' }] }) },
      { Parameters: { ClusterName: { Type: 'String', Default: 'prod' } } },
    ),
    expect: ['IMDS009 Web'],
    errors: ['IMDS009 Web'],
    messages: [
      'IMDS009 Web Properties/MetadataOptions: AWS::EC2::Instance Web has tags in instance metadata on (set by Web at Properties/MetadataOptions/InstanceMetadataTags) and ' +
        'tag key {"Fn::Sub":"kubernetes.io/cluster/${ClusterName}"} from Web Properties/Tags cannot be served by IMDS: its literal part "kubernetes.io/cluster/" contains "/", ' +
        'whatever the rest (parameter ClusterName) turns out to be; the launch would fail. ' +
        TAG_KEY_FIX,
    ],
  },
  {
    name: 'tags in metadata with an Fn::Sub key and a variable map: the literal value of a variable counts',
    rule: 'IMDS009',
    kind: 'violation',
    template: template(
      { Web: instance(TAGS_ON, { Tags: [{ Key: { 'Fn::Sub': ['${Prefix}/${Name}', { Prefix: 'team', Name: { Ref: 'TagKey' } }] }, Value: 'a' }] }) },
      { Parameters: { TagKey: { Type: 'String', Default: 'owner' } } },
    ),
    expect: ['IMDS009 Web'],
    messages: [/^IMDS009 Web Properties\/MetadataOptions: .* tag key \{"Fn::Sub":\["\$\{Prefix\}\/\$\{Name\}",.*\]\} from Web Properties\/Tags cannot be served by IMDS: its literal part "team\/" contains "\/", whatever the rest \(parameter TagKey\) turns out to be; the launch would fail\. Allowed in a key: /],
  },
  {
    name: 'tags in metadata with an Fn::Join key whose literal part holds "/"',
    rule: 'IMDS009',
    kind: 'violation',
    template: template(
      { Web: instance(TAGS_ON, { Tags: [{ Key: { 'Fn::Join': ['', ['team/', { Ref: 'TagKey' }]] }, Value: 'a' }] }) },
      { Parameters: { TagKey: { Type: 'String', Default: 'owner' } } },
    ),
    expect: ['IMDS009 Web'],
    messages: [
      'IMDS009 Web Properties/MetadataOptions: AWS::EC2::Instance Web has tags in instance metadata on (set by Web at Properties/MetadataOptions/InstanceMetadataTags) and ' +
        'tag key {"Fn::Join":["",["team/",{"Ref":"TagKey"}]]} from Web Properties/Tags cannot be served by IMDS: its literal part "team/" contains "/", ' +
        'whatever the rest (parameter TagKey) turns out to be; the launch would fail. ' +
        TAG_KEY_FIX,
    ],
  },
  {
    name: 'tags in metadata with an Fn::Join key whose separator is "/"',
    rule: 'IMDS009',
    kind: 'violation',
    template: template(
      { Web: instance(TAGS_ON, { Tags: [{ Key: { 'Fn::Join': ['/', [{ Ref: 'TagKey' }, 'owner']] }, Value: 'a' }] }) },
      { Parameters: { TagKey: { Type: 'String', Default: 'team' } } },
    ),
    expect: ['IMDS009 Web'],
    messages: [/^IMDS009 Web Properties\/MetadataOptions: .* tag key \{"Fn::Join":\["\/",\[\{"Ref":"TagKey"\},"owner"\]\]\} from Web Properties\/Tags cannot be served by IMDS: its literal part "\/owner" contains "\/", /],
  },
  {
    name: 'tags in metadata with an Fn::Sub key holding a ${!Literal} escape',
    rule: 'IMDS009',
    kind: 'violation',
    template: template(
      { Web: instance(TAGS_ON, { Tags: [{ Key: { 'Fn::Sub': '${!Team}-${TagKey}' }, Value: 'a' }] }) },
      { Parameters: { TagKey: { Type: 'String', Default: 'owner' } } },
    ),
    expect: ['IMDS009 Web'],
    messages: [/^IMDS009 Web Properties\/MetadataOptions: .* tag key \{"Fn::Sub":"\$\{!Team\}-\$\{TagKey\}"\} from Web Properties\/Tags cannot be served by IMDS: its literal part "\$\{Team\}-" contains "\$", "\{", "\}", /],
  },
  {
    name: 'tags in metadata with an Fn::If whose undecided branch is an Fn::Sub key holding "/"',
    rule: 'IMDS009',
    kind: 'violation',
    template: template(
      { Web: instance(TAGS_ON, { Tags: [{ Key: { 'Fn::If': ['OnEks', { 'Fn::Sub': 'kubernetes.io/cluster/${ClusterName}' }, 'cluster'] }, Value: 'owned' }] }) },
      {
        Parameters: { ClusterName: { Type: 'String', Default: 'prod' }, Platform: { Type: 'String', Default: 'eks' } },
        Conditions: { OnEks: { 'Fn::Equals': [{ Ref: 'Platform' }, 'eks'] } },
      },
    ),
    expect: ['IMDS009 Web'],
    messages: [/^IMDS009 Web Properties\/MetadataOptions: .* tag key \{"Fn::Sub":"kubernetes\.io\/cluster\/\$\{ClusterName\}"\} from Web Properties\/Tags cannot be served by IMDS: its literal part "kubernetes\.io\/cluster\/" contains "\/", /],
  },
  {
    name: 'tags in metadata with an Fn::Sub key whose variables are all literal',
    rule: 'IMDS009',
    kind: 'compliant',
    template: template({ Web: instance(TAGS_ON, { Tags: [{ Key: { 'Fn::Sub': ['team-${Suffix}', { Suffix: 'owner' }] }, Value: 'a' }] }) }),
    expect: [],
  },
  {
    name: 'tags in metadata with an Fn::Sub key whose literal parts IMDS serves',
    rule: 'IMDS009',
    kind: 'cannot verify',
    template: template(
      { Web: instance(TAGS_ON, { Tags: [{ Key: { 'Fn::Sub': 'team-${TagKey}' }, Value: 'a' }] }) },
      { Parameters: { TagKey: { Type: 'String', Default: 'owner' } } },
    ),
    expect: ['IMDS010 Web'],
    messages: [
      'IMDS010 Web Properties/Tags: cannot verify the tag keys of AWS::EC2::Instance Web for tags in instance metadata: ' +
        'key {"Fn::Sub":"team-${TagKey}"} is known only at deployment (parameter TagKey). Use literal tag keys.',
    ],
  },
  {
    name: 'tags in metadata with a ${!Literal} escape in a launch template, where it may resolve to nothing',
    rule: 'IMDS009',
    kind: 'cannot verify',
    template: template(
      {
        LT: launchTemplate(TAGS_ON, { TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: { 'Fn::Sub': 'team${!Suffix}${TagKey}' }, Value: 'a' }] }] }),
        Group: group({ Ref: 'LT' }),
        Subnet6: subnet6,
      },
      { Parameters: { TagKey: { Type: 'String', Default: 'owner' } } },
    ),
    expect: ['IMDS010 LT'],
    messages: [
      'IMDS010 LT Properties/LaunchTemplateData/TagSpecifications/0/Tags: cannot verify the tag keys of AWS::AutoScaling::AutoScalingGroup Group for tags in instance metadata: ' +
        'key {"Fn::Sub":"team${!Suffix}${TagKey}"} is known only at deployment (parameter TagKey). Use literal tag keys.',
    ],
  },

  // IMDS010 ------------------------------------------------------------------------------------
  {
    name: 'imported launch template under strict is an error',
    rule: 'IMDS010',
    kind: 'violation',
    template: template({ Group: group('lt-0123456789abcdef0', {}, '3'), Subnet6: subnet6 }),
    options: { strict: true },
    expect: ['IMDS010 Group'],
    errors: ['IMDS010 Group'],
    messages: [
      'IMDS010 Group Properties: cannot verify the metadata options of AWS::AutoScaling::AutoScalingGroup Group: launch template lt-0123456789abcdef0 is not defined in the templates given (imported). Define the launch template in the app, or acknowledge IMDS010 with the reason it is safe.',
    ],
  },
  {
    name: 'launch template exported by a stack not given to the checker',
    rule: 'IMDS010',
    kind: 'cannot verify',
    template: template({ Group: group({ 'Fn::ImportValue': 'Shared-LaunchTemplateId' }, {}, '1'), Subnet6: subnet6 }),
    expect: ['IMDS010 Group'],
    errors: [],
  },
  {
    name: 'launch template found by literal name (as requireImdsv2 on ec2.Instance does)',
    rule: 'IMDS010',
    kind: 'compliant',
    template: template({
      LT: { Type: 'AWS::EC2::LaunchTemplate', Properties: { LaunchTemplateName: 'WebLaunchTemplate', LaunchTemplateData: { MetadataOptions: REQUIRED } } },
      Web: instance(undefined, { LaunchTemplate: { LaunchTemplateName: 'WebLaunchTemplate', Version: { 'Fn::GetAtt': ['LT', 'LatestVersionNumber'] } } }),
    }),
    expect: [],
  },

  {
    name: 'IPv6 endpoint for a group with an imported subnet and a subnet parameter: both named',
    rule: 'IMDS010',
    kind: 'cannot verify',
    template: template(
      {
        LT: launchTemplate(IPV6),
        Group: group({ Ref: 'LT' }, { VPCZoneIdentifier: [{ Ref: 'Subnet6' }, 'subnet-0123456789abcdef0', { Ref: 'AppSubnet' }] }),
        Subnet6: subnet6,
      },
      { Parameters: { AppSubnet: { Type: 'AWS::EC2::Subnet::Id' } } },
    ),
    expect: ['IMDS010 Group'],
    messages: [
      'IMDS010 Group Properties: cannot verify that the subnets of AWS::AutoScaling::AutoScalingGroup Group have IPv6 for the IPv6 metadata endpoint: ' +
        '2 of its 3 subnets cannot be known: subnet subnet-0123456789abcdef0 is not defined in the templates given (imported); the subnet is parameter AppSubnet. ' +
        'Launch into subnets defined in the app.',
    ],
  },
  {
    name: 'IPv6 endpoint for a group whose subnets are a list parameter',
    rule: 'IMDS010',
    kind: 'cannot verify',
    template: template(
      { LT: launchTemplate(IPV6), Group: group({ Ref: 'LT' }, { VPCZoneIdentifier: { Ref: 'AppSubnets' } }) },
      { Parameters: { AppSubnets: { Type: 'List<AWS::EC2::Subnet::Id>' } } },
    ),
    expect: ['IMDS010 Group'],
    messages: [
      'IMDS010 Group Properties: cannot verify that the subnets of AWS::AutoScaling::AutoScalingGroup Group have IPv6 for the IPv6 metadata endpoint: ' +
        'its subnets cannot be known: parameter AppSubnets. Launch into subnets defined in the app.',
    ],
  },

  // IMDS011 ------------------------------------------------------------------------------------
  {
    name: 'ECS capacity with hop limit 2',
    rule: 'IMDS011',
    kind: 'compliant',
    template: template({
      LT: launchTemplate({ HttpTokens: 'required', HttpPutResponseHopLimit: 2 }),
      Group: group({ Ref: 'LT' }),
      Subnet6: subnet6,
      Capacity: { Type: 'AWS::ECS::CapacityProvider', Properties: { AutoScalingGroupProvider: { AutoScalingGroupArn: { Ref: 'Group' } } } },
    }),
    expect: [],
  },
  {
    name: 'ECS capacity with hop limit 1',
    rule: 'IMDS011',
    kind: 'violation',
    template: template({
      LT: launchTemplate({ HttpTokens: 'required', HttpPutResponseHopLimit: 1 }),
      Group: group({ Ref: 'LT' }),
      Subnet6: subnet6,
      Capacity: { Type: 'AWS::ECS::CapacityProvider', Properties: { AutoScalingGroupProvider: { AutoScalingGroupArn: { Ref: 'Group' } } } },
    }),
    expect: ['IMDS011 LT'],
    errors: [],
  },
  {
    // aws-cdk-lib's ecs.Cluster addCapacity: no capacity provider, the user data names the cluster by Ref.
    name: 'ECS capacity joined by user data that names the cluster by Ref, with hop limit 1',
    rule: 'IMDS011',
    kind: 'violation',
    template: template({
      Cluster: { Type: 'AWS::ECS::Cluster', Properties: {} },
      LT: launchTemplate({ HttpTokens: 'required' }, {
        UserData: { 'Fn::Base64': { 'Fn::Join': ['', ['#!/bin/bash\necho ECS_CLUSTER=', { Ref: 'Cluster' }, ' >> /etc/ecs/ecs.config']] } },
      }),
      Group: group({ Ref: 'LT' }),
      Subnet6: subnet6,
    }),
    expect: ['IMDS011 LT'],
    messages: [/^IMDS011 LT Properties\/LaunchTemplateData\/MetadataOptions: .* is a container host \(its user data joins an ECS cluster \(ECS_CLUSTER\)\) that requires IMDSv2 with hop limit 1/],
  },
  {
    name: 'Bottlerocket ECS capacity joined by TOML user data, with hop limit 1',
    rule: 'IMDS011',
    kind: 'violation',
    template: template({
      Cluster: { Type: 'AWS::ECS::Cluster', Properties: {} },
      LT: launchTemplate({ HttpTokens: 'required', HttpPutResponseHopLimit: 1 }, {
        UserData: { 'Fn::Base64': { 'Fn::Join': ['', ['\n[settings.ecs]\ncluster = "', { Ref: 'Cluster' }, '"']] } },
      }),
      Group: group({ Ref: 'LT' }),
      Subnet6: subnet6,
    }),
    expect: ['IMDS011 LT'],
    messages: [/^IMDS011 LT Properties\/LaunchTemplateData\/MetadataOptions\/HttpPutResponseHopLimit: .*\(its Bottlerocket user data joins an ECS cluster \(\[settings\.ecs\]\)\)/],
  },
  {
    // A launch template no launch of the template uses is checked as the launch it describes.
    name: 'a standalone launch template whose user data joins an ECS cluster, with hop limit 1',
    rule: 'IMDS011',
    kind: 'violation',
    template: template({
      LT: launchTemplate({ HttpTokens: 'required', HttpPutResponseHopLimit: 1 }, {
        UserData: { 'Fn::Base64': '#!/bin/bash\necho ECS_CLUSTER=web >> /etc/ecs/ecs.config' },
      }),
    }),
    expect: ['IMDS011 LT'],
    messages: [/^IMDS011 LT Properties\/LaunchTemplateData\/MetadataOptions\/HttpPutResponseHopLimit: .* is a container host \(its user data joins an ECS cluster \(ECS_CLUSTER\)\)/],
  },
  {
    name: 'EKS node group with a template whose hop limit is a parameter',
    rule: 'IMDS011',
    kind: 'cannot verify',
    template: template(
      {
        LT: launchTemplate({ HttpTokens: 'required', HttpPutResponseHopLimit: { Ref: 'Hops' } }),
        Nodes: { Type: 'AWS::EKS::Nodegroup', Properties: { ClusterName: 'c', NodeRole: 'arn', Subnets: [{ Ref: 'Subnet6' }], LaunchTemplate: { Id: { Ref: 'LT' }, Version: '1' } } },
        Subnet6: subnet6,
      },
      { Parameters: { Hops: { Type: 'Number', Default: 1 } } },
    ),
    expect: ['IMDS010 LT'],
  },

  {
    name: 'Batch compute environment with hop limit 1',
    rule: 'IMDS011',
    kind: 'violation',
    template: template({
      LT: launchTemplate({ HttpTokens: 'required', HttpPutResponseHopLimit: 1 }),
      Compute: {
        Type: 'AWS::Batch::ComputeEnvironment',
        Properties: { Type: 'MANAGED', ComputeResources: { Type: 'EC2', MaxvCpus: 4, Subnets: [{ Ref: 'Subnet6' }], LaunchTemplate: { LaunchTemplateId: { Ref: 'LT' }, Version: '1' } } },
      },
      Subnet6: subnet6,
    }),
    expect: ['IMDS011 LT'],
  },
  // IMDS012 ------------------------------------------------------------------------------------
  {
    name: 'group with a specific template version',
    rule: 'IMDS012',
    kind: 'compliant',
    template: template({ LT: launchTemplate(REQUIRED), Group: group({ Ref: 'LT' }), Subnet6: subnet6 }),
    expect: [],
  },
  {
    name: 'group with template version $Latest',
    rule: 'IMDS012',
    kind: 'violation',
    template: template({ LT: launchTemplate(REQUIRED), Group: group({ Ref: 'LT' }, {}, '$Latest'), Subnet6: subnet6 }),
    expect: ['IMDS012 Group'],
    errors: [],
  },
  {
    name: 'group with a launch configuration',
    rule: 'IMDS012',
    kind: 'violation',
    template: template({
      Config: { Type: 'AWS::AutoScaling::LaunchConfiguration', Properties: { ImageId: AMI, InstanceType: 't3.micro', MetadataOptions: REQUIRED } },
      Group: { Type: 'AWS::AutoScaling::AutoScalingGroup', Properties: { MinSize: '1', MaxSize: '1', LaunchConfigurationName: { Ref: 'Config' }, VPCZoneIdentifier: [{ Ref: 'Subnet6' }] } },
      Subnet6: subnet6,
    }),
    expect: ['IMDS012 Group'],
  },
  {
    name: 'group with a launch configuration from another stack',
    rule: 'IMDS012',
    kind: 'cannot verify',
    template: template({
      Group: { Type: 'AWS::AutoScaling::AutoScalingGroup', Properties: { MinSize: '1', MaxSize: '1', LaunchConfigurationName: { 'Fn::ImportValue': 'OtherConfig' }, VPCZoneIdentifier: [{ Ref: 'Subnet6' }] } },
      Subnet6: subnet6,
    }),
    expect: ['IMDS010 Group', 'IMDS012 Group'],
  },
];

/** A finding as scenarios' `messages` give it: `RULE LogicalId PropertyPath: message`. */
export function findingText(f: { ruleId: string; logicalId: string; propertyPath: string; message: string }): string {
  const prefix = `${f.ruleId}: `;
  return `${f.ruleId} ${f.logicalId} ${f.propertyPath}: ${f.message.startsWith(prefix) ? f.message.slice(prefix.length) : f.message}`;
}

/**
 * The expected texts no finding matches and the findings no expected text matches, each expected
 * text taking the first finding it matches that no earlier one took.
 */
export function unmatchedMessages(texts: readonly string[], expected: ReadonlyArray<string | RegExp>): { missing: string[]; unexpected: string[] } {
  const left = [...texts];
  const missing: string[] = [];
  for (const e of expected) {
    const i = left.findIndex((t) => (typeof e === 'string' ? t === e : e.test(t)));
    if (i < 0) missing.push(String(e));
    else left.splice(i, 1);
  }
  return { missing, unexpected: left };
}

/** "RULE LogicalId" keys, sorted. */
export function keys(findings: ReadonlyArray<{ ruleId: string; logicalId: string }>): string[] {
  return [...new Set(findings.map((f) => `${f.ruleId} ${f.logicalId}`))].sort();
}
