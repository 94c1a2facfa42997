import { loadPlanView } from './plan.js';
import type { Io } from '../output.js';
import type { GlobalOptions } from './shared.js';

/** `leap report`: the run's report (Markdown, or JSON with --json), written beside the markers too. */
export async function showReport(options: GlobalOptions, io: Io): Promise<number> {
  const { state, config } = await loadPlanView(options, io);
  const { collectReport } = await import('../report/collect.js');
  const { reportMarkdown } = await import('../report/markdown.js');
  const report = await collectReport(config.markerDir, state);
  io.stdout(options.json ? `${JSON.stringify(report, null, 2)}\n` : reportMarkdown(report));
  return 0;
}
