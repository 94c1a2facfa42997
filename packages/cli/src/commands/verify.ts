import { loadConfig } from '../config.js';
import type { Io } from '../output.js';
import { formatVerify, verifyLeap } from '../verify/post-leap-health.js';
import { createRuntime, type GlobalOptions } from './shared.js';

/** `leap verify`: the post-leap health report on its own; exit 1 when anything is wrong, each problem named. */
export async function runVerify(options: GlobalOptions, io: Io): Promise<number> {
  const config = await loadConfig(options);
  const rt = createRuntime(config, io, { interactive: false });
  const report = await verifyLeap(rt, { addSecret: () => undefined });
  io.stdout(options.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatVerify(report)}\n`);
  return report.ok ? 0 : 1;
}
