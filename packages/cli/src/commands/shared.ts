import { localExec } from '@leap/contract';
import type { RunEvent } from '@leap/markers';
import type { LeapConfig, PathFlags } from '../config.js';
import { createConfirmations, type ConfirmationOptions } from '../confirmations.js';
import { CliError, ExitCode } from '../errors.js';
import type { Io } from '../output.js';
import { isSourceSeries, readReleaseFile, seriesOf, type DetectedRelease, type SourceSeries } from '../release.js';
import { leapPaths, type LeapRuntime } from '../plan/runtime.js';
import type { LeapEvent, Reporter } from '../reporters/events.js';
import type { LiveViewReporter } from '../reporters/live-view.js';

export interface GlobalOptions extends PathFlags {
  json?: boolean;
  plain?: boolean;
  debug?: boolean;
  color?: boolean;
  forceUnlock?: boolean;
}

export function createRuntime(config: LeapConfig, io: Io, confirmation: Omit<ConfirmationOptions, 'io'>): LeapRuntime {
  return {
    config,
    io,
    confirmations: createConfirmations({ ...confirmation, io }),
    localExec,
    async execOn(group) {
      if (config.runner === 'local') return localExec;
      const { ansibleExec } = await import('../exec/ansible-exec.js');
      return ansibleExec(config, group);
    },
    paths: leapPaths(config),
  };
}

export interface SourceResolution {
  source: SourceSeries;
  /** True when the source comes from leap.json (a leap under way); false when detected from the release file. */
  recorded: boolean;
  detected: DetectedRelease | undefined;
}

/** A resumed leap uses the recorded source; only a new one reads the release file (which the leap rewrites). */
export function resolveSource(config: LeapConfig, recordedSource: string | undefined): SourceResolution {
  if (recordedSource !== undefined) {
    const series = seriesOf(recordedSource);
    if (series === undefined || !isSourceSeries(series)) {
      throw new CliError('LEAP_PLAN_HEADER_SOURCE', `leap.json records an unknown source release '${recordedSource}'`, {
        file: `${config.markerDir}/leap.json`,
        exitCode: ExitCode.usage,
        hint: 'the header was written by another tool or edited by hand; restore it from a backup of the marker folder',
      });
    }
    return { source: series, recorded: true, detected: undefined };
  }
  const detected = readReleaseFile(config.releaseFile);
  if (!isSourceSeries(detected.series)) {
    throw new CliError(
      'LEAP_ALREADY_AT_TARGET',
      `${config.releaseFile} says this cloud already runs ${detected.series} (${detected.version})`,
      {
        file: config.releaseFile,
        exitCode: ExitCode.usage,
        hint: 'there is nothing to leap from; if a leap was under way, point --marker-dir at its marker folder so leap reads the recorded source',
      },
    );
  }
  return { source: detected.series, recorded: false, detected };
}

/** Picks the renderer: JSONL with --json, lines with --plain or when stdout is not a terminal, else the live view. */
export async function chooseReporter(
  options: GlobalOptions,
  io: Io,
  plan: { sections: ReadonlyArray<{ name: string; stepIds: string[] }>; pointOfNoReturn: string | undefined },
  isTty: boolean,
): Promise<Reporter | LiveViewReporter> {
  if (options.json) return (await import('../reporters/json.js')).jsonReporter(io);
  if (options.plain || !isTty) return (await import('../reporters/plain.js')).plainReporter(io);
  return (await import('../reporters/live-view.js')).liveViewReporter(process.stdout, plan);
}

/** Translates the runner's events into what the renderers show. */
export function toLeapEvent(event: RunEvent): LeapEvent | undefined {
  switch (event.type) {
    case 'step-started':
      return { type: 'step-start', id: event.step, title: event.title, index: event.index + 1, total: event.total };
    case 'step-skipped':
      return {
        type: 'step-skip',
        id: event.step,
        title: event.title,
        reason: event.reason === 'legacy' ? 'done (upstream marker)' : 'already done',
      };
    case 'step-completed':
      return { type: 'step-done', id: event.step, title: event.title, durationMs: event.durationMs };
    case 'step-failed':
      return {
        type: 'step-fail',
        id: event.step,
        title: event.title,
        message: event.error.message,
        hint: event.error.hint,
      };
    case 'step-interrupted':
      return { type: 'step-interrupt', id: event.step, title: event.title };
    case 'step-progress':
      return { type: 'progress', id: event.step, message: event.message };
    default:
      return undefined;
  }
}
