/**
 * The CLI says how to acknowledge each finding, and reports acknowledgements in a cloud assembly
 * that name no rule or give no reason, as the aspect and the plugin do.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack, Validations, aws_ec2 as ec2 } from 'aws-cdk-lib';
import { run } from './run-cli';

let dir: string;
beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-acks-'))));
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

test('text output: each finding of a plain template ends with the Metadata form of its acknowledgement', () => {
  const file = path.join(dir, 't.json');
  fs.writeFileSync(file, JSON.stringify({ Resources: { Web: { Type: 'AWS::EC2::Instance', Properties: { ImageId: 'ami-1', InstanceType: 't3.micro' } } } }));
  const r = run(['check', file]);
  expect(r.code).toBe(1);
  const lines = r.out.split('\n');
  const i = lines.findIndex((l) => l.startsWith('        IMDS001: '));
  expect(lines[i + 1]).toBe('        To accept it, add to the resource\'s Metadata {"cdk-imds": {"acknowledge": [{"id": "IMDS001", "reason": "..."}]}}.');
});

test('a cdk.out: an acknowledgement with an ID that names no rule, or without a reason, is reported; the CDK form is the hint', () => {
  const outdir = path.join(dir, 'cdk.out');
  const app = new App({ outdir });
  const stack = new Stack(app, 'Web', { env: { account: '111111111111', region: 'eu-west-1' } });
  const server = new ec2.CfnInstance(stack, 'Server', { imageId: 'ami-1', instanceType: 't3.micro', metadataOptions: { httpTokens: 'required' } });
  Validations.of(server).acknowledge({ id: 'IMDS01', reason: 'typo' }, { id: 'CloudFormation-Validate::W3010', reason: 'another tool' });
  app.synth();
  const r = run(['check', '--format', 'json', outdir]);
  expect(r.code).toBe(0);
  const findings = JSON.parse(r.out).findings as Array<{ ruleId: string; level: string; message: string }>;
  expect(findings.map((f) => [f.ruleId, f.level, f.message])).toEqual([
    [
      'cdk-imds:invalidAcknowledgement',
      'warning',
      expect.stringMatching(/^cdk-imds:invalidAcknowledgement: the acknowledgement 'IMDS01' on Web\/Server \(Validations\.of\(\.\.\.\)\.acknowledge\) is not honoured: 'IMDS01' is not a cdk-imds rule ID\. Known IDs: IMDS001, /),
    ],
  ]);
});
