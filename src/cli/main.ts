#!/usr/bin/env node
/**
 * `cdk-imds check [--format text|json|sarif] [--strict] [--output FILE] PATH...`,
 * `cdk-imds rules [--format text|json]`, `cdk-imds --version`.
 *
 * Exit 0: no error findings; 1: error findings; 2: bad usage or unreadable input (one line on
 * stderr, never a stack trace). Loads nothing from aws-cdk-lib.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as v8 from 'v8';
import { FORMATS, Format, formatRules, writeResult } from './format-output';
import { InputError, loadInputs } from './load-inputs';
import { SourcePositions } from './positions';
import { CheckResult, runChecks } from '../checks/check';
import { CheckOptions } from '../checks/rule';
import { HOP_LIMIT_RANGE, isValidHopLimit } from '../private/hop-limit';

const USAGE = `Usage: cdk-imds check [options] PATH...
       cdk-imds rules [--format text|json]
       cdk-imds --version

check: checks EC2 launches in CloudFormation templates against the cdk-imds rules (IMDS001-IMDS012).
PATH is a template (JSON or YAML), a folder of templates, or a cdk.out cloud assembly. In a folder,
every .json, .yaml, .yml and .template file with a top-level Resources key is checked, and files
that parse without one (package.json, tsconfig.json) are skipped; a file that cannot be read or
parsed (invalid JSON, broken YAML) is bad input: exit 2 naming each such file, nothing checked.
rules: lists the rules: ID, level, title and fix.

Options of check:
  --format text|json|sarif         output format (default: text); SARIF results give the line
                                   and column of the finding's property in the template
  --output FILE                    write the output to FILE instead of standard output (- for it)
  --strict                         "cannot verify" (IMDS010) is an error
  --max-hop-limit N                highest HttpPutResponseHopLimit allowed (IMDS003), 1 to 64
  --trust-account-defaults         use Custom::InstanceMetadataDefaults in the templates
  --no-trust-image-imds-support    ignore AMIs marked by Custom::ImageImdsSupport
  --ignore-policies                the templates' IAM policies and SCPs do not bind the deployer
  -h, --help                       show this help
  -v, --version                    print the version of cdk-imds

Exit status: 0 no errors, 1 error findings, 2 bad usage or unreadable input.
`;

/** Parsed command line. */
export type Command =
  | { readonly command: 'check'; readonly format: Format; readonly options: Partial<CheckOptions>; readonly paths: string[]; readonly output?: string }
  | { readonly command: 'rules'; readonly format: 'text' | 'json' }
  | { readonly command: 'help' }
  | { readonly command: 'version' };

type Mutable<T> = { -readonly [K in keyof T]?: T[K] };

/** The flags of `check` that take no value, and what each sets. */
const SWITCHES: Record<string, (o: Mutable<CheckOptions>) => void> = {
  '--strict': (o) => (o.strict = true),
  '--trust-account-defaults': (o) => (o.trustAccountDefaults = true),
  '--no-trust-image-imds-support': (o) => (o.trustImageImdsSupport = false),
  '--ignore-policies': (o) => (o.assumePoliciesApply = false),
};

/** The flags of `check` that take a value, and what the value is. */
const VALUED: Record<string, string> = {
  '--format': 'text, json or sarif',
  '--output': 'a file name',
  '--max-hop-limit': HOP_LIMIT_RANGE,
};

const CHECK_FLAGS = [...Object.keys(VALUED), ...Object.keys(SWITCHES), '--help', '--version'];

/** Parse arguments; throws InputError on bad usage. */
export function parseArgs(argv: readonly string[]): Command {
  const args = [...argv];
  if (args.length === 0) throw new InputError('missing command: use "cdk-imds check PATH..." or "cdk-imds rules" (see --help)');
  if (args.includes('-h') || args.includes('--help')) return { command: 'help' };
  if (args.includes('-v') || args.includes('--version')) return { command: 'version' };
  const command = args.shift();
  if (command === 'rules') return parseRules(args);
  if (command !== 'check') throw new InputError(`unknown command "${command}": the commands are "check" and "rules" (see --help)`);
  let format: Format = 'text';
  let output: string | undefined;
  const options: Mutable<CheckOptions> = {};
  const paths: string[] = [];
  while (args.length > 0) {
    const arg = args.shift()!;
    if (arg === '--') {
      paths.push(...args.splice(0));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      paths.push(arg);
      continue;
    }
    const { flag, inline } = split(arg);
    if (SWITCHES[flag]) {
      if (inline !== undefined) throw new InputError(`${flag} takes no value, but "${arg}" gives it "${inline}": write ${flag} alone`);
      SWITCHES[flag](options);
      continue;
    }
    if (!VALUED[flag]) throw new InputError(`unknown option "${arg}" for check: the options are ${CHECK_FLAGS.join(', ')} (see --help)`);
    const v = value(flag, inline, args);
    if (flag === '--format') {
      if (!(FORMATS as readonly string[]).includes(v)) throw new InputError(`--format is "${v}": use text, json or sarif`);
      format = v as Format;
    } else if (flag === '--output') {
      output = v;
    } else {
      const n = Number(v);
      if (!/^\d+$/.test(v) || !isValidHopLimit(n)) throw new InputError(`--max-hop-limit is "${v}": use ${HOP_LIMIT_RANGE}`);
      options.maxHopLimit = n;
    }
  }
  if (paths.length === 0) throw new InputError('no PATH given: name at least one template file, folder or cdk.out');
  return { command: 'check', format, options, paths, output };
}

function parseRules(args: string[]): Command {
  let format: 'text' | 'json' = 'text';
  while (args.length > 0) {
    const arg = args.shift()!;
    const { flag, inline } = split(arg);
    if (flag !== '--format') {
      const what = arg.startsWith('-') && arg !== '-' ? `unknown option "${arg}" for rules: the only option is --format text|json` : `rules takes no PATH, but "${arg}" is given`;
      throw new InputError(`${what} (see --help)`);
    }
    const v = value(flag, inline, args);
    if (v !== 'text' && v !== 'json') throw new InputError(`--format of rules is "${v}": use text or json`);
    format = v;
  }
  return { command: 'rules', format };
}

/** `--flag=value` as flag and value; any other argument as the flag, without a value. */
function split(arg: string): { flag: string; inline?: string } {
  const eq = arg.indexOf('=');
  return arg.startsWith('--') && eq > 0 ? { flag: arg.slice(0, eq), inline: arg.slice(eq + 1) } : { flag: arg };
}

/** The value of a flag: written inline (`--format=json`) or the next argument, which must not be an option. */
function value(flag: string, inline: string | undefined, args: string[]): string {
  const next = args[0];
  const v = inline ?? (next !== undefined && !(next.startsWith('-') && next !== '-' && !/^-\d/.test(next)) ? args.shift() : undefined);
  if (v === undefined || v === '') {
    const got = inline !== undefined ? `"${flag}=" gives none` : next !== undefined ? `the next argument is the option "${next}"` : 'it is the last argument';
    throw new InputError(`${flag} needs a value (${VALUED[flag]}), but ${got}`);
  }
  return v;
}

/** Run the CLI; returns the exit code. */
export function main(argv: readonly string[], out: (s: string) => void, err: (s: string) => void): number {
  let sink: OutputFile | undefined;
  try {
    const cmd = parseArgs(argv);
    if (cmd.command === 'help') {
      out(USAGE);
      return 0;
    }
    if (cmd.command === 'version') {
      out(`cdk-imds ${version()}\n`);
      return 0;
    }
    if (cmd.command === 'rules') {
      out(formatRules(cmd.format));
      return 0;
    }
    const { result, positions } = check(cmd);
    if (result.problems.length > 0) {
      const p = result.problems[0];
      const more = result.problems.length > 1 ? ` (and ${result.problems.length - 1} more problem(s))` : '';
      throw new InputError(`${p.templatePath}: ${p.message}${more}`);
    }
    let write = out;
    if (cmd.output !== undefined && cmd.output !== '-') {
      sink = new OutputFile(cmd.output);
      write = (s) => sink!.write(s);
    }
    // Only SARIF names the tool's version: the other formats do not read package.json.
    writeResult(result, cmd.format, cmd.format === 'sarif' ? version() : '', write, positions);
    sink?.close();
    sink = undefined;
    return result.findings.some((f) => f.level === 'error') ? 1 : 0;
  } catch (e) {
    sink?.abandon();
    const message = e instanceof InputError ? e.message : `internal error: ${e instanceof Error ? e.message : String(e)}`;
    err(`cdk-imds: ${message.split('\n')[0]}\n`);
    return 2;
  }
}

/**
 * Read the inputs and check them. A function of its own so that the parsed templates are garbage
 * once it returns: a collection while the output is formatted then need not walk them. SARIF
 * output keeps the texts of the templates, to locate the findings in them.
 */
function check(cmd: Extract<Command, { command: 'check' }>): { result: CheckResult; positions?: SourcePositions } {
  const sarif = cmd.format === 'sarif';
  const { sources, context, texts } = loadInputs(cmd.paths, { keepTexts: sarif });
  const result = runChecks(sources, cmd.options, context, cmd.format === 'json');
  return { result, positions: sarif ? new SourcePositions(texts) : undefined };
}

/** The file of `--output`: opened at the first write, so that bad input leaves no file behind. */
class OutputFile {
  private fd: number | undefined;

  constructor(private readonly file: string) {}

  public write(s: string): void {
    try {
      if (this.fd === undefined) this.fd = fs.openSync(this.file, 'w');
      const bytes = Buffer.from(s, 'utf-8');
      for (let done = 0; done < bytes.length;) done += fs.writeSync(this.fd, bytes, done);
    } catch (e) {
      throw new InputError(`${this.file}: the output cannot be written (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
  }

  public close(): void {
    if (this.fd === undefined) return;
    const fd = this.fd;
    this.fd = undefined;
    try {
      fs.closeSync(fd);
    } catch (e) {
      throw new InputError(`${this.file}: the output cannot be written (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
  }

  /** Close the file after an error, which is the one reported. */
  public abandon(): void {
    try {
      this.close();
    } catch {
      // the first error stands
    }
  }
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
