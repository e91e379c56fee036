import fc from 'fast-check';
import { cliTemplate } from '../../bench/cli-template';
import { AmiReport, CheckResult, Finding, LaunchReport, ReportValue, runChecks } from '../../src/checks/check';
import { findingJson, reportJson } from '../../src/checks/report';
import { formatResult, writeResult } from '../../src/cli/format-output';

/**
 * The CLI's JSON output is written piece by piece, without building the whole report object. It
 * must be, byte for byte, what `JSON.stringify` prints for the report with the findings added.
 */
const reference = (r: CheckResult) => JSON.stringify({ ...reportJson(r), findings: r.findings.map(findingJson) }, undefined, 2) + '\n';

const written = (r: CheckResult) => {
  const pieces: string[] = [];
  writeResult(r, 'json', '', (s) => pieces.push(s));
  return pieces;
};

// Strings with quotes, backslashes, control characters, non-ASCII and lone surrogates.
const text = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.constantFrom('', '"', '\\', '\n', '\u2028', '\ud800', 'IMDS001: "x" \\ y'));
const option = fc.constantFrom('HttpTokens', 'HttpPutResponseHopLimit', 'HttpEndpoint', 'HttpProtocolIpv6', 'InstanceMetadataTags');
const reportValue: fc.Arbitrary<ReportValue> = fc.record({
  option,
  values: fc.array(text, { maxLength: 3 }),
  sources: fc.array(fc.constantFrom('launch', 'account default', 'AMI', 'AWS default', 'service default'), { maxLength: 3 }),
}) as fc.Arbitrary<ReportValue>;
const ami: fc.Arbitrary<AmiReport> = fc.record(
  { ami: text, verdict: fc.constantFrom('requires IMDSv2', 'not known'), source: text },
  { requiredKeys: ['ami', 'verdict'] },
) as fc.Arbitrary<AmiReport>;
const finding: fc.Arbitrary<Finding> = fc.record(
  {
    ruleId: fc.constantFrom('IMDS001', 'IMDS010'),
    level: fc.constantFrom('error', 'warning'),
    message: text,
    templatePath: text,
    stackName: text,
    logicalId: text,
    propertyPath: text,
    constructPath: text,
    launchLogicalId: text,
    acknowledged: fc.record({ ruleId: text, reason: text, constructPath: text, key: text }),
  },
  { requiredKeys: ['ruleId', 'level', 'message', 'templatePath', 'stackName', 'logicalId', 'propertyPath', 'launchLogicalId'] },
) as fc.Arbitrary<Finding>;

const result: fc.Arbitrary<CheckResult> = fc
  .record({
    findings: fc.array(finding, { maxLength: 6 }),
    launches: fc.array(
      fc.record(
        {
          templatePath: fc.constantFrom('a.json', 'dir/"b".json'),
          stackName: text,
          logicalId: text,
          type: text,
          constructPath: text,
          // Several launches may share one value object, as launches of one launch template do;
          // an option may even come twice.
          values: fc.array(reportValue, { maxLength: 6 }),
          amis: fc.array(ami, { maxLength: 3 }),
          findings: fc.array(finding, { maxLength: 3 }),
        },
        { requiredKeys: ['templatePath', 'stackName', 'logicalId', 'type', 'values', 'amis', 'findings'] },
      ) as fc.Arbitrary<LaunchReport>,
      { maxLength: 8 },
    ),
  })
  .map(({ findings, launches }) => {
    const shared = launches.length > 0 ? launches[0] : undefined;
    // Launches may share one AMI list too.
    const rows = launches.map((l, i) => (shared && i % 2 === 1 ? { ...l, values: shared.values, amis: shared.amis } : l));
    const all = [...findings, ...rows.flatMap((l) => l.findings)];
    return {
      findings: all.filter((f) => !f.acknowledged),
      acknowledged: all.filter((f) => f.acknowledged),
      launches: rows,
      launchCount: rows.length,
      problems: [],
      templatesWithoutResources: [],
    };
  });

describe('JSON output', () => {
  test('is what JSON.stringify prints, for any report', () => {
    fc.assert(
      fc.property(result, (r) => {
        expect(formatResult(r, 'json', '')).toBe(reference(r));
      }),
      { numRuns: 500 },
    );
  });

  test('of a run with no launch and no finding', () => {
    const empty: CheckResult = { findings: [], acknowledged: [], launches: [], launchCount: 0, problems: [], templatesWithoutResources: [] };
    expect(formatResult(empty, 'json', '')).toBe(reference(empty));
    expect(JSON.parse(formatResult(empty, 'json', ''))).toEqual({
      version: 1,
      summary: { launches: 0, errors: 0, warnings: 0, acknowledged: 0 },
      launches: [],
      acknowledgements: [],
      findings: [],
    });
  });

  test('of a large run: the same text, written a few launches at a time', () => {
    const r = runChecks([{ path: 'units.json', template: cliTemplate(2000), stackName: 'Units' }]);
    expect(r.launches.length).toBeGreaterThan(900);
    expect(r.findings.length).toBeGreaterThan(500);
    const pieces = written(r);
    expect(pieces.join('')).toBe(reference(r));
    // Never the whole output at once: no piece is more than a tenth of it.
    const total = pieces.reduce((n, p) => n + p.length, 0);
    expect(pieces.length).toBeGreaterThan(20);
    for (const p of pieces) expect(p.length).toBeLessThan(total / 10);
  });
});
