import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack, Stage, Validations, aws_ec2 as ec2 } from 'aws-cdk-lib';
import { run } from './run-cli';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-imds-cli-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));


function file(name: string, content: string): string {
  const p = path.join(dir, name);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, content);
  return p;
}

const GOOD = JSON.stringify({ Resources: { Web: { Type: 'AWS::EC2::Instance', Properties: { ImageId: 'ami-1', InstanceType: 't3.micro', MetadataOptions: { HttpTokens: 'required' } } } } });
const BAD = JSON.stringify({ Resources: { Web: { Type: 'AWS::EC2::Instance', Properties: { ImageId: 'ami-1', InstanceType: 't3.micro' } } } });

/** Run the real command in a child process (TypeScript through ts-node). */
function spawnCli(args: string[], extraNodeArgs: string[] = []) {
  return spawnSync(process.execPath, [...extraNodeArgs, '-r', 'ts-node/register/transpile-only', path.join(__dirname, '..', '..', 'src', 'cli', 'main.ts'), ...args], {
    encoding: 'utf-8',
    cwd: path.join(__dirname, '..', '..'),
  });
}

describe('cdk-imds check: bad input exits 2 with one clear line', () => {
  const cases: Array<[string, () => string[], RegExp]> = [
    ['not JSON or YAML', () => ['check', file('garbage.txt', '{ this is: [not valid')], /garbage\.txt: not valid JSON or YAML/],
    ['invalid JSON in a .json file', () => ['check', file('broken.json', '{"Resources": ')], /broken\.json: not valid JSON \(/],
    ['a template without Resources', () => ['check', file('nores.json', '{"AWSTemplateFormatVersion": "2010-09-09"}')], /nores\.json: not a CloudFormation template: it has no Resources section/],
    ['a document that is not an object', () => ['check', file('list.yaml', '- a\n- b\n')], /list\.yaml: not a CloudFormation template: the document is a list/],
    ['a 0-byte file', () => ['check', file('empty.json', '')], /empty\.json: the file is empty \(0 bytes\)/],
    ['a missing path', () => ['check', path.join(dir, 'does-not-exist.json')], /does-not-exist\.json: no such file or folder/],
    ['a folder without templates', () => {
      file('notemplates/readme.md', '# hi');
      file('notemplates/package.json', '{"name": "x"}');
      return ['check', path.join(dir, 'notemplates')];
    }, /notemplates: the folder holds no CloudFormation templates/],
    ['Resources of the wrong type', () => ['check', file('resources-list.json', '{"Resources": []}')], /Resources is a list, expected an object of resources/],
    ['MetadataOptions of the wrong type', () => ['check', file('wrong-type.json', JSON.stringify({ Resources: { Web: { Type: 'AWS::EC2::Instance', Properties: { MetadataOptions: 'required' } } } }))], /wrong-type\.json: Properties\/MetadataOptions of Web is "required", expected an object/],
    ['HttpTokens of the wrong type', () => ['check', file('wrong-tokens.json', JSON.stringify({ Resources: { Web: { Type: 'AWS::EC2::Instance', Properties: { MetadataOptions: { HttpTokens: true } } } } }))], /Properties\/MetadataOptions\/HttpTokens of Web is true, expected "required" or "optional"/],
    ['a hop limit that is not a number', () => ['check', file('wrong-hops.json', JSON.stringify({ Resources: { Web: { Type: 'AWS::EC2::Instance', Properties: { MetadataOptions: { HttpPutResponseHopLimit: 'two' } } } } }))], /HttpPutResponseHopLimit of Web is "two", expected a whole number from 1 to 64/],
    ['a property type of the wrong type', () => ['check', file('type.json', '{"Resources": {"Web": {"Type": 7}}}')], /resource Web has Type 7, expected a string/],
    ['JSON nested 100,000 levels deep', () => ['check', file('deep.json', '['.repeat(100_000) + ']'.repeat(100_000))], /deep\.json: the document nests more than 200 levels deep/],
    ['JSON nested 100,000 levels deep inside Resources', () => ['check', file('deep2.json', '{"Resources": {"A": {"Type": "AWS::EC2::Instance", "Properties": {"UserData": ' + '{"Fn::Base64": '.repeat(100_000) + '"x"' + '}'.repeat(100_000) + '}}}}')], /deep2\.json: the document nests more than 200 levels deep/],
    ['YAML nested deeply in flow style', () => ['check', file('deep.yaml', 'Resources: ' + '['.repeat(5000) + ']'.repeat(5000))], /deep\.yaml: the document nests more than 200 levels deep/],
    ['an unknown format', () => ['check', '--format', 'xml', file('good.json', GOOD)], /--format is "xml": use text, json or sarif/],
    ['an unknown option', () => ['check', '--frobnicate', file('good.json', GOOD)], /unknown option "--frobnicate"/],
    ['no PATH', () => ['check'], /no PATH given/],
    ['no command', () => [], /missing command/],
    ['a bad hop limit option', () => ['check', '--max-hop-limit', '0', file('good.json', GOOD)], /--max-hop-limit is "0": use a whole number from 1 to 64/],
  ];

  test.each(cases)('%s', (_name, args, message) => {
    const r = run(args());
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toMatch(message);
    expect(r.err.startsWith('cdk-imds: ')).toBe(true);
    expect(r.err.trimEnd().split('\n')).toHaveLength(1);
  });

  test('in a real process: exit codes 0, 1 and 2, one line and no stack trace', () => {
    const ok = spawnCli(['check', file('good.json', GOOD)]);
    expect([ok.status, ok.stderr]).toEqual([0, '']);
    const bad = spawnCli(['check', file('bad.json', BAD)]);
    expect(bad.status).toBe(1);
    expect(bad.stdout).toMatch(/IMDS001: AWS::EC2::Instance Web does not require IMDSv2/);
    const deep = spawnCli(['check', file('deep.json', '{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000))]);
    expect(deep.status).toBe(2);
    expect(deep.stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(/^cdk-imds: .*deep\.json: the document nests more than 200 levels deep/)]);
    expect(deep.stderr).not.toMatch(/\bat .*\.(js|ts):\d+/);
  });

  test('the CLI does not load aws-cdk-lib', () => {
    const probe = `
      require('ts-node').register({ transpileOnly: true });
      const { main } = require(${JSON.stringify(path.join(__dirname, '..', '..', 'src', 'cli', 'main.ts'))});
      main(['check', ${JSON.stringify(file('probe.json', BAD))}], () => {}, () => {});
      const loaded = Object.keys(require.cache).filter((k) => k.includes('aws-cdk-lib') || k.includes('constructs'));
      process.stdout.write(JSON.stringify({ loaded, checked: Object.keys(require.cache).some((k) => k.endsWith('check.ts')) }));`;
    const r = spawnSync(process.execPath, ['-e', probe], { encoding: 'utf-8', cwd: path.join(__dirname, '..', '..') });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({ loaded: [], checked: true });
  });
});

describe('cdk-imds check: inputs and outputs', () => {
  test('YAML with short-form intrinsics', () => {
    const yaml = [
      'Parameters:',
      '  Env: { Type: String }',
      'Conditions:',
      '  Prod: !Equals [!Ref Env, prod]',
      'Resources:',
      '  LT:',
      '    Type: AWS::EC2::LaunchTemplate',
      '    Properties:',
      '      LaunchTemplateData:',
      '        MetadataOptions:',
      '          HttpTokens: !If [Prod, required, optional]',
      '  Group:',
      '    Type: AWS::AutoScaling::AutoScalingGroup',
      '    Properties:',
      '      MinSize: "1"',
      '      MaxSize: "1"',
      '      VPCZoneIdentifier: [!Ref Subnet]',
      '      LaunchTemplate:',
      '        LaunchTemplateId: !Ref LT',
      '        Version: !GetAtt LT.LatestVersionNumber',
      '  Subnet:',
      '    Type: AWS::EC2::Subnet',
      '    Properties:',
      '      VpcId: vpc-1',
      '      CidrBlock: 10.0.0.0/24',
      '      Tags: [{ Key: Name, Value: !Sub "${AWS::StackName}-a" }]',
    ].join('\n');
    const r = run(['check', '--format', 'json', file('template.yaml', yaml)]);
    expect(r.err).toBe('');
    expect(r.code).toBe(1);
    const json = JSON.parse(r.out);
    expect(json.findings).toEqual([expect.objectContaining({ ruleId: 'IMDS001', logicalId: 'LT', propertyPath: 'Properties/LaunchTemplateData/MetadataOptions/HttpTokens' })]);
    expect(json.launches[0].options.HttpTokens).toEqual({ value: 'required | optional', source: 'launch' });
  });

  test('a cdk.out folder with a nested stage: construct paths and acknowledgements from the assembly', () => {
    const outdir = path.join(dir, 'cdk.out');
    const app = new App({ outdir, context: { 'aws:cdk:disable-creation-stack-traces': true } });
    const stage = new Stage(app, 'Prod');
    const stack = new Stack(stage, 'Web', { env: { account: '111111111111', region: 'eu-west-1' } });
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0 });
    const image = ec2.MachineImage.genericLinux({ 'eu-west-1': 'ami-0123456789abcdef0' });
    new ec2.Instance(stack, 'Open', { vpc, instanceType: new ec2.InstanceType('t3.micro'), machineImage: image });
    const legacy = new ec2.Instance(stack, 'Legacy', { vpc, instanceType: new ec2.InstanceType('t3.micro'), machineImage: image });
    Validations.of(legacy).acknowledge({ id: 'IMDS001', reason: 'vendor agent needs IMDSv1 until 2027' });
    new ec2.Instance(stack, 'Safe', { vpc, instanceType: new ec2.InstanceType('t3.micro'), machineImage: image, requireImdsv2: true });
    process.env.CDK_VALIDATION = 'false';
    try {
      app.synth();
    } finally {
      delete process.env.CDK_VALIDATION;
    }

    const text = run(['check', outdir]);
    expect(text.code).toBe(1);
    expect(text.out).toMatch(/ERROR +\S*assembly-Prod\/ProdWeb\w*\.template\.json Prod\/Web\/Open\/Resource \(Properties\/MetadataOptions\)/);
    expect(text.out).toMatch(/ACKNOWLEDGED IMDS001 \S+ Prod\/Web\/Legacy\/Resource: vendor agent needs IMDSv1 until 2027 \(at Prod\/Web\/Legacy\)/);
    expect(text.out).toMatch(/3 launch\(es\) checked: 1 error\(s\), 0 warning\(s\), 1 acknowledged\./);

    const sarif = JSON.parse(run(['check', '--format', 'sarif', outdir]).out);
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0].tool.driver.rules).toHaveLength(12);
    expect(sarif.runs[0].results).toEqual([
      expect.objectContaining({ ruleId: 'IMDS001', level: 'error', locations: [expect.objectContaining({ logicalLocations: [expect.objectContaining({ name: expect.stringMatching(/^Open/) })] })] }),
      expect.objectContaining({ ruleId: 'IMDS001', suppressions: [{ kind: 'external', justification: 'vendor agent needs IMDSv1 until 2027' }] }),
    ]);
  });

  test('several templates at once: a policy in one lowers the hop limit of launches in another', () => {
    const policy = file('multi/policy.json', JSON.stringify({
      Resources: {
        Guard: {
          Type: 'AWS::IAM::ManagedPolicy',
          Properties: { PolicyDocument: { Statement: [{ Effect: 'Deny', Action: 'ec2:RunInstances', Resource: '*', Condition: { NumericGreaterThan: { 'ec2:MetadataHttpPutResponseHopLimit': 1 } } }] } },
        },
      },
    }));
    const launch = file('multi/launch.json', JSON.stringify({ Resources: { Web: { Type: 'AWS::EC2::Instance', Properties: { InstanceType: 't3.micro', MetadataOptions: { HttpTokens: 'required', HttpPutResponseHopLimit: 2 } } } } }));
    const r = run(['check', policy, launch]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/IMDS003: .* policy Guard \(AWS::IAM::ManagedPolicy\) denies ec2:RunInstances above 1/);
    expect(run(['check', path.join(dir, 'multi')]).code).toBe(1);
  });

  test('--help prints usage and exits 0', () => {
    const r = run(['--help']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Usage: cdk-imds check/);
  });
});

describe('cdk-imds check: YAML as CloudFormation reads it', () => {
  test('a tag value continued on a line indented less than its key is checked', () => {
    const yaml = [
      'Resources:',
      '  Web:',
      '    Type: AWS::EC2::Instance',
      '    Properties:',
      '      ImageId: ami-12345678',
      '      Tags:',
      '        - Key: Description',
      '          Value: "the front page server, kept on IMDSv1',
      '  until the agent is upgraded"',
    ].join('\n');
    const r = run(['check', file('continued.yaml', yaml)]);
    expect(r.err).toBe('');
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/IMDS001: AWS::EC2::Instance Web does not require IMDSv2/);
  });

  test('an unknown tag exits 2 with the file, line, column and tag', () => {
    const f = file('unknown-tag.yaml', 'Resources:\n  Web:\n    Type: !Foo AWS::EC2::Instance\n    Properties:\n      ImageId: ami-1\n');
    const r = run(['check', f]);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toBe(`cdk-imds: ${f}:3:11: unknown YAML tag !Foo: CloudFormation knows only the short forms of its functions: `
      + '!Ref, !Condition, !GetAtt, !Sub, !If, !Join, !Select, !Split, !Base64, !FindInMap, !ImportValue, !GetAZs, !Cidr, !Equals, !Not, !And, !Or, '
      + '!Transform, !Length, !ToJsonString, !GetStackOutput, !Contains, !EachMemberEquals, !EachMemberIn, !RefAll, !ValueOf, !ValueOfAll\n');
  });
});
