import { SourcePositions } from '../../src/cli/positions';

const YAML_TEMPLATE = [
  'Resources:',
  '  Template:',
  '    Type: AWS::EC2::LaunchTemplate',
  '    Properties:',
  '      LaunchTemplateData:',
  '        ImageId: !Ref Image',
  '        TagSpecifications:',
  '          - ResourceType: instance',
  '            Tags:',
  '              - Key: "bad key"',
  '                Value: x',
  '              - !If [Prod, { Key: a, Value: b }, !Ref AWS::NoValue]',
  '  Other: { Type: AWS::SNS::Topic }',
].join('\n');

const JSON_TEMPLATE = '{\n  "Resources": {\n    "Fleet": {"Type": "AWS::EC2::EC2Fleet", "Properties": {"LaunchTemplateConfigs": [\n'
  + '      {"Overrides": [{"InstanceType": "t3.micro"}, {"InstanceType": "m5.large", "MetadataOptions": {}}]}\n    ]}}\n  }\n}\n';

const positions = new SourcePositions(new Map([['t.yaml', YAML_TEMPLATE], ['t.json', JSON_TEMPLATE], ['list.yaml', '- a\n'], ['broken.json', '{"Resources": {"A": ']]));

describe('SourcePositions', () => {
  test.each([
    ['t.yaml', 'Template', '', { startLine: 2, startColumn: 3 }],
    ['t.yaml', 'Template', 'Properties/LaunchTemplateData/ImageId', { startLine: 6, startColumn: 9 }],
    ['t.yaml', 'Template', 'Properties/LaunchTemplateData/TagSpecifications/0/Tags/0/Key', { startLine: 10, startColumn: 17 }],
    ['t.yaml', 'Template', 'Properties/LaunchTemplateData/TagSpecifications/0/Tags/1', { startLine: 12, startColumn: 17 }],
    // Not in the template: the nearest key above.
    ['t.yaml', 'Template', 'Properties/LaunchTemplateData/MetadataOptions/HttpTokens', { startLine: 5, startColumn: 7 }],
    ['t.yaml', 'Template', 'Properties/LaunchTemplateData/TagSpecifications/3/Tags', { startLine: 7, startColumn: 9 }],
    ['t.yaml', 'Other', 'Properties', { startLine: 13, startColumn: 3 }],
    ['t.json', 'Fleet', 'Properties/LaunchTemplateConfigs/0/Overrides/1/MetadataOptions', { startLine: 4, startColumn: 81 }],
    ['t.json', 'Fleet', 'Properties/LaunchTemplateConfigs/0/Overrides/0/MetadataOptions', { startLine: 4, startColumn: 22 }],
    ['broken.json', 'A', 'Properties', { startLine: 1, startColumn: 16 }],
  ])('%s %s %s', (file, logicalId, propertyPath, region) => {
    expect(positions.region(file, logicalId, propertyPath)).toEqual(region);
  });

  test('no region without the resource, the Resources section or the file', () => {
    expect(positions.region('t.yaml', 'Missing', 'Properties')).toBeUndefined();
    expect(positions.region('list.yaml', 'A', 'Properties')).toBeUndefined();
    expect(positions.region('unknown.json', 'A', 'Properties')).toBeUndefined();
  });
});
