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
import * as rendering from '../../src/validation/cdk-internals';
import { RENDER_MEMBER, renderCloudFormation } from '../../src/validation/cdk-internals';
import { env, image, type } from '../support/aspect-app';

process.env.CDK_VALIDATION = 'false';

/** How the aspect takes part in synthesis: it reads the tree and writes only annotations and its report. */


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

function reportOf(dir: string, file = 'imds-report.json'): { launches: Array<{ constructPath?: string; findings: Array<{ ruleId: string; constructPath?: string }> }> } {
  return JSON.parse(fs.readFileSync(path.join(dir, file), 'utf-8'));
}

describe('ImdsChecks in synthesis', () => {
  test('replaces, wraps or defines no method on any construct, and annotates the resource to change', () => {
    const app = new App({ outdir });
    const { web, other } = twoStacks(app);
    const before = new Map([web, other, ...web.node.findAll(), ...other.node.findAll()].map((c) => [c, Object.getOwnPropertyNames(c).sort()]));
    Aspects.of(app).add(new ImdsChecks({ report: false }), { priority: AspectPriority.READONLY });
    const assembly = app.synth();
    expect(assembly.getStackArtifact(web.artifactId).messages.map((m) => `${m.id} ${String(m.entry.data).slice(0, 8)}`)).toContain('/Web/Server/Resource IMDS001:');
    for (const [c, names] of before) {
      expect(ownHooks(c)).toEqual([]);
      // Only what synthesis itself adds may appear (aws-cdk-lib caches, metadata); no function.
      for (const n of Object.getOwnPropertyNames(c).filter((x) => !names.includes(x))) expect(typeof (c as unknown as Record<string, unknown>)[n]).not.toBe('function');
    }
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
      const fromPlugin = reportOf(pluginDir, 'imds-plugin-report.json');
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
    const findings = reportOf(outdir, frontEnd === 'aspect' ? 'imds-report.json' : 'imds-plugin-report.json').launches.flatMap((l) => l.findings.map((f) => `${f.ruleId} ${f.constructPath}`));
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
  ])('a stack whose elements cannot be rendered the way the checks know is reported as not checked (strict %p: %s)', (strict, level) => {
    const app = new App({ outdir });
    const stack = new Stack(app, 'Unknown', { env });
    const server = new ec2.CfnInstance(stack, 'Server', { imageId: 'ami-0123456789abcdef0', instanceType: 't3.micro' });
    Aspects.of(app).add(new ImdsChecks({ report: false, strict }), { priority: AspectPriority.READONLY });
    // What a later aws-cdk-lib without the member would look like to the checks (synthesis itself still renders).
    jest.spyOn(rendering, 'renderCloudFormation').mockImplementation(() => {
      throw new rendering.UnsupportedRenderingError(server.node.path);
    });
    const messages = app.synth().getStackArtifact(stack.artifactId).messages.filter((m) => String(m.entry.data).startsWith('IMDS010'));
    expect(messages.map((m) => [m.id, m.level])).toEqual([['/Unknown', level]]);
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

describe('the rendering adapter (the one read of a non-public aws-cdk-lib member)', () => {
  test(`aws-cdk-lib still renders elements with ${RENDER_MEMBER}(): if this fails, aws-cdk-lib changed and ImdsChecks reads no template`, () => {
    expect(typeof (CfnResource.prototype as unknown as Record<string, unknown>)[RENDER_MEMBER]).toBe('function');
  });

  test('renders each resource exactly as synthesis writes it, escape-hatch overrides and tokens included, and changes nothing', () => {
    const app = new App({ outdir });
    const { web, other } = twoStacks(app);
    const server = (web.node.findChild('Server').node.defaultChild as CfnResource);
    server.addPropertyOverride('MetadataOptions.HttpTokens', 'optional');
    // Rendered once the tree is final (aspects such as Tags.of have run), as the checks' validation does.
    const assembly = app.synth();
    const elements = [...web.node.findAll(), ...other.node.findAll()].filter((c): c is CfnResource => c instanceof CfnResource);
    const before = elements.map((e) => Object.getOwnPropertyNames(e).sort());
    const rendered = elements.map((e) => renderCloudFormation(e) as { Resources: Record<string, unknown> });
    expect(elements.map((e) => Object.getOwnPropertyNames(e).sort())).toEqual(before);
    const written = {
      ...assembly.getStackArtifact(web.artifactId).template.Resources,
      ...assembly.getStackArtifact(other.artifactId).template.Resources,
    };
    expect(rendered.length).toBeGreaterThan(5);
    for (const r of rendered) for (const [id, body] of Object.entries(r.Resources)) expect([id, body]).toEqual([id, written[id]]);
    const serverId = web.resolve(server.logicalId) as string;
    expect(rendered.find((r) => Object.keys(r.Resources)[0] === serverId)!.Resources[serverId]).toMatchObject({
      Properties: { MetadataOptions: { HttpTokens: 'optional' } },
    });
  });
});
