/**
 * Compare builds of the `cdk-imds` bin on the CLI benchmark's launch-dense template, in one run,
 * alternating in a rotating order with a bare `JSON.parse` of the same file (as `run.ts` does for
 * the CLI target). For `perf:` changes of the CLI: bundle each build (`npx projen compile` leaves
 * it in lib/cli/cdk-imds.js), copy it aside, and give the copies here.
 *
 *   npx ts-node -T --project tsconfig.dev.json bench/cli-compare.ts --reps 21 --bins before.js,after.js
 *
 * Prints, for the bare parse and each bin, the median wall clock and CPU time and their ratio to
 * the bare parse's.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cliTemplate } from './cli-template';
import { BARE_PARSE, median, parseArgs } from './common';

const CPU_PROBE = "process.on('exit', () => { const u = process.cpuUsage(); require('fs').writeSync(2, '\\nBENCH_CPU_MS=' + (u.user + u.system) / 1000 + '\\n'); });\n";

function time(probe: string, args: string[], ok: number): { wall: number; cpu: number } {
  const start = process.hrtime.bigint();
  const child = spawnSync(process.execPath, ['-r', probe, ...args], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const wall = Number(process.hrtime.bigint() - start) / 1e6;
  const m = /BENCH_CPU_MS=([\d.]+)\s*$/.exec(child.stderr ?? '');
  if (child.status !== ok || !m) throw new Error(`${args[0]} exited ${child.status ?? child.signal}, expected ${ok}: ${(child.stderr ?? '').trim().split('\n').slice(-2).join(' | ')}`);
  return { wall, cpu: Number(m[1]) };
}

function main(): void {
  const args = parseArgs(process.argv.slice(2), ['bins']);
  const reps = Number(args.reps ?? 21);
  const resources = Number(args.resources ?? 10000);
  if (!Number.isInteger(reps) || reps < 1) throw new Error(`--reps is ${args.reps}: give a whole number of at least 1.`);
  const bins = args.bins.split(',').map((b) => path.resolve(b.trim()));
  for (const b of bins) if (!fs.existsSync(b)) throw new Error(`--bins names ${b}, which does not exist.`);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-imds-cli-compare-'));
  try {
    const file = path.join(tmp, 'template.json');
    fs.writeFileSync(file, JSON.stringify(cliTemplate(resources, 'dense'), undefined, 1));
    const probe = path.join(tmp, 'probe.js');
    fs.writeFileSync(probe, CPU_PROBE);
    const names = ['JSON.parse', ...bins];
    const runs = new Map(names.map((n) => [n, [] as Array<{ wall: number; cpu: number }>]));
    for (let i = 0; i < reps; i++) {
      const k = i % names.length;
      for (const n of [...names.slice(k), ...names.slice(0, k)]) {
        runs.get(n)!.push(n === 'JSON.parse' ? time(probe, ['-e', BARE_PARSE, file], 0) : time(probe, [n, 'check', '--format', 'json', file], 1));
      }
    }
    const base = runs.get('JSON.parse')!;
    const bw = median(base.map((r) => r.wall));
    const bc = median(base.map((r) => r.cpu));
    console.log(`${reps} alternating runs each, ${resources} resources, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
    for (const n of names) {
      const w = median(runs.get(n)!.map((r) => r.wall));
      const c = median(runs.get(n)!.map((r) => r.cpu));
      console.log(`${path.basename(n).padEnd(20)} wall ${w.toFixed(0)} ms (${(w / bw).toFixed(2)}x)  CPU ${c.toFixed(0)} ms (${(c / bc).toFixed(2)}x)`);
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main();
