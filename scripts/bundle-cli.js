#!/usr/bin/env node
/**
 * Bundles the `cdk-imds` CLI into one file, the package's `cdk-imds` bin (lib/cli/cdk-imds.js).
 *
 * A check run is short: loading the checker's 30 modules one by one (resolving, reading and
 * compiling each) is a noticeable part of it, and one file loads faster. `yaml` stays outside:
 * it is a bundled dependency of the package, loaded only for YAML templates. `jsonc-parser`
 * (positions of keys in JSON templates, for SARIF) goes inside, from its ES module build: its
 * package `main` is a UMD build whose `require` calls a bundler cannot follow.
 *
 *   node scripts/bundle-cli.js            bundle lib/cli/main.js (after compile)
 */
const esbuild = require('esbuild');

/** esbuild options of the CLI bundle, shared with the test that runs a bundle of the sources. */
function cliBundleOptions(entry, outfile) {
  return {
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node18',
    format: 'cjs',
    external: ['yaml'],
    alias: { 'jsonc-parser': 'jsonc-parser/lib/esm/main.js' },
    legalComments: 'none',
    logLevel: 'warning',
  };
}

module.exports = { cliBundleOptions };

if (require.main === module) {
  esbuild.buildSync(cliBundleOptions('lib/cli/main.js', 'lib/cli/cdk-imds.js'));
}
