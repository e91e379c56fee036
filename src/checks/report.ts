/**
 * The effective-options report: `imds-report.json` and `imds-report.md`.
 *
 * One row per launch with the five effective values, the source of each, the AMIs it may start
 * (whether each is known to require IMDSv2, and the AWS page that says so), its findings and the
 * acknowledgements that silenced findings.
 */
import { AmiReport, CheckResult, Finding } from './check';

/** File names of the report in the output folder. */
export const REPORT_JSON = 'imds-report.json';
export const REPORT_MARKDOWN = 'imds-report.md';

/** The report as JSON (stable field names, for pipelines). */
export function reportJson(result: CheckResult): object {
  return {
    version: 1,
    summary: {
      launches: result.launchCount,
      errors: result.findings.filter((f) => f.level === 'error').length,
      warnings: result.findings.filter((f) => f.level === 'warning').length,
      acknowledged: result.acknowledged.length,
    },
    launches: result.launches.map((l) => ({
      template: l.templatePath,
      stack: l.stackName,
      logicalId: l.logicalId,
      type: l.type,
      constructPath: l.constructPath,
      options: Object.fromEntries(l.values.map((v) => [v.option, { value: v.values.join(' | '), source: v.sources.join(' | ') }])),
      amis: l.amis.map(amiJson),
      findings: l.findings.map(findingJson),
    })),
    acknowledgements: result.acknowledged.map(findingJson),
  };
}

/** An AMI of a launch as JSON: `{ ami, verdict, source }` (`source` only for `requires IMDSv2`). */
export function amiJson(a: AmiReport): object {
  return { ami: a.ami, verdict: a.verdict, source: a.source };
}

/** The AMIs of a launch in one Markdown cell: `AMI ami-1: not known`. */
function amiCell(amis: readonly AmiReport[]): string {
  if (amis.length === 0) return 'none named';
  return amis.map((a) => `${a.ami}: ${a.verdict}${a.source ? ` ([source](${a.source}))` : ''}`).join('; ');
}

/** A finding as JSON, as the report and the CLI's JSON output give it. */
export function findingJson(f: Finding): object {
  return {
    ruleId: f.ruleId,
    level: f.level,
    message: f.message,
    template: f.templatePath,
    logicalId: f.logicalId,
    propertyPath: f.propertyPath,
    constructPath: f.constructPath,
    acknowledged: f.acknowledged ? { reason: f.acknowledged.reason, at: f.acknowledged.constructPath, key: f.acknowledged.key } : undefined,
  };
}

/** The report as Markdown. */
export function reportMarkdown(result: CheckResult): string {
  const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const lines: string[] = [];
  lines.push('# Instance metadata options report', '');
  const errors = result.findings.filter((f) => f.level === 'error').length;
  const warnings = result.findings.length - errors;
  lines.push(`${result.launchCount} launch(es), ${errors} error(s), ${warnings} warning(s), ${result.acknowledged.length} acknowledged.`, '');
  lines.push('| Stack | Launch | Type | HttpTokens | HttpPutResponseHopLimit | HttpEndpoint | HttpProtocolIpv6 | InstanceMetadataTags | AMI | Findings |');
  lines.push('|---|---|---|---|---|---|---|---|---|---|');
  for (const l of result.launches) {
    const values = l.values.map((v) => cell(`${v.values.join(' or ')} (${v.sources.join(', ')})`));
    const findings = l.findings.map((f) => `${f.ruleId}${f.acknowledged ? ' (acknowledged)' : ` ${f.level}`}`).join(', ') || 'none';
    lines.push(`| ${cell(l.stackName)} | ${cell(l.constructPath ?? l.logicalId)} | ${l.type} | ${values.join(' | ')} | ${cell(amiCell(l.amis))} | ${cell(findings)} |`);
  }
  if (result.findings.length > 0) {
    lines.push('', '## Findings', '');
    for (const f of result.findings) lines.push(`- **${f.level}** ${cell(f.constructPath ?? `${f.stackName} ${f.logicalId}`)}: ${cell(f.message)}`);
  }
  if (result.acknowledged.length > 0) {
    lines.push('', '## Acknowledgements', '');
    lines.push('| Rule | Resource | Acknowledged at | Reason |', '|---|---|---|---|');
    for (const f of result.acknowledged) {
      lines.push(`| ${f.ruleId} | ${cell(f.constructPath ?? `${f.stackName} ${f.logicalId}`)} | ${cell(f.acknowledged!.constructPath)} | ${cell(f.acknowledged!.reason)} |`);
    }
  }
  return lines.join('\n') + '\n';
}
