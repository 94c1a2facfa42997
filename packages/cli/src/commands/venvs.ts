import { readPlanHeader } from '@leap/markers';
import { loadConfig } from '../config.js';
import { ExitCode } from '../errors.js';
import { interruptOnSignals } from '../interrupt.js';
import type { Io } from '../output.js';
import { prepareMigrationVenvs } from '../plan/prepare-venvs.js';
import { describePrepared } from '../plan/sections/venvs.js';
import { releasesAfter } from '../release.js';
import { createRuntime, resolveSource, type GlobalOptions } from './shared.js';

/**
 * `leap venvs`: what step venvs/prepare does, days before the window: the tarballs fetched and checked, the
 * venvs pushed and their commands checked. The step repeats it quickly later: hosts already holding them are skipped.
 */
export async function runVenvs(options: GlobalOptions, io: Io): Promise<number> {
  const config = await loadConfig(options);
  const header = await readPlanHeader(config.markerDir);
  const { source } = resolveSource(config, header?.source);
  const rt = createRuntime(config, io, { interactive: false });
  const interrupt = interruptOnSignals();
  try {
    const prepared = await prepareMigrationVenvs(rt, releasesAfter(source), {
      signal: interrupt.signal,
      progress: (message) => {
        if (!options.json) io.stdout(`  ${message}\n`);
      },
      log: () => undefined,
    });
    if (options.json) io.stdout(`${JSON.stringify(prepared, null, 2)}\n`);
    else {
      for (const v of prepared.venvs) io.stdout(`${v.release}: ${v.path} on ${v.hosts.join(', ')} (${v.from})\n`);
      io.stdout(`leap: migration venvs ready: ${describePrepared(prepared)}\n`);
    }
    return ExitCode.ok;
  } catch (error) {
    if (interrupt.signal.aborted) {
      io.stderr('\nleap: interrupted; run `leap venvs` again: hosts already holding a venv are skipped\n');
      return ExitCode.interrupted;
    }
    throw error;
  } finally {
    interrupt.dispose();
  }
}
