import { cliTemplate } from '../../bench/cli-template';
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

describe('SourcePositions on JSON: jsonc-parser finds what the YAML document of the same text finds', () => {
  // A YAML comment on a line of its own before the JSON makes the text YAML that is not JSON, read
  // through the YAML document: its positions are those of the JSON, one line down.
  const cache = new Map<string, SourcePositions>();
  const both = (json: string, logicalId: string, propertyPath: string) => {
    if (!cache.has(json)) cache.set(json, new SourcePositions(new Map([['a.json', json], ['a.yaml', `# comment\n${json}`]])));
    const p = cache.get(json)!;
    const viaYaml = p.region('a.yaml', logicalId, propertyPath);
    return [p.region('a.json', logicalId, propertyPath), viaYaml && { ...viaYaml, startLine: viaYaml.startLine - 1 }];
  };

  test('on every path of a generated template, minified and indented', () => {
    const template = cliTemplate(30) as { Resources: Record<string, unknown> };
    const paths: Array<[string, string]> = [];
    const walk = (id: string, v: unknown, at: string[]) => {
      paths.push([id, at.join('/')]);
      if (Array.isArray(v)) v.forEach((x, i) => walk(id, x, [...at, String(i)]));
      else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(id, x, [...at, k]);
    };
    for (const [id, r] of Object.entries(template.Resources)) walk(id, r, []);
    expect(paths.length).toBeGreaterThan(300);
    for (const indent of [undefined, 2, '\t']) {
      const text = JSON.stringify(template, undefined, indent);
      for (const [id, at] of paths) {
        const [json, yaml] = both(text, id, at);
        expect(json).toBeDefined();
        expect([id, at, json]).toEqual([id, at, yaml]);
      }
      // Paths the template does not have: the nearest key above.
      for (const [id] of paths.slice(0, 20)) {
        const [json, yaml] = both(text, id, 'Properties/Missing/Deeper');
        expect(json).toEqual(yaml);
      }
    }
  });

  test('escaped keys, duplicate keys, empty objects and lists, and a \\r\\n line end', () => {
    const text = '{"Resources": {\r\n "W\\u0065b": {"Type": "T", "Properties": {"A": [], "B": {}, "C": [1, {"D": "x\\"y"}], "A": [[0, 1]]}},\r\n "Web": {"Type": "T2"}}}';
    expect(both(text, 'Web', 'Type')).toEqual([{ startLine: 3, startColumn: 10 }, { startLine: 3, startColumn: 10 }]);
    expect(both(text, 'Web', 'Properties/C/1/D')).toEqual([{ startLine: 3, startColumn: 2 }, { startLine: 3, startColumn: 2 }]);
    const first = new SourcePositions(new Map([['a.json', text.replace(',\r\n "Web": {"Type": "T2"}', '')]]));
    expect(first.region('a.json', 'Web', 'Properties/C/1/D')).toEqual({ startLine: 2, startColumn: 71 });
    expect(first.region('a.json', 'Web', 'Properties/A/0/1')).toEqual({ startLine: 2, startColumn: 96 });
    expect(first.region('a.json', 'Web', 'Properties/B/X')).toEqual({ startLine: 2, startColumn: 52 });
  });

  test('YAML in flow style that is not JSON is read through the YAML document', () => {
    const p = new SourcePositions(new Map([['flow.yaml', '{Resources: {Web: {Type: T, Properties: {A: !Ref X}}}}']]));
    expect(p.region('flow.yaml', 'Web', 'Properties/A')).toEqual({ startLine: 1, startColumn: 42 });
  });
});
