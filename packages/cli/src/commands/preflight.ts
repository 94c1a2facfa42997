import { loadConfig } from '../config.js';
import { readPlanHeader } from '@leap/markers';
import type { Io } from '../output.js';
import { formatChecks, runPreflightChecks } from '../preflight/run-checks.js';
import { createRuntime, type GlobalOptions } from './shared.js';

/** `leap preflight`: the read-only checks alone; exit 1 when one fails. */
export async function runPreflight(options: GlobalOptions, io: Io): Promise<number> {
  const config = await loadConfig(options);
  const header = await readPlanHeader(config.markerDir);
  const results = await runPreflightChecks(createRuntime(config, io, { interactive: false }), header?.source);
  if (options.json) io.stdout(`${JSON.stringify(results, null, 2)}\n`);
  else io.stdout(`${formatChecks(results)}\n`);
  return results.some((r) => r.status === 'failed') ? 1 : 0;
}
