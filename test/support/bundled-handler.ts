/**
 * Runs a handler bundle (the esbuild output under assets/) the way Lambda would load it: copied
 * alone into an empty temporary folder, in its own Node.js process, with no package resolvable
 * outside the bundle and only fake credentials.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const RUNNER = `
const { handler } = require('./index.js');
const event = JSON.parse(process.argv[2]);
handler(event).then(
  (r) => process.stdout.write('\\n@@RESULT@@' + JSON.stringify({ ok: r })),
  (e) => process.stdout.write('\\n@@RESULT@@' + JSON.stringify({ error: e.message })),
);
`;

export interface BundleResult {
  readonly ok?: { PhysicalResourceId: string; Data?: Record<string, string> };
  readonly error?: string;
}

export class BundledHandler {
  public readonly dir: string;
  public readonly bundleBytes: number;

  /** @param bundle path of the bundle relative to the repository root, e.g. `assets/account/x.lambda/index.js` */
  public constructor(bundle: string) {
    const src = path.join(__dirname, '..', '..', bundle);
    if (!fs.existsSync(src)) {
      throw new Error(`${bundle} does not exist: run \`npx projen bundle\` (or \`npx projen compile\`) first`);
    }
    const built = fs.statSync(src).mtimeMs;
    // What the bundle is built from: the handler and the private contract files it imports.
    const areaDir = path.join(__dirname, '..', '..', 'src', bundle.split('/')[1]);
    const inputs = [...sources(areaDir).filter((f) => f.endsWith('.lambda.ts')), ...sources(path.join(areaDir, 'private'))];
    const newer = inputs.filter((f) => fs.statSync(f).mtimeMs > built);
    if (newer.length > 0) {
      throw new Error(`${bundle} is older than ${newer.join(', ')}: run \`npx projen bundle\` first`);
    }
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-imds-bundle-'));
    fs.copyFileSync(src, path.join(this.dir, 'index.js'));
    fs.writeFileSync(path.join(this.dir, 'run.js'), RUNNER);
    this.bundleBytes = fs.statSync(src).size;
  }

  /** Environment of the Lambda: its Region, fake credentials, the local endpoint. */
  public env(endpoint: string, region: string): NodeJS.ProcessEnv {
    return {
      PATH: process.env.PATH,
      HOME: this.dir,
      NODE_PATH: '',
      AWS_REGION: region,
      AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      AWS_SESSION_TOKEN: 'fake-session-token',
      AWS_ENDPOINT_URL_EC2: endpoint,
      AWS_ENDPOINT_URL_CLOUDFORMATION: endpoint,
      AWS_CONFIG_FILE: path.join(this.dir, 'no-config'),
      AWS_SHARED_CREDENTIALS_FILE: path.join(this.dir, 'no-credentials'),
      AWS_EC2_METADATA_DISABLED: 'true',
    };
  }

  /** Run a node script in the bundle's folder and return its stdout. */
  public node(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, args, { cwd: this.dir, env });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
  }

  public async invoke(event: unknown, endpoint: string, region = 'eu-west-1'): Promise<BundleResult> {
    const { stdout, stderr, code } = await this.node(['run.js', JSON.stringify(event)], this.env(endpoint, region));
    const at = stdout.lastIndexOf('@@RESULT@@');
    if (at < 0) throw new Error(`the bundle did not answer (exit ${code}): ${stderr}`);
    return JSON.parse(stdout.slice(at + '@@RESULT@@'.length));
  }

  public dispose(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

function sources(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return e.name.endsWith('.ts') ? [p] : [];
  });
}
