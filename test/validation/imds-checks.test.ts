import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, AspectPriority, Aspects, CfnResource, NestedStack, Stack, Stage, Tags, Validations, aws_autoscaling as autoscaling, aws_ec2 as ec2 } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { ImdsChecks, ImdsValidationPlugin } from '../../src';
import { main } from '../../src/cli/main';
import { env, image, type } from '../support/aspect-app';

process.env.CDK_VALIDATION = 'false';


let outdir: string;
beforeEach(() => {
  outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-imds-aspect-'));
});
afterEach(() => fs.rmSync(outdir, { recursive: true, force: true }));

function setup(options: ConstructorParameters<typeof ImdsChecks>[0] = { report: false }) {
  const app = new App({ outdir, context: { 'aws:cdk:disable-creation-stack-traces': true } });
  const stack = new Stack(app, 'Stack', { env });
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0 });
  Aspects.of(app).add(new ImdsChecks(options), { priority: AspectPriority.READONLY });
  return { app, stack, vpc };
}

describe('ImdsChecks', () => {
  test('an ec2.Instance without options is an IMDS001 error on its CfnInstance', () => {
    const { stack, vpc } = setup();
    new ec2.Instance(stack, 'Web', { vpc, instanceType: type, machineImage: image });
    Annotations.fromStack(stack).hasError('/Stack/Web/Resource', Match.stringLikeRegexp('^IMDS001: AWS::EC2::Instance Web\\w+ does not require IMDSv2: HttpTokens is "optional" \\(the AWS default'));
  });

  test('requireImdsv2 on ec2.Instance points at its launch template by name: compliant', () => {
    const { stack, vpc } = setup();
    new ec2.Instance(stack, 'Web', { vpc, instanceType: type, machineImage: image, requireImdsv2: true });
    Annotations.fromStack(stack).hasNoError('*', Match.stringLikeRegexp('^IMDS'));
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('^IMDS'));
  });

  test('an Auto Scaling group with a launch configuration (bare App): IMDS001 on the configuration, IMDS012 on the group', () => {
    const { stack, vpc } = setup();
    new autoscaling.AutoScalingGroup(stack, 'Group', { vpc, instanceType: type, machineImage: image });
    const a = Annotations.fromStack(stack);
    a.hasError('/Stack/Group/LaunchConfig', Match.stringLikeRegexp('^IMDS001: '));
    a.hasWarning('/Stack/Group/ASG', Match.stringLikeRegexp('^IMDS012: .* uses a launch configuration'));
  });

  test('sees tags added by Tags.of (a mutating aspect) on a launch template with tags in metadata', () => {
    const { stack } = setup();
    new ec2.LaunchTemplate(stack, 'Template', { requireImdsv2: true, instanceMetadataTags: true, instanceType: type, machineImage: image });
    Tags.of(stack).add('cost center', '42');
    Annotations.fromStack(stack).hasError('/Stack/Template/Resource', Match.stringLikeRegexp('^IMDS009: .*tag key "cost center" .*\\(it contains a space\\)'));
  });

  test.each([
    [ec2.IpProtocol.DUAL_STACK, []],
    [ec2.IpProtocol.IPV4_ONLY, ['IMDS005']],
  ])('IPv6 endpoint through an Auto Scaling group in a %s VPC', (ipProtocol, expected) => {
    const app = new App({ outdir });
    const stack = new Stack(app, 'Stack', { env });
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0, ipProtocol });
    const template = new ec2.LaunchTemplate(stack, 'Template', {
      requireImdsv2: true,
      httpProtocolIpv6: true,
      instanceType: new ec2.InstanceType('m5.large'),
      machineImage: image,
    });
    new autoscaling.AutoScalingGroup(stack, 'Group', { vpc, launchTemplate: template, vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC } });
    Aspects.of(app).add(new ImdsChecks({ report: false }), { priority: AspectPriority.READONLY });
    const errors = Annotations.fromStack(stack).findError('*', Match.stringLikeRegexp('^IMDS0'));
    expect(errors.map((e) => String(e.entry.data).slice(0, 7))).toEqual(expected);
    if (expected.length > 0) {
      expect(errors[0].id).toBe('/Stack/Group/ASG');
      expect(String(errors[0].entry.data)).toMatch(/launches into subnets VpcPublicSubnet1Subnet\w+, VpcPublicSubnet2Subnet\w+ without IPv6/);
    }
  });

  test('never changes the template', () => {
    const build = (withChecks: boolean) => {
      const app = new App({ context: { 'aws:cdk:disable-creation-stack-traces': true } });
      const stack = new Stack(app, 'Stack', { env });
      const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0 });
      new ec2.Instance(stack, 'Web', { vpc, instanceType: type, machineImage: image });
      if (withChecks) Aspects.of(app).add(new ImdsChecks({ report: false }), { priority: AspectPriority.READONLY });
      return Template.fromStack(stack).toJSON();
    };
    expect(build(true)).toEqual(build(false));
  });

  test('account defaults in another stack of the app count with trustAccountDefaults', () => {
    const app = new App({ outdir });
    const base = new Stack(app, 'Baseline', { env });
    new CfnResource(base, 'Defaults', { type: 'Custom::InstanceMetadataDefaults', properties: { ServiceToken: 'arn', HttpTokens: 'required', Regions: ['eu-west-1'] } });
    const stack = new Stack(app, 'Stack', { env });
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0 });
    new ec2.Instance(stack, 'Web', { vpc, instanceType: type, machineImage: image });
    Aspects.of(app).add(new ImdsChecks({ trustAccountDefaults: true, report: false }), { priority: AspectPriority.READONLY });
    Annotations.fromStack(stack).hasNoError('*', Match.stringLikeRegexp('^IMDS'));
  });

  test('checks the stacks of a Stage it is added to', () => {
    const app = new App({ outdir });
    const stage = new Stage(app, 'Prod');
    const stack = new Stack(stage, 'Web', { env });
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0 });
    new ec2.Instance(stack, 'Web', { vpc, instanceType: type, machineImage: image });
    Aspects.of(stage).add(new ImdsChecks({ report: false }), { priority: AspectPriority.READONLY });
    Annotations.fromStack(stack).hasError('/Prod/Web/Web/Resource', Match.stringLikeRegexp('^IMDS001: '));
  });

  test('rejects a maxHopLimit outside 1-64, naming the prop and the value', () => {
    expect(() => new ImdsChecks({ maxHopLimit: 0 })).toThrow('ImdsChecks maxHopLimit is 0: it must be a whole number from 1 to 64.');
    expect(() => new ImdsValidationPlugin({ maxHopLimit: 65 })).toThrow('ImdsValidationPlugin maxHopLimit is 65: it must be a whole number from 1 to 64.');
  });
});

describe('acknowledgements', () => {
  test.each([['IMDS001'], ['cdk-imds::IMDS001']])('Validations.acknowledge({ id: %p }) on an ancestor silences the error and is listed in the report', (id) => {
    const { stack, vpc } = setup({});
    const web = new ec2.Instance(stack, 'Web', { vpc, instanceType: type, machineImage: image });
    new ec2.Instance(stack, 'Other', { vpc, instanceType: type, machineImage: image });
    Validations.of(web).acknowledge({ id, reason: 'vendor agent needs IMDSv1 until 2027' });
    const a = Annotations.fromStack(stack);
    a.hasNoError('/Stack/Web/Resource', Match.anyValue());
    a.hasError('/Stack/Other/Resource', Match.stringLikeRegexp('^IMDS001: '));
    const report = JSON.parse(fs.readFileSync(path.join(outdir, 'imds-report.json'), 'utf-8'));
    expect(report.acknowledgements).toEqual([
      expect.objectContaining({ ruleId: 'IMDS001', constructPath: 'Stack/Web/Resource', acknowledged: { reason: 'vendor agent needs IMDSv1 until 2027', at: 'Stack/Web', key: id.includes('::') ? id : `Annotation::${id}` } }),
    ]);
    const md = fs.readFileSync(path.join(outdir, 'imds-report.md'), 'utf-8');
    expect(md).toMatch(/\| IMDS001 \| Stack\/Web\/Resource \| Stack\/Web \| vendor agent needs IMDSv1 until 2027 \|/);
  });

  test('an acknowledgement without a reason is not honoured, and the error says so', () => {
    const { stack, vpc } = setup();
    const web = new ec2.Instance(stack, 'Web', { vpc, instanceType: type, machineImage: image });
    Validations.of(web).acknowledge({ id: 'IMDS001', reason: ' ' });
    Annotations.fromStack(stack).hasError('/Stack/Web/Resource', Match.stringLikeRegexp('gives no reason, so it is not honoured'));
  });

  test('the plugin honours both forms too and fails synthesis only for what is left', () => {
    const app = new App({ outdir, context: { 'aws:cdk:disable-creation-stack-traces': true } });
    const stack = new Stack(app, 'Stack', { env });
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0 });
    const a = new ec2.Instance(stack, 'A', { vpc, instanceType: type, machineImage: image });
    const b = new ec2.Instance(stack, 'B', { vpc, instanceType: type, machineImage: image });
    Validations.of(a).acknowledge({ id: 'IMDS001', reason: 'legacy' });
    Validations.of(b).acknowledge({ id: 'cdk-imds::IMDS001', reason: 'legacy too' });
    Validations.of(app).addPlugins(new ImdsValidationPlugin());
    jest.spyOn(console, 'error').mockImplementation(() => undefined);
    expect(() => app.synth()).not.toThrow();
    const report = JSON.parse(fs.readFileSync(path.join(outdir, 'imds-plugin-report.json'), 'utf-8'));
    expect(report.summary).toEqual({ launches: 2, errors: 0, warnings: 0, acknowledged: 2 });
    expect(report.launches.map((l: any) => [l.constructPath, l.options.HttpTokens])).toEqual([
      ['Stack/A/Resource', { value: 'optional', source: 'AWS default' }],
      ['Stack/B/Resource', { value: 'optional', source: 'AWS default' }],
    ]);
  });

  test('the plugin fails synthesis with the rule ID, logical ID and property path', () => {
    const app = new App({ outdir, context: { 'aws:cdk:disable-creation-stack-traces': true } });
    const stack = new Stack(app, 'Stack', { env });
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0 });
    new ec2.Instance(stack, 'Web', { vpc, instanceType: type, machineImage: image });
    Validations.of(app).addPlugins(new ImdsValidationPlugin({ report: false }));
    jest.spyOn(console, 'error').mockImplementation(() => undefined);
    expect(() => app.synth()).toThrow(/IMDS001: AWS::EC2::Instance Web\w+ does not require IMDSv2[\s\S]*Acknowledge with 'cdk-imds::IMDS001'/);
    const report = JSON.parse(fs.readFileSync(path.join(outdir, 'validation-report.json'), 'utf-8'));
    const ours = report.pluginReports.find((r: any) => r.pluginName === 'cdk-imds');
    expect(ours.conclusion).toBe('failure');
    expect(ours.violations[0]).toMatchObject({
      ruleName: 'IMDS001',
      severity: 'error',
      violatingConstructs: [{ constructPath: 'Stack/Web/Resource', cloudFormationResource: { templatePath: 'Stack.template.json', logicalId: expect.stringMatching(/^Web/), propertyPaths: ['Properties/MetadataOptions'] } }],
    });
    expect(fs.existsSync(path.join(outdir, 'imds-plugin-report.json'))).toBe(false);
  });

  test('the plugin on the App sees the stacks of nested stages', () => {
    const app = new App({ outdir, context: { 'aws:cdk:disable-creation-stack-traces': true } });
    const stage = new Stage(app, 'Prod');
    const stack = new Stack(stage, 'Web', { env });
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0 });
    new ec2.Instance(stack, 'Server', { vpc, instanceType: type, machineImage: image });
    Validations.of(app).addPlugins(new ImdsValidationPlugin());
    jest.spyOn(console, 'error').mockImplementation(() => undefined);
    expect(() => app.synth()).toThrow(/IMDS001: AWS::EC2::Instance Server\w+ does not require IMDSv2/);
    const report = JSON.parse(fs.readFileSync(path.join(outdir, 'imds-plugin-report.json'), 'utf-8'));
    expect(report.launches).toEqual([expect.objectContaining({ constructPath: 'Prod/Web/Server/Resource', type: 'AWS::EC2::Instance' })]);
    expect(report.launches[0].template).toMatch(/assembly-Prod[\\/]ProdWeb\w+\.template\.json$/);
  });

  test('nested stacks: the aspect, the plugin and the CLI all check them', () => {
    const build = (dir: string) => {
      const app = new App({ outdir: dir, context: { 'aws:cdk:disable-creation-stack-traces': true } });
      const parent = new Stack(app, 'Parent', { env });
      const nested = new NestedStack(parent, 'Servers');
      new ec2.Instance(nested, 'Server', {
        vpc: ec2.Vpc.fromVpcAttributes(nested, 'Vpc', { vpcId: 'vpc-12345678', availabilityZones: ['eu-west-1a'], publicSubnetIds: ['subnet-12345678'] }),
        instanceType: type,
        machineImage: image,
      });
      return app;
    };
    // The aspect.
    const withAspect = build(path.join(outdir, 'aspect'));
    Aspects.of(withAspect).add(new ImdsChecks({ report: false }), { priority: AspectPriority.READONLY });
    const assembly = withAspect.synth();
    expect(assembly.getStackByName('Parent').messages.map((m) => [m.id, String(m.entry.data).slice(0, 8)])).toContainEqual(['/Parent/Servers/Server/Resource', 'IMDS001:']);
    // The CLI, over that cloud assembly.
    let out = '';
    expect(main(['check', assembly.directory], (x) => (out += x), () => undefined)).toBe(1);
    expect(out).toMatch(/ERROR +\S+\.nested\.template\.json Parent\/Servers\/Server\/Resource/);
    // The plugin.
    const withPlugin = build(path.join(outdir, 'plugin'));
    Validations.of(withPlugin).addPlugins(new ImdsValidationPlugin());
    jest.spyOn(console, 'error').mockImplementation(() => undefined);
    expect(() => withPlugin.synth()).toThrow(/IMDS001: AWS::EC2::Instance Server\w+ does not require IMDSv2/);
    const report = JSON.parse(fs.readFileSync(path.join(outdir, 'plugin', 'imds-plugin-report.json'), 'utf-8'));
    expect(report.launches).toEqual([expect.objectContaining({ constructPath: 'Parent/Servers/Server/Resource' })]);
  });
});
