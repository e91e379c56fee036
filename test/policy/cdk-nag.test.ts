import { App, Stack, Validations, aws_iam as iam } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import {
  Imdsv2PolicyStatements,
  InstanceMetadataDefaultsDeclarativePolicy,
  RequireImdsv2ManagedPolicy,
  RequireImdsv2ServiceControlPolicy,
} from '../../src';

describe('cdk-nag AwsSolutions', () => {
  test('the policy constructs pass with every option on', () => {
    const app = new App();
    const stack = new Stack(app, 'Policies');
    const role = new iam.Role(stack, 'Workload', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });
    new RequireImdsv2ManagedPolicy(stack, 'ManagedPolicy', {
      adminPrincipalArns: [Imdsv2PolicyStatements.adminRoleArnPattern('ImdsAdmins')],
      roles: [role],
    });
    new RequireImdsv2ServiceControlPolicy(stack, 'Scp', {
      targetIds: ['r-ab12'],
      adminPrincipalArns: [Imdsv2PolicyStatements.ssoPermissionSetArnPattern('PlatformAdmin')],
    });
    new InstanceMetadataDefaultsDeclarativePolicy(stack, 'Declarative', {
      targetIds: ['r-ab12'],
    });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    expect(() => app.synth()).not.toThrow();
  });

  test('the same check fails on a policy that grants wildcard access (the check can fail)', () => {
    const app = new App();
    const stack = new Stack(app, 'Bad');
    const role = new iam.Role(stack, 'Workload', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });
    new iam.ManagedPolicy(stack, 'TooBroad', {
      statements: [new iam.PolicyStatement({ actions: ['ec2:*'], resources: ['*'] })],
      roles: [role],
    });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    expect(() => app.synth()).toThrow(/AwsSolutions-IAM5/);
  });
});
