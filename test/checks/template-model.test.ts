import fc from 'fast-check';
import { AppModel } from '../../src/checks/app-model';
import { runChecks, RESOURCE_TYPES_READ } from '../../src/checks/check';
import { hopLimitsDenied, lowestHopLimitDenied } from '../../src/checks/enforcement';
import { MAX_EVALUATION_DEPTH } from '../../src/checks/intrinsics';
import { TemplateModel } from '../../src/checks/template-model';

function model(template: unknown, region?: string): TemplateModel {
  return new TemplateModel({ path: 't.json', template, region });
}

describe('TemplateModel', () => {
  const t = model(
    {
      Parameters: { Env: { Type: 'String', Default: 'prod' } },
      Conditions: {
        IsProd: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] },
        Yes: { 'Fn::Equals': ['a', 'a'] },
        No: { 'Fn::Not': [{ Condition: 'Yes' }] },
        Both: { 'Fn::And': [{ Condition: 'Yes' }, { Condition: 'No' }] },
      },
      Mappings: { Types: { 'eu-west-1': { Web: 'm5.large' } } },
      Resources: {
        LT: { Type: 'AWS::EC2::LaunchTemplate', Properties: { LaunchTemplateName: 'named' } },
        Subnet: { Type: 'AWS::EC2::Subnet', Properties: {} },
        Block: { Type: 'AWS::EC2::SubnetCidrBlock', Properties: { SubnetId: { Ref: 'Subnet' }, Ipv6CidrBlock: '2001:db8::/64' } },
      },
    },
    'eu-west-1',
  );

  test('indexes launch templates by literal name and IPv6 CIDR blocks by subnet', () => {
    expect(t.launchTemplatesByName.get('named')?.logicalId).toBe('LT');
    expect(t.ipv6CidrBlocksBySubnet.get('Subnet')?.map((b) => b.logicalId)).toEqual(['Block']);
  });

  test('Ref: resources, parameters, pseudo parameters, AWS::NoValue', () => {
    expect(t.resolve({ Ref: 'LT' })).toEqual([expect.objectContaining({ kind: 'ref', logicalId: 'LT' })]);
    expect(t.resolve({ Ref: 'Env' })).toEqual([expect.objectContaining({ kind: 'unknown', why: 'parameter Env' })]);
    expect(t.resolve({ Ref: 'AWS::Region' })).toEqual([{ kind: 'known', value: 'eu-west-1' }]);
    expect(t.resolve({ Ref: 'AWS::NoValue' })).toEqual([{ kind: 'absent' }]);
    expect(t.resolve({ Ref: 'Missing' })[0].kind).toBe('unknown');
  });

  test('Fn::GetAtt in list and dotted forms', () => {
    expect(t.resolve({ 'Fn::GetAtt': ['LT', 'LatestVersionNumber'] })).toEqual([expect.objectContaining({ kind: 'ref', logicalId: 'LT', attribute: 'LatestVersionNumber' })]);
    expect(t.resolve({ 'Fn::GetAtt': 'LT.LaunchTemplateId' })).toEqual([expect.objectContaining({ attribute: 'LaunchTemplateId' })]);
  });

  test('Fn::If: decided conditions pick a branch, undecided ones give both', () => {
    expect(t.resolve({ 'Fn::If': ['Yes', 'a', 'b'] })).toEqual([{ kind: 'known', value: 'a' }]);
    expect(t.resolve({ 'Fn::If': ['No', 'a', 'b'] })).toEqual([{ kind: 'known', value: 'b' }]);
    expect(t.resolve({ 'Fn::If': ['Both', 'a', 'b'] })).toEqual([{ kind: 'known', value: 'b' }]);
    expect(t.resolve({ 'Fn::If': ['IsProd', 'a', { Ref: 'AWS::NoValue' }] })).toEqual([{ kind: 'known', value: 'a' }, { kind: 'absent' }]);
  });

  test('Fn::Sub, Fn::Join, Fn::Select, Fn::Base64, Fn::FindInMap', () => {
    expect(t.resolve({ 'Fn::Sub': 'm5.${Size}' })[0].kind).toBe('unknown');
    expect(t.resolve({ 'Fn::Sub': ['m5.${Size}', { Size: 'large' }] })).toEqual([{ kind: 'known', value: 'm5.large' }]);
    expect(t.resolve({ 'Fn::Sub': '${AWS::Region}-${!Literal}' })).toEqual([{ kind: 'known', value: 'eu-west-1-${Literal}' }]);
    expect(t.resolve({ 'Fn::Join': ['.', ['m5', { 'Fn::If': ['IsProd', 'large', 'small'] }]] })).toEqual([
      { kind: 'known', value: 'm5.large' },
      { kind: 'known', value: 'm5.small' },
    ]);
    expect(t.resolve({ 'Fn::Select': [1, ['a', 'b']] })).toEqual([{ kind: 'known', value: 'b' }]);
    expect(t.resolve({ 'Fn::Base64': 'x' })).toEqual([{ kind: 'known', value: 'x' }]);
    expect(t.resolve({ 'Fn::FindInMap': ['Types', { Ref: 'AWS::Region' }, 'Web'] })).toEqual([{ kind: 'known', value: 'm5.large' }]);
    expect(t.resolve({ 'Fn::GetAZs': '' })[0].kind).toBe('unknown');
  });

  test('resolveText keeps the known parts of a text whose other parts are known only at deployment', () => {
    // aws-cdk-lib's ECS user data: the cluster is a Ref, the rest is literal.
    const ecs = { 'Fn::Base64': { 'Fn::Join': ['', ['#!/bin/bash\necho ECS_CLUSTER=', { Ref: 'LT' }, ' >> /etc/ecs/ecs.config']] } };
    expect(t.resolve(ecs)[0].kind).toBe('unknown');
    expect(t.resolveText(ecs)).toEqual(['#!/bin/bash\necho ECS_CLUSTER=${token} >> /etc/ecs/ecs.config']);
    expect(t.resolveText({ 'Fn::Sub': ['cluster = "${Name}" in ${AWS::Region} for ${Env}', { Name: { Ref: 'LT' } }] })).toEqual(['cluster = "${token}" in eu-west-1 for ${token}']);
    expect(t.resolveText({ 'Fn::Join': ['-', ['a', { 'Fn::Join': ['', ['b', { Ref: 'Env' }]] }, { Ref: 'AWS::NoValue' }]] })).toEqual(['a-b${token}-']);
    expect(t.resolveText({ 'Fn::If': ['IsProd', { 'Fn::Join': ['', ['p', { Ref: 'LT' }]] }, 'q'] })).toEqual(['p${token}', 'q']);
    expect(t.resolveText({ 'Fn::If': ['No', 'p', 'q'] })).toEqual(['q']);
    expect(t.resolveText({ 'Fn::Join': ['', { Ref: 'Env' }] })).toEqual(['${token}']);
    expect(t.resolveText({ 'Fn::GetAZs': '' })).toEqual(['${token}']);
  });

  test('Fn::ImportValue follows an export of another template of the app', () => {
    const app = new AppModel([
      { path: 'a.json', template: { Resources: { LT: { Type: 'AWS::EC2::LaunchTemplate', Properties: {} } }, Outputs: { Id: { Value: { Ref: 'LT' }, Export: { Name: 'SharedLT' } } } } },
      { path: 'b.json', template: { Resources: {} } },
    ]);
    expect(app.templates[1].resolve({ 'Fn::ImportValue': 'SharedLT' })).toEqual([expect.objectContaining({ kind: 'ref', logicalId: 'LT', model: app.templates[0] })]);
  });

  test('a cycle of conditions decides nothing and does not loop', () => {
    const c = model({ Conditions: { A: { Condition: 'B' }, B: { Condition: 'A' } }, Resources: {} });
    expect(c.resolve({ 'Fn::If': ['A', 1, 2] })).toHaveLength(2);
  });

  test('expressions nested deeper than the limit are "cannot verify", not a stack overflow', () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 100_000; i++) deep = { 'Fn::Base64': deep };
    expect(t.resolve(deep)).toEqual([{ kind: 'unknown', why: `expression nested more than ${MAX_EVALUATION_DEPTH} levels deep` }]);
  });

  test('records properties of the wrong type as problems', () => {
    const bad = model({ Resources: { A: 'nope', B: { Type: 1 }, C: { Type: 'AWS::EC2::Instance', Properties: [] } } });
    expect(bad.problems.map((p) => p.path)).toEqual(['Resources/A', 'Resources/B/Type', 'Resources/C/Properties']);
  });
});

describe('lowestHopLimitDenied', () => {
  test('takes the lowest N of Deny ec2:RunInstances statements, with wildcards and string documents', () => {
    const stmt = (action: unknown, n: unknown, effect = 'Deny') => ({ Effect: effect, Action: action, Resource: '*', Condition: { NumericGreaterThan: { 'ec2:MetadataHttpPutResponseHopLimit': n } } });
    expect(lowestHopLimitDenied({ Statement: [stmt('ec2:RunInstances', '3'), stmt(['ec2:Run*'], 2)] })).toBe(2);
    expect(lowestHopLimitDenied({ Statement: stmt('*', 1) })).toBe(1);
    expect(lowestHopLimitDenied({ Statement: [stmt('ec2:RunInstances', 1, 'Allow'), stmt('s3:*', 1)] })).toBeUndefined();
  });

  test('a maximum given as an intrinsic is evaluated when it can be, and reported as unknown when not', () => {
    const doc = (n: unknown) => ({ Statement: [{ Effect: 'Deny', Action: 'ec2:RunInstances', Resource: '*', Condition: { NumericGreaterThan: { 'ec2:MetadataHttpPutResponseHopLimit': n } } }] });
    const tm = new AppModel([{ path: 't.json', template: { Parameters: { MaxHops: { Type: 'Number', Default: 2 } }, Resources: {} } }]).templates[0];
    expect(hopLimitsDenied(doc({ 'Fn::Join': ['', ['3']] }), tm)).toEqual({ lowest: 3, unknown: [] });
    expect(hopLimitsDenied(doc({ Ref: 'MaxHops' }), tm)).toEqual({ lowest: undefined, unknown: ['the parameter MaxHops (default 2)'] });
    expect(hopLimitsDenied(doc('two'), tm)).toEqual({ lowest: undefined, unknown: ['the value "two", which is not a number'] });
    expect(lowestHopLimitDenied(doc({ Ref: 'MaxHops' }))).toBeUndefined();
  });

  test('reads an Organizations policy whose Content is a JSON string', () => {
    const r = runChecks([
      {
        path: 't.json',
        template: {
          Resources: {
            Scp: {
              Type: 'AWS::Organizations::Policy',
              Properties: {
                Name: 'imds',
                Type: 'SERVICE_CONTROL_POLICY',
                Content: JSON.stringify({ Statement: [{ Effect: 'Deny', Action: 'ec2:RunInstances', Resource: '*', Condition: { NumericGreaterThan: { 'ec2:MetadataHttpPutResponseHopLimit': 1 } } }] }),
              },
            },
            Web: { Type: 'AWS::EC2::Instance', Properties: { ImageId: 'ami-1', InstanceType: 't3.micro', MetadataOptions: { HttpTokens: 'required', HttpPutResponseHopLimit: 2 } } },
          },
        },
      },
    ]);
    expect(r.findings.map((f) => f.message)).toEqual([expect.stringMatching(/^IMDS003: .*policy Scp \(AWS::Organizations::Policy\) denies ec2:RunInstances above 1/)]);
  });
});

describe('the checker never throws on arbitrary JSON', () => {
  const intrinsic = fc.oneof(
    fc.constantFrom('Ref', 'Fn::GetAtt', 'Fn::If', 'Fn::Sub', 'Fn::Join', 'Fn::Select', 'Fn::Base64', 'Fn::FindInMap', 'Fn::ImportValue', 'Condition'),
    fc.string(),
  );
  const json: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
    value: fc.oneof(
      { depthSize: 'small' },
      fc.constant(null),
      fc.boolean(),
      fc.double(),
      fc.constantFrom('required', 'optional', 'enabled', 'disabled', 'LT', 'Subnet', 'AWS::Region', '$Latest', 'm4.large', '#!/bin/bash\nx'),
      fc.string(),
      fc.array(tie('value'), { maxLength: 4 }),
      fc.dictionary(intrinsic, tie('value'), { maxKeys: 3 }),
      fc.dictionary(
        fc.constantFrom('MetadataOptions', 'LaunchTemplate', 'LaunchTemplateData', 'HttpTokens', 'HttpPutResponseHopLimit', 'HttpEndpoint', 'HttpProtocolIpv6', 'InstanceMetadataTags', 'Tags', 'SubnetId', 'UserData', 'InstanceType', 'LaunchTemplateId', 'Overrides', 'MixedInstancesPolicy', 'VPCZoneIdentifier', 'NetworkInterfaces'),
        tie('value'),
        { maxKeys: 4 },
      ),
    ),
  })).value;
  const type = fc.constantFrom(
    'AWS::EC2::Instance',
    'AWS::EC2::LaunchTemplate',
    'AWS::AutoScaling::AutoScalingGroup',
    'AWS::AutoScaling::LaunchConfiguration',
    'AWS::EC2::EC2Fleet',
    'AWS::EC2::SpotFleet',
    'AWS::EKS::Nodegroup',
    'AWS::Batch::ComputeEnvironment',
    'AWS::ImageBuilder::InfrastructureConfiguration',
    'AWS::SageMaker::NotebookInstance',
    'AWS::AppStream::Fleet',
    'AWS::WorkspacesInstances::WorkspaceInstance',
    'AWS::EC2::Subnet',
    'AWS::EC2::SubnetCidrBlock',
    'AWS::ECS::CapacityProvider',
    'AWS::IAM::ManagedPolicy',
    'AWS::Organizations::Policy',
    'Custom::InstanceMetadataDefaults',
    'Custom::ImageImdsSupport',
  );
  const resource = fc.record({ Type: type, Properties: json }, { requiredKeys: ['Type'] });
  const template = fc.oneof(
    json,
    fc.record({
      Parameters: json,
      Conditions: fc.dictionary(fc.constantFrom('A', 'B'), json),
      Resources: fc.dictionary(fc.constantFrom('LT', 'Subnet', 'Web', 'Group', 'X'), fc.oneof(resource, json)),
    }),
  );

  test('for any template, with any options', () => {
    fc.assert(
      fc.property(template, fc.boolean(), fc.boolean(), (t, strict, trust) => {
        const result = runChecks([{ path: 't.json', template: t, region: 'eu-west-1' }], { strict, trustAccountDefaults: trust });
        for (const f of result.findings) expect(f.message).toMatch(/^IMDS0\d\d: /);
      }),
      { numRuns: 1500 },
    );
  });
});

describe('RESOURCE_TYPES_READ', () => {
  test('lists every launch type, the templates and configurations they use, subnets, policies and our custom resources', () => {
    expect([...RESOURCE_TYPES_READ].sort()).toEqual([
      'AWS::AppStream::AppBlockBuilder',
      'AWS::AppStream::Fleet',
      'AWS::AppStream::ImageBuilder',
      'AWS::AutoScaling::AutoScalingGroup',
      'AWS::AutoScaling::LaunchConfiguration',
      'AWS::Batch::ComputeEnvironment',
      'AWS::EC2::EC2Fleet',
      'AWS::EC2::Instance',
      'AWS::EC2::LaunchTemplate',
      'AWS::EC2::SpotFleet',
      'AWS::EC2::Subnet',
      'AWS::EC2::SubnetCidrBlock',
      'AWS::ECS::CapacityProvider',
      'AWS::EKS::Nodegroup',
      'AWS::EMR::Cluster',
      'AWS::EMR::SecurityConfiguration',
      'AWS::ElasticBeanstalk::ConfigurationTemplate',
      'AWS::ElasticBeanstalk::Environment',
      'AWS::IAM::Group',
      'AWS::IAM::ManagedPolicy',
      'AWS::IAM::Policy',
      'AWS::IAM::Role',
      'AWS::IAM::User',
      'AWS::ImageBuilder::InfrastructureConfiguration',
      'AWS::Organizations::Policy',
      'AWS::SageMaker::NotebookInstance',
      'AWS::WorkspacesInstances::WorkspaceInstance',
      'Custom::ImageImdsSupport',
      'Custom::InstanceMetadataDefaults',
    ]);
  });
});
