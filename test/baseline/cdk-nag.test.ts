/** cdk-nag AwsSolutions over the resources of an Imdsv2Baseline stack. */
import * as fs from 'fs';
import * as path from 'path';
import { App, Stack, Validations, aws_iam as iam } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { BaselineChecks, Imdsv2Baseline, Imdsv2PolicyStatements } from '../../src';

process.env.CDK_VALIDATION = 'false';

const env = { account: '111122223333', region: 'eu-west-1' };

function nagApp(): App {
  const app = new App({ context: { 'aws:cdk:disable-creation-stack-traces': true } });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return app;
}

describe('cdk-nag AwsSolutions over a baseline stack', () => {
  test('a managed-policy baseline with every option passes', () => {
    const app = nagApp();
    const stack = new Stack(app, 'Baseline', { env });
    new Imdsv2Baseline(stack, 'Imdsv2', {
      containerHosts: true,
      httpTokensEnforced: true,
      adminPrincipalArns: [Imdsv2PolicyStatements.adminRoleArnPattern('PlatformAdmin')],
      groups: [iam.Group.fromGroupName(stack, 'Developers', 'developers')],
      checks: BaselineChecks.STRICT,
    });
    const assembly = app.synth();
    const report = JSON.parse(fs.readFileSync(path.join(assembly.directory, 'validation-report.json'), 'utf8'));
    expect(report.pluginReports).toEqual([]);
  });

  test('a service-control-policy baseline passes', () => {
    const app = nagApp();
    const stack = new Stack(app, 'OrgBaseline', { env });
    new Imdsv2Baseline(stack, 'Imdsv2', {
      serviceControlPolicyTargetIds: ['ou-ab12-abcd1234'],
      adminPrincipalArns: [Imdsv2PolicyStatements.ssoPermissionSetArnPattern('PlatformAdmin')],
    });
    expect(() => app.synth()).not.toThrow();
  });

  test('the same check fails on an unacknowledged wildcard next to the baseline (the plugin really runs)', () => {
    const app = nagApp();
    const stack = new Stack(app, 'Baseline', { env });
    new Imdsv2Baseline(stack, 'Imdsv2');
    const role = new iam.Role(stack, 'Loose', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    role.addToPolicy(new iam.PolicyStatement({ actions: ['ec2:ModifyInstanceMetadataDefaults'], resources: ['*'] }));
    jest.spyOn(console, 'error').mockImplementation(() => undefined);
    expect(() => app.synth()).toThrow(/AwsSolutions-IAM5\[Resource::\*\]/);
  });
});
