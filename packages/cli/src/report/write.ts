import { join } from 'node:path';
import { writeFileAtomic } from '@leap/contract';
import type { PlanState } from '@leap/markers';
import { collectReport } from './collect.js';
import { reportMarkdown } from './markdown.js';

/** Where the report of a leap is written: beside its markers. */
export function reportFiles(markerDir: string) {
  return { markdown: join(markerDir, 'leap-report.md'), json: join(markerDir, 'leap-report.json') };
}

export async function writeReport(markerDir: string, state: PlanState): Promise<{ markdown: string; json: string }> {
  const report = await collectReport(markerDir, state);
  const files = reportFiles(markerDir);
  await writeFileAtomic(files.json, `${JSON.stringify(report, null, 2)}\n`);
  await writeFileAtomic(files.markdown, reportMarkdown(report));
  return files;
}
