/**
 * One table of CloudFormation scenarios, run through every front-end: the checker itself, the
 * CLI, the ImdsChecks aspect and the ImdsValidationPlugin. Each scenario lists every finding it
 * must produce, as `RULE LogicalId`; any other finding fails the test.
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
const IPV6 = { HttpTokens: 'required', HttpProtocolIpv6: 'enabled' };

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
  },
  {
    name: 'launch template with tokens optional used by a group: the finding is on the template',
    rule: 'IMDS001',
    kind: 'violation',
    template: template({ LT: launchTemplate({ HttpTokens: 'optional' }), Group: group({ Ref: 'LT' }), Subnet6: subnet6 }),
    expect: ['IMDS001 LT'],
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
  },
  {
    name: 'SageMaker notebook allowing IMDSv1',
    rule: 'IMDS001',
    kind: 'violation',
    template: template({
      Notebook: { Type: 'AWS::SageMaker::NotebookInstance', Properties: { InstanceType: 'ml.t3.medium', RoleArn: 'arn', InstanceMetadataServiceConfiguration: { MinimumInstanceMetadataServiceVersion: '1' } } },
    }),
    expect: ['IMDS001 Notebook'],
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
    name: 'EKS node group without a launch template',
    rule: 'IMDS001',
    kind: 'violation',
    template: template({ Nodes: { Type: 'AWS::EKS::Nodegroup', Properties: { ClusterName: 'c', NodeRole: 'arn', Subnets: [{ Ref: 'Subnet6' }] } }, Subnet6: subnet6 }),
    expect: ['IMDS001 Nodes'],
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

/** "RULE LogicalId" keys, sorted. */
export function keys(findings: ReadonlyArray<{ ruleId: string; logicalId: string }>): string[] {
  return [...new Set(findings.map((f) => `${f.ruleId} ${f.logicalId}`))].sort();
}
