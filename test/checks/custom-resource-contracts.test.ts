/**
 * The constructs that write `Custom::InstanceMetadataDefaults` and `Custom::ImageImdsSupport`
 * and the checker that reads them agree through one contract per resource: each test synthesizes
 * the construct, compares the template with the contract's names, and has the checker read it.
 */
import { App, Stack, aws_ec2 as ec2 } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import {
  DefaultHopLimit,
  DefaultHttpEndpoint,
  DefaultHttpTokens,
  DefaultHttpTokensEnforced,
  DefaultInstanceMetadataTags,
  DefaultsRegions,
  ImageImdsSupport,
  InstanceMetadataDefaults,
} from '../../src';
import {
  ALL_REGIONS_PROPERTY,
  ALL_REGIONS_VALUE,
  DEFAULTS_FIELDS,
  HOP_LIMIT_NO_PREFERENCE,
  INSTANCE_METADATA_DEFAULTS_RESOURCE_TYPE,
  NO_PREFERENCE,
  REGIONS_PROPERTY,
  REMOVAL_POLICY_PROPERTY,
  parseDefaultsProperties,
} from '../../src/account/private/defaults-contract';
import { ACCOUNT_DEFAULTS_TYPE, AppModel, IMAGE_IMDS_SUPPORT_ATTRIBUTE, IMAGE_IMDS_SUPPORT_TYPE } from '../../src/checks/app-model';
import { CheckResult, RESOURCE_TYPES_READ, runChecks } from '../../src/checks/check';
import {
  IMAGE_ID_ATTRIBUTE,
  IMAGE_ID_PROPERTY,
  IMAGE_IMDS_SUPPORT_RESOURCE_TYPE,
  parseImageProperties,
} from '../../src/image/private/image-contract';

const REGION = 'eu-west-1';
const AMI = 'ami-0123456789abcdef0';

function stack(agnostic = false): Stack {
  return new Stack(new App(), 'S', agnostic ? {} : { env: { account: '111122223333', region: REGION } });
}

/** The resources of one type in a synthesized template, with their properties. */
function resourcesOfType(template: any, type: string): Array<{ logicalId: string; properties: Record<string, unknown> }> {
  return Object.entries<any>(template.Resources)
    .filter(([, r]) => r.Type === type)
    .map(([logicalId, r]) => ({ logicalId, properties: r.Properties ?? {} }));
}

/** The property names a custom resource carries besides the service token. */
function propertyNames(properties: Record<string, unknown>): string[] {
  return Object.keys(properties).filter((k) => k !== 'ServiceToken').sort();
}

describe('Custom::InstanceMetadataDefaults contract', () => {
  test('the checker reads the resource type of the contract', () => {
    expect(ACCOUNT_DEFAULTS_TYPE).toBe(INSTANCE_METADATA_DEFAULTS_RESOURCE_TYPE);
    expect(RESOURCE_TYPES_READ.has(INSTANCE_METADATA_DEFAULTS_RESOURCE_TYPE)).toBe(true);
  });

  test('every setting and listed Regions: the construct writes the contract names, the checker and the handler read the values', () => {
    const s = stack();
    new InstanceMetadataDefaults(s, 'Defaults', {
      httpTokens: DefaultHttpTokens.REQUIRED,
      httpPutResponseHopLimit: DefaultHopLimit.of(2),
      httpEndpoint: DefaultHttpEndpoint.ENABLED,
      instanceMetadataTags: DefaultInstanceMetadataTags.DISABLED,
      httpTokensEnforced: DefaultHttpTokensEnforced.ENABLED,
      regions: DefaultsRegions.of([REGION, 'eu-central-1']),
    });
    const template = Template.fromStack(s).toJSON();
    const found = resourcesOfType(template, INSTANCE_METADATA_DEFAULTS_RESOURCE_TYPE);
    expect(found).toHaveLength(1);
    const [{ logicalId, properties }] = found;
    expect(propertyNames(properties)).toEqual([...DEFAULTS_FIELDS, REGIONS_PROPERTY, REMOVAL_POLICY_PROPERTY].sort());
    expect(properties[REGIONS_PROPERTY]).toEqual([REGION, 'eu-central-1']);

    const app = new AppModel([{ path: 'S.template.json', template, region: REGION }]);
    expect(app.accountDefaults).toHaveLength(1);
    const d = app.accountDefaults[0];
    expect(d.logicalId).toBe(logicalId);
    expect(Object.fromEntries(d.values)).toEqual({
      HttpTokens: 'required',
      HttpPutResponseHopLimit: 2,
      HttpEndpoint: 'enabled',
      InstanceMetadataTags: 'disabled',
      HttpTokensEnforced: 'enabled',
    });
    expect(Object.fromEntries(d.values)).toEqual(Object.fromEntries(DEFAULTS_FIELDS.map((f) => [f, properties[f]])));
    expect(d.unknownValues.size).toBe(0);
    expect(d.regions).toEqual([REGION, 'eu-central-1']);
    expect(d.allRegions).toBe(false);
    expect(d.ownRegion).toBe(false);
    expect(app.tokensEnforcedBy(app.templates[0])).toBe(d);

    // CloudFormation passes every value on as a string.
    const passedOn = JSON.parse(JSON.stringify(properties, (_k, v) => (typeof v === 'number' ? String(v) : v)));
    expect(parseDefaultsProperties(passedOn)).toEqual({
      managed: Object.fromEntries(d.values),
      regions: [REGION, 'eu-central-1'],
      allRegions: false,
      removalPolicy: 'destroy',
    });
  });

  test('no preference: the construct writes the contract values, which the checker does not count as managed', () => {
    const s = stack();
    new InstanceMetadataDefaults(s, 'Defaults', {
      httpTokens: DefaultHttpTokens.NO_PREFERENCE,
      httpPutResponseHopLimit: DefaultHopLimit.NO_PREFERENCE,
    });
    const template = Template.fromStack(s).toJSON();
    const [{ properties }] = resourcesOfType(template, INSTANCE_METADATA_DEFAULTS_RESOURCE_TYPE);
    expect(properties.HttpTokens).toBe(NO_PREFERENCE);
    expect(properties.HttpPutResponseHopLimit).toBe(HOP_LIMIT_NO_PREFERENCE);

    const d = new AppModel([{ path: 'S.template.json', template, region: REGION }]).accountDefaults[0];
    expect(d.values.size).toBe(0);
    expect(d.unknownValues.size).toBe(0);
    expect(d.regions).toEqual([REGION]);
  });

  test('every enabled Region: the construct writes AllRegions instead of Regions, and the checker sees it', () => {
    const s = stack();
    new InstanceMetadataDefaults(s, 'Defaults', { httpTokens: DefaultHttpTokens.REQUIRED, regions: DefaultsRegions.allEnabled() });
    const template = Template.fromStack(s).toJSON();
    const [{ properties }] = resourcesOfType(template, INSTANCE_METADATA_DEFAULTS_RESOURCE_TYPE);
    expect(propertyNames(properties)).toEqual(['HttpTokens', ALL_REGIONS_PROPERTY, REMOVAL_POLICY_PROPERTY].sort());
    expect(properties[ALL_REGIONS_PROPERTY]).toBe(ALL_REGIONS_VALUE);

    const d = new AppModel([{ path: 'S.template.json', template, region: REGION }]).accountDefaults[0];
    expect(d.allRegions).toBe(true);
    expect(parseDefaultsProperties(properties).allRegions).toBe(true);
  });

  test('the stack Region of an environment-agnostic stack: the checker reads it as the own Region', () => {
    const s = stack(true);
    new InstanceMetadataDefaults(s, 'Defaults', { httpTokens: DefaultHttpTokens.REQUIRED });
    const template = Template.fromStack(s).toJSON();
    const [{ properties }] = resourcesOfType(template, INSTANCE_METADATA_DEFAULTS_RESOURCE_TYPE);
    expect(properties[REGIONS_PROPERTY]).toEqual([{ Ref: 'AWS::Region' }]);

    const d = new AppModel([{ path: 'S.template.json', template }]).accountDefaults[0];
    expect(d.ownRegion).toBe(true);
    expect(d.allRegions).toBe(false);
    expect(d.regions).toEqual([]);
    expect(Object.fromEntries(d.values)).toEqual({ HttpTokens: 'required' });
  });
});

describe('Custom::ImageImdsSupport contract', () => {
  test('the checker reads the type and attribute of the contract', () => {
    expect(IMAGE_IMDS_SUPPORT_TYPE).toBe(IMAGE_IMDS_SUPPORT_RESOURCE_TYPE);
    expect(IMAGE_IMDS_SUPPORT_ATTRIBUTE).toBe(IMAGE_ID_ATTRIBUTE);
    expect(RESOURCE_TYPES_READ.has(IMAGE_IMDS_SUPPORT_RESOURCE_TYPE)).toBe(true);
  });

  test('the construct writes the contract names; the handler reads the AMI; the checker trusts a launch from the attribute', () => {
    const s = stack();
    const image = new ImageImdsSupport(s, 'Image', { imageId: AMI });
    const vpc = new ec2.Vpc(s, 'Vpc', { natGateways: 0, subnetConfiguration: [{ name: 'p', subnetType: ec2.SubnetType.PUBLIC }] });
    const instance = new ec2.Instance(s, 'Instance', { vpc, instanceType: new ec2.InstanceType('t3.micro'), machineImage: image.machineImage });
    const instanceId = s.getLogicalId(instance.node.defaultChild as ec2.CfnInstance);
    const template = Template.fromStack(s).toJSON();

    const found = resourcesOfType(template, IMAGE_IMDS_SUPPORT_RESOURCE_TYPE);
    expect(found).toHaveLength(1);
    const [{ logicalId, properties }] = found;
    expect(propertyNames(properties)).toEqual([IMAGE_ID_PROPERTY]);
    expect(parseImageProperties(properties)).toEqual({ [IMAGE_ID_PROPERTY]: AMI });
    expect(template.Resources[instanceId].Properties.ImageId).toEqual({ 'Fn::GetAtt': [logicalId, IMAGE_ID_ATTRIBUTE] });
    expect(template.Resources[instanceId].Properties.MetadataOptions).toBeUndefined();

    const sources = [{ path: 'S.template.json', template, region: REGION }];
    const imds001 = (r: CheckResult) => r.findings.filter((f) => f.ruleId === 'IMDS001' && f.launchLogicalId === instanceId);
    const trusted = runChecks(sources, { trustImageImdsSupport: true });
    expect(imds001(trusted)).toEqual([]);
    const tokens = trusted.launches.find((l) => l.logicalId === instanceId)?.values.find((v) => v.option === 'HttpTokens');
    expect(tokens?.values).toEqual(['required']);
    // The same launch without the mark allows IMDSv1: the finding above is absent because of the mark.
    expect(imds001(runChecks(sources, { trustImageImdsSupport: false }))).not.toEqual([]);
  });
});
