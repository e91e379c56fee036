import { main } from '../../src/cli/main';

/** Run the CLI in-process and collect what it writes. */
export function run(args: string[]): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const code = main(args, (s) => (out += s), (s) => (err += s));
  return { code, out, err };
}
