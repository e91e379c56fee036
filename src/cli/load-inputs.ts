/**
 * Turn CLI paths (template files, folders of templates, cdk.out cloud assemblies) into templates.
 *
 * Every problem with the input is an `InputError` with a one-line message naming the file.
 */
import * as fs from 'fs';
import * as path from 'path';
import { YamlConstructError, parseYamlTemplate } from './yaml-template';
import { AcknowledgementProblem, INVALID_ACKNOWLEDGEMENT, recordedAcknowledgementProblem } from '../checks/acknowledgements';
import { Acknowledgement, ResourceContext, acknowledgementKeys } from '../checks/check';
import { isObject } from '../checks/template-json';
import { TemplateSource } from '../checks/template-model';
import { nestedTemplatePaths } from '../private/nested-templates';

/** How deep a template may nest (objects and lists); real templates stay far below. */
export const MAX_NESTING = 200;

/** Bad input: the CLI prints the message and exits 2. */
export class InputError extends Error {}

/**
 * Bad input in a file that parsed and is clearly not a template (no top-level Resources), so a
 * folder skips it.
 */
class NotATemplateError extends InputError {}

/** Templates of a run, with what a cdk.out manifest tells about their resources. */
export interface LoadedInputs {
  readonly sources: TemplateSource[];
  readonly context: ManifestContext;
  /** The text of each template file read, by its path; empty unless `keepTexts` was asked for. */
  readonly texts: Map<string, string>;
}

/** How to read the inputs. */
export interface LoadOptions {
  /** Keep the text of every template file (SARIF output locates findings in it). */
  readonly keepTexts?: boolean;
}

/** Read every path. */
export function loadInputs(paths: readonly string[], options: LoadOptions = {}): LoadedInputs {
  const sources: TemplateSource[] = [];
  const context = new ManifestContext();
  const texts = new Map<string, string>();
  const keep = options.keepTexts ? texts : undefined;
  for (const p of paths) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(p);
    } catch {
      throw new InputError(`${p}: no such file or folder`);
    }
    if (stat.isDirectory()) {
      if (fs.existsSync(path.join(p, 'manifest.json'))) loadAssembly(p, sources, context, 0, keep);
      else loadFolder(p, sources, keep);
    } else {
      sources.push({ path: p, template: readTemplate(p, true, keep) });
    }
  }
  return { sources, context, texts };
}

/**
 * Read and parse one template file. With `required`, a file that is not a template is an error.
 * With `texts`, the file's text is kept there under its path.
 */
export function readTemplate(file: string, required: boolean, texts?: Map<string, string>): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf-8');
  } catch (e) {
    throw new InputError(`${file}: cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  const ext = path.extname(file).toLowerCase();
  // An empty YAML file is an empty YAML document: no template, as a folder may hold.
  const Empty = ext === '.yaml' || ext === '.yml' ? NotATemplateError : InputError;
  if (text.length === 0) throw new Empty(`${file}: the file is empty (0 bytes), expected a CloudFormation template in JSON or YAML`);
  if (!/\S/.test(text)) throw new Empty(`${file}: the file holds only white space, expected a CloudFormation template in JSON or YAML`);
  let template: unknown;
  const looksJson = /^\s*[{[]/.test(text);
  if (ext === '.json' || (looksJson && ext !== '.yaml' && ext !== '.yml')) {
    try {
      template = JSON.parse(text);
    } catch (e) {
      if (ext === '.json') throw new InputError(`${file}: not valid JSON (${oneLine((e as Error).message)})`);
      template = parseYaml(file, text);
    }
  } else {
    template = parseYaml(file, text);
  }
  // V8's JSON.parse reads any depth without recursion, so JSON is measured once parsed, not
  // scanned beforehand; the limit protects what reads the result.
  if (nestingDepth(template) > MAX_NESTING) {
    const Deep = isObject(template) && 'Resources' in template ? InputError : NotATemplateError;
    throw new Deep(`${file}: the document nests more than ${MAX_NESTING} levels deep, which no CloudFormation template does`);
  }
  if (required) checkTemplateShape(file, template);
  texts?.set(file, text);
  return template;
}

/** The checks of a file given by name: an object with a Resources object. */
function checkTemplateShape(file: string, template: unknown): void {
  if (!isObject(template)) throw new InputError(`${file}: not a CloudFormation template: the document is ${kind(template)}, expected an object with Resources`);
  if (!('Resources' in template)) throw new InputError(`${file}: not a CloudFormation template: it has no Resources section`);
  if (!isObject(template.Resources)) throw new InputError(`${file}: Resources is ${kind(template.Resources)}, expected an object of resources`);
}

function parseYaml(file: string, text: string): unknown {
  // Flow-style YAML nests brackets like JSON, and the YAML parser recurses: refuse before parsing.
  if (bracketDepth(text) > MAX_NESTING) throw new InputError(`${file}: the document nests more than ${MAX_NESTING} levels deep, which no CloudFormation template does`);
  try {
    return parseYamlTemplate(text);
  } catch (e) {
    if (e instanceof RangeError) throw new InputError(`${file}: the document nests too deeply to read`);
    if (e instanceof YamlConstructError) {
      const message = `${file}:${e.line}:${e.column}: ${e.message}`;
      throw e.isTemplate ? new InputError(message) : new NotATemplateError(message);
    }
    throw new InputError(`${file}: not valid JSON or YAML (${oneLine((e as Error).message)})`);
  }
}

/**
 * The templates of a folder: its JSON, YAML and .template files that have a top-level Resources
 * key. A file that parses and has none (package.json, tsconfig.json, mkdocs.yml) is skipped; a
 * file that cannot be read or parsed (invalid JSON, broken YAML) may be a template, so it is an
 * error, as is a template with a bad Resources section. The errors of all the folder's files are
 * reported together, each naming its file.
 */
function loadFolder(dir: string, sources: TemplateSource[], texts: Map<string, string> | undefined): void {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch (e) {
    throw new InputError(`${dir}: the folder cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  const files = names.filter((f) => /\.(json|ya?ml|template)$/i.test(f)).sort();
  const unreadable: string[] = [];
  let found = 0;
  for (const f of files) {
    const file = path.join(dir, f);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(file);
    } catch (e) {
      unreadable.push(`${file}: cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
      continue;
    }
    if (!stat.isFile()) continue;
    let t: unknown;
    try {
      t = readTemplate(file, false, texts);
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      // Some other JSON or YAML file of the folder, unless its name says it is a template.
      if (e instanceof NotATemplateError && !/\.template\.(json|ya?ml)$/i.test(f)) continue;
      unreadable.push(e.message);
      continue;
    }
    if (!isObject(t) || !('Resources' in t)) {
      texts?.delete(file);
      continue;
    }
    try {
      checkTemplateShape(file, t); // the same checks as a file given by name, on the same parse
    } catch (e) {
      unreadable.push((e as Error).message);
      continue;
    }
    sources.push({ path: file, template: t });
    found++;
  }
  if (unreadable.length === 1) throw new InputError(unreadable[0]);
  if (unreadable.length > 1) throw new InputError(`${dir}: ${unreadable.length} files cannot be read as templates: ${unreadable.join('; ')}`);
  if (found === 0) throw new InputError(`${dir}: the folder holds no CloudFormation templates (no manifest.json, no JSON or YAML file with Resources)`);
}

function loadAssembly(dir: string, sources: TemplateSource[], context: ManifestContext, level: number, texts: Map<string, string> | undefined): void {
  if (level > 20) throw new InputError(`${dir}: cloud assemblies nest more than 20 levels deep`);
  const manifestFile = path.join(dir, 'manifest.json');
  let manifest: unknown;
  try {
    manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf-8'));
  } catch (e) {
    throw new InputError(`${manifestFile}: not a readable cloud assembly manifest (${oneLine((e as Error).message)})`);
  }
  const artifacts = isObject(manifest) && isObject(manifest.artifacts) ? manifest.artifacts : undefined;
  if (!artifacts) throw new InputError(`${manifestFile}: not a cloud assembly manifest: it has no artifacts`);
  const before = sources.length;
  for (const [id, a] of Object.entries(artifacts)) {
    if (!isObject(a)) continue;
    const props = isObject(a.properties) ? a.properties : {};
    if (a.type === 'aws:cloudformation:stack' && typeof props.templateFile === 'string') {
      const file = path.join(dir, props.templateFile);
      const env = typeof a.environment === 'string' ? /^aws:\/\/[^/]*\/(.+)$/.exec(a.environment) : null;
      const region = env && !env[1].startsWith('unknown-') ? env[1] : undefined;
      const template = readTemplate(file, true, texts);
      const stackName = typeof a.displayName === 'string' ? a.displayName : id;
      sources.push({ path: file, template, region, stackName });
      const metadata = readMetadata(dir, a);
      context.addStack(file, metadata);
      // Nested stacks: their templates are assets next to the parent's; their construct paths and
      // acknowledgements are in the parent's metadata.
      for (const nestedFile of nestedTemplatePaths(file, template)) {
        sources.push({ path: nestedFile, template: readTemplate(nestedFile, true, texts), region, stackName: `${stackName}/${path.basename(nestedFile)}` });
        context.addStack(nestedFile, metadata);
      }
    } else if (a.type === 'cdk:cloud-assembly' && typeof props.directoryName === 'string') {
      loadAssembly(path.join(dir, props.directoryName), sources, context, level + 1, texts);
    }
  }
  if (level === 0 && sources.length === before) throw new InputError(`${dir}: the cloud assembly holds no stacks`);
}

function readMetadata(dir: string, artifact: Record<string, unknown>): Record<string, unknown> {
  if (isObject(artifact.metadata) && Object.keys(artifact.metadata).length > 0) return artifact.metadata;
  if (typeof artifact.additionalMetadataFile === 'string') {
    try {
      const m = JSON.parse(fs.readFileSync(path.join(dir, artifact.additionalMetadataFile), 'utf-8'));
      if (isObject(m)) return m;
    } catch {
      // metadata is optional: without it there are no construct paths or acknowledgements
    }
  }
  return {};
}

/** Construct paths and acknowledgements from the metadata of a cloud assembly. */
export class ManifestContext implements ResourceContext {
  private readonly paths = new Map<string, Map<string, string>>();
  private readonly acks = new Map<string, Map<string, Record<string, unknown>>>();

  public addStack(templatePath: string, metadata: Record<string, unknown>): void {
    const paths = new Map<string, string>();
    const acks = new Map<string, Record<string, unknown>>();
    for (const [constructPath, entries] of Object.entries(metadata)) {
      if (!Array.isArray(entries)) continue;
      for (const e of entries) {
        if (!isObject(e)) continue;
        if (e.type === 'aws:cdk:logicalId' && typeof e.data === 'string') paths.set(e.data, constructPath);
        if (e.type === 'aws:cdk:acknowledged-rules' && isObject(e.data)) acks.set(constructPath, { ...(acks.get(constructPath) ?? {}), ...e.data });
      }
    }
    this.paths.set(templatePath, paths);
    this.acks.set(templatePath, acks);
  }

  public constructPath(templatePath: string, logicalId: string): string | undefined {
    return this.paths.get(templatePath)?.get(logicalId)?.replace(/^\//, '');
  }

  public acknowledgement(templatePath: string, logicalId: string, ruleId: string): Acknowledgement | undefined {
    const full = this.paths.get(templatePath)?.get(logicalId);
    const acks = this.acks.get(templatePath);
    if (!full || !acks || acks.size === 0) return undefined;
    const keys = acknowledgementKeys(ruleId);
    let p = full;
    while (p.length > 0) {
      const data = acks.get(p);
      if (data) {
        for (const key of keys) {
          if (data[key] !== undefined) return { ruleId, reason: typeof data[key] === 'string' ? (data[key] as string) : '', constructPath: p.replace(/^\//, ''), key };
        }
      }
      p = p.slice(0, Math.max(0, p.lastIndexOf('/')));
    }
    return undefined;
  }

  /**
   * The acknowledgements recorded in the assembly (`Validations.of(x).acknowledge`) that are meant
   * for cdk-imds but are not honoured: an ID that names no rule, or a rule without a reason.
   */
  public acknowledgementProblems(): AcknowledgementProblem[] {
    const out: AcknowledgementProblem[] = [];
    for (const [templatePath, acks] of this.acks) {
      const byPath = new Map([...(this.paths.get(templatePath) ?? new Map<string, string>())].map(([id, p]) => [p, id]));
      for (const [constructPath, data] of acks) {
        const shownPath = constructPath.replace(/^\//, '') || '/';
        for (const [key, reason] of Object.entries(data)) {
          const shown = key.startsWith('Annotation::') ? key.slice('Annotation::'.length) : key;
          const problem = recordedAcknowledgementProblem(key, reason, `the acknowledgement '${shown}' on ${shownPath} (Validations.of(...).acknowledge)`);
          if (!problem) continue;
          out.push({ templatePath, logicalId: byPath.get(constructPath) ?? '', propertyPath: '', constructPath: shownPath, message: `${INVALID_ACKNOWLEDGEMENT}: ${problem}` });
        }
      }
    }
    return out;
  }
}

/** The deepest bracket nesting of JSON-like text, outside strings; a cheap guard before parsing YAML. */
export function bracketDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
      continue;
    }
    if (c === 34) {inString = true;} else if (c === 123 || c === 91) {
      if (++depth > max) max = depth;
      if (max > MAX_NESTING) return max;
    } else if (c === 125 || c === 93) {depth--;}
  }
  return max;
}

/**
 * The nesting depth of a parsed value (objects and lists); stops counting once past `MAX_NESTING`,
 * so the walk never goes more than `MAX_NESTING + 1` calls deep, however deep the value. A plain
 * recursive walk: it allocates nothing, and on a large template it is several times faster than
 * walking with explicit stacks.
 */
export function nestingDepth(value: unknown): number {
  if (value === null || typeof value !== 'object') return 0;
  return depthBelow(value, 1);
}

/** The depth of the deepest value under `v`, which is at depth `d`; `d` itself once past the limit. */
function depthBelow(v: object, d: number): number {
  if (d > MAX_NESTING) return d;
  let max = d;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const child: unknown = v[i];
      if (child !== null && typeof child === 'object') {
        const m = depthBelow(child, d + 1);
        if (m > max && (max = m) > MAX_NESTING) return max;
      }
    }
  } else {
    const o = v as Record<string, unknown>;
    for (const key in o) {
      const child = o[key];
      if (child !== null && typeof child === 'object') {
        const m = depthBelow(child, d + 1);
        if (m > max && (max = m) > MAX_NESTING) return max;
      }
    }
  }
  return max;
}

function kind(x: unknown): string {
  if (x === null) return 'null';
  if (Array.isArray(x)) return 'a list';
  if (typeof x === 'string') return 'a string';
  return typeof x === 'object' ? 'an object' : `a ${typeof x}`;
}

function oneLine(s: string): string {
  const line = s.split('\n')[0].trim();
  return line.length > 160 ? line.slice(0, 157) + '...' : line;
}
