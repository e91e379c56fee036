import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { acknowledgeHint, acknowledgementIdProblem, ruleIdOf } from '../../src/checks/acknowledgements';
import { runChecks } from '../../src/checks/check';
import { reportJson, reportMarkdown } from '../../src/checks/report';
import { run } from '../cli/run-cli';

const KNOWN = 'Known IDs: IMDS001, IMDS002, IMDS003, IMDS004, IMDS005, IMDS006, IMDS007, IMDS008, IMDS009, IMDS010, IMDS011, IMDS012.';
const IMDS001_WEB = 'IMDS001: AWS::EC2::Instance Web does not require IMDSv2: HttpTokens is "optional" (the AWS default, as nothing sets it). Set HttpTokens to "required" at Web Properties/MetadataOptions.';

/** A plain (non-CDK) template: an instance that leaves HttpTokens out (IMDS001), with the given Metadata. */
function instance(metadata?: unknown, extra: Record<string, unknown> = {}): object {
  return { Resources: { Web: { Type: 'AWS::EC2::Instance', ...(metadata ? { Metadata: metadata } : {}), Properties: { ImageId: 'ami-1', InstanceType: 't3.micro', ...extra } } } };
}

const acknowledge = (...entries: unknown[]) => ({ 'cdk-imds': { acknowledge: entries } });

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-imds-acks-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function file(name: string, template: object): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, JSON.stringify(template));
  return p;
}

describe('acknowledgements in a template\'s resource Metadata', () => {
  test('an acknowledged error is suppressed (as in cdk-nag) and listed with its reason', () => {
    const result = runChecks([{ path: 'web.json', template: instance(acknowledge({ id: 'IMDS001', reason: 'vendor agent reads IMDSv1; OPS-1234' })) }]);
    expect(result.findings).toEqual([]);
    expect(result.acknowledged.map((f) => [f.ruleId, f.message, f.acknowledged])).toEqual([
      [IMDS001_WEB.slice(0, 7), IMDS001_WEB, { ruleId: 'IMDS001', reason: 'vendor agent reads IMDSv1; OPS-1234', constructPath: 'Web', key: 'Metadata/cdk-imds/acknowledge/0' }],
    ]);
    expect(reportJson(result)).toMatchObject({ summary: { launches: 1, errors: 0, warnings: 0, acknowledged: 1 } });
    expect(reportMarkdown(result)).toMatch(/\| IMDS001 \| web\.json Web \| Web \| vendor agent reads IMDSv1; OPS-1234 \|/);
  });

  test('an acknowledged warning does not count as an open warning', () => {
    // IMDS008: the endpoint is off while the launch names a key pair.
    const template = instance(acknowledge({ id: 'IMDS008', reason: 'login through Session Manager only' }), { KeyName: 'ops', MetadataOptions: { HttpTokens: 'required', HttpEndpoint: 'disabled' } });
    const result = runChecks([{ path: 'web.json', template }]);
    expect(result.findings).toEqual([]);
    expect(result.acknowledged.map((f) => `${f.ruleId} ${f.level} ${f.acknowledged!.reason}`)).toEqual(['IMDS008 warning login through Session Manager only']);
    expect(reportJson(result)).toMatchObject({ summary: { errors: 0, warnings: 0, acknowledged: 1 } });
  });

  test('the plugin-qualified form cdk-imds::IMDS001 works too; acknowledging one rule leaves the others', () => {
    const template = instance(acknowledge({ id: 'cdk-imds::IMDS002', reason: 'r' }), { MetadataOptions: { HttpPutResponseHopLimit: 0 } });
    const result = runChecks([{ path: 'web.json', template }]);
    expect(result.findings.map((f) => f.ruleId)).toEqual(['IMDS001']);
    expect(result.acknowledged.map((f) => f.ruleId)).toEqual(['IMDS002']);
  });

  test.each([
    ['IMDS01', `the acknowledgement 'IMDS01' is not honoured: it is not a cdk-imds rule ID. ${KNOWN}`],
    ['cdk-imds:IMDS001', `the acknowledgement 'cdk-imds:IMDS001' is not honoured: it is not a cdk-imds rule ID. Did you mean 'IMDS001'? ${KNOWN}`],
    ['imds001', `the acknowledgement 'imds001' is not honoured: it is not a cdk-imds rule ID. Did you mean 'IMDS001'? ${KNOWN}`],
  ])('an unknown rule ID %p is reported, never ignored in silence, and the finding stays', (id, what) => {
    const result = runChecks([{ path: 'web.json', template: instance(acknowledge({ id, reason: 'some reason' })) }]);
    expect(result.findings.map((f) => [f.ruleId, f.level, f.message, f.logicalId, f.propertyPath])).toEqual([
      ['IMDS001', 'error', IMDS001_WEB, 'Web', 'Properties/MetadataOptions'],
      ['cdk-imds:invalidAcknowledgement', 'warning', `cdk-imds:invalidAcknowledgement: AWS::EC2::Instance Web Metadata/cdk-imds/acknowledge/0/id: ${what}`, 'Web', 'Metadata/cdk-imds/acknowledge/0/id'],
    ]);
    expect(result.acknowledged).toEqual([]);
  });

  test('an acknowledgement without a reason is not honoured: the finding says so and the acknowledgement is reported', () => {
    const result = runChecks([{ path: 'web.json', template: instance(acknowledge({ id: 'IMDS001' })) }]);
    expect(result.findings.map((f) => f.message)).toEqual([
      `${IMDS001_WEB} (the acknowledgement of IMDS001 at Web gives no reason, so it is not honoured: give a reason)`,
      'cdk-imds:invalidAcknowledgement: AWS::EC2::Instance Web Metadata/cdk-imds/acknowledge/0/reason: the acknowledgement of IMDS001 gives no reason, so it is not honoured: give a reason.',
    ]);
  });

  test.each([
    [{ 'cdk-imds': { ignore_checks: ['IMDS001'] } }, 'Metadata/cdk-imds/ignore_checks: \'ignore_checks\' is not honoured: it must be {"acknowledge": [{"id": "IMDS001", "reason": "..."}]}.'],
    [{ 'cdk-imds': { acknowledge: 'IMDS001' } }, 'Metadata/cdk-imds/acknowledge: the string "IMDS001" is not honoured: it must be {"acknowledge": [{"id": "IMDS001", "reason": "..."}]}.'],
    [{ 'cdk-imds': { acknowledge: [{ id: { Ref: 'Rule' }, reason: 'r' }] } }, `Metadata/cdk-imds/acknowledge/0/id: the ID is an intrinsic function (only literal values are read), so the acknowledgement is not honoured: it must be a rule ID, one of ${KNOWN.slice(11, -1)}.`],
    [{ 'cdk-imds': { acknowledge: [{ id: 'IMDS001', reason: 'r', until: '2027' }] } }, 'Metadata/cdk-imds/acknowledge/0/until: \'until\' is not honoured: an acknowledgement has only "id" and "reason".'],
  ])('a malformed section is reported: %j', (metadata, what) => {
    const result = runChecks([{ path: 'web.json', template: instance(metadata) }]);
    expect(result.findings.filter((f) => f.ruleId === 'cdk-imds:invalidAcknowledgement').map((f) => f.message)).toEqual([`cdk-imds:invalidAcknowledgement: AWS::EC2::Instance Web ${what}`]);
  });

  test('Metadata on a resource the launch uses (its launch template) acknowledges the launch\'s finding', () => {
    const template = {
      Resources: {
        Template: { Type: 'AWS::EC2::LaunchTemplate', Metadata: acknowledge({ id: 'IMDS001', reason: 'bake-off AMI' }), Properties: { LaunchTemplateData: { MetadataOptions: { HttpTokens: 'optional' } } } },
        Web: { Type: 'AWS::EC2::Instance', Properties: { ImageId: 'ami-1', LaunchTemplate: { LaunchTemplateId: { Ref: 'Template' }, Version: { 'Fn::GetAtt': ['Template', 'LatestVersionNumber'] } } } },
      },
    };
    const result = runChecks([{ path: 't.json', template }]);
    expect(result.findings).toEqual([]);
    expect(result.acknowledged.map((f) => `${f.ruleId} ${f.logicalId} ${f.acknowledged!.constructPath}`)).toEqual(['IMDS001 Template Template']);
  });
});

describe('the CLI and SARIF honour template acknowledgements with no option', () => {
  test('an acknowledged error: exit 0, listed as acknowledged, a SARIF suppression with the reason', () => {
    const p = file('acked.json', instance(acknowledge({ id: 'IMDS001', reason: 'vendor agent reads IMDSv1' })));
    const text = run(['check', p]);
    expect(text.code).toBe(0);
    expect(text.out).toBe(`ACKNOWLEDGED IMDS001 ${p} Web: vendor agent reads IMDSv1 (at Web)\n1 launch(es) checked: 0 error(s), 0 warning(s), 1 acknowledged.\n`);
    const sarif = run(['check', '--format', 'sarif', p]);
    expect(sarif.code).toBe(0);
    const results = JSON.parse(sarif.out).runs[0].results;
    expect(results.map((r: any) => [r.ruleId, r.level, r.suppressions])).toEqual([['IMDS001', 'error', [{ kind: 'external', justification: 'vendor agent reads IMDSv1' }]]]);
  });

  test('an unknown ID: the error stays (exit 1) and the acknowledgement is a warning in text and SARIF', () => {
    const p = file('typo.json', instance(acknowledge({ id: 'IMDS01', reason: 'vendor agent' })));
    const text = run(['check', p]);
    expect(text.code).toBe(1);
    expect(text.out).toContain(`WARNING ${p} Web (Metadata/cdk-imds/acknowledge/0/id)\n        cdk-imds:invalidAcknowledgement: AWS::EC2::Instance Web Metadata/cdk-imds/acknowledge/0/id: the acknowledgement 'IMDS01' is not honoured`);
    expect(text.out).toMatch(/1 launch\(es\) checked: 1 error\(s\), 1 warning\(s\), 0 acknowledged\.\n$/);
    const results = JSON.parse(run(['check', '--format', 'sarif', p]).out).runs[0].results;
    expect(results.map((r: any) => [r.ruleId, r.level, r.suppressions])).toEqual([['IMDS001', 'error', undefined], ['cdk-imds:invalidAcknowledgement', 'warning', undefined]]);
  });
});

describe('rule IDs of acknowledgements', () => {
  test('IMDS001, Annotation::IMDS001 and cdk-imds::IMDS001 name the rule; other namespaces do not', () => {
    expect(['IMDS001', 'Annotation::IMDS001', 'cdk-imds::IMDS001', 'Other::IMDS001', 'IMDS01'].map(ruleIdOf)).toEqual(['IMDS001', 'IMDS001', 'IMDS001', undefined, undefined]);
  });

  test('only IDs meant for cdk-imds are reported: other tools\' IDs and this library\'s construct warnings pass', () => {
    expect(acknowledgementIdProblem('Annotation::IMDS01')).toBe(`'IMDS01' is not a cdk-imds rule ID. ${KNOWN}`);
    expect(acknowledgementIdProblem('Annotation::cdk-imds:IMDS001')).toBe(`'cdk-imds:IMDS001' is not a cdk-imds rule ID. Did you mean 'IMDS001'? ${KNOWN}`);
    expect(acknowledgementIdProblem('cdk-imds::whatever')).toBe(`'whatever' is not a cdk-imds rule ID. ${KNOWN}`);
    expect(['CloudFormation-Validate::W3010', 'Annotation::@aws-cdk/aws-ec2:noSubnet', 'Annotation::cdk-imds:baselineChecksAlreadyAdded', 'cdk-imds::IMDS011'].map(acknowledgementIdProblem)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });

  test('the hint says how to acknowledge, per level and form', () => {
    expect(acknowledgeHint('IMDS001', 'error', 'cdk')).toBe("To accept it, call Validations.of(construct).acknowledge({ id: 'IMDS001', reason }).");
    expect(acknowledgeHint('IMDS011', 'warning', 'cdk')).toBe(
      "To accept it, call Validations.of(construct).acknowledge({ id: 'IMDS011', reason }) or Annotations.of(construct).acknowledgeWarning('IMDS011', reason).",
    );
    expect(acknowledgeHint('IMDS010', 'warning', 'template')).toBe('To accept it, add to the resource\'s Metadata {"cdk-imds": {"acknowledge": [{"id": "IMDS010", "reason": "..."}]}}.');
  });
});
