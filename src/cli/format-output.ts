/**
 * CLI output: text for people, JSON for scripts, SARIF 2.1.0 for code-scanning tools.
 */
import * as path from 'path';
import type { SourcePositions } from './positions';
import { INVALID_ACKNOWLEDGEMENT, acknowledgeHint } from '../checks/acknowledgements';
import { AmiReport, CheckResult, Finding, ReportValue } from '../checks/check';
import { amiJson, findingJson } from '../checks/report';
import { RULES } from '../checks/rules';

/** The output formats of `cdk-imds check`. */
export const FORMATS = ['text', 'json', 'sarif'] as const;
export type Format = (typeof FORMATS)[number];

/**
 * Render a result. SARIF results get the region of each finding's property when `positions` is
 * given.
 */
export function formatResult(result: CheckResult, format: Format, version: string, positions?: SourcePositions): string {
  if (format === 'json') {
    const parts: string[] = [];
    writeJson(result, (s) => parts.push(s));
    return parts.join('');
  }
  return format === 'sarif' ? JSON.stringify(sarif(result, version, positions), undefined, 2) + '\n' : text(result);
}

/**
 * The rule catalogue, for `cdk-imds rules`: in text one block per rule (ID, level and title on one
 * line, the fix below), in JSON a list of objects.
 */
export function formatRules(format: 'text' | 'json'): string {
  if (format === 'json') {
    return JSON.stringify(RULES.map((r) => ({ id: r.id, level: r.level, title: r.title, catches: r.catches, fix: r.fix })), undefined, 2) + '\n';
  }
  const idWidth = Math.max(2, ...RULES.map((r) => r.id.length));
  const levelWidth = Math.max(5, ...RULES.map((r) => r.level.length));
  const indent = ' '.repeat(idWidth + levelWidth + 4);
  const lines = [`${'ID'.padEnd(idWidth)}  ${'LEVEL'.padEnd(levelWidth)}  TITLE`];
  for (const r of RULES) {
    lines.push(`${r.id.padEnd(idWidth)}  ${r.level.padEnd(levelWidth)}  ${r.title}`);
    lines.push(`${indent}Fix: ${r.fix}.`);
  }
  lines.push(`${RULES.length} rules.`);
  return lines.join('\n') + '\n';
}

/**
 * Render a result and hand it to `write` in pieces whose concatenation is `formatResult`'s text.
 * The JSON output of a large run is megabytes: written a few launches at a time, it is never held
 * whole in memory.
 */
export function writeResult(result: CheckResult, format: Format, version: string, write: (s: string) => void, positions?: SourcePositions): void {
  if (format === 'json') writeJson(result, write);
  else write(formatResult(result, format, version, positions));
}

/** How many list items `JSON.stringify` renders at a time. */
const JSON_BATCH = 64;

/**
 * The report (see `reportJson`) with the findings, as `JSON.stringify(report, undefined, 2)` prints
 * it, written a batch of list items at a time. Built here rather than from `reportJson` so that
 * each finding's JSON object is made once for both lists it is in, and the JSON of an effective
 * value shared by many launches is made once.
 */
function writeJson(result: CheckResult, write: (s: string) => void): void {
  let errors = 0;
  let warnings = 0;
  for (let i = 0; i < result.findings.length; i++) {
    const level = result.findings[i].level;
    if (level === 'error') errors++;
    else if (level === 'warning') warnings++;
  }
  const summary = { launches: result.launchCount, errors, warnings, acknowledged: result.acknowledged.length };
  const head = JSON.stringify({ version: 1, summary }, undefined, 2);
  // Everything but the closing brace: the lists follow.
  write(head.slice(0, head.length - 2) + ',\n');

  const valueObjects = new Map<ReportValue, object>();
  const amiObjects = new Map<readonly AmiReport[], object[]>();
  const NONE: object[] = [];
  // Every finding is in the list of the launch it was found on, and the engine adds it to the
  // top-level list (findings or acknowledgements) at the same time: walking the launches in order
  // meets the findings of each top-level list in its order.
  const findingObjects: object[] = [];
  const findingSources: Finding[] = [];
  const ackObjects: object[] = [];
  const ackSources: Finding[] = [];
  const launches = new JsonList('launches', write);
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
    let amis = amiObjects.get(l.amis);
    if (amis === undefined) amiObjects.set(l.amis, (amis = l.amis.map(amiJson)));
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
    launches.add({
      template: l.templatePath,
      stack: l.stackName,
      logicalId: l.logicalId,
      type: l.type,
      constructPath: l.constructPath,
      options,
      amis,
      findings,
    });
  }
  launches.end(',\n');
  const acks = new JsonList('acknowledgements', write);
  for (const o of sameFindings(ackSources, result.acknowledged) ? ackObjects : result.acknowledged.map(findingJson)) acks.add(o);
  acks.end(',\n');
  const all = new JsonList('findings', write);
  for (const o of sameFindings(findingSources, result.findings) ? findingObjects : result.findings.map(findingJson)) all.add(o);
  all.end('\n}\n');
}

/**
 * A list of the report's top level, `  "name": [...]`, rendered by `JSON.stringify` a batch of items
 * at a time: each batch is printed inside an object of the same depth, so it gets the same
 * indentation, and the batches are joined the way `JSON.stringify` joins list items.
 */
class JsonList {
  private batch: object[] = [];
  private written = 0;

  constructor(private readonly name: string, private readonly write: (s: string) => void) {}

  public add(item: object): void {
    this.batch.push(item);
    if (this.batch.length === JSON_BATCH) this.flush();
  }

  /** Close the list and write `after`. */
  public end(after: string): void {
    if (this.written === 0 && this.batch.length === 0) {
      this.write(`  ${JSON.stringify(this.name)}: []${after}`);
      return;
    }
    this.flush();
    this.write(`\n  ]${after}`);
  }

  private flush(): void {
    if (this.batch.length === 0) return;
    // `{\n  "k": [\n` + items at the depth of the report's lists + `\n  ]\n}`
    const s = JSON.stringify({ k: this.batch }, undefined, 2);
    const items = s.slice(11, s.length - 6);
    this.write(this.written === 0 ? `  ${JSON.stringify(this.name)}: [\n${items}` : `,\n${items}`);
    this.written += this.batch.length;
    this.batch = [];
  }
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
    if (f.ruleId !== INVALID_ACKNOWLEDGEMENT) lines.push(`        ${acknowledgeHint(f.ruleId, f.level, f.constructPath ? 'cdk' : 'template')}`);
  }
  for (const f of result.acknowledged) {
    lines.push(`ACKNOWLEDGED ${f.ruleId} ${f.templatePath} ${f.constructPath ?? f.logicalId}: ${f.acknowledged!.reason} (at ${f.acknowledged!.constructPath})`);
  }
  const errors = result.findings.filter((f) => f.level === 'error').length;
  lines.push(`${result.launchCount} launch(es) checked: ${errors} error(s), ${result.findings.length - errors} warning(s), ${result.acknowledged.length} acknowledged.`);
  return lines.join('\n') + '\n';
}

/** A finding's physical location: its template file, and the region of its property there when it is found. */
function region(f: Finding, positions: SourcePositions | undefined): object {
  const artifactLocation = { uri: uri(f.templatePath) };
  const r = positions?.region(f.templatePath, f.logicalId, f.propertyPath);
  return r ? { artifactLocation, region: r } : { artifactLocation };
}

function uri(p: string): string {
  const rel = path.isAbsolute(p) ? path.relative(process.cwd(), p) : p;
  return rel.split(path.sep).join('/');
}

function sarif(result: CheckResult, version: string, positions: SourcePositions | undefined): object {
  const index = new Map(RULES.map((r, i) => [r.id, i]));
  const result1 = (f: Finding) => ({
    ruleId: f.ruleId,
    ruleIndex: index.get(f.ruleId),
    level: f.level,
    message: { text: f.message },
    locations: [
      {
        physicalLocation: region(f, positions),
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
