/**
 * Services that launch instances with an IMDS switch of their own, read from free-form
 * properties: Elastic Beanstalk's option `aws:autoscaling:launchconfiguration` `DisableIMDSv1`
 * (environment and configuration template) and an EMR cluster's security configuration
 * (`InstanceMetadataServiceConfiguration`).
 */
import fc from 'fast-check';
import { runChecks } from '../../src/checks/check';
import { CheckOptions } from '../../src/checks/rule';

const NS = 'aws:autoscaling:launchconfiguration';
const AT = `Properties/OptionSettings (${NS} DisableIMDSv1)`;
const BEANSTALK_DEFAULT = `Elastic Beanstalk enables IMDSv1 unless the option ${NS} DisableIMDSv1 is "true"; its default is "false"`;
const EMR_DEFAULT = 'Amazon EMR allows IMDSv1 unless the cluster\'s security configuration sets InstanceMetadataServiceConfiguration MinimumInstanceMetadataServiceVersion to 2';
const IMDS_AT = 'Properties/SecurityConfiguration/InstanceMetadataServiceConfiguration';
/** How the advice names each service's switch. */
const EB_SET = `Set the option ${NS} DisableIMDSv1 to "true"`;
const EB_ALLOWS = `the option ${NS} DisableIMDSv1 allows IMDSv1`;
const EMR_SWITCH = `${IMDS_AT}/MinimumInstanceMetadataServiceVersion`;
const EMR_SET = 'Set InstanceMetadataServiceConfiguration MinimumInstanceMetadataServiceVersion to 2';
const EMR_ALLOWS = 'InstanceMetadataServiceConfiguration MinimumInstanceMetadataServiceVersion allows IMDSv1';

const REQUIRE = { Effect: 'Deny', Action: 'ec2:RunInstances', Resource: 'arn:aws:ec2:*:*:instance/*', Condition: { StringNotEquals: { 'ec2:MetadataHttpTokens': 'required' } } };
const UNDECIDED = { Conditions: { Strict: { 'Fn::Equals': [{ Ref: 'Mode' }, 'strict'] } }, Parameters: { Mode: { Type: 'String' } } };

function disableImdsv1(value: unknown): object {
  return { Namespace: NS, OptionName: 'DisableIMDSv1', Value: value };
}

function environment(properties: object = {}): object {
  return { Type: 'AWS::ElasticBeanstalk::Environment', Properties: { ApplicationName: 'shop', SolutionStackName: '64bit Amazon Linux 2023 v6.1.0 running Node.js 20', ...properties } };
}

function configurationTemplate(properties: object = {}): object {
  return { Type: 'AWS::ElasticBeanstalk::ConfigurationTemplate', Properties: { ApplicationName: 'shop', SolutionStackName: '64bit Amazon Linux 2023 v6.1.0 running Node.js 20', ...properties } };
}

function cluster(properties: object = {}): object {
  return { Type: 'AWS::EMR::Cluster', Properties: { Name: 'etl', ReleaseLabel: 'emr-7.1.0', Instances: {}, JobFlowRole: 'EMR_EC2_DefaultRole', ServiceRole: 'EMR_DefaultRole', ...properties } };
}

function securityConfiguration(document: unknown, name?: string): object {
  return { Type: 'AWS::EMR::SecurityConfiguration', Properties: { ...(name ? { Name: name } : {}), SecurityConfiguration: document } };
}

/** Findings as `level RULE resource path: message` (without the rule ID prefix), then template problems. */
function check(resources: Record<string, unknown>, extra: object = {}, options: Partial<CheckOptions> = {}): string[] {
  const result = runChecks([{ path: 't.json', template: { ...extra, Resources: resources }, region: 'eu-west-1' }], options);
  return [
    ...result.findings.map((f) => `${f.level} ${f.ruleId} ${f.logicalId} ${f.propertyPath}: ${f.message.slice(f.ruleId.length + 2)}`),
    ...result.problems.map((p) => `problem ${p.path}: ${p.message}`),
  ];
}

describe('Elastic Beanstalk: aws:autoscaling:launchconfiguration DisableIMDSv1', () => {
  test('an environment that does not set it accepts IMDSv1 (the option defaults to false)', () => {
    expect(check({ Web: environment() })).toEqual([
      `error IMDS001 Web Properties/OptionSettings: AWS::ElasticBeanstalk::Environment Web does not require IMDSv2 (${BEANSTALK_DEFAULT}). ` +
        `${EB_SET} at Web Properties/OptionSettings.`,
    ]);
  });

  test('an environment that sets it "false" is reported where it sets it; "true" (or true) passes', () => {
    expect(check({ Web: environment({ OptionSettings: [{ Namespace: 'aws:ec2:instances', OptionName: 'InstanceTypes', Value: 't3.small' }, disableImdsv1('false')] }) })).toEqual([
      `error IMDS001 Web Properties/OptionSettings: AWS::ElasticBeanstalk::Environment Web does not require IMDSv2: ${EB_ALLOWS} (set by Web at ${AT}). ${EB_SET} at Web Properties/OptionSettings.`,
    ]);
    expect(check({ Web: environment({ OptionSettings: [disableImdsv1('true')] }) })).toEqual([]);
    expect(check({ Web: environment({ OptionSettings: [disableImdsv1(true)] }) })).toEqual([]);
  });

  test('an option of another namespace, or another option, is not the switch', () => {
    expect(check({ Web: environment({ OptionSettings: [{ Namespace: 'aws:ec2:instances', OptionName: 'DisableIMDSv1', Value: 'true' }, { Namespace: NS, OptionName: 'DisableIMDSv2', Value: 'true' }] }) })).toEqual([
      `error IMDS001 Web Properties/OptionSettings: AWS::ElasticBeanstalk::Environment Web does not require IMDSv2 (${BEANSTALK_DEFAULT}). ` +
        `${EB_SET} at Web Properties/OptionSettings.`,
    ]);
  });

  test('an environment takes the option from the configuration template it names, which is then not checked on its own', () => {
    expect(check({ Web: environment({ TemplateName: { Ref: 'Base' } }), Base: configurationTemplate({ OptionSettings: [disableImdsv1('true')] }) })).toEqual([]);
    expect(check({ Web: environment({ TemplateName: { Ref: 'Base' } }), Base: configurationTemplate({ OptionSettings: [disableImdsv1('false')] }) })).toEqual([
      `error IMDS001 Web Properties/OptionSettings: AWS::ElasticBeanstalk::Environment Web does not require IMDSv2: ${EB_ALLOWS} (set by Base at ${AT}). ${EB_SET} at Web Properties/OptionSettings.`,
    ]);
  });

  test("the environment's own setting wins over its configuration template's", () => {
    expect(check({ Web: environment({ TemplateName: { Ref: 'Base' }, OptionSettings: [disableImdsv1('true')] }), Base: configurationTemplate({ OptionSettings: [disableImdsv1('false')] }) })).toEqual([]);
    expect(check({ Web: environment({ TemplateName: { Ref: 'Base' }, OptionSettings: [disableImdsv1('false')] }), Base: configurationTemplate({ OptionSettings: [disableImdsv1('true')] }) })).toEqual([
      `error IMDS001 Web Properties/OptionSettings: AWS::ElasticBeanstalk::Environment Web does not require IMDSv2: ${EB_ALLOWS} (set by Web at ${AT}). ${EB_SET} at Web Properties/OptionSettings.`,
    ]);
  });

  test("a configuration template's own setting wins over its source configuration's, which it otherwise inherits", () => {
    const source = { SourceConfiguration: { ApplicationName: 'shop', TemplateName: { Ref: 'Origin' } } };
    expect(check({ Web: environment({ TemplateName: { Ref: 'Base' } }), Base: configurationTemplate(source), Origin: configurationTemplate({ OptionSettings: [disableImdsv1('true')] }) })).toEqual([]);
    expect(
      check({ Web: environment({ TemplateName: { Ref: 'Base' } }), Base: configurationTemplate({ ...source, OptionSettings: [disableImdsv1('false')] }), Origin: configurationTemplate({ OptionSettings: [disableImdsv1('true')] }) }),
    ).toEqual([`error IMDS001 Web Properties/OptionSettings: AWS::ElasticBeanstalk::Environment Web does not require IMDSv2: ${EB_ALLOWS} (set by Base at ${AT}). ${EB_SET} at Web Properties/OptionSettings.`]);
  });

  test('a configuration template no environment uses is checked as the environments it describes', () => {
    expect(check({ Base: configurationTemplate({ OptionSettings: [disableImdsv1('false')] }) })).toEqual([
      `error IMDS001 Base Properties/OptionSettings: AWS::ElasticBeanstalk::ConfigurationTemplate Base does not require IMDSv2: ${EB_ALLOWS} (set by Base at ${AT}). ${EB_SET} at Base Properties/OptionSettings.`,
    ]);
    expect(check({ Base: configurationTemplate({ OptionSettings: [disableImdsv1('true')] }) })).toEqual([]);
  });

  test('a saved configuration outside the templates cannot be read, unless the environment sets the option itself', () => {
    expect(check({ Web: environment({ TemplateName: 'shop-baseline' }) })).toEqual([
      'warning IMDS010 Web Properties/TemplateName: cannot verify the metadata options of AWS::ElasticBeanstalk::Environment Web: ' +
        `its option ${NS} DisableIMDSv1 comes from the saved configuration "shop-baseline", which is not defined in the templates given. ` +
        'Define the launch template in the app, or acknowledge IMDS010 with the reason it is safe.',
    ]);
    expect(check({ Web: environment({ TemplateName: 'shop-baseline', OptionSettings: [disableImdsv1('true')] }) })).toEqual([]);
    expect(check({ Base: configurationTemplate({ EnvironmentId: 'e-abcdef1234' }) })).toEqual([
      'warning IMDS010 Base Properties/EnvironmentId: cannot verify the metadata options of AWS::ElasticBeanstalk::ConfigurationTemplate Base: ' +
        `its option ${NS} DisableIMDSv1 comes from the running environment that Base copies (EnvironmentId), which synthesis cannot read. ` +
        'Define the launch template in the app, or acknowledge IMDS010 with the reason it is safe.',
    ]);
  });

  test('Fn::If: each alternative is judged; a decided condition leaves one', () => {
    const web = environment({ OptionSettings: [disableImdsv1({ 'Fn::If': ['Strict', 'true', 'false'] })] });
    expect(check({ Web: web }, UNDECIDED)).toEqual([
      `error IMDS001 Web Properties/OptionSettings: AWS::ElasticBeanstalk::Environment Web does not require IMDSv2: ${EB_ALLOWS} (set by Web at ${AT}). ${EB_SET} at Web Properties/OptionSettings.`,
    ]);
    expect(check({ Web: web }, { Conditions: { Strict: { 'Fn::Equals': ['strict', 'strict'] } } })).toEqual([]);
    // A list chosen by Fn::If, and a branch that leaves the option to the configuration template.
    const lists = environment({ TemplateName: { Ref: 'Base' }, OptionSettings: { 'Fn::If': ['Strict', [disableImdsv1('true')], [disableImdsv1({ Ref: 'AWS::NoValue' })]] } });
    expect(check({ Web: lists, Base: configurationTemplate({ OptionSettings: [disableImdsv1('true')] }) }, UNDECIDED)).toEqual([]);
    expect(check({ Web: lists, Base: configurationTemplate() }, UNDECIDED)).toEqual([
      `error IMDS001 Web Properties/OptionSettings: AWS::ElasticBeanstalk::Environment Web does not require IMDSv2 (${BEANSTALK_DEFAULT}). ` +
        `${EB_SET} at Web Properties/OptionSettings.`,
    ]);
  });

  test('a value known only at deployment cannot be verified; a value that is not a boolean is a problem of the template', () => {
    expect(check({ Web: environment({ OptionSettings: [disableImdsv1({ Ref: 'Strict' })] }) }, { Parameters: { Strict: { Type: 'String', Default: 'true' } } })).toEqual([
      `warning IMDS010 Web Properties/OptionSettings: cannot verify that AWS::ElasticBeanstalk::Environment Web requires IMDSv2: the option ${NS} DisableIMDSv1 at Web Properties/OptionSettings cannot be read (parameter Strict). ` +
        `${EB_SET}, or acknowledge IMDS010 with the reason it is safe.`,
    ]);
    expect(check({ Web: environment({ OptionSettings: [disableImdsv1('yes')] }) })).toEqual([
      `warning IMDS010 Web Properties/OptionSettings: cannot verify that AWS::ElasticBeanstalk::Environment Web requires IMDSv2: the option ${NS} DisableIMDSv1 at Web Properties/OptionSettings ` +
        `cannot be read (set by metadata options that are unreadable: ${NS} DisableIMDSv1 of Web is "yes", neither "true" nor "false"). ${EB_SET}, or acknowledge IMDS010 with the reason it is safe.`,
      `problem Resources/Web/Properties/OptionSettings: ${NS} DisableIMDSv1 of Web is "yes", neither "true" nor "false"`,
    ]);
  });

  test('no account default is counted: AWS does not say whether the launch Elastic Beanstalk makes sets HttpTokens itself', () => {
    const defaults = { Type: 'Custom::InstanceMetadataDefaults', Properties: { HttpTokens: 'required' } };
    expect(check({ Web: environment(), Defaults: defaults }, {}, { trustAccountDefaults: true })).toEqual([
      `error IMDS001 Web Properties/OptionSettings: AWS::ElasticBeanstalk::Environment Web does not require IMDSv2 (${BEANSTALK_DEFAULT}). ` +
        `${EB_SET} at Web Properties/OptionSettings.`,
    ]);
  });

  test('a RunInstances policy of the app: AWS does not say whose request it judges for an environment', () => {
    const guard = { Type: 'AWS::IAM::ManagedPolicy', Properties: { PolicyDocument: { Statement: [REQUIRE] } } };
    expect(check({ Web: environment({ OptionSettings: [disableImdsv1('true')] }), Guard: guard })).toEqual([]);
    expect(check({ Web: environment(), Guard: guard })).toEqual([
      `error IMDS001 Web Properties/OptionSettings: AWS::ElasticBeanstalk::Environment Web does not require IMDSv2 (${BEANSTALK_DEFAULT}). ` +
        `${EB_SET} at Web Properties/OptionSettings.`,
      'warning IMDS010 Web Properties/OptionSettings: cannot verify HttpTokens, which the launch does not set itself, of AWS::ElasticBeanstalk::Environment Web ' +
        'against policy Guard (AWS::IAM::ManagedPolicy), which denies ec2:RunInstances unless the request sets HttpTokens to "required": ' +
        "AWS does not say whether an Elastic Beanstalk environment's ec2:RunInstances request is judged, nor with which metadata options. " +
        'Set HttpTokens in the launch to a value the policy allows, or acknowledge IMDS010 with the reason it is safe.',
    ]);
  });
});

describe("Amazon EMR: the cluster's security configuration", () => {
  const strict = { InstanceMetadataServiceConfiguration: { MinimumInstanceMetadataServiceVersion: 2, HttpPutResponseHopLimit: 1 } };

  test('a cluster without a security configuration accepts IMDSv1', () => {
    expect(check({ Etl: cluster() })).toEqual([
      `error IMDS001 Etl Properties/SecurityConfiguration: AWS::EMR::Cluster Etl does not require IMDSv2 (${EMR_DEFAULT}). ` +
        'Set SecurityConfiguration to a security configuration whose InstanceMetadataServiceConfiguration sets MinimumInstanceMetadataServiceVersion to 2 at Etl Properties/SecurityConfiguration.',
    ]);
  });

  test('MinimumInstanceMetadataServiceVersion 2 passes; 1 is reported on the security configuration', () => {
    expect(check({ Etl: cluster({ SecurityConfiguration: { Ref: 'Sec' } }), Sec: securityConfiguration(strict) })).toEqual([]);
    const v1 = { InstanceMetadataServiceConfiguration: { MinimumInstanceMetadataServiceVersion: 1, HttpPutResponseHopLimit: 1 } };
    expect(check({ Etl: cluster({ SecurityConfiguration: { Ref: 'Sec' } }), Sec: securityConfiguration(v1) })).toEqual([
      `error IMDS001 Sec ${EMR_SWITCH}: AWS::EMR::Cluster Etl does not require IMDSv2: ${EMR_ALLOWS} (set by Sec at ${IMDS_AT}). ${EMR_SET} at Sec ${EMR_SWITCH}.`,
    ]);
  });

  test('a security configuration without InstanceMetadataServiceConfiguration leaves IMDSv1 on', () => {
    expect(check({ Etl: cluster({ SecurityConfiguration: { Ref: 'Sec' } }), Sec: securityConfiguration({ EncryptionConfiguration: { EnableAtRestEncryption: false, EnableInTransitEncryption: false } }) })).toEqual([
      `error IMDS001 Sec ${EMR_SWITCH}: AWS::EMR::Cluster Etl does not require IMDSv2 (${EMR_DEFAULT}). ` +
        `${EMR_SET} at Sec ${EMR_SWITCH}.`,
    ]);
  });

  test('the document as JSON text; its hop limit is checked like any other', () => {
    const text = JSON.stringify({ InstanceMetadataServiceConfiguration: { MinimumInstanceMetadataServiceVersion: 2, HttpPutResponseHopLimit: 70 } });
    expect(check({ Etl: cluster({ SecurityConfiguration: { Ref: 'Sec' } }), Sec: securityConfiguration(text) })).toEqual([
      `error IMDS002 Sec ${IMDS_AT}: AWS::EMR::Cluster Etl has HttpPutResponseHopLimit 70 (set by Sec at ${IMDS_AT}): EC2 accepts only a whole number from 1 to 64. ` +
        'Set it to 1, or 2 for a container host whose containers use IMDSv2.',
    ]);
    expect(check({ Etl: cluster({ SecurityConfiguration: { Ref: 'Sec' } }), Sec: securityConfiguration('{not json') })).toEqual([
      `warning IMDS010 Sec ${EMR_SWITCH}: cannot verify that AWS::EMR::Cluster Etl requires IMDSv2: InstanceMetadataServiceConfiguration MinimumInstanceMetadataServiceVersion at Sec ${EMR_SWITCH} ` +
        `cannot be read (set by metadata options that are unreadable: Properties/SecurityConfiguration of Sec is not JSON). ${EMR_SET}, or acknowledge IMDS010 with the reason it is safe.`,
      `warning IMDS010 Sec ${IMDS_AT}: cannot verify HttpPutResponseHopLimit of AWS::EMR::Cluster Etl: it is set by metadata options that are unreadable: Properties/SecurityConfiguration of Sec is not JSON. ` +
        'Give it a literal value, or acknowledge IMDS010 with the reason it is safe.',
      'problem Resources/Sec/Properties/SecurityConfiguration: Properties/SecurityConfiguration of Sec is text that is not JSON',
    ]);
  });

  test('a security configuration named by its Name, in another template of the app, or not given at all', () => {
    const v1 = JSON.stringify({ InstanceMetadataServiceConfiguration: { MinimumInstanceMetadataServiceVersion: 1, HttpPutResponseHopLimit: 1 } });
    const result = runChecks([
      { path: 'etl.json', template: { Resources: { Etl: cluster({ SecurityConfiguration: 'strict-imds' }) } } },
      { path: 'security.json', template: { Resources: { Sec: securityConfiguration(v1, 'strict-imds') } } },
    ]);
    expect(result.findings.map((f) => `${f.templatePath} ${f.logicalId} ${f.propertyPath}: ${f.message}`)).toEqual([
      `security.json Sec ${EMR_SWITCH}: IMDS001: AWS::EMR::Cluster Etl does not require IMDSv2: ${EMR_ALLOWS} (set by Sec at ${IMDS_AT}). ${EMR_SET} at Sec ${EMR_SWITCH}.`,
    ]);
    expect(check({ Etl: cluster({ SecurityConfiguration: 'strict-imds' }) })).toEqual([
      'warning IMDS010 Etl Properties/SecurityConfiguration: cannot verify the metadata options of AWS::EMR::Cluster Etl: the security configuration "strict-imds" is not defined in the templates given. ' +
        'Define the launch template in the app, or acknowledge IMDS010 with the reason it is safe.',
    ]);
  });

  test('Fn::If on the minimum version, with maxHopLimit', () => {
    const either = { InstanceMetadataServiceConfiguration: { MinimumInstanceMetadataServiceVersion: { 'Fn::If': ['Strict', 2, 1] }, HttpPutResponseHopLimit: 2 } };
    expect(check({ Etl: cluster({ SecurityConfiguration: { Ref: 'Sec' } }), Sec: securityConfiguration(either) }, UNDECIDED, { maxHopLimit: 1 })).toEqual([
      `error IMDS001 Sec ${EMR_SWITCH}: AWS::EMR::Cluster Etl does not require IMDSv2: ${EMR_ALLOWS} (set by Sec at ${IMDS_AT}). ${EMR_SET} at Sec ${EMR_SWITCH}.`,
      `error IMDS003 Sec ${IMDS_AT}: AWS::EMR::Cluster Etl has HttpPutResponseHopLimit 2 (set by Sec at ${IMDS_AT}), above the allowed maximum 1 (maxHopLimit). Set it to at most 1.`,
    ]);
  });

  test('a RunInstances policy of the app: AWS does not say what the requests of EMR carry', () => {
    const guard = { Type: 'AWS::IAM::ManagedPolicy', Properties: { PolicyDocument: { Statement: [REQUIRE] } } };
    expect(check({ Etl: cluster({ SecurityConfiguration: { Ref: 'Sec' } }), Sec: securityConfiguration(strict), Guard: guard })).toEqual([]);
    expect(check({ Etl: cluster(), Guard: guard })).toEqual([
      `error IMDS001 Etl Properties/SecurityConfiguration: AWS::EMR::Cluster Etl does not require IMDSv2 (${EMR_DEFAULT}). ` +
        'Set SecurityConfiguration to a security configuration whose InstanceMetadataServiceConfiguration sets MinimumInstanceMetadataServiceVersion to 2 at Etl Properties/SecurityConfiguration.',
      'warning IMDS010 Etl Properties/SecurityConfiguration: cannot verify HttpTokens, which the launch does not set itself, of AWS::EMR::Cluster Etl ' +
        'against policy Guard (AWS::IAM::ManagedPolicy), which denies ec2:RunInstances unless the request sets HttpTokens to "required": ' +
        "Amazon EMR launches with the cluster's service role; AWS does not say which metadata options its ec2:RunInstances requests carry. " +
        'Set HttpTokens in the launch to a value the policy allows, or acknowledge IMDS010 with the reason it is safe.',
    ]);
  });
});

describe('the readers never throw on arbitrary JSON', () => {
  const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
    v: fc.oneof(
      { depthSize: 'small' },
      fc.constantFrom(null, true, false, 1, 2, 'true', 'false', NS, 'DisableIMDSv1', 'Base', 'Sec', 'Strict', 'AWS::NoValue', '{"InstanceMetadataServiceConfiguration":{}}'),
      fc.string(),
      fc.array(tie('v'), { maxLength: 3 }),
      fc.dictionary(
        fc.constantFrom('Ref', 'Fn::If', 'Fn::Join', 'Namespace', 'OptionName', 'Value', 'TemplateName', 'InstanceMetadataServiceConfiguration', 'MinimumInstanceMetadataServiceVersion'),
        tie('v'),
        { maxKeys: 3 },
      ),
    ),
  })).v;
  const properties = fc.dictionary(fc.constantFrom('OptionSettings', 'TemplateName', 'SourceConfiguration', 'EnvironmentId', 'SecurityConfiguration', 'Name'), value, { maxKeys: 4 });
  const type = fc.constantFrom('AWS::ElasticBeanstalk::Environment', 'AWS::ElasticBeanstalk::ConfigurationTemplate', 'AWS::EMR::Cluster', 'AWS::EMR::SecurityConfiguration');
  const resources = fc.dictionary(fc.constantFrom('Web', 'Base', 'Etl', 'Sec'), fc.record({ Type: type, Properties: properties }), { maxKeys: 4 });

  test('every finding begins with its rule ID', () => {
    fc.assert(
      fc.property(resources, (r) => {
        const result = runChecks([{ path: 't.json', template: { ...UNDECIDED, Resources: r } }]);
        for (const f of result.findings) expect(f.message).toMatch(/^IMDS0\d\d: /);
      }),
      { numRuns: 800 },
    );
  });
});

describe('AppStream app block builders: DisableIMDSV1, as fleets', () => {
  test('without DisableIMDSV1 true, IMDS001 names the switch; with it, nothing', () => {
    const builder = (props: object) => ({ Type: 'AWS::AppStream::AppBlockBuilder', Properties: { Name: 'b', Platform: 'WINDOWS_SERVER_2019', InstanceType: 'stream.standard.large', ...props } });
    expect(check({ Builder: builder({}) })).toEqual([
      'error IMDS001 Builder Properties/DisableIMDSV1: AWS::AppStream::AppBlockBuilder Builder does not require IMDSv2 (AppStream allows IMDSv1 unless DisableIMDSV1 is true). ' +
        'Set DisableIMDSV1 to true at Builder Properties/DisableIMDSV1.',
    ]);
    expect(check({ Builder: builder({ DisableIMDSV1: true }) })).toEqual([]);
  });
});
