import { AppModel } from '../../src/checks/app-model';
import { runChecks } from '../../src/checks/check';
import { effectiveOptions } from '../../src/checks/effective-options';
import { findLaunches } from '../../src/checks/launches';

const AL2023 = '{{resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64}}';

function effective(resources: Record<string, unknown>, options = { trustAccountDefaults: true, trustImageImdsSupport: true }, region = 'eu-west-1') {
  const app = new AppModel([{ path: 't.json', template: { Resources: resources }, region }]);
  const launch = findLaunches(app).find((l) => l.logicalId === 'Web')!;
  const e = effectiveOptions(app, launch, launch.variants[0], options);
  return Object.fromEntries(Object.entries(e).map(([k, v]) => [k, v.map((x) => `${x.value ?? 'unknown'} (${x.source})`).join(' | ')]));
}

const web = (props: Record<string, unknown> = {}) => ({ Type: 'AWS::EC2::Instance', Properties: { InstanceType: 't3.micro', ImageId: 'ami-1', ...props } });
const defaults = (props: Record<string, unknown>) => ({ Type: 'Custom::InstanceMetadataDefaults', Properties: { ServiceToken: 'x', ...props } });

describe('effective options (order of precedence, per option)', () => {
  test('nothing set: AWS defaults', () => {
    expect(effective({ Web: web() })).toEqual({
      HttpTokens: 'optional (AWS default)',
      HttpPutResponseHopLimit: '1 (AWS default)',
      HttpEndpoint: 'enabled (AWS default)',
      HttpProtocolIpv6: 'disabled (AWS default)',
      InstanceMetadataTags: 'disabled (AWS default)',
    });
  });

  test("the guide's worked example: account hop limit 1 + AMI v2.0 gives tokens required (AMI) and hop limit 1 (account)", () => {
    const e = effective({ Web: web({ ImageId: AL2023 }), Defaults: defaults({ HttpPutResponseHopLimit: '1' }) });
    expect(e.HttpTokens).toBe('required (AMI)');
    expect(e.HttpPutResponseHopLimit).toBe('1 (account default)');
  });

  test('the launch wins over the account default, option by option', () => {
    const e = effective({ Web: web({ MetadataOptions: { HttpTokens: 'optional' } }), Defaults: defaults({ HttpTokens: 'required', HttpEndpoint: 'disabled', InstanceMetadataTags: 'no-preference', HttpPutResponseHopLimit: -1 }) });
    expect(e.HttpTokens).toBe('optional (launch)');
    expect(e.HttpEndpoint).toBe('disabled (account default)');
    expect(e.InstanceMetadataTags).toBe('disabled (AWS default)');
    expect(e.HttpPutResponseHopLimit).toBe('1 (AWS default)');
  });

  test('the instance wins over its launch template, which wins over the rest', () => {
    const e = effective({
      LT: { Type: 'AWS::EC2::LaunchTemplate', Properties: { LaunchTemplateData: { MetadataOptions: { HttpTokens: 'required', HttpPutResponseHopLimit: 2 } } } },
      Web: web({ LaunchTemplate: { LaunchTemplateId: { Ref: 'LT' }, Version: '1' }, MetadataOptions: { HttpPutResponseHopLimit: 1 } }),
    });
    expect(e.HttpTokens).toBe('required (launch)');
    expect(e.HttpPutResponseHopLimit).toBe('1 (launch)');
  });

  test('account defaults apply only in their Regions and only when trusted', () => {
    expect(effective({ Web: web(), Defaults: defaults({ HttpTokens: 'required', Regions: ['us-east-1'] }) }).HttpTokens).toBe('optional (AWS default)');
    expect(effective({ Web: web(), Defaults: defaults({ HttpTokens: 'required', Regions: ['eu-west-1'] }) }).HttpTokens).toBe('required (account default)');
    expect(effective({ Web: web(), Defaults: defaults({ HttpTokens: 'required', AllRegions: 'true' }) }, undefined, 'ap-south-1').HttpTokens).toBe('required (account default)');
    expect(effective({ Web: web(), Defaults: defaults({ HttpTokens: 'required' }) }, { trustAccountDefaults: false, trustImageImdsSupport: true }).HttpTokens).toBe('optional (AWS default)');
  });

  test('a condition left open gives every possible value', () => {
    const app = new AppModel([
      {
        path: 't.json',
        template: {
          Parameters: { P: { Type: 'String' } },
          Conditions: { C: { 'Fn::Equals': [{ Ref: 'P' }, 'x'] } },
          Resources: { Web: web({ MetadataOptions: { 'Fn::If': ['C', { HttpTokens: 'required' }, { Ref: 'AWS::NoValue' }] } }) },
        },
      },
    ]);
    const launch = findLaunches(app)[0];
    const e = effectiveOptions(app, launch, launch.variants[0], { trustAccountDefaults: false, trustImageImdsSupport: true });
    expect(e.HttpTokens.map((v) => `${v.value} (${v.source})`)).toEqual(['required (launch)', 'optional (AWS default)']);
  });
});

describe('HttpTokensEnforced in the account defaults', () => {
  test('IMDS001 says the launch would fail', () => {
    const r = runChecks(
      [
        {
          path: 't.json',
          region: 'eu-west-1',
          template: { Resources: { Web: web({ MetadataOptions: { HttpTokens: 'optional' } }), Defaults: defaults({ HttpTokensEnforced: 'enabled' }) } },
        },
      ],
      { trustAccountDefaults: true },
    );
    expect(r.findings.map((f) => f.message)).toEqual([expect.stringMatching(/^IMDS001: .* The launch would fail: Defaults sets HttpTokensEnforced to "enabled"\. Set HttpTokens/)]);
  });
});


describe('metadata options that cannot be read as a whole', () => {
  test('an options object from a parameter: IMDS010 says which object and why, in one sentence', () => {
    const template = {
      Parameters: { Opts: { Type: 'String' } },
      Resources: { Web: web({ ImageId: AL2023, MetadataOptions: { Ref: 'Opts' } }) },
    };
    const result = runChecks([{ path: 't.json', template, region: 'eu-west-1' }], {});
    const tokens = result.findings.filter((f) => f.ruleId === 'IMDS010' && / HttpTokens /.test(f.message));
    expect(tokens.map((f) => `${f.logicalId} ${f.propertyPath}: ${f.message}`)).toEqual([
      expect.stringMatching(/^Web Properties\/MetadataOptions: IMDS010: cannot verify HttpTokens of AWS::EC2::Instance Web: it is set by metadata options that are parameter Opts\. /),
    ]);
  });
});
