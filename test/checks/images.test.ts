/**
 * AMIs known to require IMDSv2 (src/checks/launches/images.ts): the families AWS documents, how a
 * template names them (SSM parameter paths, EKS AMI types, what aws-cdk-lib synthesizes), and the
 * verdict and its source in the effective-options report.
 */
import { App, Stack, aws_ec2 as ec2, aws_ecs as ecs, aws_eks as eks } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { runChecks } from '../../src/checks/check';
import { AL2023_SOURCE, EKS_AL2023_SOURCE } from '../../src/checks/launches/images';
import { reportJson, reportMarkdown } from '../../src/checks/report';
import { formatResult } from '../../src/cli/format-output';

/** Run the checks on one template: its resources, plus other sections (`Parameters`, `Conditions`). */
function check(resources: Record<string, unknown>, sections: Record<string, unknown> = {}) {
  const result = runChecks([{ path: 't.json', template: { ...sections, Resources: resources } }]);
  /** A report row: the tokens and hop limit as "values (sources)", and the AMIs. */
  const row = (id: string) => {
    const l = result.launches.find((x) => x.logicalId === id)!;
    const text = (option: string) => {
      const v = l.values.find((x) => x.option === option)!;
      return `${v.values.join(' | ')} (${v.sources.join(', ')})`;
    };
    return { HttpTokens: text('HttpTokens'), HttpPutResponseHopLimit: text('HttpPutResponseHopLimit'), amis: l.amis };
  };
  return { result, row, findings: result.findings.map((f) => `${f.message} [${f.logicalId} ${f.propertyPath}]`) };
}

const nodegroup = (props: Record<string, unknown> = {}) => ({ Type: 'AWS::EKS::Nodegroup', Properties: { ClusterName: 'c', NodeRole: 'arn:aws:iam::111122223333:role/n', Subnets: ['subnet-1'], ...props } });
const instance = (imageId: unknown) => ({ Type: 'AWS::EC2::Instance', Properties: { InstanceType: 't3.micro', ImageId: imageId } });
const launchTemplate = (data: Record<string, unknown>) => ({ Type: 'AWS::EC2::LaunchTemplate', Properties: { LaunchTemplateData: data } });

const NODES_IMDS001 =
  'IMDS001: AWS::EKS::Nodegroup Nodes does not require IMDSv2: HttpTokens is "optional" (the AWS default, as nothing sets it), and only a launch template can set it for this launch. ' +
  'Name a launch template that sets HttpTokens to "required" at Properties/LaunchTemplate (or, with trustAccountDefaults, require it as the account default). [Nodes Properties/LaunchTemplate]';
const NODES_IMDS011 =
  'IMDS011: AWS::EKS::Nodegroup Nodes is a container host (an EKS managed node group runs pods) that requires IMDSv2 with hop limit 1: containers cannot reach instance metadata or the instance role. ' +
  'Set HttpPutResponseHopLimit to 2 if they need it; if blocking them is intended, acknowledge IMDS011 with that reason. [Nodes Properties/LaunchTemplate]';
const webImds001 = (id = 'Web') =>
  `IMDS001: AWS::EC2::Instance ${id} does not require IMDSv2: HttpTokens is "optional" (the AWS default, as nothing sets it). ` +
  `Set HttpTokens to "required" at ${id} Properties/MetadataOptions. [${id} Properties/MetadataOptions]`;

describe('EKS managed node groups take the AMI of their AmiType', () => {
  test.each(['AL2023_x86_64_STANDARD', 'AL2023_ARM_64_STANDARD', 'AL2023_x86_64_NVIDIA', 'AL2023_ARM_64_NVIDIA', 'AL2023_x86_64_NEURON'])(
    'AmiType %s without a launch template requires IMDSv2 (no IMDS001), with the hop limit 1 EKS gives it (IMDS011)',
    (amiType) => {
      const { findings, row } = check({ Nodes: nodegroup({ AmiType: amiType }) });
      expect(findings).toEqual([NODES_IMDS011]);
      const r = row('Nodes');
      expect(r.HttpTokens).toBe('required (AMI)');
      expect(r.HttpPutResponseHopLimit).toBe('1 (AMI)');
      expect(r.amis).toEqual([{ ami: `EKS AMI type ${amiType} (requires IMDSv2; hop limit 1 in a managed node group)`, verdict: 'requires IMDSv2', source: EKS_AL2023_SOURCE }]);
    },
  );

  test('with a launch template that names no AMI, the AmiType gives the AMI; the template sets the hop limit', () => {
    const { findings, row } = check({
      NodeTemplate: launchTemplate({ MetadataOptions: { HttpPutResponseHopLimit: 2 } }),
      Nodes: nodegroup({ AmiType: 'AL2023_ARM_64_STANDARD', LaunchTemplate: { Id: { Ref: 'NodeTemplate' }, Version: '1' } }),
    });
    expect(findings).toEqual([]);
    expect(row('Nodes').HttpTokens).toBe('required (AMI)');
    expect(row('Nodes').HttpPutResponseHopLimit).toBe('2 (launch)');
  });

  test('an AMI in the launch template wins over the AmiType', () => {
    const custom = check({
      NodeTemplate: launchTemplate({ ImageId: 'ami-0123456789abcdef0' }),
      Nodes: nodegroup({ AmiType: 'AL2023_x86_64_STANDARD', LaunchTemplate: { Id: { Ref: 'NodeTemplate' }, Version: '1' } }),
    });
    expect(custom.findings).toEqual([
      'IMDS001: AWS::EKS::Nodegroup Nodes does not require IMDSv2: HttpTokens is "optional" (the AWS default, as nothing sets it). ' +
        'Set HttpTokens to "required" at NodeTemplate Properties/LaunchTemplateData/MetadataOptions. [NodeTemplate Properties/LaunchTemplateData/MetadataOptions]',
    ]);
    expect(custom.row('Nodes').amis).toEqual([{ ami: 'AMI ami-0123456789abcdef0', verdict: 'not known' }]);

    // A self-managed-style EKS AL2023 AMI in the template: its own ImdsSupport v2.0, hop limit 2.
    const eksAmi = check({
      NodeTemplate: launchTemplate({ ImageId: 'resolve:ssm:/aws/service/eks/optimized-ami/1.31/amazon-linux-2023/x86_64/standard/recommended/image_id' }),
      Nodes: nodegroup({ LaunchTemplate: { Id: { Ref: 'NodeTemplate' }, Version: '1' } }),
    });
    expect(eksAmi.findings).toEqual([]);
    expect(eksAmi.row('Nodes').HttpPutResponseHopLimit).toBe('2 (AMI)');
  });

  test.each([
    ['AL2_x86_64', 'EKS AMI type AL2_x86_64'],
    ['AL2_ARM_64', 'EKS AMI type AL2_ARM_64'],
    ['BOTTLEROCKET_x86_64', 'EKS AMI type BOTTLEROCKET_x86_64'],
    ['BOTTLEROCKET_ARM_64_NVIDIA', 'EKS AMI type BOTTLEROCKET_ARM_64_NVIDIA'],
    ['WINDOWS_CORE_2022_x86_64', 'EKS AMI type WINDOWS_CORE_2022_x86_64'],
    ['CUSTOM', 'EKS AMI type CUSTOM'],
  ])('AmiType %s is not documented to require IMDSv2: IMDS001', (amiType, ami) => {
    const { findings, row } = check({ Nodes: nodegroup({ AmiType: amiType }) });
    expect(findings).toEqual([NODES_IMDS001]);
    expect(row('Nodes').amis).toEqual([{ ami, verdict: 'not known' }]);
    expect(row('Nodes').HttpPutResponseHopLimit).toBe('1 (AWS default)');
  });

  test('without AmiType the AMI depends on the Kubernetes version the node group was created with: not known', () => {
    const { findings, row } = check({ Nodes: nodegroup({ Version: '1.31' }) });
    expect(findings).toEqual([NODES_IMDS001]);
    expect(row('Nodes').amis).toEqual([{ ami: 'the default AMI type of an EKS managed node group (AL2 or AL2023, by the Kubernetes version it was created with)', verdict: 'not known' }]);
  });

  test('an AmiType from a parameter is not known; one from Fn::If is judged per value', () => {
    const param = check({ Nodes: nodegroup({ AmiType: { Ref: 'AmiType' } }) }, { Parameters: { AmiType: { Type: 'String', Default: 'AL2023_x86_64_STANDARD' } } });
    expect(param.findings).toEqual([NODES_IMDS001]);
    expect(param.row('Nodes').amis).toEqual([{ ami: 'the EKS AMI type in parameter AmiType', verdict: 'not known' }]);

    const template = {
      Parameters: { Os: { Type: 'String', AllowedValues: ['al2023', 'bottlerocket'] } },
      Conditions: { UseAl2023: { 'Fn::Equals': [{ Ref: 'Os' }, 'al2023'] } },
      Resources: { Nodes: nodegroup({ AmiType: { 'Fn::If': ['UseAl2023', 'AL2023_x86_64_STANDARD', 'BOTTLEROCKET_x86_64'] } }) },
    };
    const either = runChecks([{ path: 't.json', template }]);
    expect(either.findings.map((f) => f.ruleId)).toEqual(['IMDS001']);
    expect(either.launches[0].amis.map((a) => `${a.ami}: ${a.verdict}`)).toEqual([
      'EKS AMI type AL2023_x86_64_STANDARD (requires IMDSv2; hop limit 1 in a managed node group): requires IMDSv2',
      'EKS AMI type BOTTLEROCKET_x86_64: not known',
    ]);
  });
});

describe('AMIs named by a public SSM parameter', () => {
  test.each([
    ['/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64', 'an Amazon Linux 2023 AMI (ImdsSupport v2.0)', AL2023_SOURCE],
    ['/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-6.12-arm64', 'an Amazon Linux 2023 AMI (ImdsSupport v2.0)', AL2023_SOURCE],
    ['/aws/service/ami-amazon-linux-latest/al2023-ami-minimal-kernel-default-x86_64', 'an Amazon Linux 2023 AMI (ImdsSupport v2.0)', AL2023_SOURCE],
    ['/aws/service/eks/optimized-ami/1.31/amazon-linux-2023/arm64/standard/recommended/image_id', 'an Amazon EKS optimized Amazon Linux 2023 AMI (requires IMDSv2)', EKS_AL2023_SOURCE],
    ['/aws/service/eks/optimized-ami/1.32/amazon-linux-2023/x86_64/nvidia/recommended/image_id', 'an Amazon EKS optimized Amazon Linux 2023 AMI (requires IMDSv2)', EKS_AL2023_SOURCE],
  ])('%s requires IMDSv2 (tokens required, hop limit 2), literally and as a parameter default', (path, ami, source) => {
    for (const imageId of [`{{resolve:ssm:${path}}}`, `resolve:ssm:${path}`]) {
      const { findings, row } = check({ Web: instance(imageId) });
      expect(findings).toEqual([]);
      expect(row('Web').HttpTokens).toBe('required (AMI)');
      expect(row('Web').HttpPutResponseHopLimit).toBe('2 (AMI)');
      expect(row('Web').amis).toEqual([{ ami, verdict: 'requires IMDSv2', source }]);
    }
    const { findings, row } = check({ Web: instance({ Ref: 'Ami' }) }, { Parameters: { Ami: { Type: 'AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>', Default: path } } });
    expect(findings).toEqual([]);
    expect(row('Web').amis).toEqual([{ ami: ami.replace('(', '(parameter Ami, '), verdict: 'requires IMDSv2', source }]);
  });

  test.each([
    // ECS-optimized AL2023: AWS states "IMDSv2-only mode enabled by default" in passing, not ImdsSupport v2.0 or a hop limit.
    '/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id',
    '/aws/service/ecs/optimized-ami/amazon-linux-2023/arm64/recommended/image_id',
    '/aws/service/bottlerocket/aws-k8s-1.31/x86_64/latest/image_id',
    '/aws/service/bottlerocket/aws-ecs-2/arm64/latest/image_id',
    '/aws/service/ami-windows-latest/Windows_Server-2022-English-Full-Base',
    '/aws/service/ami-amazon-linux-latest/amzn2-ami-kernel-5.10-hvm-x86_64-gp2',
    '/aws/service/eks/optimized-ami/1.30/amazon-linux-2/recommended/image_id',
  ])('%s is not documented to require IMDSv2: IMDS001', (path) => {
    const { findings, row } = check({ Web: instance(`resolve:ssm:${path}`) });
    expect(findings).toEqual([webImds001()]);
    expect(row('Web').amis).toEqual([{ ami: `AMI resolve:ssm:${path}`, verdict: 'not known' }]);
    expect(row('Web').HttpPutResponseHopLimit).toBe('1 (AWS default)');
  });

  test('an SSM path as the default of a parameter that is not an SSM parameter type is not known', () => {
    const { findings } = check({ Web: instance({ Ref: 'Ami' }) }, { Parameters: { Ami: { Type: 'String', Default: '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64' } } });
    expect(findings).toEqual([webImds001()]);
  });
});

describe('trustImageImdsSupport turns off only the AMIs marked in the app', () => {
  const resources = {
    Image: { Type: 'Custom::ImageImdsSupport', Properties: { ServiceToken: 'arn:aws:lambda:eu-west-1:111122223333:function:f', ImageId: 'ami-0123456789abcdef0' } },
    Marked: instance({ 'Fn::GetAtt': ['Image', 'ImageId'] }),
    Al2023: instance('resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64'),
    Nodes: nodegroup({ AmiType: 'AL2023_x86_64_STANDARD' }),
  };
  const run = (trustImageImdsSupport: boolean) => runChecks([{ path: 't.json', template: { Resources: resources } }], { trustImageImdsSupport });

  test('trusted: the marked AMI requires IMDSv2, with the EC2 User Guide as source', () => {
    const r = run(true);
    expect(r.findings.map((f) => `${f.ruleId} ${f.logicalId}`)).toEqual(['IMDS011 Nodes']);
    expect(r.launches.find((l) => l.logicalId === 'Marked')!.amis).toEqual([
      {
        ami: 'the AMI marked ImdsSupport v2.0 by Image',
        verdict: 'requires IMDSv2',
        source: 'https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/configuring-IMDS-new-instances.html#configure-IMDS-new-instances-ami-configuration',
      },
    ]);
  });

  test('not trusted: the marked AMI no longer counts; Amazon Linux 2023 and the EKS AMI type still do', () => {
    const r = run(false);
    expect(r.findings.map((f) => f.message)).toEqual([webImds001('Marked').replace(/ \[.*\]$/, ''), NODES_IMDS011.replace(/ \[.*\]$/, '')]);
    const tokens = (id: string) => r.launches.find((l) => l.logicalId === id)!.values[0];
    expect(tokens('Marked')).toMatchObject({ values: ['optional'], sources: ['AWS default'] });
    expect(tokens('Al2023')).toMatchObject({ values: ['required'], sources: ['AMI'] });
    expect(tokens('Nodes')).toMatchObject({ values: ['required'], sources: ['AMI'] });
  });
});

describe('what aws-cdk-lib synthesizes', () => {
  /** One instance per machine image, checked from the synthesized template. */
  function synth(images: Record<string, ec2.IMachineImage>) {
    const stack = new Stack(new App(), 'S');
    for (const [id, image] of Object.entries(images)) new ec2.CfnInstance(stack, id, { instanceType: 't3.micro', imageId: image.getImage(stack).imageId });
    const template = Template.fromStack(stack).toJSON();
    const paths = Object.values(template.Parameters as Record<string, { Default: string }>).map((p) => p.Default).filter((d) => d.startsWith('/aws/service/'));
    const result = runChecks([{ path: 'S.template.json', template, stackName: 'S' }]);
    const verdicts = Object.fromEntries(result.launches.map((l) => [l.logicalId, l.amis.map((a) => a.verdict).join()]));
    return { paths, verdicts, imds001: result.findings.filter((f) => f.ruleId === 'IMDS001').map((f) => f.logicalId).sort() };
  }

  test('MachineImage.latestAmazonLinux2023 (any edition and CPU) requires IMDSv2', () => {
    const r = synth({
      X86: ec2.MachineImage.latestAmazonLinux2023(),
      Arm: ec2.MachineImage.latestAmazonLinux2023({ cpuType: ec2.AmazonLinuxCpuType.ARM_64 }),
      Minimal: ec2.MachineImage.latestAmazonLinux2023({ edition: ec2.AmazonLinuxEdition.MINIMAL }),
    });
    expect(r.paths.sort()).toEqual([
      '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-6.1-arm64',
      '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-6.1-x86_64',
      '/aws/service/ami-amazon-linux-latest/al2023-ami-minimal-kernel-6.1-x86_64',
    ]);
    expect(r.verdicts).toEqual({ X86: 'requires IMDSv2', Arm: 'requires IMDSv2', Minimal: 'requires IMDSv2' });
    expect(r.imds001).toEqual([]);
  });

  test('EcsOptimizedImage.amazonLinux2023, BottleRocketImage, EksOptimizedImage (AL2) and Windows are not known', () => {
    const r = synth({
      Ecs: ecs.EcsOptimizedImage.amazonLinux2023(),
      Bottlerocket: new ecs.BottleRocketImage(),
      Eks: new eks.EksOptimizedImage({ kubernetesVersion: '1.31' }),
      Windows: ec2.MachineImage.latestWindows(ec2.WindowsVersion.WINDOWS_SERVER_2022_ENGLISH_FULL_BASE),
    });
    expect(r.paths.sort()).toEqual([
      '/aws/service/ami-windows-latest/Windows_Server-2022-English-Full-Base',
      '/aws/service/bottlerocket/aws-ecs-1/x86_64/latest/image_id',
      '/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id',
      '/aws/service/eks/optimized-ami/1.31/amazon-linux-2/recommended/image_id',
    ]);
    expect(r.verdicts).toEqual({ Ecs: 'not known', Bottlerocket: 'not known', Eks: 'not known', Windows: 'not known' });
    expect(r.imds001).toEqual(['Bottlerocket', 'Ecs', 'Eks', 'Windows']);
  });

  test('eks.Nodegroup with an AL2023 AmiType and no launch template: no IMDS001', () => {
    const stack = new Stack(new App(), 'S');
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0 });
    const cluster = eks.Cluster.fromClusterAttributes(stack, 'Cluster', { clusterName: 'c', vpc });
    new eks.Nodegroup(stack, 'Nodes', { cluster, amiType: eks.NodegroupAmiType.AL2023_X86_64_STANDARD, subnets: { subnets: vpc.publicSubnets } });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::EKS::Nodegroup', { AmiType: 'AL2023_x86_64_STANDARD' });
    const result = runChecks([{ path: 'S.template.json', template: template.toJSON(), stackName: 'S' }]);
    expect(result.findings.map((f) => f.ruleId)).toEqual(['IMDS011']);
  });
});

describe('the report gives each launch its AMIs, verdict and source', () => {
  const resources = {
    Web: instance('{{resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64}}'),
    Legacy: { Type: 'AWS::EC2::Instance', Properties: { InstanceType: 't3.micro', ImageId: 'ami-0123456789abcdef0', MetadataOptions: { HttpTokens: 'required' } } },
    Nodes: nodegroup({ AmiType: 'AL2023_x86_64_STANDARD' }),
    Bare: launchTemplate({ MetadataOptions: { HttpTokens: 'required' } }),
  };

  test('imds-report.json: amis per launch (none for a launch that names no AMI)', () => {
    const { result } = check(resources);
    const launches = (reportJson(result) as { launches: Array<{ logicalId: string; amis: unknown }> }).launches;
    expect(Object.fromEntries(launches.map((l) => [l.logicalId, l.amis]))).toEqual({
      Web: [{ ami: 'an Amazon Linux 2023 AMI (ImdsSupport v2.0)', verdict: 'requires IMDSv2', source: 'https://docs.aws.amazon.com/linux/al2023/ug/imdsv2.html' }],
      Legacy: [{ ami: 'AMI ami-0123456789abcdef0', verdict: 'not known' }],
      Nodes: [{ ami: 'EKS AMI type AL2023_x86_64_STANDARD (requires IMDSv2; hop limit 1 in a managed node group)', verdict: 'requires IMDSv2', source: 'https://docs.aws.amazon.com/eks/latest/userguide/al2023.html' }],
      Bare: [],
    });
    // The CLI's JSON output carries the same field.
    const cli = JSON.parse(formatResult(result, 'json', '')) as { launches: Array<{ logicalId: string; amis: unknown }> };
    expect(cli.launches.map((l) => l.amis)).toEqual(launches.map((l) => l.amis));
  });

  test('imds-report.md: an AMI column with the verdict and a link to the source', () => {
    const md = reportMarkdown(check(resources).result);
    expect(md).toContain('| Stack | Launch | Type | HttpTokens | HttpPutResponseHopLimit | HttpEndpoint | HttpProtocolIpv6 | InstanceMetadataTags | AMI | Findings |\n|---|---|---|---|---|---|---|---|---|---|\n');
    expect(md).toContain(
      '| t.json | Web | AWS::EC2::Instance | required (AMI) | 2 (AMI) | enabled (AWS default) | disabled (AWS default) | disabled (AWS default) | ' +
        'an Amazon Linux 2023 AMI (ImdsSupport v2.0): requires IMDSv2 ([source](https://docs.aws.amazon.com/linux/al2023/ug/imdsv2.html)) | none |',
    );
    expect(md).toContain('| t.json | Legacy | AWS::EC2::Instance | required (launch) | 1 (AWS default) | enabled (AWS default) | disabled (AWS default) | disabled (AWS default) | AMI ami-0123456789abcdef0: not known | none |');
    expect(md).toContain('| Nodes | AWS::EKS::Nodegroup | required (AMI) | 1 (AMI) |');
    expect(md).toContain('| Bare | AWS::EC2::LaunchTemplate | required (launch) | 1 (AWS default) | enabled (AWS default) | disabled (AWS default) | disabled (AWS default) | none named | none |');
  });

  test('a launch whose variants share an AMI lists it once; different AMIs each once', () => {
    const { row } = check({
      Lt: launchTemplate({ ImageId: 'resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64' }),
      Fleet: {
        Type: 'AWS::EC2::EC2Fleet',
        Properties: {
          TargetCapacitySpecification: { TotalTargetCapacity: 2 },
          LaunchTemplateConfigs: [{ LaunchTemplateSpecification: { LaunchTemplateId: { Ref: 'Lt' }, Version: '1' }, Overrides: [{ InstanceType: 't4g.micro' }, { InstanceType: 'm7g.large' }] }],
        },
      },
      Either: instance({ 'Fn::If': ['Pinned', 'ami-0123456789abcdef0', 'resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64'] }),
    }, { Parameters: { Ami: { Type: 'String' } }, Conditions: { Pinned: { 'Fn::Equals': [{ Ref: 'Ami' }, 'pinned'] } } });
    expect(row('Fleet').amis).toEqual([{ ami: 'an Amazon Linux 2023 AMI (ImdsSupport v2.0)', verdict: 'requires IMDSv2', source: AL2023_SOURCE }]);
    expect(row('Either').amis).toEqual([
      { ami: 'AMI ami-0123456789abcdef0', verdict: 'not known' },
      { ami: 'an Amazon Linux 2023 AMI (ImdsSupport v2.0)', verdict: 'requires IMDSv2', source: AL2023_SOURCE },
    ]);
  });
});
