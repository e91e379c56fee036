import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack, Validations, aws_ec2 as ec2 } from 'aws-cdk-lib';
import { ImdsValidationPlugin, Imdsv2Baseline } from '../../src';
import { env } from '../support/aspect-app';

process.env.CDK_VALIDATION = 'false';

let outdir: string;
beforeEach(() => {
  outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-imds-reports-'));
});
afterEach(() => fs.rmSync(outdir, { recursive: true, force: true }));

test('the baseline\'s checks and the validation plugin each keep their own report files', () => {
  const app = new App({ outdir, context: { 'aws:cdk:disable-creation-stack-traces': true } });
  new Imdsv2Baseline(new Stack(app, 'Baseline', { env }), 'Imdsv2');
  const web = new Stack(app, 'Web', { env });
  new ec2.CfnInstance(web, 'Server', { imageId: 'ami-0123456789abcdef0', instanceType: 't3.micro', metadataOptions: { httpTokens: 'required' } });
  // The plugin does not trust account defaults, the baseline's checks do: their reports differ.
  Validations.of(app).addPlugins(new ImdsValidationPlugin());
  app.synth();
  const aspect = JSON.parse(fs.readFileSync(path.join(outdir, 'imds-report.json'), 'utf-8'));
  const plugin = JSON.parse(fs.readFileSync(path.join(outdir, 'imds-plugin-report.json'), 'utf-8'));
  expect(aspect.launches.map((l: any) => [l.logicalId, l.options.HttpPutResponseHopLimit])).toEqual([['Server', { value: '1', source: 'account default' }]]);
  expect(plugin.launches.map((l: any) => [l.logicalId, l.options.HttpPutResponseHopLimit])).toEqual([['Server', { value: '1', source: 'AWS default' }]]);
  expect(fs.readFileSync(path.join(outdir, 'imds-report.md'), 'utf-8')).toMatch(/\| Web \| Web\/Server \| AWS::EC2::Instance \| required \(launch\) \| 1 \(account default\) \|/);
  expect(fs.readFileSync(path.join(outdir, 'imds-plugin-report.md'), 'utf-8')).toMatch(/\| Web \| Web\/Server \| AWS::EC2::Instance \| required \(launch\) \| 1 \(AWS default\) \|/);
});
