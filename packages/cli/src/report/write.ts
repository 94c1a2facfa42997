import type { PlanState } from '@leap/markers';
import { writeFileAtomic } from '@leap/markers';
import { collectReport } from './collect.js';
import { reportMarkdown } from './markdown.js';
import { reportFiles } from '../plan/sections/post-leap.js';

export async function writeReport(markerDir: string, state: PlanState): Promise<{ markdown: string; json: string }> {
  const report = await collectReport(markerDir, state);
  const files = reportFiles(markerDir);
  await writeFileAtomic(files.json, `${JSON.stringify(report, null, 2)}\n`);
  await writeFileAtomic(files.markdown, reportMarkdown(report));
  return files;
}
