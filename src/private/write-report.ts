import * as fs from 'fs';
import * as path from 'path';
import { CheckResult } from '../checks/check';
import { REPORT_JSON, REPORT_MARKDOWN, reportJson, reportMarkdown } from '../checks/report';

/** Who writes a report: each writer has its own files, so one never overwrites the other's. */
export type ReportWriter = 'aspect' | 'plugin';

/** The report files of the validation plugin; the aspect (`ImdsChecks`, the baseline's checks) writes `imds-report.*`. */
export const PLUGIN_REPORT_JSON = 'imds-plugin-report.json';
export const PLUGIN_REPORT_MARKDOWN = 'imds-plugin-report.md';

/** The JSON and Markdown file names a writer uses. */
export function reportFiles(writer: ReportWriter): { readonly json: string; readonly markdown: string } {
  return writer === 'plugin' ? { json: PLUGIN_REPORT_JSON, markdown: PLUGIN_REPORT_MARKDOWN } : { json: REPORT_JSON, markdown: REPORT_MARKDOWN };
}

/**
 * Write the report into a folder (a cloud assembly): `imds-report.json` and `imds-report.md` for
 * the aspect, `imds-plugin-report.json` and `imds-plugin-report.md` for the validation plugin.
 */
export function writeReport(outdir: string | undefined, result: CheckResult, writer: ReportWriter): void {
  if (!outdir) return;
  const files = reportFiles(writer);
  fs.mkdirSync(outdir, { recursive: true });
  fs.writeFileSync(path.join(outdir, files.json), JSON.stringify(reportJson(result), undefined, 2));
  fs.writeFileSync(path.join(outdir, files.markdown), reportMarkdown(result));
}
