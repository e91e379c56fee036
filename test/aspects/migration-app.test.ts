// The migration example (examples/migration-app.ts): one launch of every kind the checker reads,
// none requiring IMDSv2, before and after RequireImdsv2Everywhere, judged by ImdsChecks and by the
// cdk-imds CLI on the written cloud assembly.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { migrationApp } from '../../examples/migration-app';
import { RequireImdsv2Everywhere } from '../../src';
import { KINDS } from '../../src/checks/launches';
import { run } from '../cli/run-cli';

process.env.CDK_VALIDATION = 'false';

interface Message {
  readonly level: string;
  readonly path: string;
  readonly ruleId: string;
  readonly text: string;
}

interface ReportLaunch {
  readonly type: string;
  readonly logicalId: string;
  readonly constructPath: string;
  readonly options: Record<string, { value: string; source: string }>;
  readonly findings: ReadonlyArray<{ ruleId: string; level: string; logicalId: string; constructPath: string }>;
}

interface Synthesized {
  readonly dir: string;
  readonly messages: Message[];
  readonly launches: ReportLaunch[];
  readonly resources: Array<{ logicalId: string; type: string; properties: any }>;
}

let root: string;
let before: Synthesized;
let after: Synthesized;

function synthesized(dir: string, assembly: CloudAssembly): Synthesized {
  const messages = assembly.stacks.flatMap((s) => s.messages).map((m) => {
    const text = String(m.entry.data);
    return { level: m.level, path: m.id.replace(/^\//, ''), ruleId: /^(IMDS\d{3}):/.exec(text)?.[1] ?? text, text };
  });
  const report = JSON.parse(fs.readFileSync(path.join(dir, 'imds-report.json'), 'utf-8'));
  const resources = assembly.stacks.flatMap((s) => Object.entries<any>(s.template.Resources ?? {})
    .map(([logicalId, r]) => ({ logicalId, type: r.Type as string, properties: r.Properties ?? {} })));
  return { dir, messages, launches: report.launches, resources };
}

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-imds-migration-'));
  const beforeDir = path.join(root, 'before');
  const afterDir = path.join(root, 'after');
  before = synthesized(beforeDir, migrationApp(beforeDir, { requireImdsv2: false }).synth());
  after = synthesized(afterDir, migrationApp(afterDir).synth());
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

/** "path ruleId" of every annotation at `level`, sorted, without duplicates. */
function annotated(s: Synthesized, level: string): string[] {
  return [...new Set(s.messages.filter((m) => m.level === level).map((m) => `${m.path} ${m.ruleId}`))].sort();
}

/** Per resource (construct path), the rule IDs of its findings at each level, as the aspect annotated them. */
function aspectFindings(s: Synthesized): string[] {
  return [...new Set(s.messages.filter((m) => /^IMDS\d{3}$/.test(m.ruleId)).map((m) => `${m.path} ${m.level} ${m.ruleId}`))].sort();
}

/** The same from `cdk-imds check --format json` on the cloud assembly folder. */
function cliFindings(json: any): string[] {
  return [...new Set<string>(json.findings.map((f: any) => `${f.constructPath} ${f.level} ${f.ruleId}`))].sort();
}

/** Each launch (construct path) with the resources its IMDS001 findings sit on. */
function imds001ByLaunch(s: Synthesized): Record<string, string[]> {
  return Object.fromEntries(s.launches.map((l) => [
    l.constructPath,
    [...new Set(l.findings.filter((f) => f.ruleId === 'IMDS001').map((f) => f.constructPath))].sort(),
  ]));
}

describe('the migration app without RequireImdsv2Everywhere', () => {
  test('ImdsChecks reports IMDS001 on every launch, on the resource to change', () => {
    expect(imds001ByLaunch(before)).toEqual({
      'ImdsMigration/ReportingServer': ['ImdsMigration/ReportingServer'],
      'ImdsMigration/Bastion/Resource': ['ImdsMigration/Bastion/Resource'],
      'ImdsMigration/WebGroup/ASG': ['ImdsMigration/WebTemplate/Resource'],
      'ImdsMigration/WorkerGroup/ASG': ['ImdsMigration/WorkerGroup/LaunchConfig'],
      'ImdsMigration/BuildAgentTemplate/Resource': ['ImdsMigration/BuildAgentTemplate/Resource'],
      // The override that sets httpTokens optional is the fleet's; the other takes the template's.
      'ImdsMigration/RenderFleet': ['ImdsMigration/RenderFleet', 'ImdsMigration/RenderTemplate/Resource'],
      'ImdsMigration/SpotWorkers': ['ImdsMigration/SpotTemplate/Resource'],
      'ImdsMigration/AppNodes': ['ImdsMigration/NodeTemplate'],
      'ImdsMigration/SystemNodes': ['ImdsMigration/SystemNodes'],
      'ImdsMigration/NightlyJobs/Resource': ['ImdsMigration/BatchTemplate/Resource'],
      'ImdsMigration/AdHocJobs/Resource': ['ImdsMigration/AdHocJobs/Resource'],
      'ImdsMigration/ImagePipelineHosts': ['ImdsMigration/ImagePipelineHosts'],
      'ImdsMigration/AnalystNotebook': ['ImdsMigration/AnalystNotebook'],
      'ImdsMigration/DesktopFleet': ['ImdsMigration/DesktopFleet'],
      'ImdsMigration/DesktopImageBuilder': ['ImdsMigration/DesktopImageBuilder'],
      'ImdsMigration/AppBlockBuilder': ['ImdsMigration/AppBlockBuilder'],
      'ImdsMigration/SupportDesk': ['ImdsMigration/SupportDesk'],
      'ImdsMigration/PortalEnvironment': ['ImdsMigration/PortalEnvironment'],
      'ImdsMigration/PortalConfiguration': ['ImdsMigration/PortalConfiguration'],
      'ImdsMigration/Analytics': ['ImdsMigration/EmrSecurity'],
    });
    expect(before.launches.every((l) => l.options.HttpTokens.value === 'optional')).toBe(true);
    // The same resources carry the error annotations; the one warning is IMDS012 on the launch configuration's group.
    expect(annotated(before, 'error')).toEqual([...new Set(Object.values(imds001ByLaunch(before)).flat())].map((p) => `${p} IMDS001`).sort());
    expect(annotated(before, 'warning')).toEqual(['ImdsMigration/WorkerGroup/ASG IMDS012']);
  });

  test('the CLI on the cloud assembly fails and finds what ImdsChecks found, rule by rule and resource by resource', () => {
    const r = run(['check', '--format', 'json', before.dir]);
    expect(r.err).toBe('');
    expect(r.code).toBe(1);
    const json = JSON.parse(r.out);
    expect(json.summary).toEqual({ launches: 20, errors: 22, warnings: 1, acknowledged: 0 });
    expect(cliFindings(json)).toEqual(aspectFindings(before));
  });
});

describe('the migration app with RequireImdsv2Everywhere', () => {
  test('every launch requires IMDSv2, and no error is annotated', () => {
    expect(after.launches).toHaveLength(before.launches.length);
    expect(after.launches.filter((l) => l.options.HttpTokens.value !== 'required').map((l) => l.constructPath)).toEqual([]);
    expect(annotated(after, 'error')).toEqual([]);
  });

  test('the one warning left is IMDS012 on the group that still uses a launch configuration; the aspect warns of nothing it could not fix', () => {
    // The aspect makes the launch configuration require IMDSv2, but IAM conditions on
    // ec2:RunInstances cannot guard a launch configuration: only a launch template fixes that.
    expect(annotated(after, 'warning')).toEqual(['ImdsMigration/WorkerGroup/ASG IMDS012']);
    expect(after.messages.filter((m) => m.text.includes(RequireImdsv2Everywhere.CANNOT_FIX_WARNING))).toEqual([]);
    expect(after.messages.filter((m) => m.level === 'info')).toEqual([]);
  });

  test('the CLI on the cloud assembly passes and agrees with ImdsChecks, rule by rule and resource by resource', () => {
    const r = run(['check', '--format', 'json', after.dir]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out);
    expect(json.summary).toEqual({ launches: 20, errors: 0, warnings: 1, acknowledged: 0 });
    expect(json.findings.filter((f: any) => f.ruleId === 'IMDS001')).toEqual([]);
    expect(cliFindings(json)).toEqual(aspectFindings(after));
    expect(cliFindings(json)).toEqual(['ImdsMigration/WorkerGroup/ASG warning IMDS012']);
  });

  test('EKS node groups and Batch compute environments without a launch template get a metadata-only one', () => {
    const metadataOnly = { LaunchTemplateData: { MetadataOptions: { HttpTokens: 'required', HttpPutResponseHopLimit: 2 } } };
    const added = after.resources.filter((r) => r.logicalId.includes('Imdsv2LaunchTemplate'));
    expect(added.map((r) => [r.logicalId, r.type, r.properties]).sort()).toEqual([
      ['AdHocJobsResourceImdsv2LaunchTemplate725EE45F', 'AWS::EC2::LaunchTemplate', metadataOnly],
      ['SystemNodesImdsv2LaunchTemplate', 'AWS::EC2::LaunchTemplate', metadataOnly],
    ]);
    const resource = (id: string) => after.resources.find((r) => r.logicalId === id)!;
    expect(resource('SystemNodes').properties.LaunchTemplate.Id).toEqual({ Ref: 'SystemNodesImdsv2LaunchTemplate' });
    expect(resource('AdHocJobs784CB64B').properties.ComputeResources.LaunchTemplate.LaunchTemplateId).toEqual({ Ref: 'AdHocJobsResourceImdsv2LaunchTemplate725EE45F' });
    expect(before.resources.filter((r) => r.logicalId.includes('Imdsv2LaunchTemplate'))).toEqual([]);
  });
});

describe('the migration app has every launch kind the checker reads', () => {
  test('every resource type of KINDS is in the app', () => {
    const types = new Set(before.resources.map((r) => r.type));
    expect(KINDS.map((k) => k.type).filter((t) => !types.has(t))).toEqual([]);
  });

  // A kind added to KINDS fails here until the app has a launch of it.
  test.each(KINDS.map((k) => k.type))('%s: IMDS001 without the aspect, IMDSv2 required with it', (type) => {
    const of = (s: Synthesized) => s.launches.filter((l) => l.type === type);
    expect(of(before).length).toBeGreaterThan(0);
    expect(of(before).filter((l) => !l.findings.some((f) => f.ruleId === 'IMDS001'))).toEqual([]);
    expect(of(after).map((l) => [l.constructPath, l.options.HttpTokens.value, l.findings.filter((f) => f.level === 'error')]))
      .toEqual(of(before).map((l) => [l.constructPath, 'required', []]));
  });
});
