import { App, CfnParameter, Stack, Tags, Token, aws_autoscaling as autoscaling, aws_ec2 as ec2 } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { ImdsLaunchTemplate } from '../../src';

function stack(): Stack {
  const app = new App({ context: { '@aws-cdk/aws-autoscaling:generateLaunchTemplateInsteadOfLaunchConfig': true } });
  return new Stack(app, 'Stack', { env: { account: '111111111111', region: 'eu-west-1' } });
}

function metadataOptions(s: Stack): Record<string, unknown> {
  const templates = Template.fromStack(s).findResources('AWS::EC2::LaunchTemplate');
  const ids = Object.keys(templates);
  expect(ids).toHaveLength(1);
  return templates[ids[0]].Properties.LaunchTemplateData.MetadataOptions;
}

describe('ImdsLaunchTemplate defaults', () => {
  test('requires IMDSv2 with hop limit 1, endpoint on, IPv6 and tags off', () => {
    const s = stack();
    new ImdsLaunchTemplate(s, 'Template');
    expect(metadataOptions(s)).toEqual({
      HttpTokens: 'required',
      HttpPutResponseHopLimit: 1,
      HttpEndpoint: 'enabled',
      HttpProtocolIpv6: 'disabled',
      InstanceMetadataTags: 'disabled',
    });
  });

  test('containerHost raises the default hop limit to 2', () => {
    const s = stack();
    const t = new ImdsLaunchTemplate(s, 'Template', { containerHost: true });
    expect(metadataOptions(s)).toMatchObject({ HttpTokens: 'required', HttpPutResponseHopLimit: 2 });
    expect(t.containerHost).toBe(true);
    expect(t.metadataOptions.httpPutResponseHopLimit).toBe(2);
  });

  test('explicit options win over the defaults', () => {
    const s = stack();
    new ImdsLaunchTemplate(s, 'Template', {
      containerHost: true,
      httpPutResponseHopLimit: 3,
      httpProtocolIpv6: true,
      instanceMetadataTags: true,
      instanceType: new ec2.InstanceType('m7g.large'),
    });
    expect(metadataOptions(s)).toEqual({
      HttpTokens: 'required',
      HttpPutResponseHopLimit: 3,
      HttpEndpoint: 'enabled',
      HttpProtocolIpv6: 'enabled',
      InstanceMetadataTags: 'enabled',
    });
  });

  test('httpTokens OPTIONAL is allowed with an acknowledgeable warning', () => {
    const s = stack();
    new ImdsLaunchTemplate(s, 'Template', { httpTokens: ec2.LaunchTemplateHttpTokens.OPTIONAL });
    expect(metadataOptions(s)).toMatchObject({ HttpTokens: 'optional' });
    Annotations.fromStack(s).hasWarning('/Stack/Template', Match.stringLikeRegexp('httpTokens is OPTIONAL.*accept IMDSv1'));
  });

  test('requireImdsv2 is honoured and conflicts with OPTIONAL', () => {
    const s = stack();
    new ImdsLaunchTemplate(s, 'Template', { requireImdsv2: true });
    expect(metadataOptions(s)).toMatchObject({ HttpTokens: 'required' });
    expect(() => new ImdsLaunchTemplate(s, 'Bad', { requireImdsv2: true, httpTokens: ec2.LaunchTemplateHttpTokens.OPTIONAL }))
      .toThrow(/requireImdsv2 is true while httpTokens is OPTIONAL/);
  });
});

describe('ImdsLaunchTemplate validation', () => {
  test.each([0, 65])('hop limit %p fails at construction naming the prop, value and range', (hop) => {
    expect(() => new ImdsLaunchTemplate(stack(), 'Template', { httpPutResponseHopLimit: hop }))
      .toThrow(new RegExp(`^Stack/Template: ImdsLaunchTemplate httpPutResponseHopLimit is ${hop}: it must be a whole number from 1 to 64`));
  });

  test('a token hop limit is not judged', () => {
    const s = stack();
    new ImdsLaunchTemplate(s, 'Template', { httpPutResponseHopLimit: Token.asNumber({ Ref: 'Hop' }) });
    expect(metadataOptions(s)).toMatchObject({ HttpPutResponseHopLimit: { Ref: 'Hop' } });
  });

  test('IPv6 endpoint on a Xen instance type fails', () => {
    expect(() => new ImdsLaunchTemplate(stack(), 'Template', {
      httpProtocolIpv6: true,
      instanceType: new ec2.InstanceType('t2.micro'),
    })).toThrow(/httpProtocolIpv6 is true but ImdsLaunchTemplate instanceType is t2\.micro, which is not built on the Nitro System.*Choose a Nitro instance type/);
  });

  test('IPv6 endpoint on Nitro, or on i3.metal, passes', () => {
    for (const type of ['t3.micro', 'i3.metal']) {
      const s = stack();
      new ImdsLaunchTemplate(s, 'Template', { httpProtocolIpv6: true, instanceType: new ec2.InstanceType(type) });
      expect(metadataOptions(s)).toMatchObject({ HttpProtocolIpv6: 'enabled', HttpEndpoint: 'enabled' });
      Annotations.fromStack(s).hasNoWarning('*', Match.anyValue());
    }
  });

  test('IPv6 endpoint with a token instance type cannot be verified: warning', () => {
    const s = stack();
    new ImdsLaunchTemplate(s, 'Template', {
      httpProtocolIpv6: true,
      instanceType: new ec2.InstanceType(new CfnParameter(s, 'InstanceType', { default: 't3.micro' }).valueAsString),
    });
    Annotations.fromStack(s).hasWarning('/Stack/Template', Match.stringLikeRegexp('cannot verify that it is built on Nitro'));
  });

  test('IPv6 endpoint with the endpoint off fails', () => {
    expect(() => new ImdsLaunchTemplate(stack(), 'Template', { httpProtocolIpv6: true, httpEndpoint: false }))
      .toThrow(/httpProtocolIpv6 is true while ImdsLaunchTemplate httpEndpoint is false/);
  });

  test('endpoint off with user data given at construction fails', () => {
    const userData = ec2.UserData.forLinux();
    userData.addCommands('yum install -y nginx');
    expect(() => new ImdsLaunchTemplate(stack(), 'Template', { httpEndpoint: false, userData }))
      .toThrow(/httpEndpoint is false but the launch has user data.*would not run/);
  });

  test('endpoint off with user data added after construction fails synthesis', () => {
    const s = stack();
    const userData = ec2.UserData.forLinux();
    new ImdsLaunchTemplate(s, 'Template', { httpEndpoint: false, userData });
    userData.addCommands('systemctl start app');
    expect(() => (s.node.root as App).synth())
      .toThrow(/Stack\/Template.*httpEndpoint is false but the launch has user data/s);
  });

  test('endpoint off with shebang-only user data (aws-cdk-lib default) passes', () => {
    const s = stack();
    new ImdsLaunchTemplate(s, 'Template', {
      httpEndpoint: false,
      userData: ec2.UserData.forLinux(),
      machineImage: ec2.MachineImage.latestAmazonLinux2023(),
    });
    expect(() => (s.node.root as App).synth()).not.toThrow();
    expect(metadataOptions(s)).toMatchObject({ HttpEndpoint: 'disabled', HttpTokens: 'required' });
  });

  test('endpoint off with a key pair warns', () => {
    const s = stack();
    new ImdsLaunchTemplate(s, 'Template', { httpEndpoint: false, keyPair: ec2.KeyPair.fromKeyPairName(s, 'Key', 'ops') });
    Annotations.fromStack(s).hasWarning('/Stack/Template', Match.stringLikeRegexp('key pair.*served by IMDS'));
  });

  test('tags in metadata with a tag key IMDS rejects fails synthesis', () => {
    const s = stack();
    const t = new ImdsLaunchTemplate(s, 'Template', { instanceMetadataTags: true });
    Tags.of(t).add('team/owner', 'platform');
    Tags.of(t).add('cost-center', '42');
    expect(() => (s.node.root as App).synth())
      .toThrow(/tag key "team\/owner" cannot be served by IMDS \(it contains "\/"\).*Rename the tag, or set instanceMetadataTags to false/s);
  });

  test('tags in metadata with valid keys passes; invalid keys pass when tags are off', () => {
    const s = stack();
    const ok = new ImdsLaunchTemplate(s, 'Ok', { instanceMetadataTags: true });
    Tags.of(ok).add('cost-center', '42');
    const off = new ImdsLaunchTemplate(s, 'Off');
    Tags.of(off).add('team/owner', 'platform');
    expect(() => (s.node.root as App).synth()).not.toThrow();
  });
});

describe('ImdsLaunchTemplate with launches', () => {
  test('ec2.Instance launches from the template through applyToInstance', () => {
    const s = stack();
    const vpc = new ec2.Vpc(s, 'Vpc', { maxAzs: 1, natGateways: 0 });
    const instance = new ec2.Instance(s, 'Instance', {
      vpc,
      instanceType: new ec2.InstanceType('t3.micro'),
      machineImage: ec2.MachineImage.latestAmazonLinux2023(),
    });
    const t = new ImdsLaunchTemplate(s, 'Template');
    t.applyToInstance(instance);
    const template = Template.fromStack(s);
    const [ltId] = Object.keys(template.findResources('AWS::EC2::LaunchTemplate'));
    template.hasResourceProperties('AWS::EC2::Instance', {
      LaunchTemplate: { LaunchTemplateId: { Ref: ltId }, Version: { 'Fn::GetAtt': [ltId, 'LatestVersionNumber'] } },
      MetadataOptions: Match.absent(),
    });
  });

  test('applyToInstance refuses an instance with its own metadata options or requireImdsv2', () => {
    const s = stack();
    const vpc = new ec2.Vpc(s, 'Vpc', { maxAzs: 1, natGateways: 0 });
    const common = { vpc, instanceType: new ec2.InstanceType('t3.micro'), machineImage: ec2.MachineImage.latestAmazonLinux2023() };
    const t = new ImdsLaunchTemplate(s, 'Template');
    const own = new ec2.Instance(s, 'Own', { ...common, httpPutResponseHopLimit: 2 });
    expect(() => t.applyToInstance(own)).toThrow(/applyToInstance\(Stack\/Own\): the instance sets its own metadata options/);
    const req = new ec2.Instance(s, 'Req', { ...common, requireImdsv2: true });
    expect(() => t.applyToInstance(req)).toThrow(/applyToInstance\(Stack\/Req\): the instance already launches from a launch template \(requireImdsv2/);
  });

  test('applyToInstance checks the instance type for an IPv6 template, and user data for an endpoint-off template', () => {
    const s = stack();
    const vpc = new ec2.Vpc(s, 'Vpc', { maxAzs: 1, natGateways: 0 });
    const ipv6 = new ImdsLaunchTemplate(s, 'Ipv6', { httpProtocolIpv6: true });
    const xen = new ec2.Instance(s, 'Xen', { vpc, instanceType: new ec2.InstanceType('t2.micro'), machineImage: ec2.MachineImage.latestAmazonLinux2023() });
    expect(() => ipv6.applyToInstance(xen)).toThrow(/instance Stack\/Xen instanceType is t2\.micro, which is not built on the Nitro System/);

    const off = new ImdsLaunchTemplate(s, 'Off', { httpEndpoint: false });
    const withUserData = new ec2.Instance(s, 'WithUserData', { vpc, instanceType: new ec2.InstanceType('t3.micro'), machineImage: ec2.MachineImage.latestAmazonLinux2023() });
    withUserData.addUserData('echo hello');
    off.applyToInstance(withUserData);
    expect(() => (s.node.root as App).synth()).toThrow(/httpEndpoint is false but the launch has user data/);
  });

  test('works as the launch template of an Auto Scaling group', () => {
    const s = stack();
    const vpc = new ec2.Vpc(s, 'Vpc', { maxAzs: 1, natGateways: 0 });
    const t = new ImdsLaunchTemplate(s, 'Template', {
      instanceType: new ec2.InstanceType('t3.micro'),
      machineImage: ec2.MachineImage.latestAmazonLinux2023(),
    });
    new autoscaling.AutoScalingGroup(s, 'Group', { vpc, launchTemplate: t });
    const template = Template.fromStack(s);
    const [ltId] = Object.keys(template.findResources('AWS::EC2::LaunchTemplate'));
    template.hasResourceProperties('AWS::AutoScaling::AutoScalingGroup', {
      LaunchTemplate: { LaunchTemplateId: { Ref: ltId }, Version: { 'Fn::GetAtt': [ltId, 'LatestVersionNumber'] } },
    });
    template.resourceCountIs('AWS::AutoScaling::LaunchConfiguration', 0);
    expect(metadataOptions(s)).toMatchObject({ HttpTokens: 'required', HttpPutResponseHopLimit: 1 });
  });

  test('works in a mixed-instances policy', () => {
    const s = stack();
    const vpc = new ec2.Vpc(s, 'Vpc', { maxAzs: 1, natGateways: 0 });
    const t = new ImdsLaunchTemplate(s, 'Template', { containerHost: true, machineImage: ec2.MachineImage.latestAmazonLinux2023() });
    new autoscaling.AutoScalingGroup(s, 'Group', {
      vpc,
      mixedInstancesPolicy: {
        launchTemplate: t,
        launchTemplateOverrides: [{ instanceType: new ec2.InstanceType('m6i.large') }, { instanceType: new ec2.InstanceType('m7g.large') }],
      },
    });
    const template = Template.fromStack(s);
    const [ltId] = Object.keys(template.findResources('AWS::EC2::LaunchTemplate'));
    template.hasResourceProperties('AWS::AutoScaling::AutoScalingGroup', {
      MixedInstancesPolicy: {
        LaunchTemplate: {
          LaunchTemplateSpecification: { LaunchTemplateId: { Ref: ltId } },
          Overrides: [{ InstanceType: 'm6i.large' }, { InstanceType: 'm7g.large' }],
        },
      },
    });
    expect(metadataOptions(s)).toMatchObject({ HttpTokens: 'required', HttpPutResponseHopLimit: 2 });
  });
});
