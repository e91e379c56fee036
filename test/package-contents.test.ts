import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/**
 * What the npm tarball may hold: the compiled library, the handler bundles, the jsii assembly, the
 * docs and what npm always adds. Everything else (sources, tests, benchmarks, scripts, CI, rosetta
 * fixtures and tablets, the example app and its cdk.out) is development only.
 */
const ALLOWED: readonly RegExp[] = [
  /^package\.json$/,
  /^README\.md$/,
  /^LICENSE$/,
  /^API\.md$/,
  /^\.jsii$/,
  /^lib\/(.+\/)?[^/]+\.(js|d\.ts)$/,
  /^assets\/[^/]+\/[^/]+\.lambda\/index\.js$/,
  // The bundled runtime dependencies (package.json bundledDependencies).
  /^node_modules\/yaml\//,
  /^node_modules\/jsonc-parser\//,
];

/** Files a user of the package cannot do without. */
const REQUIRED = [
  'package.json',
  'README.md',
  'LICENSE',
  'API.md',
  '.jsii',
  'lib/index.js',
  'lib/index.d.ts',
  'lib/cli/cdk-imds.js',
  'assets/account/instance-metadata-defaults.lambda/index.js',
  'assets/image/image-imds-support.lambda/index.js',
];

const ROOT = path.join(__dirname, '..');

interface PackResult {
  readonly files: ReadonlyArray<{ readonly path: string }>;
}

/** The file list of `npm pack --dry-run` for the package in `dir`. */
function packList(dir: string): string[] {
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts', '--loglevel=error'], {
    cwd: dir,
    encoding: 'utf-8',
    env: { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false' },
  });
  const [result] = JSON.parse(out) as PackResult[];
  return result.files.map((f) => f.path).sort();
}

function notAllowed(files: readonly string[]): string[] {
  return files.filter((f) => !ALLOWED.some((re) => re.test(f)));
}

describe('npm tarball', () => {
  test('a tree with every kind of development file packs to the allowlist only', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-imds-pack-'));
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf-8'));
      // Without node_modules here a bundled dependency cannot be packed: leave it out of this tree.
      delete pkg.bundledDependencies;
      fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(pkg));
      fs.copyFileSync(path.join(ROOT, '.npmignore'), path.join(dir, '.npmignore'));
      const user = [
        'README.md',
        'LICENSE',
        'API.md',
        '.jsii',
        'lib/index.js',
        'lib/index.d.ts',
        'lib/cli/cdk-imds.js',
        'lib/checks/rules/imds001-require-imdsv2.js',
        'lib/checks/rules/imds001-require-imdsv2.d.ts',
        'assets/account/instance-metadata-defaults.lambda/index.js',
      ];
      const development = [
        '.jsii.tabl.json',
        '.projenrc.ts',
        'projenrc/npmignore.ts',
        '.ci/run',
        '.github/workflows/build.yml',
        'bench/run.ts',
        'bench/results/latest.json',
        'examples/app.ts',
        'examples/cdk.out/manifest.json',
        'examples/cdk.out/Example.template.json',
        'cdk.out/manifest.json',
        'rosetta/default.ts-fixture',
        'scripts/bundle-cli.js',
        'src/index.ts',
        'test/metadata-options.test.ts',
        'dist/js/cdk-imds-0.0.0.tgz',
        'coverage/lcov.info',
        'test-reports/junit.xml',
        'tsconfig.json',
        'tsconfig.dev.json',
        'lib/index.ts',
        'lib/tsconfig.tsbuildinfo',
        'notes.txt',
      ];
      for (const f of [...user, ...development]) {
        fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
        fs.writeFileSync(path.join(dir, f), '// placeholder\n');
      }

      const files = packList(dir);

      expect(files).toEqual(['package.json', ...user].sort());
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the package as built holds what a user needs and nothing outside the allowlist', () => {
    const missingBuild = ['lib/index.js', '.jsii', 'assets'].filter((f) => !fs.existsSync(path.join(ROOT, f)));
    if (missingBuild.length > 0) {
      throw new Error(`${missingBuild.join(', ')} missing: run \`npx projen pre-compile && npx projen compile\` before this test`);
    }

    const files = packList(ROOT);

    expect(notAllowed(files)).toEqual([]);
    expect(REQUIRED.filter((f) => !files.includes(f))).toEqual([]);
    // Every source module ships compiled, with its type definitions.
    expect(files.filter((f) => f.startsWith('lib/') && f.endsWith('.d.ts')).length).toBeGreaterThan(50);
  });
});
