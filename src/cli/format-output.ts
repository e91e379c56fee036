/**
 * CLI output: text for people, JSON for scripts, SARIF 2.1.0 for code-scanning tools.
 */
import * as path from 'path';
import { CheckResult, Finding, ReportValue } from '../checks/check';
import { findingJson } from '../checks/report';
import { RULES } from '../checks/rules';

/** The output formats of `cdk-imds check`. */
export const FORMATS = ['text', 'json', 'sarif'] as const;
export type Format = (typeof FORMATS)[number];

/** Render a result. */
export function formatResult(result: CheckResult, format: Format, version: string): string {
  switch (format) {
    case 'json':
      return json(result);
    case 'sarif':
      return JSON.stringify(sarif(result, version), undefined, 2) + '\n';
    default:
      return text(result);
  }
}

/**
 * The report (see `reportJson`) with the findings, printed by `JSON.stringify`. Built here rather
 * than from `reportJson` so that each finding's JSON object is made once for both lists it is in,
 * and the JSON of an effective value shared by many launches is made once.
 */
function json(result: CheckResult): string {
  const valueObjects = new Map<ReportValue, object>();
  const NONE: object[] = [];
  // Every finding is in the list of the launch it was found on, and the engine adds it to the
  // top-level list (findings or acknowledgements) at the same time: walking the launches in order
  // meets the findings of each top-level list in its order.
  const findingObjects: object[] = [];
  const findingSources: Finding[] = [];
  const ackObjects: object[] = [];
  const ackSources: Finding[] = [];
  const launches: object[] = [];
  for (let i = 0; i < result.launches.length; i++) {
    const l = result.launches[i];
    const options: Record<string, object> = {};
    for (let k = 0; k < l.values.length; k++) {
      const v = l.values[k];
      let o = valueObjects.get(v);
      if (o === undefined) {
        o = { value: v.values.join(' | '), source: v.sources.join(' | ') };
        valueObjects.set(v, o);
      }
      options[v.option] = o;
    }
    let findings = NONE;
    if (l.findings.length > 0) {
      findings = [];
      for (let k = 0; k < l.findings.length; k++) {
        const f = l.findings[k];
        const o = findingJson(f);
        findings.push(o);
        if (f.acknowledged) {
          ackObjects.push(o);
          ackSources.push(f);
        } else {
          findingObjects.push(o);
          findingSources.push(f);
        }
      }
    }
    launches.push({
      template: l.templatePath,
      stack: l.stackName,
      logicalId: l.logicalId,
      type: l.type,
      constructPath: l.constructPath,
      options,
      findings,
    });
  }
  let errors = 0;
  let warnings = 0;
  for (let i = 0; i < result.findings.length; i++) {
    const level = result.findings[i].level;
    if (level === 'error') errors++;
    else if (level === 'warning') warnings++;
  }
  const report = {
    version: 1,
    summary: { launches: result.launchCount, errors, warnings, acknowledged: result.acknowledged.length },
    launches,
    acknowledgements: sameFindings(ackSources, result.acknowledged) ? ackObjects : result.acknowledged.map(findingJson),
    findings: sameFindings(findingSources, result.findings) ? findingObjects : result.findings.map(findingJson),
  };
  return JSON.stringify(report, undefined, 2) + '\n';
}

/** Whether two lists hold the same findings in the same order. */
function sameFindings(a: readonly Finding[], b: readonly Finding[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function text(result: CheckResult): string {
  const lines: string[] = [];
  for (const f of result.findings) {
    lines.push(`${f.level === 'error' ? 'ERROR  ' : 'WARNING'} ${f.templatePath} ${f.constructPath ?? f.logicalId} (${f.propertyPath})`);
    lines.push(`        ${f.message}`);
  }
  for (const f of result.acknowledged) {
    lines.push(`ACKNOWLEDGED ${f.ruleId} ${f.templatePath} ${f.constructPath ?? f.logicalId}: ${f.acknowledged!.reason} (at ${f.acknowledged!.constructPath})`);
  }
  const errors = result.findings.filter((f) => f.level === 'error').length;
  lines.push(`${result.launchCount} launch(es) checked: ${errors} error(s), ${result.findings.length - errors} warning(s), ${result.acknowledged.length} acknowledged.`);
  return lines.join('\n') + '\n';
}

function uri(p: string): string {
  const rel = path.isAbsolute(p) ? path.relative(process.cwd(), p) : p;
  return rel.split(path.sep).join('/');
}

function sarif(result: CheckResult, version: string): object {
  const index = new Map(RULES.map((r, i) => [r.id, i]));
  const result1 = (f: Finding) => ({
    ruleId: f.ruleId,
    ruleIndex: index.get(f.ruleId),
    level: f.level,
    message: { text: f.message },
    locations: [
      {
        physicalLocation: { artifactLocation: { uri: uri(f.templatePath) } },
        logicalLocations: [{ name: f.logicalId, fullyQualifiedName: `${f.logicalId}/${f.propertyPath}`, kind: 'resource' }],
      },
    ],
    properties: { propertyPath: f.propertyPath, constructPath: f.constructPath },
    ...(f.acknowledged ? { suppressions: [{ kind: 'external', justification: f.acknowledged.reason }] } : {}),
  });
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'cdk-imds',
            version,
            informationUri: 'https://github.com/cdk-imds/cdk-imds',
            rules: RULES.map((r) => ({
              id: r.id,
              name: r.title.split(/[^A-Za-z0-9]+/).filter((w) => w).map((w) => w[0].toUpperCase() + w.slice(1)).join(''),
              shortDescription: { text: r.title },
              fullDescription: { text: `Catches ${r.catches}.` },
              help: { text: `Fix: ${r.fix}. Example: ${r.example}` },
              defaultConfiguration: { level: r.level },
            })),
          },
        },
        results: [...result.findings, ...result.acknowledged].map(result1),
      },
    ],
  };
}
