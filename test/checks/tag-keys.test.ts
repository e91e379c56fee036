import { keyChoices, keyForms, literalParts, imdsTagKeyProblem, rejectedCharacters, rejectedLiteral } from '../../src/checks/tag-keys';
import { TemplateModel } from '../../src/checks/template-model';

describe('imdsTagKeyProblem', () => {
  test.each(['Name', 'team', 'cost-center', 'a+b=c.d,e_f:g@h', 'aws:cloudformation:stack-name', 'x'])(
    '%p is served by IMDS',
    (key) => expect(imdsTagKeyProblem(key)).toBeUndefined(),
  );

  test.each([
    ['team/owner', /contains "\/"/],
    ['cost center', /contains a space/],
    ['.', /reserved/],
    ['..', /reserved/],
    ['_index', /reserved/],
    ['', /empty/],
    ['name#1', /contains "#"/],
    ['ünïcode', /contains "ü", "ï"/],
  ])('%p is rejected', (key, why) => expect(imdsTagKeyProblem(key)).toMatch(why));
});

describe('rejectedCharacters and rejectedLiteral', () => {
  test('name each rejected character once; allowed text and empty text have none', () => {
    expect(rejectedCharacters('a/b/c d')).toBe('"/", a space');
    expect(rejectedCharacters('team-')).toBeUndefined();
    expect(rejectedCharacters('')).toBeUndefined();
    // Reserved names are whole keys: as a part of a key, "." is allowed.
    expect(rejectedCharacters('.')).toBeUndefined();
  });

  test('the first literal part with a rejected character', () => {
    expect(rejectedLiteral(['team-', 'x/y', 'a b'])).toEqual({ part: 'x/y', characters: '"/"' });
    expect(rejectedLiteral(['team-', '-owner'])).toBeUndefined();
    expect(rejectedLiteral(undefined)).toBeUndefined();
  });
});

function model(extra: Record<string, unknown> = {}): TemplateModel {
  return new TemplateModel({
    path: 't.json',
    region: 'eu-west-1',
    template: {
      Parameters: { Name: { Type: 'String' }, Env: { Type: 'String' }, Names: { Type: 'CommaDelimitedList' } },
      Conditions: { Prod: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] }, Always: { 'Fn::Equals': ['a', 'a'] } },
      Resources: { Topic: { Type: 'AWS::SNS::Topic' } },
      ...extra,
    },
  });
}

const literals = (m: TemplateModel, raw: unknown, lt = false) => keyForms(m, raw, lt).map(literalParts);

describe('keyForms: the literal parts of Fn::Sub and Fn::Join keys', () => {
  test('Fn::Sub, string form: the text around a reference', () => {
    expect(keyForms(model(), { 'Fn::Sub': 'kubernetes.io/cluster/${Name}' }, false)).toEqual([['kubernetes.io/cluster/', { unknown: 'parameter Name' }]]);
  });

  test('Fn::Sub, list form: literal variables join the text, others are holes', () => {
    expect(literals(model(), { 'Fn::Sub': ['${Prefix}/${Who}-x', { Prefix: 'team', Who: { Ref: 'Name' } }] })).toEqual([['team/', '-x']]);
  });

  test('Fn::Sub, known pseudo parameters and resource names', () => {
    expect(literals(model(), { 'Fn::Sub': '${AWS::Region}/${Name}' })).toEqual([['eu-west-1/']]);
    expect(keyForms(model(), { 'Fn::Sub': 'a/${Topic}' }, false)).toEqual([['a/', { unknown: 'Fn::Sub of the name of Topic, known only at deployment' }]]);
    expect(keyForms(model(), { 'Fn::Sub': 'a${Topic.TopicName}' }, false)).toEqual([['a', { unknown: 'Fn::Sub of the TopicName of Topic, known only at deployment' }]]);
  });

  test('a ${!Literal} escape is literal text, except in a launch template, where it may resolve to nothing', () => {
    expect(literals(model(), { 'Fn::Sub': 'a${!B}c${Name}' })).toEqual([['a${B}c']]);
    expect(literals(model(), { 'Fn::Sub': 'a${!B}c${Name}' }, true)).toEqual([['ac']]);
    // In a launch template a backslash before the escape is no evidence either.
    expect(literals(model(), { 'Fn::Sub': 'a\\${!B}${Name}' }, true)).toEqual([['a']]);
    expect(literals(model(), { 'Fn::Sub': 'a\\${!B}${Name}' }, false)).toEqual([['a\\${B}']]);
  });

  test('Fn::Join of a literal list: items and separators; of a list parameter: a hole', () => {
    expect(literals(model(), { 'Fn::Join': ['', ['team/', { Ref: 'Name' }]] })).toEqual([['team/']]);
    expect(literals(model(), { 'Fn::Join': ['/', [{ Ref: 'Name' }, { Ref: 'Env' }]] })).toEqual([['/']]);
    expect(keyForms(model(), { 'Fn::Join': ['/', { Ref: 'Names' }] }, false)).toEqual([[{ unknown: 'parameter Names' }]]);
  });

  test('nested: a Fn::Sub inside a Fn::Join, an undecided Fn::If gives one form per branch, a decided one its branch', () => {
    expect(literals(model(), { 'Fn::Join': ['', ['x', { 'Fn::Sub': 'y/${Name}' }]] })).toEqual([['xy/']]);
    expect(literals(model(), { 'Fn::Join': ['', [{ 'Fn::If': ['Prod', 'a/', 'b'] }, { Ref: 'Name' }]] })).toEqual([['a/'], ['b']]);
    expect(literals(model(), { 'Fn::Join': ['', [{ 'Fn::If': ['Always', 'a/', 'b'] }, { Ref: 'Name' }]] })).toEqual([['a/']]);
  });

  test('malformed functions are holes', () => {
    expect(keyForms(model(), { 'Fn::Sub': 3 }, false)).toEqual([[{ unknown: 'a malformed Fn::Sub' }]]);
    expect(keyForms(model(), { 'Fn::Join': ['', 'x', 'y'] }, false)).toEqual([[{ unknown: 'a malformed Fn::Join' }]]);
  });
});

describe('keyChoices', () => {
  test('the branches of a top-level Fn::If that cannot be decided, the branch of one that can', () => {
    const sub = { 'Fn::Sub': 'a/${Name}' };
    expect(keyChoices(model(), { 'Fn::If': ['Prod', sub, 'plain'] })).toEqual([sub, 'plain']);
    expect(keyChoices(model(), { 'Fn::If': ['Always', sub, 'plain'] })).toEqual([sub]);
    expect(keyChoices(model(), sub)).toEqual([sub]);
  });
});
