/** cdk-nag AwsSolutions over the library's own Lambda functions, roles and log groups. */
import * as fs from 'fs';
import * as path from 'path';
import { App, Stack, Validations, aws_iam as iam } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { DefaultHttpTokens, DefaultsRegions, ImageImdsSupport, InstanceMetadataDefaults } from '../src';

function app(): App {
  const a = new App();
  Validations.of(a).addPlugins(new AwsSolutionsChecks(a));
  return a;
}

function ourStacks(a: App): Stack[] {
  const stack = new Stack(a, 'Nag', { env: { account: '111122223333', region: 'eu-west-1' } });
  new InstanceMetadataDefaults(stack, 'Here', { httpTokens: DefaultHttpTokens.REQUIRED, regions: DefaultsRegions.of(['eu-west-1']) });
  new ImageImdsSupport(stack, 'Image', { imageId: 'ami-0123456789abcdef0' });
  const other = new Stack(a, 'NagAll', { env: { account: '444455556666', region: 'us-east-1' } });
  new InstanceMetadataDefaults(other, 'All', { httpTokens: DefaultHttpTokens.REQUIRED, regions: DefaultsRegions.allEnabled() });
  return [stack, other];
}

test('AwsSolutions passes over InstanceMetadataDefaults (one Region and all Regions) and ImageImdsSupport', () => {
  const a = app();
  const stacks = ourStacks(a);
  // A failing plugin report makes synth throw.
  const assembly = a.synth();
  for (const s of stacks) Annotations.fromStack(s).hasNoError('*', Match.anyValue());
  const report = JSON.parse(fs.readFileSync(path.join(assembly.directory, 'validation-report.json'), 'utf8'));
  expect(report.pluginReports).toEqual([]);
});

test('the same check fails on a wildcard nobody acknowledged (the plugin really runs)', () => {
  const a = app();
  const [stack] = ourStacks(a);
  const role = new iam.Role(stack, 'Loose', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  role.addToPolicy(new iam.PolicyStatement({ actions: ['ec2:ModifyInstanceMetadataDefaults'], resources: ['*'] }));
  expect(() => a.synth()).toThrow(/AwsSolutions-IAM5\[Resource::\*\][\s\S]*Nag\/Loose\/DefaultPolicy|Nag\/Loose\/DefaultPolicy[\s\S]*AwsSolutions-IAM5\[Resource::\*\]/);
});

test('our acknowledgements carry written reasons', () => {
  const a = new App();
  const [stack] = ourStacks(a);
  const acks = JSON.stringify(stack.node.findAll().flatMap((c) => c.node.metadata.filter((m) => m.type === 'aws:cdk:acknowledged-rules').map((m) => m.data)));
  expect(acks).toContain('support no resource-level permissions');
  expect(acks).toContain('grants itself lambda:InvokeFunction on the handler and its versions');
});
