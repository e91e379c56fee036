/** The first example of the README, run exactly as written, synthesizes. */
import * as fs from 'fs';
import * as path from 'path';
import { App, Stack, aws_iam as iam } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ts from 'typescript';
import * as imds from '../../src';
import { main } from '../../src/cli/main';

process.env.CDK_VALIDATION = 'false';

/** The TypeScript code blocks of a Markdown file, in order. */
function codeBlocks(file: string): string[] {
  const text = fs.readFileSync(file, 'utf-8');
  return [...text.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((m) => m[1]);
}

function runExample(code: string): App {
  const js = ts.transpileModule(`${code}\nreturn app;`, { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.None } }).outputText;
  // The names the rosetta fixture (rosetta/default.ts-fixture) imports for README examples.
  return new Function('App', 'Stack', 'iam', 'imds', js)(App, Stack, iam, imds);
}

describe('the README quick start (the first TypeScript example of README.md)', () => {
  const [example] = codeBlocks(path.join(__dirname, '..', '..', 'README.md'));

  test('is the baseline example', () => {
    expect(example).toContain('new imds.Imdsv2Baseline(security');
  });

  test('synthesizes: defaults, policy and checks for the account, and a compliant launch', () => {
    const app = runExample(example);
    const assembly = app.synth();
    const security = app.node.findChild('ImdsBaseline') as Stack;
    const web = app.node.findChild('Web') as Stack;

    const t = Template.fromStack(security);
    t.hasResourceProperties('Custom::InstanceMetadataDefaults', { HttpTokens: 'required', HttpPutResponseHopLimit: 2, Regions: ['eu-west-1'] });
    t.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      Groups: ['developers'],
      PolicyDocument: Match.objectLike({
        Statement: Match.arrayWith([Match.objectLike({ Sid: 'MaxImdsHopLimit', Condition: { NumericGreaterThan: { 'ec2:MetadataHttpPutResponseHopLimit': '2' } } })]),
      }),
    });
    Template.fromStack(web).hasResourceProperties('AWS::EC2::LaunchTemplate', {
      LaunchTemplateData: { MetadataOptions: { HttpTokens: 'required', HttpPutResponseHopLimit: 2, HttpEndpoint: 'enabled' } },
    });

    for (const s of [security, web]) {
      Annotations.fromStack(s).hasNoError('*', Match.anyValue());
      expect(Annotations.fromStack(s).findWarning('*', Match.anyValue())).toEqual([]);
    }
    // The checks ran over the app: the report lists the launch template.
    const report = JSON.parse(fs.readFileSync(path.join(assembly.directory, 'imds-report.json'), 'utf-8'));
    expect(report.launches).toEqual([expect.objectContaining({ constructPath: 'Web/Nodes/Resource', type: 'AWS::EC2::LaunchTemplate', findings: [] })]);
    expect(assembly.getStackByName('Web').dependencies.map((d) => d.id)).toContain('ImdsBaseline');
  });

  test('the same app with a launch above the policy maximum is an IMDS003 error', () => {
    const app = runExample(example.replace('{ containerHost: true }', '{ containerHost: true, httpPutResponseHopLimit: 3 }'));
    const web = app.node.findChild('Web') as Stack;
    Annotations.fromStack(web).hasError('/Web/Nodes/Resource', Match.stringLikeRegexp('^IMDS003: .* denies ec2:RunInstances above 2: the launch would be denied'));
  });

  test('the CLI over the synthesized app finds the same IMDS003 error, and passes the example as written', () => {
    const cli = (dir: string) => {
      let out = '';
      const code = main(['check', '--trust-account-defaults', dir], (x) => (out += x), (x) => (out += x));
      return { code, out };
    };
    const bad = runExample(example.replace('{ containerHost: true }', '{ containerHost: true, httpPutResponseHopLimit: 3 }'));
    const r = cli(bad.synth().directory);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/IMDS003: [^\n]*policy Imdsv2Policy\w+ \(AWS::IAM::ManagedPolicy\) denies ec2:RunInstances above 2/);
    expect(cli(runExample(example).synth().directory).code).toBe(0);
  });
});
