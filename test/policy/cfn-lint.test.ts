import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import {
  DeclarativePolicySetting,
  Imdsv2PolicyStatements,
  InstanceMetadataDefaultsDeclarativePolicy,
  RequireImdsv2ManagedPolicy,
  RequireImdsv2ServiceControlPolicy,
} from '../../src';

const hasCfnLint = spawnSync('cfn-lint', ['--version'], { encoding: 'utf8' }).status === 0;

// cfn-lint checks the synthesized template against the CloudFormation resource schemas.
(hasCfnLint ? describe : describe.skip)('cfn-lint on the synthesized policies', () => {
  test('the template of all three policies, every option on, has no cfn-lint finding', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-imds-policy-'));
    const app = new App({ outdir });
    const stack = new Stack(app, 'Policies');
    new RequireImdsv2ManagedPolicy(stack, 'Managed', { adminPrincipalArns: [Imdsv2PolicyStatements.adminRoleArnPattern('ImdsAdmins')] });
    new RequireImdsv2ServiceControlPolicy(stack, 'Scp', {
      targetIds: ['r-ab12', 'ou-ab12-abcdefgh'],
      adminPrincipalArns: [Imdsv2PolicyStatements.ssoPermissionSetArnPattern('PlatformAdmin')],
    });
    new InstanceMetadataDefaultsDeclarativePolicy(stack, 'Declarative', {
      targetIds: ['123456789012'],
      httpTokensEnforced: DeclarativePolicySetting.ENABLED,
    });
    const assembly = app.synth();
    const templateFile = path.join(assembly.directory, assembly.getStackByName('Policies').templateFile);
    const lint = spawnSync('cfn-lint', ['-i', 'W3005', '--', templateFile], { encoding: 'utf8' });
    expect(`${lint.stdout}${lint.stderr}`).toBe('');
    expect(lint.status).toBe(0);
    fs.rmSync(outdir, { recursive: true, force: true });
  });
});
