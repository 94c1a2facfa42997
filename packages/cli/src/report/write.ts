import { join } from 'node:path';
import { writeFileAtomic } from '@leap/contract';
import type { PlanState } from '@leap/markers';
import { collectReport, type ReportLayout } from './collect.js';
import { reportHtml } from './html.js';
import { reportMarkdown } from './markdown.js';

/** Where the report of a leap is written: beside its markers. */
export function reportFiles(markerDir: string) {
  return {
    markdown: join(markerDir, 'leap-report.md'),
    json: join(markerDir, 'leap-report.json'),
    html: join(markerDir, 'leap-report.html'),
  };
}

export async function writeReport(
  markerDir: string,
  state: PlanState,
  layout: ReportLayout | null,
): Promise<{ markdown: string; json: string; html: string }> {
  const report = collectReport(state, layout);
  const files = reportFiles(markerDir);
  await writeFileAtomic(files.json, `${JSON.stringify(report, null, 2)}\n`);
  await writeFileAtomic(files.markdown, reportMarkdown(report));
  await writeFileAtomic(files.html, reportHtml(report));
  return files;
}
