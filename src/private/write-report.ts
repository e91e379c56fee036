import * as fs from 'fs';
import * as path from 'path';
import { CheckResult } from '../checks/check';
import { REPORT_JSON, REPORT_MARKDOWN, reportJson, reportMarkdown } from '../checks/report';

/** Write `imds-report.json` and `imds-report.md` into a folder (a cloud assembly). */
export function writeReport(outdir: string | undefined, result: CheckResult): void {
  if (!outdir) return;
  fs.mkdirSync(outdir, { recursive: true });
  fs.writeFileSync(path.join(outdir, REPORT_JSON), JSON.stringify(reportJson(result), undefined, 2));
  fs.writeFileSync(path.join(outdir, REPORT_MARKDOWN), reportMarkdown(result));
}
