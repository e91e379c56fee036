/**
 * Parse YAML CloudFormation templates, short-form intrinsics included (`!Ref`, `!GetAtt a.b`,
 * `!Sub`, `!If`, ...), into the same JSON a JSON template gives.
 */

/** Short-form tags and the long form each stands for. */
const FUNCTIONS: ReadonlyArray<[string, string]> = [
  ['Ref', 'Ref'],
  ['Condition', 'Condition'],
  ['GetAtt', 'Fn::GetAtt'],
  ['Sub', 'Fn::Sub'],
  ['If', 'Fn::If'],
  ['Join', 'Fn::Join'],
  ['Select', 'Fn::Select'],
  ['Split', 'Fn::Split'],
  ['Base64', 'Fn::Base64'],
  ['FindInMap', 'Fn::FindInMap'],
  ['ImportValue', 'Fn::ImportValue'],
  ['GetAZs', 'Fn::GetAZs'],
  ['Cidr', 'Fn::Cidr'],
  ['Equals', 'Fn::Equals'],
  ['Not', 'Fn::Not'],
  ['And', 'Fn::And'],
  ['Or', 'Fn::Or'],
  ['Transform', 'Fn::Transform'],
  ['Length', 'Fn::Length'],
  ['ToJsonString', 'Fn::ToJsonString'],
];

/** Parse YAML text; throws an Error with a one-line message on bad input. */
export function parseYamlTemplate(text: string): unknown {
  // Loaded only for YAML input, so JSON runs never pay for it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const YAML = require('yaml') as typeof import('yaml');
  const tags: any[] = [];
  for (const [short, long] of FUNCTIONS) {
    for (const collection of [undefined, 'seq', 'map'] as const) {
      tags.push({
        tag: `!${short}`,
        collection,
        resolve: (value: unknown) => {
          const v = toJs(value);
          if (long === 'Fn::GetAtt' && typeof v === 'string') {
            const dot = v.indexOf('.');
            return { [long]: dot < 0 ? [v] : [v.slice(0, dot), v.slice(dot + 1)] };
          }
          return { [long]: v };
        },
      });
    }
  }
  const doc = YAML.parseDocument(text, { customTags: tags, uniqueKeys: false, prettyErrors: false });
  if (doc.errors.length > 0) throw new Error(doc.errors[0].message.split('\n')[0]);
  return doc.toJS({ maxAliasCount: 100 });
}

function toJs(value: unknown): unknown {
  const v = value as { toJSON?: () => unknown };
  return v !== null && typeof v === 'object' && typeof v.toJSON === 'function' ? v.toJSON() : value;
}
