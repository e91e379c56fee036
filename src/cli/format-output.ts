/**
 * CLI output: text for people, JSON for scripts, SARIF 2.1.0 for code-scanning tools.
 */
import * as path from 'path';
import { CheckResult, Finding } from '../checks/check';
import { findingJson, reportJson } from '../checks/report';
import { RULES } from '../checks/rules';

/** The output formats of `cdk-imds check`. */
export const FORMATS = ['text', 'json', 'sarif'] as const;
export type Format = (typeof FORMATS)[number];

/** Render a result. */
export function formatResult(result: CheckResult, format: Format, version: string): string {
  switch (format) {
    case 'json':
      return JSON.stringify({ ...reportJson(result), findings: result.findings.map(findingJson) }, undefined, 2) + '\n';
    case 'sarif':
      return JSON.stringify(sarif(result, version), undefined, 2) + '\n';
    default:
      return text(result);
  }
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
