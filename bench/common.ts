/** Shared pieces of the benchmark: modes, targets, result shapes, argument parsing and statistics. */
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The ways every app is synthesized: the three the targets compare, and the validation plugin,
 * the other front-end of the same checks, for information.
 */
export const MODES = ['none', 'imds-checks', 'cdk-nag', 'imds-plugin'] as const;
export type Mode = (typeof MODES)[number];

/**
 * Modes only the instruction counts use (`instructions.ts`): `load` loads what every mode loads
 * and builds nothing (the fixed cost to subtract); `render-only` renders the resources the checks
 * read as `ImdsChecks` does, and runs no check (`render-only.ts`).
 */
export const DIAGNOSTIC_MODES = ['load', 'render-only'] as const;
export type DiagnosticMode = (typeof DIAGNOSTIC_MODES)[number];

/** The targets of the checker's performance (README, Performance). */
export const TARGETS = {
  overheadAt: 2000,
  maxOverhead: 0.1,
  scaleFrom: 2000,
  scaleTo: 8000,
  maxScale: 4.5,
  maxCliRatio: 3,
};

/** The bare parse the CLI is compared with: `node -e BARE_PARSE <file>` reads and parses the file. */
export const BARE_PARSE = "JSON.parse(require('fs').readFileSync(process.argv[1], 'utf8'))";

/**
 * How every runner starts one synthesis (`synth-child.ts`): the Node.js arguments and the
 * environment, the same for timing and for counting so that both measure the same thing
 * (aws-cdk-lib's built-in CloudFormation validation off, see run.ts).
 */
export function synthChild(root: string, launches: number, mode: Mode | DiagnosticMode, outdir: string): { args: string[]; env: NodeJS.ProcessEnv } {
  return {
    args: ['--max-old-space-size=4096', '-r', 'ts-node/register', path.join(root, 'bench', 'synth-child.ts'), '--launches', String(launches), '--mode', mode, '--outdir', outdir],
    env: {
      TS_NODE_TRANSPILE_ONLY: 'true',
      TS_NODE_PROJECT: path.join(root, 'tsconfig.dev.json'),
      CDK_VALIDATION: 'false',
      CDK_DISABLE_CLI_TELEMETRY: 'true',
      JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION: '20',
    },
  };
}

/** What one synthesis child reports. */
export interface SynthResult {
  readonly mode: Mode | DiagnosticMode;
  readonly launches: number;
  /** Building the construct tree and adding the checks. */
  readonly buildMs: number;
  /** `app.synth()`: aspects, validation, templates, plugins. */
  readonly synthMs: number;
  /** buildMs + synthMs, wall clock. */
  readonly totalMs: number;
  /** CPU time (user + system) of the same span: what the targets compare. */
  readonly cpuMs: number;
  readonly stacks: number;
  /** IMDS001 errors (none, imds-checks, imds-plugin) or cdk-nag violating resources (cdk-nag). */
  readonly findings: number;
}

/** lib/ must hold the compiled library and the bundled CLI, no older than src/. */
export function checkBuild(root: string): void {
  const lib = path.join(root, 'lib', 'index.js');
  for (const f of [lib, path.join(root, 'lib', 'cli', 'cdk-imds.js')]) {
    if (!fs.existsSync(f)) throw new BenchError(`${path.relative(root, f)} is missing: run \`npx projen compile\` first (\`npx projen bench\` does).`);
  }
  const built = fs.statSync(lib).mtimeMs;
  const stale = walk(path.join(root, 'src')).filter((f) => f.endsWith('.ts') && fs.statSync(f).mtimeMs > built);
  if (stale.length > 0) {
    throw new BenchError(`lib/ is older than ${path.relative(root, stale[0])}: run \`npx projen compile\` first (\`npx projen bench\` does).`);
  }
}

function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

/** A benchmark that cannot run (exit 2), as opposed to a target missed (exit 1). */
export class BenchError extends Error {}

/** Parse `--name value` pairs; every name in `required` must be present. */
export function parseArgs(argv: readonly string[], required: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) throw new Error(`unexpected argument "${a}": arguments are --name value pairs.`);
    const name = a.slice(2);
    const eq = name.indexOf('=');
    if (eq >= 0) {
      out[name.slice(0, eq)] = name.slice(eq + 1);
    } else {
      const value = argv[i + 1];
      if (value === undefined || value.startsWith('--')) throw new Error(`--${name} needs a value.`);
      out[name] = value;
      i++;
    }
  }
  for (const r of required) if (out[r] === undefined) throw new Error(`--${r} is required.`);
  return out;
}

/** The median of a non-empty list. */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of no values');
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}
