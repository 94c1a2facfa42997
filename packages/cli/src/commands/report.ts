import { resolve } from 'node:path';
import { writeFileAtomic } from '@leap/contract';
import { loadPlanView } from './plan.js';
import type { Io } from '../output.js';
import type { GlobalOptions } from './shared.js';

export interface ReportOptions extends GlobalOptions {
  html?: boolean;
  output?: string;
}

/**
 * `leap report`: the run's report as Markdown, JSON (--json) or a self-contained HTML page (--html, written beside
 * the markers unless --output names a file). --output writes any of them to a file instead of standard output.
 */
export async function showReport(options: ReportOptions, io: Io): Promise<number> {
  const { state, config, leap } = await loadPlanView(options, io);
  const { collectReport } = await import('../report/collect.js');
  const { reportLayout } = await import('../plan/build-plan.js');
  const report = collectReport(state, reportLayout(leap));
  let text: string;
  if (options.html) text = (await import('../report/html.js')).reportHtml(report);
  else if (options.json) text = `${JSON.stringify(report, null, 2)}\n`;
  else text = (await import('../report/markdown.js')).reportMarkdown(report);
  const output =
    options.output ??
    (options.html ? (await import('../report/write.js')).reportFiles(config.markerDir).html : undefined);
  if (output === undefined) {
    io.stdout(text);
    return 0;
  }
  await writeFileAtomic(resolve(output), text);
  io.stdout(`${resolve(output)}\n`);
  return 0;
}
