import { YamlConstructError, parseYamlTemplate } from '../../src/cli/yaml-template';

const KNOWN = '!Ref, !Condition, !GetAtt, !Sub, !If, !Join, !Select, !Split, !Base64, !FindInMap, !ImportValue, !GetAZs, !Cidr, !Equals, !Not, !And, !Or, '
  + '!Transform, !Length, !ToJsonString, !GetStackOutput, !Contains, !EachMemberEquals, !EachMemberIn, !RefAll, !ValueOf, !ValueOfAll';

/** The error parseYamlTemplate throws for `text`, as `line:column message`. */
function refusal(text: string): string {
  try {
    parseYamlTemplate(text);
  } catch (e) {
    expect(e).toBeInstanceOf(YamlConstructError);
    const c = e as YamlConstructError;
    return `${c.line}:${c.column} ${c.message}`;
  }
  throw new Error('not refused');
}

const lines = (...l: string[]) => l.join('\n') + '\n';

describe('quoted scalars continued on lines indented less than YAML 1.2 asks', () => {
  test('a double-quoted tag value continued at column 3, under a key at column 11, reads as one line', () => {
    const text = lines(
      'Resources:',
      '  Web:',
      '    Type: AWS::EC2::Instance',
      '    Properties:',
      '      Tags:',
      '        - Key: Purpose',
      '          Value: "serves the front page and',
      '  the status page"',
      '        - Key: Team',
      '          Value: web',
    );
    expect(parseYamlTemplate(text)).toEqual({
      Resources: {
        Web: {
          Type: 'AWS::EC2::Instance',
          Properties: { Tags: [{ Key: 'Purpose', Value: 'serves the front page and the status page' }, { Key: 'Team', Value: 'web' }] },
        },
      },
    });
  });

  test('single quotes, column 0, blank lines, escaped line breaks and several scalars keep their YAML values; a document marker still ends one', () => {
    const text = lines(
      'Resources:',
      '  Topic:',
      '    Type: AWS::SNS::Topic',
      '    Properties:',
      "      DisplayName: 'it''s",
      "the ''alerts'' topic'",
      '      TopicName: "first',
      '',
      'second\\',
      '   third"',
      '      Tags: [{ Key: a, Value: "x',
      ' y" }]',
    );
    expect(parseYamlTemplate(text)).toEqual({
      Resources: {
        Topic: {
          Type: 'AWS::SNS::Topic',
          Properties: { DisplayName: "it's the 'alerts' topic", TopicName: 'first\nsecondthird', Tags: [{ Key: 'a', Value: 'x y' }] },
        },
      },
    });
    // A document marker inside the scalar still ends it, as in PyYAML.
    expect(() => parseYamlTemplate(lines('Resources:', '  A:', '    Type: "x', '---', '  y"'))).toThrow('Missing closing "quote');
  });

  test('the line and column of a later refusal are those of the text as written', () => {
    expect(refusal(lines('Resources:', '  A:', '    Properties:', '      P: ["a', 'b", !Nope c]'))).toBe(`5:5 unknown YAML tag !Nope: CloudFormation knows only the short forms of its functions: ${KNOWN}`);
  });
});

describe('tags', () => {
  test('an unknown tag is refused where it is, naming the short forms CloudFormation knows', () => {
    expect(refusal(lines('Resources:', '  Web:', '    Type: !Foo AWS::EC2::Instance'))).toBe(`3:11 unknown YAML tag !Foo: CloudFormation knows only the short forms of its functions: ${KNOWN}`);
  });

  test('an unknown tag on a list, and a tag in the wrong case, which gets a suggestion', () => {
    expect(refusal(lines('Resources:', '  Web:', '    Type: AWS::EC2::Instance', '    Properties:', '      SecurityGroupIds: !Refs', '        - a'))).toMatch(/^5:25 unknown YAML tag !Refs: /);
    expect(refusal(lines('Resources:', '  Web:', '    Properties: { ImageId: !ref Ami }'))).toBe(`3:28 unknown YAML tag !ref: CloudFormation knows only the short forms of its functions: ${KNOWN}; did you mean !Ref?`);
  });

  test('the short forms of documented functions read as their long forms', () => {
    const text = lines(
      'Rules:',
      '  Size:',
      '    Assertions:',
      '      - Assert: !Contains [[t3.micro], !Ref Size]',
      '      - Assert: !EachMemberIn [!ValueOfAll ["AWS::EC2::Subnet::Id", VpcId], !RefAll "AWS::EC2::VPC::Id"]',
      'Resources:',
      '  Web:',
      '    Type: AWS::EC2::Instance',
      '    Properties:',
      '      SubnetId: !GetStackOutput',
      '        StackName: network',
      '        OutputName: Subnet',
      '      ImageId: !GetAtt Image.Id',
    );
    expect(parseYamlTemplate(text)).toEqual({
      Rules: {
        Size: {
          Assertions: [
            { Assert: { 'Fn::Contains': [['t3.micro'], { Ref: 'Size' }] } },
            { Assert: { 'Fn::EachMemberIn': [{ 'Fn::ValueOfAll': ['AWS::EC2::Subnet::Id', 'VpcId'] }, { 'Fn::RefAll': 'AWS::EC2::VPC::Id' }] } },
          ],
        },
      },
      Resources: {
        Web: {
          Type: 'AWS::EC2::Instance',
          Properties: { SubnetId: { 'Fn::GetStackOutput': { StackName: 'network', OutputName: 'Subnet' } }, ImageId: { 'Fn::GetAtt': ['Image', 'Id'] } },
        },
      },
    });
  });

  test('the YAML 1.1 tags CloudFormation does not support are refused', () => {
    for (const [tag, value] of [['binary', 'aGk='], ['timestamp', '2024-01-01'], ['set', '{ a }'], ['omap', '[{ a: 1 }]'], ['pairs', '[{ a: 1 }]']]) {
      expect(refusal(lines('Resources:', '  A:', `    Data: !!${tag} ${value}`))).toBe(`3:11 YAML tag !!${tag}: CloudFormation does not support the binary, omap, pairs, set and timestamp tags`);
    }
  });

  test('a standard tag that does not fit its value, and a tag of another vocabulary, are refused', () => {
    expect(refusal(lines('Resources:', '  A:', '    Count: !!int many'))).toBe('3:12 YAML tag !!int does not fit the value it tags');
    expect(refusal(lines('Resources:', '  A:', '    X: !!python/name:os.system y'))).toMatch(/^3:8 unknown YAML tag !!python\/name:os.system: besides YAML's standard tags, /);
    expect(refusal(lines('Resources:', '  A:', '    X: !<tag:example.com,2024:x> y'))).toBe(
      `3:8 unknown YAML tag !<tag:example.com,2024:x>: besides YAML's standard tags, CloudFormation knows only the short forms of its functions: ${KNOWN}`,
    );
  });
});

describe('aliases and hash merges, which CloudFormation does not support', () => {
  test('an alias is refused where it is', () => {
    expect(refusal(lines('Resources:', '  A:', '    Type: AWS::SNS::Topic', '    Properties: &props', '      DisplayName: a', '  B:', '    Type: AWS::SNS::Topic', '    Properties: *props')))
      .toBe('8:17 YAML alias *props: CloudFormation does not support aliases; write the value out in full');
  });

  test('a merge key is refused; a quoted "<<" is an ordinary key', () => {
    expect(refusal(lines('Resources:', '  A:', '    Type: AWS::SNS::Topic', '    Properties:', '      <<: { DisplayName: a }')))
      .toBe('5:7 YAML merge key <<: CloudFormation does not support hash merges; write the keys out in full');
    expect(parseYamlTemplate(lines('Resources:', '  A:', '    Metadata:', '      "<<": 1'))).toEqual({ Resources: { A: { Metadata: { '<<': 1 } } } });
  });

  test('the refusal says whether the document is a template', () => {
    expect(() => parseYamlTemplate(lines('defaults: &d { a: 1 }', 'job: *d'))).toThrow(expect.objectContaining({ isTemplate: false }));
    expect(() => parseYamlTemplate(lines('Resources:', '  A: !Foo {}'))).toThrow(expect.objectContaining({ isTemplate: true }));
  });
});
