#!/usr/bin/env node
/**
 * `cdk-imds check [--format text|json|sarif] [--strict] PATH...`
 *
 * Exit 0: no error findings; 1: error findings; 2: bad usage or unreadable input (one line on
 * stderr, never a stack trace). Loads nothing from aws-cdk-lib.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as v8 from 'v8';
import { FORMATS, Format, writeResult } from './format-output';
import { InputError, loadInputs } from './load-inputs';
import { CheckResult, runChecks } from '../checks/check';
import { CheckOptions } from '../checks/rule';
import { HOP_LIMIT_RANGE, isValidHopLimit } from '../private/hop-limit';

const USAGE = `Usage: cdk-imds check [options] PATH...

Checks EC2 launches in CloudFormation templates against the cdk-imds rules (IMDS001-IMDS012).
PATH is a template (JSON or YAML), a folder of templates, or a cdk.out cloud assembly.

Options:
  --format text|json|sarif         output format (default: text)
  --strict                         "cannot verify" (IMDS010) is an error
  --max-hop-limit N                highest HttpPutResponseHopLimit allowed (IMDS003)
  --trust-account-defaults         use Custom::InstanceMetadataDefaults in the templates
  --no-trust-image-imds-support    ignore AMIs marked by Custom::ImageImdsSupport
  --ignore-policies                the templates' IAM policies and SCPs do not bind the deployer
  -h, --help                       show this help

Exit status: 0 no errors, 1 error findings, 2 bad usage or unreadable input.
`;

/** Parsed command line. */
export interface Command {
  readonly format: Format;
  readonly options: Partial<CheckOptions>;
  readonly paths: string[];
  readonly help: boolean;
}

/** Parse arguments; throws InputError on bad usage. */
export function parseArgs(argv: readonly string[]): Command {
  const args = [...argv];
  if (args.length === 0) throw new InputError('missing command: use "cdk-imds check PATH..." (see --help)');
  if (args.includes('-h') || args.includes('--help')) return { format: 'text', options: {}, paths: [], help: true };
  const command = args.shift();
  if (command !== 'check') throw new InputError(`unknown command "${command}": the only command is "check" (see --help)`);
  let format: Format = 'text';
  const options: { -readonly [K in keyof CheckOptions]?: CheckOptions[K] } = {};
  const paths: string[] = [];
  while (args.length > 0) {
    const arg = args.shift()!;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string => {
      const v = inline ?? args.shift();
      if (v === undefined) throw new InputError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--format': {
        const f = value();
        if (!(FORMATS as readonly string[]).includes(f)) throw new InputError(`--format is "${f}": use text, json or sarif`);
        format = f as Format;
        break;
      }
      case '--strict':
        options.strict = true;
        break;
      case '--trust-account-defaults':
        options.trustAccountDefaults = true;
        break;
      case '--no-trust-image-imds-support':
        options.trustImageImdsSupport = false;
        break;
      case '--ignore-policies':
        options.assumePoliciesApply = false;
        break;
      case '--max-hop-limit': {
        const v = value();
        const n = Number(v);
        if (!/^\d+$/.test(v) || !isValidHopLimit(n)) throw new InputError(`--max-hop-limit is "${v}": use ${HOP_LIMIT_RANGE}`);
        options.maxHopLimit = n;
        break;
      }
      case '--':
        paths.push(...args.splice(0));
        break;
      default:
        if (arg.startsWith('-') && arg !== '-') throw new InputError(`unknown option "${arg}" (see --help)`);
        paths.push(arg);
    }
  }
  if (paths.length === 0) throw new InputError('no PATH given: name at least one template file, folder or cdk.out');
  return { format, options, paths, help: false };
}

/** Run the CLI; returns the exit code. */
export function main(argv: readonly string[], out: (s: string) => void, err: (s: string) => void): number {
  try {
    const cmd = parseArgs(argv);
    if (cmd.help) {
      out(USAGE);
      return 0;
    }
    const result = check(cmd);
    if (result.problems.length > 0) {
      const p = result.problems[0];
      const more = result.problems.length > 1 ? ` (and ${result.problems.length - 1} more problem(s))` : '';
      throw new InputError(`${p.templatePath}: ${p.message}${more}`);
    }
    // Only SARIF names the tool's version: the other formats do not read package.json.
    writeResult(result, cmd.format, cmd.format === 'sarif' ? version() : '', out);
    return result.findings.some((f) => f.level === 'error') ? 1 : 0;
  } catch (e) {
    const message = e instanceof InputError ? e.message : `internal error: ${e instanceof Error ? e.message : String(e)}`;
    err(`cdk-imds: ${message.split('\n')[0]}\n`);
    return 2;
  }
}

/**
 * Read the inputs and check them. A function of its own so that the parsed templates are garbage
 * once it returns: a collection while the output is formatted then need not walk them.
 */
function check(cmd: Command): CheckResult {
  const { sources, context } = loadInputs(cmd.paths);
  return runChecks(sources, cmd.options, context, cmd.format === 'json');
}

function version(): string {
  try {
    return JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf-8')).version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

/**
 * How much bytecode a function runs before V8 considers optimizing it: 8 times V8's default in
 * Node.js 20 (67,584). A check run is short and its hot code is spread over many functions, so
 * with the default V8 spends more time optimizing (on the same cores) than the optimized code
 * saves; on very large inputs the hot functions are optimized all the same. It changes only when
 * V8 optimizes, never what the code does. Kept because the benchmark shows it: on the
 * 10,000-resource benchmark template, without it the CLI took 571 ms instead of 465 ms (wall
 * clock, medians of 13 alternating runs) and 833 ms instead of 544 ms of CPU.
 */
const INTERRUPT_BUDGET = 8 * 67584;

if (require.main === module) {
  v8.setFlagsFromString(`--interrupt-budget=${INTERRUPT_BUDGET}`);
  // A reader that stops early (`cdk-imds check ... | head`) closes the pipe: that is not an error
  // of the check, whose exit code stands. Any other write error is one line, exit code 2.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') {
      process.stderr.write(`cdk-imds: cannot write the output: ${e.message}\n`);
      process.exitCode = 2;
    }
    process.exit();
  });
  const out = (s: string) => process.stdout.write(s);
  const err = (s: string) => process.stderr.write(s);
  process.exitCode = main(process.argv.slice(2), out, err);
}
