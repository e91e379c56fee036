import { awscdk, DependencyType, javascript } from 'projen';

/** The oldest aws-cdk-lib with `Validations` plugins and cdk-nag 3 support. */
const MIN_CDK_VERSION = '2.258.0';
/** The aws-cdk-lib version we build and test against. */
const DEV_CDK_VERSION = '2.276.0';
/** AWS SDK clients bundled into the custom resource handlers, pinned to one release. */
const HANDLER_SDK_VERSION = '3.1169.0';
const HANDLER_SDK_DEPS = ['client-ec2', 'client-cloudformation'].map((c) => `@aws-sdk/${c}@${HANDLER_SDK_VERSION}`);
/**
 * Handler bundles: the SDK inside (no externals), minified to half the size. The Lambda
 * component hands these options on to the bundler, which also knows `minify` and `keepNames`.
 */
const HANDLER_BUNDLING: javascript.BundlingOptions & Pick<javascript.AddBundleOptions, 'minify' | 'keepNames'> = {
  externals: [],
  minify: true,
  keepNames: true,
};

const project = new awscdk.AwsCdkConstructLibrary({
  name: 'cdk-imds',
  packageName: 'cdk-imds',
  description:
    'AWS CDK constructs that require IMDSv2 everywhere EC2 instance metadata options are set: launch templates, account defaults, AMIs, IAM/Organizations policies, and a checker that fails synthesis.',
  keywords: ['cdk', 'aws-cdk', 'awscdk', 'ec2', 'imds', 'imdsv2', 'instance-metadata', 'security', 'compliance'],
  author: 'cdk-imds maintainers',
  authorAddress: 'maintainers@cdk-imds.dev',
  repositoryUrl: 'https://github.com/cdk-imds/cdk-imds.git',
  license: 'Apache-2.0',
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  minNodeVersion: '20.0.0',

  // aws-cdk-lib: peer minimum MIN_CDK_VERSION, built and tested with DEV_CDK_VERSION.
  cdkVersion: MIN_CDK_VERSION,
  cdkVersionPinning: false,
  peerDependencyOptions: { pinnedDevDependency: false },
  constructsVersion: '10.5.1',
  jsiiVersion: '~6.0.0',
  typescriptVersion: '~6.0.0',

  tsconfigDevFile: 'tsconfig.dev.json',

  devDeps: [
    `aws-cdk-lib@${DEV_CDK_VERSION}`,
    'aws-cdk@^2',
    'ts-node',
    // Custom resource handlers: bundled INSIDE each handler (pinned) so HttpTokensEnforced is
    // always serialized, whatever SDK the Lambda runtime ships.
    ...HANDLER_SDK_DEPS,
    // Handler tests: the standard mock for SDK v3 clients.
    'aws-sdk-client-mock@^4',
    // Our own Lambda and roles are checked with AwsSolutions in a test.
    'cdk-nag@^3',
    // The oracle of the enforcement tests: an IAM policy evaluator that is not ours.
    '@cloud-copilot/iam-simulate@0.1.173',
  ],

  // Custom resource handlers (src/**/*.lambda.ts): Node.js 24, and the AWS SDK bundled rather
  // than taken from the runtime (projen marks @aws-sdk/* external by default).
  lambdaOptions: {
    runtime: awscdk.LambdaRuntime.NODEJS_24_X,
    bundlingOptions: HANDLER_BUNDLING,
  },

  jestOptions: {
    jestVersion: '^30',
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    passWithNoTests: false,
    jestConfig: {
      testPathIgnorePatterns: ['/node_modules/', '/lib/', '/dist/'],
      // Tests that start processes (the bundled handlers against a local server, the CLI, cfn-lint)
      // take well over jest's default 5 s on a busy 2-core machine; a test that hangs still fails.
      testTimeout: 60_000,
    },
  },

  docgen: true,
  eslint: true,
  eslintOptions: {
    dirs: ['src'],
    devdirs: ['test', 'examples', 'bench', 'projenrc'],
    projectService: false,
    tsconfigPath: './tsconfig.dev.json',
  },
  sampleCode: false,

  // Release targets. Real releases publish to the registries; the local `package-all` task below
  // does only what can be done offline (JS package, code generation, the Python wheel and sdist).
  publishToPypi: {
    distName: 'cdk-imds',
    module: 'cdk_imds',
  },
  publishToMaven: {
    javaPackage: 'io.github.cdkimds',
    mavenGroupId: 'io.github.cdk-imds',
    mavenArtifactId: 'cdk-imds',
  },
  publishToNuget: {
    dotNetNamespace: 'CdkImds',
    packageId: 'CdkImds',
  },
  publishToGo: {
    moduleName: 'github.com/cdk-imds/cdk-imds-go',
  },

  githubOptions: {
    mergify: false,
  },
  gitignore: ['.jsii.tabl.json', '/cdk.out', '/examples/cdk.out', '/bench/results', '/.tmp'],
});

project.deps.addDependency('constructs@10.8.1', DependencyType.DEVENV);
// Lint and type-check the projenrc and the example app with the development tsconfig.
project.tsconfigDev.addInclude('.projenrc.ts');

// README examples are compiled by jsii-rosetta in strict mode: a broken example fails the build.
project.package.file.addOverride('jsii.metadata', { jsii: { rosetta: { strict: true } } });

const env = { JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION: '20', CDK_DISABLE_CLI_TELEMETRY: 'true' };
for (const [k, v] of Object.entries(env)) {
  project.tasks.addEnvironment(k, v);
}

// Compile every README example under rosetta strict after the code compiles.
const rosetta = project.addTask('rosetta:extract', {
  description: 'Compile the README examples with jsii-rosetta (strict)',
  exec: 'jsii-rosetta extract --strict --compile --fail',
});
project.postCompileTask.spawn(rosetta);

// Local packaging works offline: the JS tarball, generated source for every jsii language, and the
// Python wheel and sdist built from it. Java, .NET and Go packages need their registries, which
// only the release workflow reaches (the publishTo* settings above stay for it).
const codegen = project.addTask('package:codegen', {
  description: 'Generate the Python, Java, .NET and Go bindings (source only, offline)',
  exec: 'rm -rf dist/codegen && jsii-pacmak --code-only --target python --target java --target dotnet --target go -o dist/codegen',
});
const pythonOffline = project.addTask('package:python-offline', {
  description: 'Build and twine-check the Python wheel and sdist from the generated sources, offline',
  exec: 'bash scripts/package-python.sh',
});
const packageAll = project.tasks.tryFind('package-all')!;
packageAll.reset();
packageAll.spawn(project.tasks.tryFind('package:js')!);
packageAll.spawn(codegen);
packageAll.spawn(pythonOffline);

// The checker's CLI: `cdk-imds check PATH...`. `yaml` reads YAML templates with short-form
// intrinsics; `jsonc-parser` finds the positions of keys in JSON templates for SARIF regions. Both
// are bundled because jsii libraries may only carry bundled runtime dependencies.
// fast-check drives the property test that the template model never throws on arbitrary JSON.
// The bin is the CLI bundled into one file after compile (scripts/bundle-cli.js): it loads faster
// than the checker's modules one by one. lib/cli/main.js stays the same program, unbundled.
project.addBins({ 'cdk-imds': 'lib/cli/cdk-imds.js' });
project.compileTask.exec('node scripts/bundle-cli.js');
project.addBundledDeps('yaml@^2.9.1');
project.addBundledDeps('jsonc-parser@^3.3.1');
project.addDevDeps('fast-check@^4.10.2');

// The npm tarball holds what a user needs and nothing from development: everything at the top
// level is left out, then the compiled library (only its JavaScript and type definitions), the
// handler bundles, the jsii assembly and the docs are let back in. npm adds package.json, README.md and
// LICENSE itself. test/package-contents.test.ts lists the tarball against the same allowlist.
project.npmignore?.exclude('/*');
project.npmignore?.include('/lib/', '/assets/', '/.jsii', '/API.md', '/README.md', '/LICENSE');
project.npmignore?.exclude('/lib/**');
project.npmignore?.include('/lib/**/', '/lib/**/*.js', '/lib/**/*.d.ts');

// The README's first command: synthesize the example app (with ImdsChecks) and print, per launch,
// the effective metadata options and where each comes from.
project.addTask('example', {
  description: 'Synthesize examples/ and print the effective instance metadata options of every launch',
  steps: [
    { exec: 'rm -rf examples/cdk.out' },
    {
      exec: "cdk synth --quiet --no-notices --app 'ts-node -P tsconfig.dev.json examples/app.ts' -o examples/cdk.out",
    },
    { exec: 'cat examples/cdk.out/imds-report.md' },
  ],
});

// Benchmark of the checker (bench/): synth without checks, with ImdsChecks and with cdk-nag, and the
// CLI against a bare JSON.parse. Run by hand or in a scheduled job, never in `test`: it takes minutes.
// cdk-nag 3 is also the reference of the differential test of IMDS001 against EC2IMDSv2Enabled.
const bench = project.addTask('bench', {
  description: 'Benchmark the checks: synth overhead, scaling 2,000 -> 8,000 launches, CLI vs JSON.parse',
});
bench.spawn(project.compileTask);
bench.exec('ts-node --transpile-only --project tsconfig.dev.json bench/run.ts', { receiveArgs: true });
// The same modes counted in instructions under valgrind: what each adds, without the noise of time.
const benchInstructions = project.addTask('bench:instructions', {
  description: 'Count the instructions of each synthesis mode and of the CLI under valgrind (tens of minutes)',
});
benchInstructions.spawn(project.compileTask);
benchInstructions.exec('ts-node --transpile-only --project tsconfig.dev.json bench/instructions.ts', { receiveArgs: true });

// The integration snapshot compares assemblies: a file that depends on how long synthesis took
// (aws-cdk-lib's performance-counters.json, written when a stack takes 10 s or more) is no part of it.
const integAssert = project.tasks.tryFind('integ:example:assert')!;
const diffIndex = integAssert.steps.findIndex((s) => s.exec?.startsWith('diff ') || s.execArgs?.[0] === 'diff');
const diffStep = integAssert.steps[diffIndex];
if (diffStep?.execArgs) integAssert.updateStep(diffIndex, { ...diffStep, execArgs: ['diff', '-x', 'performance-counters.json', ...diffStep.execArgs.slice(1)] });
else throw new Error('integ:example:assert has no diff step to exclude performance-counters.json from');

project.synth();
