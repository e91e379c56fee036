/**
 * The front-ends word a finding's fix in the props of the construct that made the resource
 * (src/private/cdk-fix.ts), after the CloudFormation fix; a plain L1 keeps the CloudFormation fix only.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, AspectPriority, Aspects, Stack, Validations, aws_ec2 as ec2 } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { ImdsChecks, ImdsValidationPlugin } from '../../src';
import { env, image, type } from '../support/aspect-app';

const CDK_FIX = 'CDK fix: set requireImdsv2: true (or httpTokens: ec2.HttpTokens.REQUIRED) on the ec2.Instance Web/Server.';

function app(outdir: string): { app: App; stack: Stack; vpc: ec2.IVpc } {
  const a = new App({ outdir, context: { 'aws:cdk:disable-creation-stack-traces': true, '@aws-cdk/core:failSynthOnValidationErrors': false } });
  const stack = new Stack(a, 'Web', { env });
  const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0, subnetConfiguration: [{ name: 'Public', subnetType: ec2.SubnetType.PUBLIC }] });
  return { app: a, stack, vpc };
}

describe('fixes in CDK words', () => {
  let outdir: string;
  beforeEach(() => (outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-wording-'))));
  afterEach(() => fs.rmSync(outdir, { recursive: true, force: true }));

  test('the aspect: an ec2.Instance without requireImdsv2 is told to set it, after the CloudFormation fix', () => {
    const { stack, vpc } = app(outdir);
    new ec2.Instance(stack, 'Server', { vpc, instanceType: type, machineImage: image });
    Aspects.of(stack).add(new ImdsChecks({ report: false }), { priority: AspectPriority.READONLY });
    const errors = Annotations.fromStack(stack).findError('/Web/Server/Resource', Match.stringLikeRegexp('^IMDS001: '));
    expect(errors.map((e) => String(e.entry.data))).toEqual([
      expect.stringMatching(new RegExp(`^IMDS001: AWS::EC2::Instance Server\\w+ does not require IMDSv2: .* Set HttpTokens to "required" at Server\\w+ Properties/MetadataOptions\\. ${escape(CDK_FIX)} `)),
    ]);
  });

  test('the plugin: the violation description carries the same CDK fix', () => {
    const { app: a, stack, vpc } = app(outdir);
    new ec2.Instance(stack, 'Server', { vpc, instanceType: type, machineImage: image });
    Validations.of(a).addPlugins(new ImdsValidationPlugin({ report: false }));
    jest.spyOn(console, 'error').mockImplementation(() => undefined);
    a.synth();
    const report = JSON.parse(fs.readFileSync(path.join(outdir, 'validation-report.json'), 'utf-8'));
    const ours = report.pluginReports.find((r: any) => r.pluginName === 'cdk-imds');
    const imds001 = ours.violations.filter((v: any) => v.ruleName === 'IMDS001');
    expect(imds001.map((v: any) => v.description)).toEqual([expect.stringMatching(new RegExp(`Properties/MetadataOptions\\. ${escape(CDK_FIX)}$`))]);
  });

  test('a plain CfnInstance keeps the CloudFormation fix only', () => {
    const { stack } = app(outdir);
    new ec2.CfnInstance(stack, 'Server', { imageId: 'ami-0123456789abcdef0', instanceType: 't3.micro' });
    Aspects.of(stack).add(new ImdsChecks({ report: false }), { priority: AspectPriority.READONLY });
    const errors = Annotations.fromStack(stack).findError('/Web/Server', Match.stringLikeRegexp('^IMDS001: '));
    expect(errors).toHaveLength(1);
    expect(String(errors[0].entry.data)).not.toMatch(/CDK fix/);
  });
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
