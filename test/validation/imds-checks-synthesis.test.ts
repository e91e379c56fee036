import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  App,
  AspectPriority,
  Aspects,
  BootstraplessSynthesizer,
  CfnResource,
  CliCredentialsStackSynthesizer,
  DefaultStackSynthesizer,
  ISynthesisSession,
  IStackSynthesizer,
  Lazy,
  LegacyStackSynthesizer,
  NestedStack,
  Stack,
  Validations,
  aws_ec2 as ec2,
} from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { Construct } from 'constructs';
import { ImdsChecks, ImdsValidationPlugin } from '../../src';
import { TemplateCapture } from '../../src/private/template-capture';
import { env, image, type } from '../support/aspect-app';

process.env.CDK_VALIDATION = 'false';

/** How the aspect takes part in synthesis: it checks the templates synthesis writes, rendered once. */


let outdir: string;
beforeEach(() => {
  outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-imds-synthesis-'));
});
afterEach(() => {
  jest.restoreAllMocks();
  fs.rmSync(outdir, { recursive: true, force: true });
});

/** Two stacks: one with an instance without IMDSv2 (IMDS001), one with a compliant launch template. */
function twoStacks(app: App): { web: Stack; other: Stack } {
  const web = new Stack(app, 'Web', { env });
  const vpc = new ec2.Vpc(web, 'Vpc', { maxAzs: 1, natGateways: 0 });
  new ec2.Instance(web, 'Server', { vpc, instanceType: type, machineImage: image });
  const other = new Stack(app, 'Other', { env });
  new ec2.LaunchTemplate(other, 'Template', { requireImdsv2: true, instanceType: type, machineImage: image });
  return { web, other };
}

function ownHooks(c: object): string[] {
  return Object.getOwnPropertyNames(c).filter((n) => n === '_toCloudFormation' || n === '_synthesizeTemplate');
}

function reportOf(dir: string): { launches: Array<{ constructPath?: string; findings: Array<{ ruleId: string; constructPath?: string }> }> } {
  return JSON.parse(fs.readFileSync(path.join(dir, 'imds-report.json'), 'utf-8'));
}

describe('ImdsChecks in synthesis', () => {
  test('renders each resource no more often than synthesis without the checks does, and leaves nothing on the constructs', () => {
    const renders = (withChecks: boolean): Map<string, number> => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-imds-renders-'));
      const spy = jest.spyOn(CfnResource.prototype as unknown as { _toCloudFormation: () => unknown }, '_toCloudFormation');
      try {
        const app = new App({ outdir: dir });
        const { web, other } = twoStacks(app);
        if (withChecks) Aspects.of(app).add(new ImdsChecks({ report: false }), { priority: AspectPriority.READONLY });
        const assembly = app.synth();
        if (withChecks) {
          expect(assembly.getStackArtifact(web.artifactId).messages.map((m) => `${m.id} ${String(m.entry.data).slice(0, 8)}`)).toContain('/Web/Server/Resource IMDS001:');
          for (const c of [web, other, ...web.node.findAll(), ...other.node.findAll()]) expect(ownHooks(c)).toEqual([]);
        }
        const counts = new Map<string, number>();
        for (const c of spy.mock.contexts) counts.set((c as CfnResource).node.path, (counts.get((c as CfnResource).node.path) ?? 0) + 1);
        return counts;
      } finally {
        spy.mockRestore();
        fs.rmSync(dir, { recursive: true, force: true });
      }
    };
    const plain = renders(false);
    const checked = renders(true);
    expect(checked.get('Web/Server/Resource')).toBeGreaterThan(0);
    expect(checked).toEqual(plain);
  });

  /** A synthesizer that changes an element of its stack just before writing the template. */
  class TaggingSynthesizer extends DefaultStackSynthesizer {
    public synthesize(session: ISynthesisSession): void {
      const server = this.boundStack.node.tryFindChild('Server')?.node.defaultChild as CfnResource | undefined;
      server?.addPropertyOverride('Monitoring', true);
      super.synthesize(session);
    }
  }

  // A stack with the bootstrapless synthesizer cannot have assets, so no nested stack there.
  const synthesizers: Array<[string, number, () => IStackSynthesizer | undefined]> = [
    ['default', 2, () => undefined],
    ['legacy', 2, () => new LegacyStackSynthesizer()],
    ['CLI credentials', 2, () => new CliCredentialsStackSynthesizer()],
    ['bootstrapless', 1, () => new BootstraplessSynthesizer()],
    ['a subclass that changes an element before writing', 2, () => new TaggingSynthesizer()],
  ];

  test.each(synthesizers)('the written templates are byte for byte those of the same app without the checks (synthesizer: %s; templates: %i)', (_name, count, synthesizer) => {
    const build = (dir: string, withChecks: boolean): void => {
      const app = new App({ outdir: dir });
      const web = new Stack(app, 'Web', { env, synthesizer: synthesizer() });
      const vpc = new ec2.Vpc(web, 'Vpc', { maxAzs: 1, natGateways: 0 });
      new ec2.Instance(web, 'Server', { vpc, instanceType: type, machineImage: image, userData: ec2.UserData.forLinux() });
      const nested = count > 1 ? new NestedStack(web, 'Nested') : web;
      new ec2.LaunchTemplate(nested, 'Template', { requireImdsv2: true, instanceType: type, machineImage: image, securityGroup: new ec2.SecurityGroup(nested, 'Sg', { vpc }) });
      if (withChecks) Aspects.of(app).add(new ImdsChecks({ report: false }), { priority: AspectPriority.READONLY });
      app.synth();
    };
    const plainDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-imds-plain-'));
    try {
      build(plainDir, false);
      build(outdir, true);
      const templates = fs.readdirSync(plainDir).filter((f) => f.endsWith('.template.json')).sort();
      expect(templates).toHaveLength(count);
      expect(fs.readdirSync(outdir).filter((f) => f.endsWith('.template.json')).sort()).toEqual(templates);
      for (const file of templates) {
        expect(fs.readFileSync(path.join(outdir, file), 'utf-8')).toEqual(fs.readFileSync(path.join(plainDir, file), 'utf-8'));
      }
    } finally {
      fs.rmSync(plainDir, { recursive: true, force: true });
    }
  });

  test('two ImdsChecks on one app both check, and the templates and constructs are as without them', () => {
    const plainDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-imds-plain-'));
    try {
      const plain = new App({ outdir: plainDir });
      twoStacks(plain);
      plain.synth();
      const app = new App({ outdir });
      const { web, other } = twoStacks(app);
      Aspects.of(app).add(new ImdsChecks({ report: false }), { priority: AspectPriority.READONLY });
      Aspects.of(web).add(new ImdsChecks({ report: false, maxHopLimit: 1 }), { priority: AspectPriority.READONLY });
      const assembly = app.synth();
      expect(assembly.getStackArtifact(web.artifactId).messages.filter((m) => m.level === 'error').map((m) => `${m.id} ${String(m.entry.data).slice(0, 8)}`)).toEqual(['/Web/Server/Resource IMDS001:']);
      for (const file of ['Web.template.json', 'Other.template.json']) {
        expect(fs.readFileSync(path.join(outdir, file), 'utf-8')).toEqual(fs.readFileSync(path.join(plainDir, file), 'utf-8'));
      }
      for (const c of [web, other, ...web.node.findAll(), ...other.node.findAll()]) expect(ownHooks(c)).toEqual([]);
    } finally {
      fs.rmSync(plainDir, { recursive: true, force: true });
    }
  });

  test('sees an escape-hatch override that turns IMDSv2 off again', () => {
    const app = new App({ outdir });
    const stack = new Stack(app, 'Stack', { env });
    const lt = new ec2.LaunchTemplate(stack, 'Template', { requireImdsv2: true, instanceType: type, machineImage: image });
    (lt.node.defaultChild as CfnResource).addPropertyOverride('LaunchTemplateData.MetadataOptions.HttpTokens', 'optional');
    Aspects.of(app).add(new ImdsChecks({ report: false }), { priority: AspectPriority.READONLY });
    Annotations.fromStack(stack).hasError('/Stack/Template/Resource', Match.stringLikeRegexp('^IMDS001: AWS::EC2::LaunchTemplate .*HttpTokens is "optional"'));
  });

  test.each([[true], [false]])('with path metadata %p: the same annotations and report paths, from the aspect and the plugin', (pathMetadata) => {
    const app = new App({ outdir, context: { 'aws:cdk:enable-path-metadata': pathMetadata } });
    const { web } = twoStacks(app);
    Aspects.of(app).add(new ImdsChecks(), { priority: AspectPriority.READONLY });
    app.synth();
    Annotations.fromStack(web).hasError('/Web/Server/Resource', Match.stringLikeRegexp('^IMDS001: '));
    const fromAspect = reportOf(outdir);
    expect(fromAspect.launches.map((l) => l.constructPath).sort()).toEqual(['Other/Template/Resource', 'Web/Server/Resource']);
    expect(fromAspect.launches.flatMap((l) => l.findings.map((f) => `${f.ruleId} ${f.constructPath}`))).toContain('IMDS001 Web/Server/Resource');

    const pluginDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-imds-plugin-'));
    try {
      const app2 = new App({ outdir: pluginDir, context: { 'aws:cdk:enable-path-metadata': pathMetadata, '@aws-cdk/core:failSynthOnValidationErrors': false } });
      twoStacks(app2);
      Validations.of(app2).addPlugins(new ImdsValidationPlugin());
      app2.synth();
      const fromPlugin = reportOf(pluginDir);
      expect(fromPlugin.launches.map((l) => l.constructPath).sort()).toEqual(['Other/Template/Resource', 'Web/Server/Resource']);
    } finally {
      fs.rmSync(pluginDir, { recursive: true, force: true });
    }
  });

  test.each([['aspect'], ['plugin']])('path metadata pointing at another construct is not trusted (%s): the finding stays on its own resource', (frontEnd) => {
    const app = new App({ outdir, context: { 'aws:cdk:enable-path-metadata': true, '@aws-cdk/core:failSynthOnValidationErrors': false } });
    const { web } = twoStacks(app);
    const server = web.node.findChild('Server').node.defaultChild as CfnResource;
    server.addOverride('Metadata.aws:cdk:path', 'Web/Vpc/Resource');
    if (frontEnd === 'aspect') Aspects.of(app).add(new ImdsChecks(), { priority: AspectPriority.READONLY });
    else Validations.of(app).addPlugins(new ImdsValidationPlugin());
    app.synth();
    const findings = reportOf(outdir).launches.flatMap((l) => l.findings.map((f) => `${f.ruleId} ${f.constructPath}`));
    expect(findings).toContain('IMDS001 Web/Server/Resource');
    expect(findings.filter((f) => f.includes('Web/Vpc'))).toEqual([]);
  });

  test('added below a stack, it checks only the launches in that subtree', () => {
    const app = new App({ outdir });
    const stack = new Stack(app, 'Stack', { env });
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0 });
    const team = new Construct(stack, 'Team');
    new ec2.Instance(team, 'Inside', { vpc, instanceType: type, machineImage: image });
    new ec2.Instance(stack, 'Outside', { vpc, instanceType: type, machineImage: image });
    Aspects.of(team).add(new ImdsChecks(), { priority: AspectPriority.READONLY });
    app.synth();
    const a = Annotations.fromStack(stack);
    a.hasError('/Stack/Team/Inside/Resource', Match.stringLikeRegexp('^IMDS001: '));
    a.hasNoError('/Stack/Outside/Resource', Match.anyValue());
    expect(reportOf(outdir).launches.map((l) => l.constructPath)).toEqual(['Stack/Team/Inside/Resource']);
  });

  test('a synthesis that fails in validation leaves nothing behind, and the next one checks the tree as it is then', () => {
    const app = new App({ outdir });
    const { web } = twoStacks(app);
    let failing = true;
    web.node.addValidation({ validate: () => (failing ? ['not yet'] : []) });
    Aspects.of(app).add(new ImdsChecks({ report: false }), { priority: AspectPriority.READONLY });
    expect(() => app.synth()).toThrow(/not yet/);
    failing = false;
    new ec2.Instance(web, 'Later', { vpc: web.node.findChild('Vpc') as ec2.Vpc, instanceType: type, machineImage: image, requireImdsv2: true });
    const assembly = app.synth({ force: true });
    const template = JSON.parse(fs.readFileSync(path.join(assembly.directory, 'Web.template.json'), 'utf-8'));
    expect(Object.values(template.Resources as Record<string, { Type: string }>).filter((r) => r.Type === 'AWS::EC2::Instance')).toHaveLength(2);
    const errors = assembly.getStackArtifact(web.artifactId).messages.filter((m) => m.level === 'error').map((m) => `${m.id} ${String(m.entry.data).slice(0, 8)}`);
    expect(errors).toEqual(['/Web/Server/Resource IMDS001:']);
    expect(ownHooks(web)).toEqual([]);
  });

  test('a template that cannot be rendered fails synthesis with aws-cdk-lib\'s own error', () => {
    const app = new App({ outdir });
    const { other } = twoStacks(app);
    new CfnResource(other, 'Broken', {
      type: 'AWS::SNS::Topic',
      properties: { TopicName: Lazy.string({ produce: () => { throw new Error('the topic name is not known'); } }) },
    });
    Aspects.of(app).add(new ImdsChecks({ report: false }), { priority: AspectPriority.READONLY });
    expect(() => app.synth()).toThrow(/the topic name is not known/);
  });

  test.each([
    [false, 'warning'],
    [true, 'error'],
  ])('a stack whose template cannot be read is reported as not checked (strict %p: %s)', (strict, level) => {
    /** A stack that writes its template itself, without the renderer synthesis normally uses. */
    class HandWrittenStack extends Stack {
      constructor(scope: Construct, id: string) {
        super(scope, id, { env });
        Object.defineProperty(this, '_toCloudFormation', { value: undefined, configurable: true, writable: true });
      }
      public _synthesizeTemplate(session: { outdir: string }): void {
        fs.writeFileSync(path.join(session.outdir, this.templateFile), JSON.stringify({ Resources: {} }));
      }
    }
    const app = new App({ outdir });
    const stack = new HandWrittenStack(app, 'HandWritten');
    new ec2.CfnInstance(stack, 'Server', { imageId: 'ami-0123456789abcdef0', instanceType: 't3.micro' });
    Aspects.of(app).add(new ImdsChecks({ report: false, strict }), { priority: AspectPriority.READONLY });
    const messages = app.synth().getStackArtifact(stack.artifactId).messages.filter((m) => String(m.entry.data).startsWith('IMDS010'));
    expect(messages.map((m) => [m.id, m.level])).toEqual([['/HandWritten', level]]);
    expect(String(messages[0].entry.data)).toMatch(/^IMDS010: ImdsChecks cannot read the template of this stack: .* no launch in it is checked\. Check the synthesized templates with ImdsValidationPlugin or `cdk-imds check`\./);
  });

  test('error findings carry no call stack; warnings keep aws-cdk-lib\'s acknowledgement tag', () => {
    const app = new App({ outdir });
    const stack = new Stack(app, 'Stack', { env });
    new ec2.CfnInstance(stack, 'Server', { imageId: 'ami-0123456789abcdef0', instanceType: 't3.micro' });
    new ec2.CfnLaunchTemplate(stack, 'KeyPairEndpointOff', {
      launchTemplateData: { instanceType: 't3.micro', keyName: 'admin', metadataOptions: { httpTokens: 'required', httpEndpoint: 'disabled' } },
    });
    Aspects.of(app).add(new ImdsChecks({ report: false }), { priority: AspectPriority.READONLY });
    app.synth();
    const server = stack.node.findChild('Server').node.metadata.filter((m) => m.type === 'aws:cdk:error');
    expect(server).toHaveLength(1);
    expect(server[0].data).toMatch(/^IMDS001: /);
    expect(server[0].trace).toBeUndefined();
    const warnings = stack.node.findChild('KeyPairEndpointOff').node.metadata.filter((m) => m.type === 'aws:cdk:warning').map((m) => String(m.data));
    expect(warnings).toEqual([expect.stringMatching(/^IMDS008: .*\[ack: IMDS008\]$/)]);
  });
});

describe('TemplateCapture', () => {
  test('disarm restores a wrapper another library put on the stack before', () => {
    const app = new App({ outdir });
    const stack = new Stack(app, 'Stack');
    const theirs = function (this: Stack, ...args: unknown[]) {
      return (Stack.prototype as unknown as { _synthesizeTemplate: (...a: unknown[]) => unknown })._synthesizeTemplate.apply(this, args);
    };
    Object.defineProperty(stack, '_synthesizeTemplate', { value: theirs, configurable: true, writable: true });
    const capture = new TemplateCapture();
    expect(capture.arm([stack], () => undefined)).toEqual([]);
    expect(capture.armed).toBe(true);
    expect((stack as unknown as { _synthesizeTemplate: unknown })._synthesizeTemplate).not.toBe(theirs);
    capture.disarm();
    expect(capture.armed).toBe(false);
    expect((stack as unknown as { _synthesizeTemplate: unknown })._synthesizeTemplate).toBe(theirs);
  });

  test('runs once, before the first template is written, and each write uses the renderings made then', () => {
    const app = new App({ outdir });
    const a = new Stack(app, 'A');
    const b = new Stack(app, 'B');
    const topic = new CfnResource(a, 'Topic', { type: 'AWS::SNS::Topic', properties: { TopicName: 'first' } });
    new CfnResource(b, 'Queue', { type: 'AWS::SQS::Queue' });
    const capture = new TemplateCapture();
    const fired: string[] = [];
    a.node.addValidation({
      validate: () => {
        capture.arm([a, b], () => {
          fired.push(fs.readdirSync(outdir).filter((f) => f.endsWith('.template.json')).join(','));
          expect(capture.render(topic)).toEqual({ Resources: { Topic: { Type: 'AWS::SNS::Topic', Properties: { TopicName: 'first' } } } });
          // Shows that the write uses the rendering made here and does not render again.
          topic.addPropertyOverride('TopicName', 'changed after rendering');
        });
        return [];
      },
    });
    app.synth();
    expect(fired).toEqual(['']);
    expect(capture.armed).toBe(false);
    expect(JSON.parse(fs.readFileSync(path.join(outdir, 'A.template.json'), 'utf-8')).Resources.Topic.Properties.TopicName).toBe('first');
    expect(ownHooks(topic)).toEqual([]);
  });
});
