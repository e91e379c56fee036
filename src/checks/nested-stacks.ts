/**
 * Nested stacks of a synthesized template: `AWS::CloudFormation::Stack` resources whose template
 * aws-cdk-lib wrote as an asset next to the parent's (`Metadata['aws:asset:path']`).
 */
import { isObject } from './template-json';

/** File names, relative to the parent template's folder, of the nested stack templates. */
export function nestedTemplateFiles(template: unknown): string[] {
  if (!isObject(template) || !isObject(template.Resources)) return [];
  const files: string[] = [];
  for (const r of Object.values(template.Resources)) {
    if (!isObject(r) || r.Type !== 'AWS::CloudFormation::Stack' || !isObject(r.Metadata)) continue;
    const asset = r.Metadata['aws:asset:path'];
    if (typeof asset === 'string' && /\.template\.json$/.test(asset) && !asset.includes('..')) files.push(asset);
  }
  return files;
}

/** File names of nested stack templates listed in a stack's asset manifest (`<stack>.assets.json`). */
export function nestedTemplateFilesFromAssets(assetManifest: unknown): string[] {
  if (!isObject(assetManifest) || !isObject(assetManifest.files)) return [];
  const files: string[] = [];
  for (const f of Object.values(assetManifest.files)) {
    const source = isObject(f) && isObject(f.source) ? f.source.path : undefined;
    if (typeof source === 'string' && source.endsWith('.nested.template.json') && !source.includes('..') && !source.includes('/')) files.push(source);
  }
  return files;
}
