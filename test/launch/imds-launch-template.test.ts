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
  test.each([0, 65, 1.5])('hop limit %p fails at construction (IMDS002) naming the prop, value, range and fix', (hop) => {
    expect(() => new ImdsLaunchTemplate(stack(), 'Template', { httpPutResponseHopLimit: hop })).toThrow(new RegExp(
      `^Stack/Template: ImdsLaunchTemplate httpPutResponseHopLimit is ${hop}: IMDS002: AWS::EC2::LaunchTemplate Stack/Template has HttpPutResponseHopLimit ${hop} ` +
        '\\(set by Stack/Template at Properties/LaunchTemplateData/MetadataOptions/HttpPutResponseHopLimit\\): EC2 accepts only a whole number from 1 to 64\\. ' +
        'Set it to 1, or 2 for a container host whose containers use IMDSv2\\. ' +
        'CDK fix: set httpPutResponseHopLimit to a whole number from 1 to 64, or leave it out for 1 \\(2 with containerHost: true\\)\\.$',
    ));
  });

  test('a token hop limit is rendered, not judged: a warning says it cannot be verified, and aws-cdk-lib records no error', () => {
    const s = stack();
    new ImdsLaunchTemplate(s, 'Template', { httpPutResponseHopLimit: Token.asNumber({ Ref: 'Hop' }) });
    expect(metadataOptions(s)).toEqual({
      HttpTokens: 'required',
      HttpPutResponseHopLimit: { Ref: 'Hop' },
      HttpEndpoint: 'enabled',
      HttpProtocolIpv6: 'disabled',
      InstanceMetadataTags: 'disabled',
    });
    Annotations.fromStack(s).hasWarning('/Stack/Template', Match.stringLikeRegexp(
      '^ImdsLaunchTemplate httpPutResponseHopLimit is a token: cannot verify that it is a whole number from 1 to 64 \\(IMDS002\\), which EC2 requires\\. ' +
        'Use a literal hop limit.*\\[ack: cdk-imds:ImdsLaunchTemplate.hopLimitUnresolved\\]$',
    ));
    Annotations.fromStack(s).hasNoError('*', Match.anyValue());
  });

  test('IPv6 endpoint on a Xen instance type fails (IMDS004)', () => {
    expect(() => new ImdsLaunchTemplate(stack(), 'Template', {
      httpProtocolIpv6: true,
      instanceType: new ec2.InstanceType('t2.micro'),
    })).toThrow(new RegExp(
      '^Stack/Template: ImdsLaunchTemplate httpProtocolIpv6 is true but instanceType is t2\\.micro: IMDS004: AWS::EC2::LaunchTemplate Stack/Template enables the IPv6 metadata endpoint ' +
        'on instance type t2\\.micro from Stack/Template Properties/LaunchTemplateData/InstanceType, which is not built on the Nitro System\\. ' +
        'Choose a Nitro instance type .* CDK fix: choose a Nitro instanceType \\(e\\.g\\. t3, m5, c6i and newer\\), or set httpProtocolIpv6 to false\\.$',
    ));
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
    Annotations.fromStack(s).hasWarning('/Stack/Template', Match.stringLikeRegexp(
      '^ImdsLaunchTemplate httpProtocolIpv6 is true but instanceType is a token: cannot verify that it is built on Nitro \\(IMDS004\\), ' +
        'which the IPv6 metadata endpoint needs\\. Use a literal instance type.*\\[ack: cdk-imds:ImdsLaunchTemplate.instanceTypeUnresolved\\]$',
    ));
    Annotations.fromStack(s).hasNoError('*', Match.anyValue());
  });

  test('IPv6 endpoint with the endpoint off fails (IMDS006)', () => {
    expect(() => new ImdsLaunchTemplate(stack(), 'Template', { httpProtocolIpv6: true, httpEndpoint: false })).toThrow(new RegExp(
      '^Stack/Template: ImdsLaunchTemplate httpProtocolIpv6 is true while httpEndpoint is false: IMDS006: AWS::EC2::LaunchTemplate Stack/Template enables the IPv6 metadata endpoint ' +
        'while HttpEndpoint is "disabled": the IPv6 endpoint needs the endpoint on\\. .* CDK fix: set httpEndpoint to true, or httpProtocolIpv6 to false\\.$',
    ));
  });

  test('endpoint off with user data given at construction fails (IMDS007)', () => {
    const userData = ec2.UserData.forLinux();
    userData.addCommands('yum install -y nginx');
    expect(() => new ImdsLaunchTemplate(stack(), 'Template', { httpEndpoint: false, userData })).toThrow(new RegExp(
      '^Stack/Template: ImdsLaunchTemplate httpEndpoint is false but userData has commands: IMDS007: AWS::EC2::LaunchTemplate Stack/Template has HttpEndpoint "disabled" ' +
        '\\(set by Stack/Template at Properties/LaunchTemplateData/MetadataOptions/HttpEndpoint\\) but user data at Stack/Template Properties/LaunchTemplateData/UserData, which would not run\\. ' +
        '.* CDK fix: set httpEndpoint to true, or remove the commands from userData\\.$',
    ));
  });

  test('endpoint off with user data added after construction fails synthesis (IMDS007)', () => {
    const s = stack();
    const userData = ec2.UserData.forLinux();
    new ImdsLaunchTemplate(s, 'Template', { httpEndpoint: false, userData });
    userData.addCommands('systemctl start app');
    expect(() => (s.node.root as App).synth()).toThrow(new RegExp(
      '\\[Stack/Template\\] ImdsLaunchTemplate httpEndpoint is false but userData has commands: IMDS007: AWS::EC2::LaunchTemplate Stack/Template has HttpEndpoint "disabled" ' +
        '.* but user data at Stack/Template Properties/LaunchTemplateData/UserData, which would not run\\. .* CDK fix: set httpEndpoint to true, or remove the commands from userData\\.',
    ));
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

  test('endpoint off with a key pair warns (IMDS008)', () => {
    const s = stack();
    new ImdsLaunchTemplate(s, 'Template', { httpEndpoint: false, keyPair: ec2.KeyPair.fromKeyPairName(s, 'Key', 'ops') });
    Annotations.fromStack(s).hasWarning('/Stack/Template', Match.stringLikeRegexp(
      '^ImdsLaunchTemplate httpEndpoint is false and the template names a key pair \\(keyPair or keyName\\): IMDS008: AWS::EC2::LaunchTemplate Stack/Template has HttpEndpoint "disabled" ' +
        '.* names a key pair at Stack/Template Properties/LaunchTemplateData/KeyName; the public key is served by instance metadata, so key-pair login may fail\\. ' +
        '.* CDK fix: set httpEndpoint to true, or drop the key pair and log in with Session Manager\\. \\[ack: cdk-imds:ImdsLaunchTemplate.keyPairWithoutEndpoint\\]$',
    ));
    Annotations.fromStack(s).hasNoError('*', Match.anyValue());
  });

  test('tags in metadata with a tag key IMDS rejects fails synthesis (IMDS009)', () => {
    const s = stack();
    const t = new ImdsLaunchTemplate(s, 'Template', { instanceMetadataTags: true });
    Tags.of(t).add('team/owner', 'platform');
    Tags.of(t).add('cost-center', '42');
    let message = '';
    try {
      (s.node.root as App).synth();
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(new RegExp(
      '\\[Stack/Template\\] ImdsLaunchTemplate instanceMetadataTags is true and a tag key cannot be served by IMDS: IMDS009: AWS::EC2::LaunchTemplate Stack/Template ' +
        'has tags in instance metadata on .* and tag key "team/owner" from Stack/Template Properties/LaunchTemplateData/TagSpecifications/0/Tags cannot be served by IMDS ' +
        '\\(it contains "/"\\); the launch would fail\\. .* CDK fix: rename the tag, or set instanceMetadataTags to false\\.',
    ));
    expect(message).not.toMatch(/cost-center/);
  });

  test('tags in metadata with a tag key that is a token cannot be verified: warning', () => {
    const s = stack();
    const t = new ImdsLaunchTemplate(s, 'Template', { instanceMetadataTags: true });
    Tags.of(t).add(new CfnParameter(s, 'TagKey').valueAsString, 'platform');
    Annotations.fromStack(s).hasWarning('/Stack/Template', Match.stringLikeRegexp(
      '^ImdsLaunchTemplate instanceMetadataTags is true but a tag key of this template is a token: cannot verify that IMDS can serve it \\(IMDS009\\).*' +
        '\\[ack: cdk-imds:ImdsLaunchTemplate.tagKeyUnresolved\\]$',
    ));
    Annotations.fromStack(s).hasNoError('*', Match.anyValue());
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

  test('applyToInstance checks the instance type for an IPv6 template (IMDS004), and user data for an endpoint-off template (IMDS007)', () => {
    const s = stack();
    const vpc = new ec2.Vpc(s, 'Vpc', { maxAzs: 1, natGateways: 0 });
    const ipv6 = new ImdsLaunchTemplate(s, 'Ipv6', { httpProtocolIpv6: true });
    const xen = new ec2.Instance(s, 'Xen', { vpc, instanceType: new ec2.InstanceType('t2.micro'), machineImage: ec2.MachineImage.latestAmazonLinux2023() });
    expect(() => ipv6.applyToInstance(xen)).toThrow(new RegExp(
      '^applyToInstance\\(Stack/Xen\\): ImdsLaunchTemplate httpProtocolIpv6 is true but instance Stack/Xen has instanceType t2\\.micro: IMDS004: AWS::EC2::Instance Stack/Xen ' +
        'enables the IPv6 metadata endpoint on instance type t2\\.micro from Stack/Xen Properties/InstanceType, which is not built on the Nitro System ' +
        '\\(the IPv6 endpoint is enabled by Stack/Ipv6\\)\\. .* CDK fix: give the instance a Nitro instanceType \\(e\\.g\\. t3, m5, c6i and newer\\), ' +
        'or apply a template with httpProtocolIpv6 false\\.$',
    ));

    const off = new ImdsLaunchTemplate(s, 'Off', { httpEndpoint: false });
    const withUserData = new ec2.Instance(s, 'WithUserData', { vpc, instanceType: new ec2.InstanceType('t3.micro'), machineImage: ec2.MachineImage.latestAmazonLinux2023() });
    withUserData.addUserData('echo hello');
    off.applyToInstance(withUserData);
    expect(() => (s.node.root as App).synth()).toThrow(new RegExp(
      '\\[Stack/WithUserData\\] applyToInstance\\(Stack/WithUserData\\): ImdsLaunchTemplate httpEndpoint is false but instance Stack/WithUserData has user data: ' +
        'IMDS007: AWS::EC2::Instance Stack/WithUserData has HttpEndpoint "disabled" \\(set by Stack/Off at Properties/LaunchTemplateData/MetadataOptions/HttpEndpoint\\) ' +
        'but user data at Stack/WithUserData Properties/UserData, which would not run\\. .* CDK fix: set httpEndpoint to true, or remove the instance\'s user data\\.',
    ));
  });

  test('applyToInstance passes a Nitro instance with an IPv6 template and shebang-only user data with an endpoint-off template', () => {
    const s = stack();
    const vpc = new ec2.Vpc(s, 'Vpc', { maxAzs: 1, natGateways: 0 });
    const common = { vpc, instanceType: new ec2.InstanceType('t3.micro'), machineImage: ec2.MachineImage.latestAmazonLinux2023() };
    new ImdsLaunchTemplate(s, 'Ipv6', { httpProtocolIpv6: true }).applyToInstance(new ec2.Instance(s, 'Nitro', common));
    new ImdsLaunchTemplate(s, 'Off', { httpEndpoint: false }).applyToInstance(new ec2.Instance(s, 'Plain', common));
    expect(() => (s.node.root as App).synth()).not.toThrow();
    Annotations.fromStack(s).hasNoWarning('*', Match.stringLikeRegexp('ImdsLaunchTemplate'));
  });

  test('applyToInstance warns of a key pair on the instance with an endpoint-off template (IMDS008)', () => {
    const s = stack();
    const vpc = new ec2.Vpc(s, 'Vpc', { maxAzs: 1, natGateways: 0 });
    const keyPair = ec2.KeyPair.fromKeyPairName(s, 'Key', 'ops');
    const instance = new ec2.Instance(s, 'Bastion', { vpc, keyPair, instanceType: new ec2.InstanceType('t3.micro'), machineImage: ec2.MachineImage.latestAmazonLinux2023() });
    new ImdsLaunchTemplate(s, 'Off', { httpEndpoint: false }).applyToInstance(instance);
    Annotations.fromStack(s).hasWarning('/Stack/Bastion', Match.stringLikeRegexp(
      '^ImdsLaunchTemplate httpEndpoint is false and instance Stack/Bastion names a key pair: IMDS008: AWS::EC2::Instance Stack/Bastion has HttpEndpoint "disabled" ' +
        '\\(set by Stack/Off at Properties/LaunchTemplateData/MetadataOptions/HttpEndpoint\\) and names a key pair at Stack/Bastion Properties/KeyName; ' +
        '.* CDK fix: set httpEndpoint to true, or drop the instance\'s key pair and log in with Session Manager\\. \\[ack: cdk-imds:ImdsLaunchTemplate.keyPairWithoutEndpoint\\]$',
    ));
  });

  test('applyToInstance checks the instance tags for a template with tags in metadata (IMDS009)', () => {
    const s = stack();
    const vpc = new ec2.Vpc(s, 'Vpc', { maxAzs: 1, natGateways: 0 });
    const instance = new ec2.Instance(s, 'Web', { vpc, instanceType: new ec2.InstanceType('t3.micro'), machineImage: ec2.MachineImage.latestAmazonLinux2023() });
    new ImdsLaunchTemplate(s, 'Tags', { instanceMetadataTags: true }).applyToInstance(instance);
    Tags.of(instance).add('cost center', '42');
    expect(() => (s.node.root as App).synth()).toThrow(new RegExp(
      '\\[Stack/Web\\] applyToInstance\\(Stack/Web\\): ImdsLaunchTemplate instanceMetadataTags is true and a tag key of instance Stack/Web cannot be served by IMDS: ' +
        'IMDS009: AWS::EC2::Instance Stack/Web has tags in instance metadata on .* and tag key "cost center" from Stack/Web Properties/Tags cannot be served by IMDS ' +
        '\\(it contains a space\\); the launch would fail\\. .* CDK fix: rename the instance\'s tag, or set instanceMetadataTags to false\\.',
    ));
  });

  test('applyToInstance with an IPv6 template and a token instance type cannot verify: warning on the instance', () => {
    const s = stack();
    const vpc = new ec2.Vpc(s, 'Vpc', { maxAzs: 1, natGateways: 0 });
    const type = new CfnParameter(s, 'InstanceType', { default: 't3.micro' }).valueAsString;
    const instance = new ec2.Instance(s, 'Web', { vpc, instanceType: new ec2.InstanceType(type), machineImage: ec2.MachineImage.latestAmazonLinux2023() });
    new ImdsLaunchTemplate(s, 'Ipv6', { httpProtocolIpv6: true }).applyToInstance(instance);
    Annotations.fromStack(s).hasWarning('/Stack/Web', Match.stringLikeRegexp(
      '^ImdsLaunchTemplate httpProtocolIpv6 is true but instance Stack/Web instanceType is a token: cannot verify that it is built on Nitro \\(IMDS004\\).*' +
        '\\[ack: cdk-imds:ImdsLaunchTemplate.instanceTypeUnresolved\\]$',
    ));
    Annotations.fromStack(s).hasNoError('*', Match.anyValue());
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

describe('a hop limit that is not a number (from JavaScript)', () => {
  test('the string "2" fails at construction, shown as the string it is', () => {
    expect(() => new ImdsLaunchTemplate(stack(), 'Template', { httpPutResponseHopLimit: '2' as unknown as number })).toThrow(
      /^Stack\/Template: ImdsLaunchTemplate httpPutResponseHopLimit is "2" \(a string\): it must be a number, /,
    );
  });
});
