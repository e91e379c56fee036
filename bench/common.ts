/** Shared pieces of the benchmark: modes, result shapes, argument parsing and statistics. */

/**
 * The ways every app is synthesized: the three the targets compare, and the validation plugin,
 * the other front-end of the same checks, for information.
 */
export const MODES = ['none', 'imds-checks', 'cdk-nag', 'imds-plugin'] as const;
export type Mode = (typeof MODES)[number];

/** What one synthesis child reports. */
export interface SynthResult {
  readonly mode: Mode;
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
