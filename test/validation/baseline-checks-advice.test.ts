import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, AspectPriority, Aspects, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { BaselineChecks, ImdsChecks, ImdsChecksOptions, Imdsv2Baseline } from '../../src';
import { env } from '../support/aspect-app';

process.env.CDK_VALIDATION = 'false';

let outdir: string;
beforeEach(() => {
  outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-imds-advice-'));
});
afterEach(() => fs.rmSync(outdir, { recursive: true, force: true }));

/** The quick start's baseline in an app that already has your ImdsChecks (README "Add the checks to an app"). */
function baselineWithYourChecks(options: ImdsChecksOptions, checks?: BaselineChecks): Stack {
  const app = new App({ outdir, context: { 'aws:cdk:disable-creation-stack-traces': true } });
  Aspects.of(app).add(new ImdsChecks({ report: false, ...options }), { priority: AspectPriority.READONLY });
  const stack = new Stack(app, 'Baseline', { env });
  new Imdsv2Baseline(stack, 'Imdsv2', { checks });
  return stack;
}

function adviceWarnings(stack: Stack): string[] {
  return Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('An ImdsChecks is already on')).map((m) => `${m.id} ${String(m.entry.data)}`);
}

describe('the baseline\'s advice about your own ImdsChecks', () => {
  test('without trustAccountDefaults it asks for it, naming the ID to acknowledge', () => {
    expect(adviceWarnings(baselineWithYourChecks({}))).toEqual([
      '/Baseline/Imdsv2 An ImdsChecks is already on the App: the baseline adds no second one. ' +
        'Give yours trustAccountDefaults: true (so that the baseline\'s defaults count), or set checks to BaselineChecks.DISABLED. [ack: cdk-imds:baselineChecksAlreadyAdded]',
    ]);
  });

  test('following the advice (trustAccountDefaults: true) clears the warning, so cdk synth --strict passes', () => {
    expect(adviceWarnings(baselineWithYourChecks({ trustAccountDefaults: true }))).toEqual([]);
  });

  test('a STRICT baseline asks for strict too, and only for what is still missing', () => {
    expect(adviceWarnings(baselineWithYourChecks({ trustAccountDefaults: true }, BaselineChecks.STRICT))).toEqual([
      '/Baseline/Imdsv2 An ImdsChecks is already on the App: the baseline adds no second one. ' +
        'Give yours strict: true (the baseline asks for BaselineChecks.STRICT), or set checks to BaselineChecks.DISABLED. [ack: cdk-imds:baselineChecksAlreadyAdded]',
    ]);
    expect(adviceWarnings(baselineWithYourChecks({ trustAccountDefaults: true, strict: true }, BaselineChecks.STRICT))).toEqual([]);
  });
});
