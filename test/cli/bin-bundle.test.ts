import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as esbuild from 'esbuild';
import { cliTemplate } from '../../bench/cli-template';

/**
 * The package's `cdk-imds` bin is the CLI bundled into one file (scripts/bundle-cli.js). These
 * tests bundle the sources with the same options and run the bundle as a command.
 */

const ROOT = path.join(__dirname, '..', '..');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { cliBundleOptions } = require(path.join(ROOT, 'scripts', 'bundle-cli.js')) as {
  cliBundleOptions: (entry: string, outfile: string) => esbuild.BuildOptions;
};

let dir: string;
let bundle: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-imds-bin-'));
  // Inside the package (.tmp is ignored), so that `yaml` resolves from its node_modules as it
  // does for the installed package.
  fs.mkdirSync(path.join(ROOT, '.tmp'), { recursive: true });
  bundle = path.join(fs.mkdtempSync(path.join(ROOT, '.tmp', 'bin-')), 'cdk-imds.js');
  esbuild.buildSync(cliBundleOptions(path.join(ROOT, 'src', 'cli', 'main.ts'), bundle));
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.rmSync(path.dirname(bundle), { recursive: true, force: true });
});

function write(name: string, content: string): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, content);
  return p;
}

function runBundle(args: string[]) {
  return spawnSync(process.execPath, [bundle, ...args], { encoding: 'utf-8', cwd: ROOT, maxBuffer: 64 * 1024 * 1024 });
}

function runSources(args: string[]) {
  return spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', path.join(ROOT, 'src', 'cli', 'main.ts'), ...args], {
    encoding: 'utf-8',
    cwd: ROOT,
    maxBuffer: 64 * 1024 * 1024,
  });
}

describe('the bundled cdk-imds bin', () => {
  test.each([['text'], ['json'], ['sarif']])('prints what the unbundled CLI prints, with the same exit code (--format %s)', (format) => {
    const template = write('units.json', JSON.stringify(cliTemplate(200)));
    const bundled = runBundle(['check', '--format', format, template]);
    const sources = runSources(['check', '--format', format, template]);
    expect(bundled.stderr).toBe('');
    expect(bundled.status).toBe(1);
    expect(sources.status).toBe(1);
    expect(bundled.stdout.length).toBeGreaterThan(1000);
    expect(bundled.stdout).toEqual(sources.stdout);
  });

  test('reads YAML through the yaml package it leaves outside the bundle', () => {
    const template = write('good.yaml', 'Resources:\n  Web:\n    Type: AWS::EC2::Instance\n    Properties:\n      ImageId: ami-1\n      InstanceType: t3.micro\n      MetadataOptions: { HttpTokens: !Sub "required" }\n');
    const r = runBundle(['check', template]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  test('holds no aws-cdk-lib or constructs code', () => {
    const text = fs.readFileSync(bundle, 'utf-8');
    expect(text.startsWith('#!/usr/bin/env node\n')).toBe(true);
    expect(text).not.toMatch(/node_modules[\\/](aws-cdk-lib|constructs)[\\/]/);
    expect(text).not.toMatch(/require\("(aws-cdk-lib|constructs)/);
  });

  test('bad input: exit 2 and one line', () => {
    const r = runBundle(['check', write('empty.json', '')]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/empty\.json: the file is empty \(0 bytes\)/)]);
  });

  test('a reader that stops early (| head) is no error: no stack trace, the exit code of the check', () => {
    const template = write('many.json', JSON.stringify(cliTemplate(2000)));
    const r = spawnSync('bash', ['-c', `"${process.execPath}" "${bundle}" check --format json "${template}" | head -c 100 > /dev/null; echo "exit=\${PIPESTATUS[0]}" >&2`], {
      encoding: 'utf-8',
      cwd: ROOT,
    });
    expect(r.stderr.trim()).toBe('exit=1');
  });
});
