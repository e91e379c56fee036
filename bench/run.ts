/**
 * The checker's benchmark (`npx projen bench`; the Performance section of the README describes it).
 *
 * 1. Synthesizes apps of 500, 2,000 and 8,000 launches (see `workload.ts`) in one run without
 *    checks, with `ImdsChecks`, with cdk-nag 3 limited to `EC2IMDSv2Enabled` (see
 *    `cdk-nag-imds-pack.ts`) and, for information, with `ImdsValidationPlugin`. Every synthesis
 *    runs in a fresh child process (`synth-child.ts`); modes are interleaved within each
 *    repetition, in a rotating order, so that a change of machine load hits all of them alike.
 * 2. Times the `cdk-imds check` CLI on a JSON template of 10,000 resources (`cli-template.ts`)
 *    against a bare `node -e` that reads and `JSON.parse`s the same file.
 * 3. Prints the medians and the ratios, writes them to bench/results/, and exits 1 when a target
 *    is missed (2 when the benchmark itself cannot run).
 *
 * Synthesis targets compare CPU time (user + system), which other load on a shared machine
 * disturbs far less than wall clock; the CLI target compares wall clock (the CLI collects garbage
 * on helper threads, the bare parse hardly allocates); both are always shown. aws-cdk-lib's built-in CloudFormation validation is turned
 * off (`CDK_VALIDATION=false`) in every mode: it takes about 80% of a synthesis here, is the same in
 * every mode, and would hide the cost of the checks behind its own.
 *
 * Options: --sizes 500,2000,8000  --reps 5  --target-reps 15  --cli-reps 31  --cli-resources 10000
 *
 * The size the overhead targets are judged at (2,000 launches) gets `--target-reps` repetitions:
 * on a shared 2-core machine the runs of one cell spread by 30% or more, far more than the few
 * percent being compared, and 5 repetitions then decide a target by chance.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Density, cliTemplate } from './cli-template';
import { BARE_PARSE, BenchError, MODES, Mode, SynthResult, TARGETS, checkBuild, median, parseArgs, synthChild } from './common';

const ROOT = path.resolve(__dirname, '..');
const RESULTS = path.join(ROOT, 'bench', 'results');
/** The CLI as installed: the package's `cdk-imds` bin. */
const CLI = path.join(ROOT, 'lib', 'cli', 'cdk-imds.js');

const MODE_LABEL: Record<Mode, string> = {
  'none': 'no checks',
  'imds-checks': 'ImdsChecks',
  'cdk-nag': 'cdk-nag EC2IMDSv2Enabled',
  'imds-plugin': 'ImdsValidationPlugin',
};

interface Options {
  readonly sizes: number[];
  readonly reps: number;
  /** Repetitions at the size the overhead targets are judged at. */
  readonly targetReps: number;
  readonly cliReps: number;
  readonly cliResources: number;
}

interface TargetRow {
  readonly name: string;
  readonly measured: string;
  readonly limit: string;
  readonly pass: boolean;
}

function options(): Options {
  const args = parseArgs(process.argv.slice(2), []);
  const known = ['sizes', 'reps', 'target-reps', 'cli-reps', 'cli-resources'];
  for (const k of Object.keys(args)) if (!known.includes(k)) throw new BenchError(`unknown option --${k}: use ${known.map((n) => '--' + n).join(', ')}.`);
  const sizes = (args.sizes ?? '500,2000,8000').split(',').map((s) => Number(s.trim()));
  for (const s of sizes) if (!Number.isInteger(s) || s < 1) throw new BenchError(`--sizes has ${s}: give whole numbers of launches, e.g. 500,2000,8000.`);
  const whole = (name: string, value: string | undefined, dflt: number, min: number): number => {
    const n = value === undefined ? dflt : Number(value);
    if (!Number.isInteger(n) || n < min) throw new BenchError(`--${name} is ${value}: it must be a whole number of at least ${min}.`);
    return n;
  };
  return {
    sizes,
    reps: whole('reps', args.reps, 5, 1),
    targetReps: whole('target-reps', args['target-reps'], 15, 1),
    cliReps: whole('cli-reps', args['cli-reps'], 31, 1),
    cliResources: whole('cli-resources', args['cli-resources'], 10000, 10),
  };
}

function synthOnce(launches: number, mode: Mode, tmp: string): SynthResult {
  const outdir = fs.mkdtempSync(path.join(tmp, `synth-${launches}-${mode}-`));
  try {
    const { args, env } = synthChild(ROOT, launches, mode, outdir);
    const child = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, env: { ...process.env, ...env } });
    const line = child.stdout.trim().split('\n').pop() ?? '';
    if (child.status !== 0 || !line.startsWith('{')) {
      const why = (child.stderr || '').trim().split('\n').slice(-3).join(' | ');
      throw new BenchError(`synthesis of ${launches} launches (${mode}) failed with exit ${child.status ?? child.signal}: ${why}`);
    }
    return JSON.parse(line) as SynthResult;
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

interface ProcessTime {
  readonly wallMs: number;
  readonly cpuMs: number;
}

/** Prints the process's CPU time (user + system, all threads) to stderr when it exits. */
const CPU_PROBE = `process.on('exit', () => {
  const u = process.cpuUsage();
  require('fs').writeSync(2, '\\nBENCH_CPU_MS=' + (u.user + u.system) / 1000 + '\\n');
});
`;

function timeProcess(probe: string, args: string[], okStatuses: number[], what: string): ProcessTime {
  const start = process.hrtime.bigint();
  const child = spawnSync(process.execPath, ['-r', probe, ...args], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  if (child.status === null || !okStatuses.includes(child.status)) {
    throw new BenchError(`${what} exited ${child.status ?? child.signal}: ${(child.stderr || '').trim().split('\n').slice(-3).join(' | ')}`);
  }
  const m = /BENCH_CPU_MS=([\d.]+)\s*$/.exec(child.stderr || '');
  if (!m) throw new BenchError(`${what}: its CPU time was not reported`);
  return { wallMs, cpuMs: Number(m[1]) };
}

function fmtMs(ms: number): string {
  return ms >= 10000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}

function pct(x: number): string {
  return `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}%`;
}

const DENSITIES: readonly Density[] = ['dense', 'typical'];
const DENSITY_LABEL: Record<Density, string> = {
  dense: 'launch-dense (half the resources are launches): the target',
  typical: 'typical (one resource in ten is a launch): for information',
};

interface CliRun {
  readonly density: Density;
  readonly templateBytes: number;
  readonly launches: number;
  readonly findings: number;
  readonly parse: ProcessTime[];
  readonly cli: ProcessTime[];
}

const cpuOf = (xs: readonly ProcessTime[]) => xs.map((x) => x.cpuMs);
const wallOf = (xs: readonly ProcessTime[]) => xs.map((x) => x.wallMs);
const cliRatio = (c: CliRun, of: (xs: readonly ProcessTime[]) => number[] = cpuOf) => median(of(c.cli)) / median(of(c.parse));

/** Time the CLI and the bare parse on one template, alternating; first prove the CLI reads it. */
function benchCli(density: Density, opts: Options, tmp: string, probe: string): CliRun {
  const templateFile = path.join(tmp, `template-${opts.cliResources}-${density}.json`);
  fs.writeFileSync(templateFile, JSON.stringify(cliTemplate(opts.cliResources, density), undefined, 1));
  const templateBytes = fs.statSync(templateFile).size;
  const verify = spawnSync(process.execPath, [CLI, 'check', '--format', 'json', templateFile], { cwd: ROOT, encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
  if (verify.status !== 1) {
    const why = (verify.stderr || '').trim().split('\n').slice(-3).join(' | ');
    throw new BenchError(`cdk-imds check on the ${density} ${opts.cliResources}-resource template exited ${verify.status}, expected 1 (it holds error findings): ${why}`);
  }
  let output: { summary?: { launches?: unknown } };
  try {
    output = JSON.parse(verify.stdout);
  } catch {
    throw new BenchError('cdk-imds check --format json did not print JSON');
  }
  const findings = countFindings(output);
  if (findings === 0) throw new BenchError(`cdk-imds check --format json reported no findings on the ${density} template, which holds many`);
  const launches = typeof output.summary?.launches === 'number' ? output.summary.launches : NaN;
  const parse: ProcessTime[] = [];
  const cli: ProcessTime[] = [];
  for (let i = 0; i < opts.cliReps; i++) {
    parse.push(timeProcess(probe, ['-e', BARE_PARSE, templateFile], [0], 'node -e JSON.parse'));
    cli.push(timeProcess(probe, [CLI, 'check', '--format', 'json', templateFile], [1], 'cdk-imds check'));
  }
  return { density, templateBytes, launches, findings, parse, cli };
}

function main(): number {
  const opts = options();
  checkBuild(ROOT);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-imds-bench-'));
  const started = new Date();
  const loadBefore = os.loadavg();
  const log = (s: string) => process.stderr.write(s + '\n');

  try {
    // --- synthesis ---------------------------------------------------------------------------
    const runs: SynthResult[] = [];
    log(`warm-up: ${Math.min(...opts.sizes)} launches, no checks (not counted)`);
    synthOnce(Math.min(...opts.sizes), 'none', tmp);
    const repsAt = (size: number) => (size === TARGETS.overheadAt ? opts.targetReps : opts.reps);
    const maxReps = Math.max(...opts.sizes.map(repsAt));
    for (let rep = 0; rep < maxReps; rep++) {
      for (const size of opts.sizes) {
        if (rep >= repsAt(size)) continue;
        const order = MODES.map((_, i) => MODES[(i + rep) % MODES.length]);
        for (const mode of order) {
          const r = synthOnce(size, mode, tmp);
          runs.push(r);
          log(`rep ${rep + 1}/${repsAt(size)}  ${String(size).padStart(5)} launches  ${mode.padEnd(11)}  cpu ${fmtMs(r.cpuMs).padStart(8)}  wall ${fmtMs(r.totalMs).padStart(8)}  findings ${r.findings}`);
        }
      }
    }
    const cell = (size: number, mode: Mode) => runs.filter((r) => r.launches === size && r.mode === mode);
    const med = (size: number, mode: Mode, key: 'cpuMs' | 'totalMs' | 'buildMs' | 'synthMs' = 'cpuMs') => median(cell(size, mode).map((r) => r[key]));
    const overhead = (size: number, mode: Mode, key: 'cpuMs' | 'totalMs' = 'cpuMs') => (med(size, mode, key) - med(size, 'none', key)) / med(size, 'none', key);

    // --- CLI ---------------------------------------------------------------------------------
    const probe = path.join(tmp, 'cpu-probe.js');
    fs.writeFileSync(probe, CPU_PROBE);
    const cliRuns = DENSITIES.map((density) => benchCli(density, opts, tmp, probe));
    for (const c of cliRuns) log(`CLI (${c.density}): ${opts.cliReps} runs each, parse cpu ${fmtMs(median(cpuOf(c.parse)))}, check cpu ${fmtMs(median(cpuOf(c.cli)))}`);

    // --- table and targets ---------------------------------------------------------------------
    const lines: string[] = [];
    const sizes = opts.sizes;
    const both = (size: number, mode: Mode) => `${fmtMs(med(size, mode))} (${fmtMs(med(size, mode, 'totalMs'))})`;
    lines.push('# cdk-imds benchmark', '');
    lines.push(
      `${started.toISOString()} · node ${process.version} · ${os.cpus().length} CPUs · load average ` +
        `${loadBefore.map((l) => l.toFixed(1)).join(' ')} at start, ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} at end`,
    );
    lines.push(
      `Medians of ${opts.reps} runs per cell (${opts.targetReps} at ${TARGETS.overheadAt} launches, where the overhead targets are judged), ` +
        'each in a fresh process, modes interleaved. Time = building the app + `app.synth()` ' +
        'with the CDK CLI\'s context; modules preloaded; aws-cdk-lib\'s built-in CloudFormation validation off in every mode. ' +
        'Each cell: CPU time (wall clock). Synthesis targets use CPU time, which other load on the machine disturbs less than wall clock.',
      '',
    );
    lines.push('## Synthesis', '');
    const others = MODES.filter((m) => m !== 'none');
    lines.push(`| launches | stacks | ${MODES.map((m) => MODE_LABEL[m]).join(' | ')} | ${others.map((m) => `${MODE_LABEL[m]} overhead`).join(' | ')} | IMDS001 / cdk-nag findings |`);
    lines.push(`|---:|---:|${MODES.map(() => '---:').join('|')}|${others.map(() => '---:').join('|')}|---:|`);
    for (const size of sizes) {
      const first = (mode: Mode) => cell(size, mode)[0];
      lines.push(
        `| ${size} | ${first('none').stacks} | ${MODES.map((m) => both(size, m)).join(' | ')} ` +
          `| ${others.map((m) => `${pct(overhead(size, m))} (${pct(overhead(size, m, 'totalMs'))})`).join(' | ')} ` +
          `| ${first('imds-checks').findings} / ${first('cdk-nag').findings} |`,
      );
    }
    lines.push('', 'Build + synth, wall clock (medians):', '');
    lines.push('| launches | ' + MODES.map((m) => MODE_LABEL[m]).join(' | ') + ' |');
    lines.push('|---:|' + MODES.map(() => '---:').join('|') + '|');
    for (const size of sizes) lines.push(`| ${size} | ` + MODES.map((m) => `${fmtMs(med(size, m, 'buildMs'))} + ${fmtMs(med(size, m, 'synthMs'))}`).join(' | ') + ' |');

    lines.push('', 'Spread of the CPU times (min – max) and the overheads of the fastest runs, the least disturbed by other load:', '');
    lines.push('| launches | ' + MODES.map((m) => MODE_LABEL[m]).join(' | ') + ' | ' + others.map((m) => `${MODE_LABEL[m]} overhead (min)`).join(' | ') + ' |');
    lines.push('|---:|' + MODES.map(() => '---:').join('|') + '|' + others.map(() => '---:').join('|') + '|');
    for (const size of sizes) {
      const lo = (m: Mode) => Math.min(...cell(size, m).map((r) => r.cpuMs));
      const hi = (m: Mode) => Math.max(...cell(size, m).map((r) => r.cpuMs));
      lines.push(
        `| ${size} | ` + MODES.map((m) => `${fmtMs(lo(m))} – ${fmtMs(hi(m))}`).join(' | ') + ' | ' + others.map((m) => pct((lo(m) - lo('none')) / lo('none'))).join(' | ') + ' |',
      );
    }

    lines.push('', `## CLI (medians of ${opts.cliReps})`, '');
    lines.push(
      `\`cdk-imds check --format json\` and \`node -e\` reading and \`JSON.parse\`-ing the same template of ${opts.cliResources} resources, ` +
        'alternating. The target compares wall clock: the CLI collects garbage on helper threads, so its CPU time exceeds the time it takes.',
      '',
    );
    lines.push('| template | size | launches | findings | `node -e` JSON.parse: CPU (wall) | `cdk-imds check`: CPU (wall) | ratio: CPU (wall) |', '|---|---:|---:|---:|---:|---:|---:|');
    for (const c of cliRuns) {
      lines.push(
        `| ${DENSITY_LABEL[c.density]} | ${(c.templateBytes / 1024 / 1024).toFixed(1)} MB | ${c.launches} | ${c.findings} ` +
          `| ${fmtMs(median(cpuOf(c.parse)))} (${fmtMs(median(wallOf(c.parse)))}) | ${fmtMs(median(cpuOf(c.cli)))} (${fmtMs(median(wallOf(c.cli)))}) ` +
          `| ${cliRatio(c).toFixed(2)}x (${cliRatio(c, wallOf).toFixed(2)}x) |`,
      );
    }

    const targets: TargetRow[] = [];
    const has = (s: number) => sizes.includes(s);
    if (has(TARGETS.overheadAt)) {
      const s = TARGETS.overheadAt;
      const imdsOver = overhead(s, 'imds-checks');
      const nagOver = overhead(s, 'cdk-nag');
      targets.push({
        name: `ImdsChecks overhead at ${s} launches (wall clock: ${pct(overhead(s, 'imds-checks', 'totalMs'))})`,
        measured: pct(imdsOver),
        limit: `≤ ${pct(TARGETS.maxOverhead)}`,
        pass: imdsOver <= TARGETS.maxOverhead,
      });
      targets.push({ name: `ImdsChecks overhead below cdk-nag's at ${s} launches`, measured: `${pct(imdsOver)} vs ${pct(nagOver)}`, limit: '<', pass: imdsOver < nagOver });
    }
    if (has(TARGETS.scaleFrom) && has(TARGETS.scaleTo)) {
      const scale = (mode: Mode, key: 'cpuMs' | 'totalMs' = 'cpuMs') => med(TARGETS.scaleTo, mode, key) / med(TARGETS.scaleFrom, mode, key);
      targets.push({
        name: `time(${TARGETS.scaleTo}) / time(${TARGETS.scaleFrom}) with ImdsChecks (wall clock: ${scale('imds-checks', 'totalMs').toFixed(2)}x; no checks: ${scale('none').toFixed(2)}x)`,
        measured: `${scale('imds-checks').toFixed(2)}x`,
        limit: `≤ ${TARGETS.maxScale}x`,
        pass: scale('imds-checks') <= TARGETS.maxScale,
      });
    }
    const dense = cliRuns.find((c) => c.density === 'dense')!;
    // Wall clock here: the CLI collects garbage on helper threads, so its CPU time exceeds the time
    // it takes, while the bare parse hardly allocates; the runs are short and alternate.
    targets.push({
      name: `CLI / JSON.parse on ${opts.cliResources} resources, launch-dense (CPU: ${cliRatio(dense).toFixed(2)}x)`,
      measured: `${cliRatio(dense, wallOf).toFixed(2)}x`,
      limit: `≤ ${TARGETS.maxCliRatio}x`,
      pass: cliRatio(dense, wallOf) <= TARGETS.maxCliRatio,
    });

    lines.push('', '## Targets', '', 'Synthesis targets compare CPU time; the CLI target compares wall clock (see the CLI section).', '');
    lines.push('| target | measured | limit | result |', '|---|---:|---:|---|');
    for (const t of targets) lines.push(`| ${t.name} | ${t.measured} | ${t.limit} | ${t.pass ? 'PASS' : 'MISSED'} |`);
    const missed = targets.filter((t) => !t.pass);
    lines.push('', missed.length === 0 ? 'All targets met.' : `${missed.length} target(s) missed: ${missed.map((t) => t.name).join('; ')}.`);

    const text = lines.join('\n') + '\n';
    process.stdout.write('\n' + text);
    fs.mkdirSync(RESULTS, { recursive: true });
    const stamp = started.toISOString().replace(/[:.]/g, '-');
    fs.writeFileSync(path.join(RESULTS, `bench-${stamp}.md`), text);
    fs.writeFileSync(path.join(RESULTS, 'latest.md'), text);
    const record = {
      started: started.toISOString(),
      options: opts,
      loadBefore,
      loadAfter: os.loadavg(),
      runs,
      cli: cliRuns,
      targets,
    };
    fs.writeFileSync(path.join(RESULTS, `bench-${stamp}.json`), JSON.stringify(record, undefined, 2));
    log(`written to ${path.relative(ROOT, path.join(RESULTS, `bench-${stamp}.md`))}`);
    return missed.length === 0 ? 0 : 1;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** The number of findings in the CLI's JSON output, whatever its nesting. */
function countFindings(output: unknown): number {
  if (Array.isArray(output)) return output.length;
  if (typeof output === 'object' && output !== null) {
    const o = output as Record<string, unknown>;
    const summary = o.summary as Record<string, unknown> | undefined;
    if (summary && typeof summary.errors === 'number' && typeof summary.warnings === 'number') return summary.errors + summary.warnings;
    if (Array.isArray(o.findings)) return o.findings.length;
    return Object.values(o).reduce<number>((n, v) => n + (typeof v === 'object' && v !== null ? countFindings(v) : 0), 0);
  }
  return 0;
}

try {
  process.exitCode = main();
} catch (e) {
  process.stderr.write(`bench: ${e instanceof BenchError ? e.message : e instanceof Error ? e.stack : String(e)}\n`);
  process.exitCode = 2;
}
