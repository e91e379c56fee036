import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { InputError, MAX_NESTING, loadInputs, nestingDepth, readTemplate } from '../../src/cli/load-inputs';

// Count the reads of the real file system.
jest.mock('fs', () => {
  const actual = jest.requireActual('fs');
  return { ...actual, readFileSync: jest.fn(actual.readFileSync) };
});

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-imds-load-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

/** Objects nested `levels` deep. */
function nested(levels: number): unknown {
  let v: unknown = 1;
  for (let i = 0; i < levels; i++) v = { a: v };
  return v;
}

describe('nestingDepth', () => {
  test('counts objects and lists, not scalars', () => {
    expect(nestingDepth('text')).toBe(0);
    expect(nestingDepth(null)).toBe(0);
    expect(nestingDepth({})).toBe(1);
    expect(nestingDepth([[], { a: [{}] }])).toBe(4);
    expect(nestingDepth({ a: 1, b: { c: [1, 2, { d: null }] }, e: [] })).toBe(4);
  });

  test('follows the deepest branch among siblings', () => {
    expect(nestingDepth({ shallow: {}, deep: nested(10), other: [1] })).toBe(11);
    expect(nestingDepth([nested(3), nested(7), nested(2)])).toBe(8);
  });

  test('stops counting past the limit on a value 100,000 levels deep, without recursion', () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(nestingDepth(deep)).toBe(MAX_NESTING + 1);
  });
});

describe('readTemplate depth limit on parsed JSON', () => {
  const TEMPLATE_AT = (levels: number) => JSON.stringify({ Resources: { A: { Type: 'AWS::SNS::Topic', Properties: { P: nested(levels - 4) } } } });

  test('a template exactly at the limit is read', () => {
    const file = write('limit.json', TEMPLATE_AT(MAX_NESTING));
    expect(nestingDepth(JSON.parse(fs.readFileSync(file, 'utf-8')))).toBe(MAX_NESTING);
    expect(readTemplate(file, true)).toEqual(JSON.parse(TEMPLATE_AT(MAX_NESTING)));
  });

  test('one level more is refused with the file name and the limit', () => {
    const file = write('over.json', TEMPLATE_AT(MAX_NESTING + 1));
    expect(() => readTemplate(file, true)).toThrow(InputError);
    expect(() => readTemplate(file, true)).toThrow(`${file}: the document nests more than ${MAX_NESTING} levels deep, which no CloudFormation template does`);
  });

  test('brackets inside strings do not count', () => {
    const file = write('strings.json', JSON.stringify({ Resources: { A: { Type: 'AWS::SNS::Topic', Properties: { P: '['.repeat(5000) + '{'.repeat(5000) } } } }));
    expect(readTemplate(file, true)).toEqual({ Resources: { A: { Type: 'AWS::SNS::Topic', Properties: { P: '['.repeat(5000) + '{'.repeat(5000) } } } });
  });

  test('JSON in a file without a .json extension is measured the same way', () => {
    const file = write('deep.template', '{"Resources": ' + '['.repeat(300) + ']'.repeat(300) + '}');
    expect(() => readTemplate(file, true)).toThrow(`${file}: the document nests more than ${MAX_NESTING} levels deep`);
  });
});

describe('loadInputs on a folder of templates', () => {
  test('reads each template file once and keeps the parse it checked', () => {
    write('a.template.json', JSON.stringify({ Resources: { A: { Type: 'AWS::EC2::Instance' } } }));
    write('notes.json', JSON.stringify({ some: 'config' }));
    const readFileSync = fs.readFileSync as jest.Mock;
    readFileSync.mockClear();
    const { sources } = loadInputs([dir]);
    expect(sources).toEqual([{ path: path.join(dir, 'a.template.json'), template: { Resources: { A: { Type: 'AWS::EC2::Instance' } } } }]);
    const reads = readFileSync.mock.calls.map((c) => String(c[0]));
    expect(reads.filter((f) => f.endsWith('a.template.json'))).toHaveLength(1);
    expect(reads.filter((f) => f.endsWith('notes.json'))).toHaveLength(1);
  });

  test('a template file in the folder with a bad Resources section is still refused', () => {
    write('bad.template.json', JSON.stringify({ Resources: [] }));
    expect(() => loadInputs([dir])).toThrow(`${path.join(dir, 'bad.template.json')}: Resources is a list, expected an object of resources`);
  });
});

describe('readTemplate on YAML that CloudFormation reads or refuses', () => {
  test('a quoted value continued on a line indented less than its key is read', () => {
    const file = write('web.yaml', 'Resources:\n  Web:\n    Type: AWS::EC2::Instance\n    Properties:\n      ImageId: "ami-\n 0123"\n');
    expect(readTemplate(file, true)).toEqual({ Resources: { Web: { Type: 'AWS::EC2::Instance', Properties: { ImageId: 'ami- 0123' } } } });
  });

  test('an unknown tag is an input error naming the file, line, column and tag', () => {
    const file = write('web.yaml', 'Resources:\n  Web:\n    Type: !Foo AWS::EC2::Instance\n');
    expect(() => readTemplate(file, true)).toThrow(InputError);
    expect(() => readTemplate(file, true)).toThrow(`${file}:3:11: unknown YAML tag !Foo: CloudFormation knows only the short forms of its functions: !Ref, `);
  });

  test('in a folder, a template with an alias is refused, while other YAML with aliases and tags is skipped', () => {
    write('mkdocs.yml', 'nav: &nav [a, b]\nextra: *nav\nmarkdown: !!python/name:material.extensions\n');
    write('web.yaml', 'Resources:\n  A:\n    Type: AWS::SNS::Topic\n    Properties: &p {}\n  B:\n    Type: AWS::SNS::Topic\n    Properties: *p\n');
    expect(() => loadInputs([dir])).toThrow(`${path.join(dir, 'web.yaml')}:7:17: YAML alias *p: CloudFormation does not support aliases; write the value out in full`);
    fs.rmSync(path.join(dir, 'web.yaml'));
    write('web.yaml', 'Resources:\n  A:\n    Type: AWS::SNS::Topic\n');
    expect(loadInputs([dir]).sources).toEqual([{ path: path.join(dir, 'web.yaml'), template: { Resources: { A: { Type: 'AWS::SNS::Topic' } } } }]);
  });
});
