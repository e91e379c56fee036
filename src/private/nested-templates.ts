import * as fs from 'fs';
import * as path from 'path';
import { nestedTemplateFiles, nestedTemplateFilesFromAssets } from '../checks/nested-stacks';

/**
 * The nested stack templates of a synthesized stack template, as paths: from the template's asset
 * metadata, or from the stack's asset manifest next to it (`<stack>.assets.json`).
 */
export function nestedTemplatePaths(templatePath: string, template: unknown): string[] {
  const dir = path.dirname(templatePath);
  const names = new Set(nestedTemplateFiles(template));
  const assets = path.join(dir, path.basename(templatePath).replace(/\.template\.json$/, '.assets.json'));
  if (assets !== templatePath && fs.existsSync(assets)) {
    try {
      for (const f of nestedTemplateFilesFromAssets(JSON.parse(fs.readFileSync(assets, 'utf-8')))) names.add(f);
    } catch {
      // an unreadable asset manifest only means no nested stacks are found through it
    }
  }
  return [...names].map((n) => path.join(dir, n)).filter((p) => fs.existsSync(p));
}
