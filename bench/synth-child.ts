/**
 * One measured synthesis, run in a fresh process by `run.ts`:
 *
 *   synth-child.ts --launches N --mode none|imds-checks|cdk-nag|imds-plugin|load|render-only --outdir DIR
 *
 * aws-cdk-lib, cdk-imds and cdk-nag are loaded before the clock starts, in every mode, so the
 * three modes differ only by what they measure: building the app, the checks, and `app.synth()`.
 * The app gets the context the CDK CLI gives it on `cdk synth`. Both wall-clock and CPU time
 * (user + system, all threads of the process) are taken. After the clock stops it proves the
 * checks ran (findings where the workload plants them) and prints one JSON line with the timings.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { App, AspectPriority, Aspects, Validations } from 'aws-cdk-lib';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { Ec2ImdsNagPack, NAG_IMDS_RULE_ID } from './cdk-nag-imds-pack';
import { DIAGNOSTIC_MODES, DiagnosticMode, MODES, Mode, SynthResult, parseArgs } from './common';
import { RenderOnly } from './render-only';
import { buildWorkload } from './workload';
import { ImdsChecks, ImdsValidationPlugin } from '../lib';

/** The context the CDK CLI gives an app on `cdk synth` (aws-cdk 2.x, default settings). */
const CDK_CLI_CONTEXT = {
  'aws:cdk:enable-path-metadata': true,
  'aws:cdk:enable-asset-metadata': true,
  'aws:cdk:version-reporting': true,
  'aws:cdk:bundling-stacks': ['**'],
  '@aws-cdk/core:failSynthOnValidationErrors': false,
};

function main(): void {
  const args = parseArgs(process.argv.slice(2), ['launches', 'mode', 'outdir']);
  const launches = Number(args.launches);
  const mode = args.mode as Mode | DiagnosticMode;
  const known: readonly string[] = [...MODES, ...DIAGNOSTIC_MODES];
  if (!known.includes(mode)) throw new Error(`--mode is ${args.mode}: use one of ${known.join(', ')}.`);
  if (mode === 'load') {
    // Everything the other modes load is loaded (the imports above): nothing more to do.
    const none: SynthResult = { mode, launches: 0, buildMs: 0, synthMs: 0, totalMs: 0, cpuMs: 0, stacks: 0, findings: 0 };
    process.stdout.write(JSON.stringify(none) + '\n');
    return;
  }

  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const app = new App({ outdir: args.outdir, context: CDK_CLI_CONTEXT });
  const shape = buildWorkload(app, launches);
  if (mode === 'imds-checks') Aspects.of(app).add(new ImdsChecks(), { priority: AspectPriority.READONLY });
  let nag: Ec2ImdsNagPack | undefined;
  if (mode === 'cdk-nag') Validations.of(app).addPlugins((nag = new Ec2ImdsNagPack(app)));
  if (mode === 'imds-plugin') Validations.of(app).addPlugins(new ImdsValidationPlugin());
  const renderOnly = mode === 'render-only' ? new RenderOnly() : undefined;
  if (renderOnly) Aspects.of(app).add(renderOnly, { priority: AspectPriority.READONLY });
  const t1 = performance.now();

  let assembly: CloudAssembly | undefined;
  let synthError: unknown;
  try {
    assembly = app.synth();
  } catch (e) {
    // A plugin reporting violations may make synth throw once the assembly is written.
    synthError = e;
  }
  const t2 = performance.now();
  const cpu = process.cpuUsage(c0);

  let findings: number;
  if (synthError && !((mode === 'cdk-nag' || mode === 'imds-plugin') && synthError instanceof Error && /Validation failed/.test(synthError.message))) {
    throw synthError;
  }
  if (mode === 'cdk-nag') {
    // With the CLI's context a failed validation is reported, not thrown; accept both.
    findings = countNagViolations(nag!, app);
    if (findings === 0) throw new Error(`cdk-nag run: ${NAG_IMDS_RULE_ID} reports no violation, the workload plants some`);
  } else if (mode === 'imds-plugin') {
    findings = countPluginImds001(args.outdir);
    if (findings < shape.launchesWithoutImdsv2) {
      throw new Error(`ImdsValidationPlugin run: expected at least ${shape.launchesWithoutImdsv2} IMDS001 violations, got ${findings}`);
    }
  } else if (renderOnly) {
    // No checks ran: prove the rendering did, at least one element per launch.
    findings = 0;
    if (renderOnly.rendered < launches) throw new Error(`render-only run rendered ${renderOnly.rendered} elements for ${launches} launches`);
  } else {
    findings = countImds001(assembly!);
    if (mode === 'imds-checks' && findings < shape.launchesWithoutImdsv2) {
      throw new Error(`ImdsChecks run: expected at least ${shape.launchesWithoutImdsv2} IMDS001 errors, got ${findings}`);
    }
    if (mode === 'none' && findings !== 0) throw new Error(`run without checks reported ${findings} IMDS001 errors`);
  }

  const result: SynthResult = {
    mode,
    launches,
    buildMs: t1 - t0,
    synthMs: t2 - t1,
    totalMs: t2 - t0,
    cpuMs: (cpu.user + cpu.system) / 1000,
    stacks: shape.workloadStacks + 1,
    findings,
  };
  process.stdout.write(JSON.stringify(result) + '\n');
}

function countImds001(assembly: CloudAssembly): number {
  let n = 0;
  for (const stack of assembly.stacks) {
    for (const m of stack.messages) if (m.level === 'error' && String(m.entry.data).startsWith('IMDS001')) n++;
  }
  return n;
}

/** IMDS001 violations in the validation report the plugin's run wrote. */
function countPluginImds001(outdir: string): number {
  const report = JSON.parse(fs.readFileSync(path.join(outdir, 'validation-report.json'), 'utf-8')) as {
    pluginReports: Array<{ pluginName: string; violations: Array<{ ruleName: string; violatingConstructs: unknown[] }> }>;
  };
  return report.pluginReports
    .filter((r) => r.pluginName === 'cdk-imds')
    .flatMap((r) => r.violations)
    .filter((v) => v.ruleName === 'IMDS001')
    .reduce((n, v) => n + v.violatingConstructs.length, 0);
}

/** Violating resources cdk-nag found; re-validating the tree is outside the measured time. */
function countNagViolations(pack: Ec2ImdsNagPack, app: App): number {
  const report = pack.validateScope(app);
  return report.violations.reduce((n, v) => n + v.violatingResources.length, 0);
}

try {
  main();
} catch (e) {
  process.stderr.write(`synth-child: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
}
