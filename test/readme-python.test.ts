import * as fs from 'fs';
import * as path from 'path';
import { ApiLocation, SnippetLocation, SnippetParameters, TargetLanguage, Translator, TypeScriptSnippet, updateParameters } from 'jsii-rosetta';

/**
 * The README's TypeScript examples, translated to Python by jsii-rosetta as the build does
 * (`jsii-rosetta extract`, with the fixtures in rosetta/), must not use what exists only in Node.js:
 * a Python user copying them would get a NameError.
 */

const ROOT = path.join(__dirname, '..');

// jsii-rosetta extracts snippets from Markdown with this function; its package exports map does not
// list the module, so it is loaded by file path from the installed jsii-rosetta.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { extractTypescriptSnippetsFromMarkdown } = require(
  path.join(path.dirname(require.resolve('jsii-rosetta')), 'markdown', 'extract-snippets.js'),
) as { extractTypescriptSnippetsFromMarkdown(markdown: string, location: ApiLocation, strict: boolean): TypeScriptSnippet[] };

/** Names that Python does not define and that a rosetta translation carries over from Node.js. */
const NODE_ONLY: ReadonlyArray<[RegExp, string]> = [
  [/\bfs\./, 'fs. (Node file system)'],
  [/\bpath\.(join|resolve|dirname|basename)\b/, 'path. (Node path module)'],
  [/\brequire\(/, 'require('],
  [/\bprocess\./, 'process. (Node process)'],
  [/\b__dirname\b|\b__filename\b/, '__dirname / __filename'],
  [/\bBuffer\b/, 'Buffer'],
  [/\bconsole\./, 'console.'],
  [/\bJSON\./, 'JSON.'],
];

/** Methods whose last parameter is a struct: jsii's Python takes its fields as keyword arguments only. */
const KEYWORD_ONLY = /\.(for_instance|for_launch_template|to_cloud_formation|secure_defaults)\((?!\s*\)|\s*[a-z_][a-z0-9_]*=)/;

/** The code of a Python snippet without its string literals and comments. */
function codeOnly(python: string): string {
  return python
    .replace(/"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'/g, '""')
    .replace(/#.*$/gm, '');
}

/** Problems a Python user would hit in one translated snippet. */
export function nodeOnlyNames(python: string): string[] {
  const code = codeOnly(python);
  const problems = NODE_ONLY.filter(([re]) => re.test(code)).map(([, name]) => `uses ${name}`);
  const positional = KEYWORD_ONLY.exec(code);
  if (positional) problems.push(`passes a struct positionally to ${positional[1]} (jsii takes its fields as keyword arguments)`);
  return problems;
}

describe('README examples in Python', () => {
  const markdown = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf-8');
  const snippets = extractTypescriptSnippetsFromMarkdown(markdown, { api: 'moduleReadme', moduleFqn: 'cdk-imds' }, true).map((s) =>
    updateParameters(s, { [SnippetParameters.$PROJECT_DIRECTORY]: ROOT }),
  );

  test('the README has TypeScript examples to translate', () => {
    expect(snippets.length).toBeGreaterThan(10);
  });

  test('no translated example uses a name Python does not define', () => {
    const translated = new Translator(false).translateSnippets(snippets, [TargetLanguage.PYTHON]);
    expect(translated).toHaveLength(snippets.length);
    const problems = translated.flatMap((t) => {
      const python = t.get(TargetLanguage.PYTHON);
      if (!python) return [`README.md line ${lineOf(t.snippet)}: no Python translation`];
      return nodeOnlyNames(python.source).map((p) => `README.md line ${lineOf(t.snippet)}: ${p}\n${python.source}`);
    });
    expect(problems).toEqual([]);
  }, 120_000);
});

describe('the Node-only check', () => {
  test.each([
    ['print(fs.read_file_sync(path.join(assembly.directory, "imds-report.md"), "utf-8"))', ['uses fs. (Node file system)', 'uses path. (Node path module)']],
    ['data = JSON.parse(text)', ['uses JSON.']],
    ['console.log(x)', ['uses console.']],
    ['root = process.cwd()', ['uses process. (Node process)']],
    ['cfn_instance.metadata_options = ImdsMetadataOptions.to_cloud_formation(options)', [
      'passes a struct positionally to to_cloud_formation (jsii takes its fields as keyword arguments)',
    ]],
  ])('%s', (python, expected) => {
    expect(nodeOnlyNames(python)).toEqual(expected);
  });

  test.each([
    'cfn_instance.metadata_options = ImdsMetadataOptions.for_instance(http_tokens=ec2.LaunchTemplateHttpTokens.REQUIRED)',
    'options = ImdsMetadataOptions.secure_defaults()',
    '# fs.readFileSync is Node only\nreport_folder = assembly.directory',
    'print("see process.env and fs.read")',
  ])('passes %s', (python) => {
    expect(nodeOnlyNames(python)).toEqual([]);
  });
});

function lineOf(snippet: { readonly location?: SnippetLocation }): number | string {
  const field = snippet.location?.field;
  return field && 'line' in field ? field.line : '?';
}
