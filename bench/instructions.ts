/**
 * The checker's cost in instructions, counted by Valgrind (`npx projen bench:instructions`).
 *
 *   npx ts-node -T --project tsconfig.dev.json bench/instructions.ts --launches 2000 --runs 1 --jobs 2
 *
 * Time on a shared machine moves by 10 to 30% between runs of the same code, as much as the few
 * percent the targets compare (README, Performance). Valgrind's callgrind counts the instructions
 * a process executes instead, which other load on the machine does not change: two runs of each
 * synthesis of 2,000 launches here differed by 0.1 to 0.7 G instructions, at most 2.3% of the
 * synthesis (V8 compiles and collects garbage on helper threads, so the count is not exact). Instructions are not time (a cache miss costs more than an add), so
 * the targets stay judged by `run.ts`; this tells, without the noise, what each mode adds.
 *
 * Each process runs under `valgrind --tool=callgrind`, several at once (`--jobs`, the number of
 * CPUs by default; the counts do not depend on it):
 *
 * - synthesis of the `workload.ts` app in every mode of `run.ts`, plus `load` (the modules every
 *   mode loads, nothing built: the fixed cost subtracted from every mode) and `render-only` (the
 *   resources the checks read, rendered as `ImdsChecks` renders them, and no check: what an
 *   annotating checker cannot avoid, `render-only.ts`);
 * - `cdk-imds check --format json` on the CLI templates of `run.ts`, and `node -e` reading and
 *   `JSON.parse`-ing the same file.
 *
 * Overhead of a mode = (its count − no checks) / (no checks − load). About 60 times slower than
 * the process itself: at 2,000 launches each synthesis takes 8 to 9 minutes, the whole run about
 * 25 minutes on 2 cores, so the default is 500 launches. Exits 2 when it cannot run (no valgrind, no lib/), 0 otherwise: it judges nothing.
 */
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Density, cliTemplate } from './cli-template';
import { BARE_PARSE, BenchError, DiagnosticMode, MODES, Mode, TARGETS, checkBuild, median, parseArgs, synthChild } from './common';

const ROOT = path.resolve(__dirname, '..');
const RESULTS = path.join(ROOT, 'bench', 'results');
const CLI = path.join(ROOT, 'lib', 'cli', 'cdk-imds.js');

type SynthMode = Mode | DiagnosticMode;
const SYNTH_MODES: readonly SynthMode[] = ['load', ...MODES, 'render-only'];
const LABEL: Record<SynthMode, string> = {
  'load': 'load only',
  'none': 'no checks',
  'imds-checks': 'ImdsChecks',
  'cdk-nag': 'cdk-nag EC2IMDSv2Enabled',
  'imds-plugin': 'ImdsValidationPlugin',
  'render-only': 'rendering only (what ImdsChecks renders, no checks)',
};

interface Options {
  readonly launches: number;
  readonly runs: number;
  readonly jobs: number;
  readonly cliResources: number;
}

function options(): Options {
  const args = parseArgs(process.argv.slice(2), []);
  const known = ['launches', 'runs', 'jobs', 'cli-resources'];
  for (const k of Object.keys(args)) if (!known.includes(k)) throw new BenchError(`unknown option --${k}: use ${known.map((n) => '--' + n).join(', ')}.`);
  const whole = (name: string, dflt: number, min: number): number => {
    const value = args[name];
    const n = value === undefined ? dflt : Number(value);
    if (!Number.isInteger(n) || n < min) throw new BenchError(`--${name} is ${value}: it must be a whole number of at least ${min}.`);
    return n;
  };
  return { launches: whole('launches', 500, 1), runs: whole('runs', 1, 1), jobs: whole('jobs', os.cpus().length, 1), cliResources: whole('cli-resources', 10000, 10) };
}

interface Job {
  readonly name: string;
  readonly args: string[];
  readonly okStatus: number;
  readonly env?: NodeJS.ProcessEnv;
}

/** The processes still counting: stopped when the run fails, so that none outlives it. */
const running = new Set<ChildProcess>();

/** The instructions a process executed under callgrind ("Collected : N" on its stderr). */
function countInstructions(job: Job): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn('valgrind', ['--tool=callgrind', '--callgrind-out-file=/dev/null', process.execPath, ...job.args], {
      cwd: ROOT,
      env: { ...process.env, ...job.env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    running.add(child);
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (d: string) => (stderr += d));
    child.on('error', (e) => reject(new BenchError(`${job.name}: cannot start valgrind: ${e.message}`)));
    child.on('close', (status) => {
      running.delete(child);
      const m = /Collected : (\d+)/.exec(stderr);
      if (status !== job.okStatus || !m) {
        const why = stderr.split('\n').filter((l) => !l.startsWith('==')).slice(-3).join(' | ');
        reject(new BenchError(`${job.name} exited ${status}, expected ${job.okStatus}: ${why}`));
        return;
      }
      resolve(Number(m[1]));
    });
  });
}

/** Run the jobs, `jobs` at a time; the counts by job name. */
async function runAll(all: readonly Job[], jobs: number, log: (s: string) => void): Promise<Map<string, number[]>> {
  const out = new Map<string, number[]>();
  let next = 0;
  const worker = async () => {
    while (next < all.length) {
      const job = all[next++];
      const started = Date.now();
      const n = await countInstructions(job);
      if (!out.has(job.name)) out.set(job.name, []);
      out.get(job.name)!.push(n);
      log(`${job.name.padEnd(28)} ${(n / 1e9).toFixed(3)} G instructions (${Math.round((Date.now() - started) / 1000)} s)`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(jobs, all.length) }, worker));
  return out;
}

async function main(): Promise<number> {
  const opts = options();
  checkBuild(ROOT);
  if (spawnSync('valgrind', ['--version']).status !== 0) {
    throw new BenchError('valgrind is not installed: install it (Debian: apt-get install valgrind) to count instructions.');
  }
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-imds-instructions-'));
  const log = (s: string) => process.stderr.write(s + '\n');
  try {
    const jobs: Job[] = [];
    for (let r = 0; r < opts.runs; r++) {
      for (const mode of SYNTH_MODES) {
        const { args, env } = synthChild(ROOT, opts.launches, mode, path.join(tmp, `synth-${mode}-${r}`));
        jobs.push({ name: `synth ${mode}`, args, okStatus: 0, env });
      }
    }
    const densities: Density[] = ['dense', 'typical'];
    for (const density of densities) {
      const file = path.join(tmp, `template-${density}.json`);
      fs.writeFileSync(file, JSON.stringify(cliTemplate(opts.cliResources, density), undefined, 1));
      for (let r = 0; r < opts.runs; r++) {
        jobs.push({ name: `parse ${density}`, args: ['-e', BARE_PARSE, file], okStatus: 0 });
        jobs.push({ name: `cli ${density}`, args: [CLI, 'check', '--format', 'json', file], okStatus: 1 });
      }
    }
    log(`${jobs.length} processes under callgrind, ${opts.jobs} at a time, ${opts.launches} launches`);
    const counts = await runAll(jobs, opts.jobs, log);
    const count = (name: string) => median(counts.get(name)!);
    const spread = (name: string) => {
      const xs = counts.get(name)!;
      return xs.length < 2 ? '' : ` (${(Math.min(...xs) / 1e9).toFixed(2)} – ${(Math.max(...xs) / 1e9).toFixed(2)})`;
    };

    const lines: string[] = ['# cdk-imds instruction counts', ''];
    lines.push(
      `${new Date().toISOString()} · node ${process.version} · valgrind callgrind · ${opts.runs === 1 ? 'one run' : `medians of ${opts.runs} runs`} per row. ` +
        'Instructions of the whole process; overheads over the synthesis span (no checks − load only).',
      '',
    );
    const none = count('synth none');
    const span = none - count('synth load');
    lines.push(`## Synthesis, ${opts.launches} launches`, '', '| mode | instructions (G) | over no checks |', '|---|---:|---:|');
    for (const mode of SYNTH_MODES) {
      const n = count(`synth ${mode}`);
      const over = mode === 'load' || mode === 'none' ? '' : `${n >= none ? '+' : ''}${(((n - none) / span) * 100).toFixed(1)}%`;
      lines.push(`| ${LABEL[mode]} | ${(n / 1e9).toFixed(2)}${spread(`synth ${mode}`)} | ${over} |`);
    }
    lines.push('', `## CLI, ${opts.cliResources} resources`, '', '| template | `node -e` JSON.parse (G) | `cdk-imds check --format json` (G) | ratio |', '|---|---:|---:|---:|');
    for (const density of densities) {
      const parse = count(`parse ${density}`);
      const cli = count(`cli ${density}`);
      lines.push(`| ${density} | ${(parse / 1e9).toFixed(2)}${spread(`parse ${density}`)} | ${(cli / 1e9).toFixed(2)}${spread(`cli ${density}`)} | ${(cli / parse).toFixed(2)}x |`);
    }
    // The targets in instructions, for information: run.ts judges them in time.
    const over = (mode: SynthMode) => (count(`synth ${mode}`) - none) / span;
    const pct = (x: number) => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}%`;
    const verdict = (pass: boolean) => (pass ? 'met' : 'missed');
    const cliDense = count('cli dense') / count('parse dense');
    lines.push('', '## The targets, counted in instructions', '', 'For information: `run.ts` judges the targets in time.', '', '| target | measured | limit | in instructions |', '|---|---:|---:|---|');
    for (const mode of ['imds-checks', 'imds-plugin'] as const) {
      lines.push(`| ${LABEL[mode]} overhead at ${opts.launches} launches | ${pct(over(mode))} | ≤ ${pct(TARGETS.maxOverhead)} | ${verdict(over(mode) <= TARGETS.maxOverhead)} |`);
      lines.push(`| ${LABEL[mode]} overhead below cdk-nag's | ${pct(over(mode))} vs ${pct(over('cdk-nag'))} | < | ${verdict(over(mode) < over('cdk-nag'))} |`);
    }
    lines.push(`| CLI / JSON.parse, launch-dense, ${opts.cliResources} resources | ${cliDense.toFixed(2)}x | ≤ ${TARGETS.maxCliRatio}x | ${verdict(cliDense <= TARGETS.maxCliRatio)} |`);
    if (opts.launches !== TARGETS.overheadAt) lines.push('', `The synthesis targets are set at ${TARGETS.overheadAt} launches; this run has ${opts.launches}.`);
    const text = lines.join('\n') + '\n';
    process.stdout.write('\n' + text);
    fs.mkdirSync(RESULTS, { recursive: true });
    const file = path.join(RESULTS, `instructions-${new Date().toISOString().replace(/[:.]/g, '-')}.md`);
    fs.writeFileSync(file, text);
    log(`written to ${path.relative(ROOT, file)}`);
    return 0;
  } finally {
    for (const child of running) child.kill();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().then(
  (code) => (process.exitCode = code),
  (e: unknown) => {
    process.stderr.write(`bench:instructions: ${e instanceof BenchError ? e.message : e instanceof Error ? e.stack : String(e)}\n`);
    process.exitCode = 2;
  },
);
