/**
 * A CloudFormation template of a given number of resources for the CLI benchmark, written without
 * aws-cdk-lib so that it can hold far more than the 500 resources a CDK stack may.
 *
 * Ten shared resources (a VPC with an IPv6 block, two dual-stack and two IPv4-only subnets, one
 * of them given IPv6 later by an `AWS::EC2::SubnetCidrBlock`, a security group, a role and an
 * instance profile), then units of ten resources:
 *
 * | resource | what it exercises |
 * |---|---|
 * | LaunchTemplate A | all five options, IPv6 on, tags in metadata, tag specifications, `Fn::Base64`/`Fn::Sub` user data |
 * | Instance from A | `Ref` + `Fn::GetAtt LatestVersionNumber`, a dual-stack subnet, a Nitro type |
 * | Instance with its own options | `Fn::If` on a condition, network interface subnet, an AMI parameter |
 * | LaunchTemplate B | a literal `LaunchTemplateName`, hop limit 2 |
 * | AutoScalingGroup | mixed-instances policy on B by name at `$Latest`, a Xen override, tags propagated at launch |
 * | LaunchConfiguration | HttpTokens optional |
 * | AutoScalingGroup | on that launch configuration |
 * | EC2Fleet | overrides on A with their own metadata options |
 * | SecurityGroupIngress, LogGroup | resources the checker must skip |
 *
 * Units alternate the instance subnets between dual-stack and IPv4-only, so some launches are
 * compliant and others carry findings (IMDS001, IMDS004, IMDS005, IMDS012).
 */

const SHARED = 10;
const UNIT = 10;

/**
 * How many of the resources start instances: `dense`, half of them (units of ten, the worst case
 * for the checker); `typical`, one in ten (each unit of ten comes with 40 resources no launch
 * uses: queues, topics, buckets, functions, roles, log groups).
 */
export type Density = 'dense' | 'typical';

const FILLER_PER_UNIT: Record<Density, number> = { dense: 0, typical: 40 };

/** A template of exactly `resources` resources (at least 20). */
export function cliTemplate(resources: number, density: Density = 'dense'): Record<string, unknown> {
  if (!Number.isInteger(resources) || resources < SHARED + UNIT) {
    throw new Error(`resources is ${resources}: it must be a whole number of at least ${SHARED + UNIT}.`);
  }
  const r: Record<string, unknown> = {
    Vpc: { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: '10.0.0.0/16', EnableDnsHostnames: true, EnableDnsSupport: true } },
    VpcIpv6: { Type: 'AWS::EC2::VPCCidrBlock', Properties: { VpcId: { Ref: 'Vpc' }, AmazonProvidedIpv6CidrBlock: true } },
    SubnetDual0: dualStackSubnet(0),
    SubnetDual1: dualStackSubnet(1),
    SubnetV4a: ipv4Subnet(2),
    SubnetV4b: ipv4Subnet(3),
    SubnetV4bIpv6: {
      Type: 'AWS::EC2::SubnetCidrBlock',
      Properties: {
        SubnetId: { Ref: 'SubnetV4b' },
        Ipv6CidrBlock: { 'Fn::Select': [3, { 'Fn::Cidr': [{ 'Fn::Select': [0, { 'Fn::GetAtt': ['Vpc', 'Ipv6CidrBlocks'] }] }, 4, '64'] }] },
      },
      DependsOn: ['VpcIpv6'],
    },
    InstancesSecurityGroup: {
      Type: 'AWS::EC2::SecurityGroup',
      Properties: { GroupDescription: 'instances', VpcId: { Ref: 'Vpc' }, SecurityGroupEgress: [{ CidrIp: '0.0.0.0/0', IpProtocol: '-1' }] },
    },
    InstanceRole: {
      Type: 'AWS::IAM::Role',
      Properties: {
        AssumeRolePolicyDocument: {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
        },
        ManagedPolicyArns: [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/AmazonSSMManagedInstanceCore']] }],
      },
    },
    InstanceProfile: { Type: 'AWS::IAM::InstanceProfile', Properties: { Roles: [{ Ref: 'InstanceRole' }] } },
  };
  const fillerPerUnit = FILLER_PER_UNIT[density];
  const units = Math.floor((resources - SHARED) / (UNIT + fillerPerUnit));
  let fillers = 0;
  for (let i = 0; i < units; i++) {
    Object.assign(r, unit(i));
    for (let k = 0; k < fillerPerUnit; k++) Object.assign(r, filler(fillers++));
  }
  while (Object.keys(r).length < resources) Object.assign(r, filler(fillers++));
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: `cdk-imds CLI benchmark: ${resources} resources, ${density}`,
    Parameters: {
      Environment: { Type: 'String', AllowedValues: ['dev', 'prod'], Default: 'prod' },
      ImageId: { Type: 'AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>', Default: '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64' },
      KeyName: { Type: 'String', Default: '' },
    },
    Conditions: {
      IsProd: { 'Fn::Equals': [{ Ref: 'Environment' }, 'prod'] },
      HasKey: { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'KeyName' }, ''] }] },
    },
    Resources: r,
    Outputs: { VpcId: { Value: { Ref: 'Vpc' }, Export: { Name: 'BenchVpcId' } } },
  };
}

function dualStackSubnet(index: number): Record<string, unknown> {
  return {
    Type: 'AWS::EC2::Subnet',
    Properties: {
      VpcId: { Ref: 'Vpc' },
      CidrBlock: `10.0.${index}.0/24`,
      AvailabilityZone: { 'Fn::Select': [index % 2, { 'Fn::GetAZs': '' }] },
      Ipv6CidrBlock: { 'Fn::Select': [index, { 'Fn::Cidr': [{ 'Fn::Select': [0, { 'Fn::GetAtt': ['Vpc', 'Ipv6CidrBlocks'] }] }, 4, '64'] }] },
      AssignIpv6AddressOnCreation: true,
    },
    DependsOn: ['VpcIpv6'],
  };
}

function ipv4Subnet(index: number): Record<string, unknown> {
  return {
    Type: 'AWS::EC2::Subnet',
    Properties: { VpcId: { Ref: 'Vpc' }, CidrBlock: `10.0.${index}.0/24`, AvailabilityZone: { 'Fn::Select': [index % 2, { 'Fn::GetAZs': '' }] } },
  };
}

function tags(i: number): Array<Record<string, unknown>> {
  return [
    { Key: 'Name', Value: `launch-${i}` },
    { Key: 'team', Value: 'platform' },
    { Key: 'cost-center', Value: `cc-${i % 7}` },
  ];
}

function unit(i: number): Record<string, unknown> {
  const subnet = i % 2 === 0 ? 'SubnetDual0' : 'SubnetV4a';
  const ltA = `LaunchTemplateA${i}`;
  const ltB = `LaunchTemplateB${i}`;
  const lc = `LaunchConfig${i}`;
  return {
    [ltA]: {
      Type: 'AWS::EC2::LaunchTemplate',
      Properties: {
        LaunchTemplateData: {
          ImageId: { Ref: 'ImageId' },
          InstanceType: 't3.micro',
          IamInstanceProfile: { Arn: { 'Fn::GetAtt': ['InstanceProfile', 'Arn'] } },
          SecurityGroupIds: [{ 'Fn::GetAtt': ['InstancesSecurityGroup', 'GroupId'] }],
          MetadataOptions: { HttpTokens: 'required', HttpPutResponseHopLimit: 1, HttpEndpoint: 'enabled', HttpProtocolIpv6: 'enabled', InstanceMetadataTags: 'enabled' },
          TagSpecifications: [{ ResourceType: 'instance', Tags: tags(i) }],
          UserData: { 'Fn::Base64': { 'Fn::Sub': `#!/bin/bash\necho launch-${i} in \${AWS::Region} > /etc/launch-id\n` } },
        },
      },
    },
    [`InstanceA${i}`]: {
      Type: 'AWS::EC2::Instance',
      Properties: {
        LaunchTemplate: { LaunchTemplateId: { Ref: ltA }, Version: { 'Fn::GetAtt': [ltA, 'LatestVersionNumber'] } },
        SubnetId: { Ref: subnet },
        Tags: tags(i),
      },
    },
    [`InstanceOwn${i}`]: {
      Type: 'AWS::EC2::Instance',
      Properties: {
        ImageId: { Ref: 'ImageId' },
        InstanceType: i % 5 === 0 ? 'm4.large' : 'c6i.large',
        KeyName: { 'Fn::If': ['HasKey', { Ref: 'KeyName' }, { Ref: 'AWS::NoValue' }] },
        NetworkInterfaces: [{ DeviceIndex: '0', SubnetId: { Ref: i % 3 === 0 ? 'SubnetV4b' : 'SubnetDual1' }, GroupSet: [{ Ref: 'InstancesSecurityGroup' }] }],
        MetadataOptions: {
          HttpTokens: { 'Fn::If': ['IsProd', 'required', 'optional'] },
          HttpEndpoint: 'enabled',
          HttpProtocolIpv6: i % 4 === 0 ? 'enabled' : 'disabled',
        },
        UserData: { 'Fn::Base64': '#!/bin/bash\nyum update -y\n' },
      },
    },
    [ltB]: {
      Type: 'AWS::EC2::LaunchTemplate',
      Properties: {
        LaunchTemplateName: `bench-b-${i}`,
        LaunchTemplateData: {
          ImageId: { Ref: 'ImageId' },
          MetadataOptions: { HttpTokens: 'required', HttpPutResponseHopLimit: 2 },
          SecurityGroupIds: [{ Ref: 'InstancesSecurityGroup' }],
        },
      },
    },
    [`GroupMixed${i}`]: {
      Type: 'AWS::AutoScaling::AutoScalingGroup',
      Properties: {
        MinSize: '0',
        MaxSize: '4',
        VPCZoneIdentifier: [{ Ref: 'SubnetDual0' }, { Ref: 'SubnetDual1' }],
        MixedInstancesPolicy: {
          LaunchTemplate: {
            LaunchTemplateSpecification: { LaunchTemplateName: `bench-b-${i}`, Version: i % 2 === 0 ? '$Latest' : '1' },
            Overrides: [{ InstanceType: 'm5.large' }, { InstanceType: i % 3 === 0 ? 'm4.large' : 'm6i.large' }, { InstanceType: 'c7g.large' }],
          },
          InstancesDistribution: { OnDemandPercentageAboveBaseCapacity: 25 },
        },
        Tags: [{ Key: 'team', Value: 'platform', PropagateAtLaunch: true }],
      },
      DependsOn: [ltB],
    },
    [lc]: {
      Type: 'AWS::AutoScaling::LaunchConfiguration',
      Properties: {
        ImageId: { Ref: 'ImageId' },
        InstanceType: 't3.small',
        SecurityGroups: [{ Ref: 'InstancesSecurityGroup' }],
        MetadataOptions: { HttpTokens: 'optional', HttpEndpoint: 'enabled' },
      },
    },
    [`GroupLc${i}`]: {
      Type: 'AWS::AutoScaling::AutoScalingGroup',
      Properties: { MinSize: '0', MaxSize: '2', LaunchConfigurationName: { Ref: lc }, VPCZoneIdentifier: [{ Ref: 'SubnetV4a' }] },
    },
    [`Fleet${i}`]: {
      Type: 'AWS::EC2::EC2Fleet',
      Properties: {
        TargetCapacitySpecification: { TotalTargetCapacity: 2, DefaultTargetCapacityType: 'spot' },
        LaunchTemplateConfigs: [
          {
            LaunchTemplateSpecification: { LaunchTemplateId: { Ref: ltA }, Version: { 'Fn::GetAtt': [ltA, 'LatestVersionNumber'] } },
            Overrides: [
              { InstanceType: 'm5.large', SubnetId: { Ref: 'SubnetDual0' } },
              { InstanceType: 'c5.large', SubnetId: { Ref: 'SubnetDual1' }, MetadataOptions: { HttpTokens: i % 2 === 0 ? 'required' : 'optional' } },
            ],
          },
        ],
      },
    },
    [`Ingress${i}`]: {
      Type: 'AWS::EC2::SecurityGroupIngress',
      Properties: { GroupId: { Ref: 'InstancesSecurityGroup' }, IpProtocol: 'tcp', FromPort: 8000 + (i % 1000), ToPort: 8000 + (i % 1000), CidrIp: '10.0.0.0/16' },
    },
    [`Logs${i}`]: { Type: 'AWS::Logs::LogGroup', Properties: { LogGroupName: `/bench/launch-${i}`, RetentionInDays: 30 } },
  };
}

/** A resource no launch uses, one of six kinds in turn, each with a few references. */
function filler(i: number): Record<string, unknown> {
  switch (i % 6) {
    case 0:
      return { [`Queue${i}`]: { Type: 'AWS::SQS::Queue', Properties: { VisibilityTimeout: 60, MessageRetentionPeriod: 345600, Tags: tags(i) } } };
    case 1:
      return { [`Topic${i}`]: { Type: 'AWS::SNS::Topic', Properties: { Subscription: [{ Endpoint: { 'Fn::GetAtt': [`Queue${i - 1}`, 'Arn'] }, Protocol: 'sqs' }] } } };
    case 2:
      return {
        [`Bucket${i}`]: {
          Type: 'AWS::S3::Bucket',
          Properties: {
            BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' } }] },
            PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
            Tags: tags(i),
          },
          UpdateReplacePolicy: 'Retain',
          DeletionPolicy: 'Retain',
        },
      };
    case 3:
      return {
        [`FunctionRole${i}`]: {
          Type: 'AWS::IAM::Role',
          Properties: {
            AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] },
            ManagedPolicyArns: [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/service-role/AWSLambdaBasicExecutionRole']] }],
          },
        },
      };
    case 4:
      return {
        [`Function${i}`]: {
          Type: 'AWS::Lambda::Function',
          Properties: {
            Runtime: 'nodejs24.x',
            Handler: 'index.handler',
            Role: { 'Fn::GetAtt': [`FunctionRole${i - 1}`, 'Arn'] },
            Code: { ZipFile: `exports.handler = async () => ({ statusCode: 200, body: '${i}' });` },
            Environment: { Variables: { BUCKET: { Ref: `Bucket${i - 2}` }, STAGE: { Ref: 'Environment' } } },
          },
        },
      };
    default:
      return { [`FunctionLogs${i}`]: { Type: 'AWS::Logs::LogGroup', Properties: { LogGroupName: { 'Fn::Sub': `/aws/lambda/\${Function${i - 1}}` }, RetentionInDays: 14 } } };
  }
}
