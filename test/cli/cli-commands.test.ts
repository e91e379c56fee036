import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { run } from './run-cli';
import { RULES } from '../../src/checks/rules';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-imds-cmd-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string): string {
  const p = path.join(dir, name);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, content);
  return p;
}

const ROOT = path.join(__dirname, '..', '..');
const VERSION = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf-8')).version;

const instance = (metadataOptions?: object) => ({
  Type: 'AWS::EC2::Instance',
  Properties: { ImageId: 'ami-1', InstanceType: 't3.micro', ...(metadataOptions ? { MetadataOptions: metadataOptions } : {}) },
});
const GOOD = JSON.stringify({ Resources: { Web: instance({ HttpTokens: 'required' }) } });
const BAD = JSON.stringify({ Resources: { Web: instance() } });

/** Expect exit 2, nothing on stdout and exactly this one line on stderr. */
function refused(args: string[], line: string): void {
  const r = run(args);
  expect({ code: r.code, out: r.out, err: r.err }).toEqual({ code: 2, out: '', err: `cdk-imds: ${line}\n` });
}

describe('cdk-imds --version', () => {
  test.each([['--version'], ['-v'], ['check', '--version']])('%s prints the package version and exits 0', (...args) => {
    expect(run(args)).toEqual({ code: 0, out: `cdk-imds ${VERSION}\n`, err: '' });
  });
});

describe('cdk-imds --help', () => {
  test('names the commands, the new options and what a folder with an unreadable file does', () => {
    const r = run(['--help']);
    expect(r.code).toBe(0);
    expect(r.out.split('\n').slice(0, 3)).toEqual(['Usage: cdk-imds check [options] PATH...', '       cdk-imds rules [--format text|json]', '       cdk-imds --version']);
    expect(r.out).toMatch(/\n {2}--output FILE {20}write the output to FILE instead of standard output \(- for it\)\n/);
    expect(r.out).toMatch(/\n {2}-v, --version {20}print the version of cdk-imds\n/);
    expect(r.out).toMatch(/a file that cannot be read or\nparsed \(invalid JSON, broken YAML\) is bad input: exit 2 naming each such file, nothing checked\./);
  });
});

describe('cdk-imds rules', () => {
  test('text: a header, then per rule its ID, level and title, and its fix below', () => {
    const r = run(['rules']);
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    const lines = r.out.split('\n');
    expect(lines[0]).toBe('ID       LEVEL    TITLE');
    expect(lines[1]).toBe('IMDS001  error    Require IMDSv2');
    expect(lines[2]).toMatch(/^ {18}Fix: set HttpTokens to "required" in the launch template, instance or launch configuration, .*\.$/);
    expect(lines).toContain('IMDS008  warning  Key pair needs the endpoint');
    expect(lines).toContain('IMDS012  warning  Auto Scaling launches IAM cannot guard');
    expect(lines[lines.length - 2]).toBe('12 rules.');
    // One block of two lines per rule, in ID order, each fix under its rule.
    const ids = lines.filter((l) => /^IMDS\d{3} /.test(l)).map((l) => l.slice(0, 7));
    expect(ids).toEqual(RULES.map((x) => x.id));
    for (const rule of RULES) expect(lines[lines.indexOf(lines.find((l) => l.startsWith(`${rule.id} `))!) + 1]).toBe(`${' '.repeat(18)}Fix: ${rule.fix}.`);
  });

  test('json: a list of objects with ID, level, title, what it catches and the fix', () => {
    const r = run(['rules', '--format', 'json']);
    expect(r.code).toBe(0);
    const rules = JSON.parse(r.out);
    expect(rules).toHaveLength(12);
    expect(rules[0]).toEqual({ id: 'IMDS001', level: 'error', title: 'Require IMDSv2', catches: expect.stringMatching(/^a launch whose effective HttpTokens is not "required"/), fix: RULES[0].fix });
    expect(rules[9]).toEqual(expect.objectContaining({ id: 'IMDS010', level: 'warning', title: 'Cannot verify' }));
    expect(rules.map((x: any) => Object.keys(x))).toEqual(RULES.map(() => ['id', 'level', 'title', 'catches', 'fix']));
    expect(run(['rules', '--format=json']).out).toBe(r.out);
  });

  test('bad usage of rules exits 2 with one line', () => {
    refused(['rules', '--format', 'sarif'], '--format of rules is "sarif": use text or json');
    refused(['rules', 'cdk.out'], 'rules takes no PATH, but "cdk.out" is given (see --help)');
    refused(['rules', '--strict'], 'unknown option "--strict" for rules: the only option is --format text|json (see --help)');
    refused(['rules', '--format'], '--format needs a value (text, json or sarif), but it is the last argument');
  });
});

describe('cdk-imds check --output FILE', () => {
  test.each([['text'], ['json'], ['sarif']])('--format %s: the output goes to the file, nothing to stdout, the exit code stands', (format) => {
    const template = file(`out-${format}/bad.json`, BAD);
    const out = path.join(dir, `out-${format}`, 'result.txt');
    const toFile = run(['check', '--format', format, '--output', out, template]);
    expect(toFile).toEqual({ code: 1, out: '', err: '' });
    const toStdout = run(['check', '--format', format, template]);
    expect(fs.readFileSync(out, 'utf-8')).toBe(toStdout.out);
    expect(toStdout.out).toMatch(/IMDS001/);
  });

  test('an existing file is replaced; --output=FILE and --output - (stdout) work too', () => {
    const template = file('replace/good.json', GOOD);
    const out = file('replace/result.txt', 'old content that is longer than the new one '.repeat(10));
    expect(run(['check', `--output=${out}`, template]).code).toBe(0);
    expect(fs.readFileSync(out, 'utf-8')).toBe('1 launch(es) checked: 0 error(s), 0 warning(s), 0 acknowledged.\n');
    expect(run(['check', '--output', '-', template])).toEqual({ code: 0, out: '1 launch(es) checked: 0 error(s), 0 warning(s), 0 acknowledged.\n', err: '' });
  });

  test('a file that cannot be written: exit 2, one line naming it', () => {
    const template = file('unwritable/good.json', GOOD);
    const missing = path.join(dir, 'no-such-folder', 'out.json');
    refused(['check', '--output', missing, template], `${missing}: the output cannot be written (ENOENT)`);
    refused(['check', '--output', path.join(dir, 'unwritable'), template], `${path.join(dir, 'unwritable')}: the output cannot be written (EISDIR)`);
  });

  test('bad input leaves no output file behind', () => {
    const out = path.join(dir, 'never.txt');
    const broken = file('never/broken.json', '{"Resources": ');
    expect(run(['check', '--output', out, broken]).code).toBe(2);
    expect(fs.existsSync(out)).toBe(false);
  });
});

describe('cdk-imds check: strict flag parsing', () => {
  test.each([
    [['--strict=yes'], '--strict takes no value, but "--strict=yes" gives it "yes": write --strict alone'],
    [['--strict=true'], '--strict takes no value, but "--strict=true" gives it "true": write --strict alone'],
    [['--trust-account-defaults=no'], '--trust-account-defaults takes no value, but "--trust-account-defaults=no" gives it "no": write --trust-account-defaults alone'],
    [['--ignore-policies='], '--ignore-policies takes no value, but "--ignore-policies=" gives it "": write --ignore-policies alone'],
    [['--no-trust-image-imds-support=1'], '--no-trust-image-imds-support takes no value, but "--no-trust-image-imds-support=1" gives it "1": write --no-trust-image-imds-support alone'],
    [['--frobnicate'], 'unknown option "--frobnicate" for check: the options are --format, --output, --max-hop-limit, --strict, --trust-account-defaults, '
      + '--no-trust-image-imds-support, --ignore-policies, --help, --version (see --help)'],
    [['--Strict'], 'unknown option "--Strict" for check: the options are --format, --output, --max-hop-limit, --strict, --trust-account-defaults, '
      + '--no-trust-image-imds-support, --ignore-policies, --help, --version (see --help)'],
    [['--format', '--strict'], '--format needs a value (text, json or sarif), but the next argument is the option "--strict"'],
    [['--format='], '--format needs a value (text, json or sarif), but "--format=" gives none'],
    [['--format=xml'], '--format is "xml": use text, json or sarif'],
    [['--output', '--strict'], '--output needs a value (a file name), but the next argument is the option "--strict"'],
    [['--output='], '--output needs a value (a file name), but "--output=" gives none'],
    [['--max-hop-limit', '--strict'], '--max-hop-limit needs a value (a whole number from 1 to 64), but the next argument is the option "--strict"'],
    [['--max-hop-limit', '-1'], '--max-hop-limit is "-1": use a whole number from 1 to 64'],
    [['--max-hop-limit=2.5'], '--max-hop-limit is "2.5": use a whole number from 1 to 64'],
  ])('check %j is refused', (flags, line) => {
    refused(['check', ...flags, file('flags/good.json', GOOD)], line);
  });

  test.each([['--format'], ['--output'], ['--max-hop-limit']])('%s as the last argument is refused', (flag) => {
    const t = file('flags/good.json', GOOD);
    const r = run(['check', t, flag]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(new RegExp(`^cdk-imds: ${flag} needs a value \\(.+\\), but it is the last argument\\n$`));
  });

  test('the valid forms keep working', () => {
    const bad = file('flags/bad.json', BAD);
    const hops = file('flags/hops.json', JSON.stringify({ Resources: { Web: instance({ HttpTokens: 'required', HttpPutResponseHopLimit: 3 }) } }));
    expect(run(['check', '--strict', '--format=json', bad]).code).toBe(1);
    expect(JSON.parse(run(['check', '--format', 'json', bad]).out).summary).toEqual({ launches: 1, errors: 1, warnings: 0, acknowledged: 0 });
    expect(run(['check', '--max-hop-limit=3', hops]).code).toBe(0);
    expect(run(['check', '--max-hop-limit', '2', hops]).code).toBe(1);
    expect(run(['check', '--trust-account-defaults', '--no-trust-image-imds-support', '--ignore-policies', hops]).code).toBe(0);
    // After --, a name that starts with a dash is a path.
    const dashed = file('flags/--strict', GOOD);
    expect(run(['check', '--format', 'json', '--', dashed]).code).toBe(0);
  });
});

describe('cdk-imds check on a folder with files it cannot read', () => {
  const good = JSON.stringify({ Resources: { Web: instance({ HttpTokens: 'required' }) } }, undefined, 2);

  test('an invalid broken.json beside good templates: exit 2 naming it, nothing checked', () => {
    const d = path.join(dir, 'broken1');
    file('broken1/web.json', good);
    file('broken1/package.json', '{"name": "app", "version": "1.0.0"}');
    file('broken1/broken.json', '{"Resources": {"Web": {"Type": "AWS::EC2::Instance",}}');
    const r = run(['check', d]);
    expect([r.code, r.out]).toEqual([2, '']);
    // Node's own message follows, which differs between Node versions.
    expect(r.err).toMatch(new RegExp(`^cdk-imds: ${path.join(d, 'broken.json')}: not valid JSON \\(Expected double-quoted property name in JSON at position 52\\b.*\\)\n$`));
  });

  test('each unreadable file is named in one line: invalid JSON, broken YAML, an empty .json, a dangling link, a bad Resources', () => {
    const d = path.join(dir, 'broken2');
    file('broken2/web.json', good);
    file('broken2/a.json', 'not json');
    file('broken2/b.yaml', 'Resources:\n  Web: [unclosed\n');
    file('broken2/c.json', '');
    fs.symlinkSync(path.join(d, 'gone.json'), path.join(d, 'd.json'));
    file('broken2/e.json', '{"Resources": "none"}');
    const j = (f: string) => path.join(d, f);
    const r = run(['check', d]);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err.trimEnd().split('\n')).toHaveLength(1);
    expect(r.err).toMatch(new RegExp(`^cdk-imds: ${d}: 5 files cannot be read as templates: `));
    const parts = r.err.trimEnd().replace(/^cdk-imds: [^:]+: 5 files cannot be read as templates: /, '').split('; ');
    expect(parts).toEqual([
      expect.stringMatching(new RegExp(`^${j('a.json')}: not valid JSON \\(Unexpected token`)),
      expect.stringMatching(new RegExp(`^${j('b.yaml')}: not valid JSON or YAML \\(`)),
      `${j('c.json')}: the file is empty (0 bytes), expected a CloudFormation template in JSON or YAML`,
      `${j('d.json')}: cannot be read (ENOENT)`,
      `${j('e.json')}: Resources is a string, expected an object of resources`,
    ]);
  });

  test('files that parse and have no Resources are still skipped, empty YAML too', () => {
    const d = path.join(dir, 'skipped');
    file('skipped/bad.json', BAD);
    file('skipped/package.json', '{"name": "app"}');
    file('skipped/tsconfig.json', '{"compilerOptions": {"strict": true}}');
    file('skipped/list.json', '[1, 2]');
    file('skipped/mkdocs.yml', 'site_name: x\nnav: &n [a]\nextra: *n\n');
    file('skipped/empty.yaml', '');
    fs.mkdirSync(path.join(d, 'folder.json'));
    const r = run(['check', '--format', 'json', d]);
    expect(r.err).toBe('');
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out).launches.map((l: any) => [l.template, l.logicalId])).toEqual([[path.join(d, 'bad.json'), 'Web']]);
  });
});

describe('cdk-imds check --format sarif: regions', () => {
  function regions(args: string[]): Array<[string, string, string, object | undefined]> {
    const r = run(['check', '--format', 'sarif', ...args]);
    expect(r.err).toBe('');
    return JSON.parse(r.out).runs[0].results.map((x: any) => [
      x.ruleId,
      x.locations[0].logicalLocations[0].name,
      x.properties.propertyPath,
      x.locations[0].physicalLocation.region,
    ]);
  }

  test('JSON: the key of the finding\'s property, else the nearest key above it that the template has', () => {
    const t = file('sarif/web.json', [
      '{',
      '  "Resources": {',
      '    "Web": {',
      '      "Type": "AWS::EC2::Instance",',
      '      "Properties": {',
      '        "ImageId": "ami-1",',
      '        "InstanceType": "t3.micro",',
      '        "MetadataOptions": {',
      '          "HttpTokens": "optional",',
      '          "HttpPutResponseHopLimit": 70',
      '        }',
      '      }',
      '    },',
      '    "Bare": { "Type": "AWS::EC2::Instance", "Properties": { "ImageId": "ami-1", "InstanceType": "t3.micro" } }',
      '  }',
      '}',
    ].join('\n'));
    expect(regions([t])).toEqual([
      ['IMDS001', 'Web', 'Properties/MetadataOptions/HttpTokens', { startLine: 9, startColumn: 11 }],
      ['IMDS002', 'Web', 'Properties/MetadataOptions/HttpPutResponseHopLimit', { startLine: 10, startColumn: 11 }],
      // Bare has no MetadataOptions: its Properties key.
      ['IMDS001', 'Bare', 'Properties/MetadataOptions', { startLine: 14, startColumn: 45 }],
    ]);
  });

  test('JSON on one line, with tabs and a duplicate key (the last one counts, as in JSON.parse)', () => {
    const t = file('sarif/min.json', '{"Resources":{"Web":{"Type":"AWS::EC2::Instance","Properties":{"MetadataOptions":{"HttpTokens":"required"}}},\n\t"Web":\t{"Type":"AWS::EC2::Instance"}}}');
    expect(regions([t])).toEqual([['IMDS001', 'Web', 'Properties/MetadataOptions', { startLine: 2, startColumn: 2 }]]);
  });

  test('YAML, short-form intrinsics and list items included', () => {
    const t = file('sarif/web.yaml', [
      'Parameters:',
      '  Tokens: { Type: String }',
      'Resources:',
      '  Template:',
      '    Type: AWS::EC2::LaunchTemplate',
      '    Properties:',
      '      LaunchTemplateData:',
      '        ImageId: !Ref AWS::NoValue',
      '        MetadataOptions:',
      '          HttpTokens: !Ref Tokens',
      '          InstanceMetadataTags: enabled',
      '        TagSpecifications:',
      '          - ResourceType: instance',
      '            Tags:',
      '              - Key: "bad key"',
      '                Value: x',
      '  Web:',
      '    Type: AWS::EC2::Instance',
      '    Properties:',
      '      ImageId: ami-1',
      '      InstanceType: t3.micro',
      '      MetadataOptions: { HttpTokens: optional }',
    ].join('\n'));
    const found = regions([t]);
    expect(found).toEqual(expect.arrayContaining([
      ['IMDS001', 'Web', 'Properties/MetadataOptions/HttpTokens', { startLine: 22, startColumn: 26 }],
      // IMDS009 names the options that turn tags on: its MetadataOptions key.
      ['IMDS009', 'Template', 'Properties/LaunchTemplateData/MetadataOptions', { startLine: 9, startColumn: 9 }],
      ['IMDS010', 'Template', 'Properties/LaunchTemplateData/MetadataOptions/HttpTokens', { startLine: 10, startColumn: 11 }],
    ]));
    expect(found).toHaveLength(3);
  });

  test('a cdk.out assembly: regions in its JSON templates', () => {
    const d = path.join(dir, 'sarif-assembly');
    file('sarif-assembly/manifest.json', JSON.stringify({
      version: '36.0.0',
      artifacts: { Web: { type: 'aws:cloudformation:stack', environment: 'aws://unknown-account/unknown-region', properties: { templateFile: 'Web.template.json' } } },
    }));
    file('sarif-assembly/Web.template.json', JSON.stringify({ Resources: { Topic: { Type: 'AWS::SNS::Topic' }, Server: instance() } }, undefined, 1));
    expect(regions([d])).toEqual([['IMDS001', 'Server', 'Properties/MetadataOptions', { startLine: 8, startColumn: 4 }]]);
  });

  test('text and JSON output do not read positions: JSON findings carry none', () => {
    const t = file('sarif/plain.json', BAD);
    const json = JSON.parse(run(['check', '--format', 'json', t]).out);
    expect(Object.keys(json.findings[0])).not.toContain('region');
    expect(JSON.stringify(json)).not.toMatch(/startLine/);
  });
});
