import { loadConfig } from '../config.js';
import { MarkerStore, describeOwner, openJournal, readPlanHeader, readRunLock, runPlan } from '@leap/markers';
import { CliError, ExitCode, isLeapError } from '../errors.js';
import { interruptOnSignals } from '../interrupt.js';
import type { Io } from '../output.js';
import { buildLeapPlan } from '../plan/build-plan.js';
import { chooseReporter, createRuntime, resolveSource, toLeapEvent, type GlobalOptions } from './shared.js';

export interface RunOptions extends GlobalOptions {
  confirmSource?: string;
  confirmRedeploy?: boolean;
}

export interface RunEnvironment {
  io: Io;
  isTty: boolean;
  /** The command line that resumes this run, printed after a failure. */
  resumeCommand: string;
}

/** `leap run`: runs or resumes the leap. Asks confirmation 1 before anything is written. */
export async function runLeap(options: RunOptions, env: RunEnvironment): Promise<number> {
  const { io } = env;
  const config = await loadConfig(options);
  const lock = await readRunLock(config.markerDir);
  if (lock.state === 'held' && lock.alive) {
    throw new CliError('LEAP_LOCKED', `another leap is running: ${describeOwner(lock.owner)}`, {
      exitCode: ExitCode.locked,
      file: lock.lockDir,
      hint: 'wait for it to finish, or stop it; only one leap may run on a deploy host',
    });
  }
  const header = await readPlanHeader(config.markerDir);
  const resolution = resolveSource(config, header?.source);
  const interrupt = interruptOnSignals();
  const interactive = env.isTty && !options.json;
  let reporter: Awaited<ReturnType<typeof chooseReporter>> | undefined;
  // While the live view owns the terminal, what steps print goes above it and prompts pause it.
  const live = () => (reporter !== undefined && 'print' in reporter ? reporter : undefined);
  const stepIo: Io = {
    stdout: (text) => {
      const view = live();
      if (view) view.print(text);
      else io.stdout(text);
    },
    stderr: io.stderr,
  };
  const rt = createRuntime(config, stepIo, {
    confirmSource: options.confirmSource,
    confirmRedeploy: options.confirmRedeploy,
    interactive,
    signal: interrupt.signal,
    aroundPrompt: async (prompt) => {
      live()?.pause();
      try {
        return await prompt();
      } finally {
        live()?.resume();
      }
    },
  });
  const leap = await buildLeapPlan(resolution.source, rt);
  try {
    if (!resolution.recorded) await rt.confirmations.source(resolution.source, config.target);
    reporter = await chooseReporter(options, io, leap, env.isTty);
    const journal = openJournal(config.markerDir);
    try {
      const report = await runPlan(leap.plan, {
        store: new MarkerStore(config.markerDir),
        journal,
        signal: interrupt.signal,
        command: env.resumeCommand,
        forceUnlock: options.forceUnlock === true,
        onEvent: (event) => {
          const shown = toLeapEvent(event);
          if (shown) reporter?.event(shown);
        },
      });
      await reporter.close();
      reporter = undefined;
      const ran = report.steps.filter((s) => s.outcome === 'ran').length;
      io.stdout(
        ran === 0
          ? `leap: every step was already done; the leap from ${report.source} to ${report.target} is complete\n`
          : `leap: ${report.source} -> ${report.target} complete (${ran} steps run, ${report.steps.length - ran} already done)\n`,
      );
      return ExitCode.ok;
    } finally {
      journal.close();
    }
  } catch (error) {
    await reporter?.close();
    if (interrupt.signal.aborted && !isLeapError(error)) {
      io.stderr('\nleap: interrupted before anything was changed\n');
      return ExitCode.interrupted;
    }
    return explainFailure(error, io, env.resumeCommand);
  } finally {
    interrupt.dispose();
  }
}

function stoppedWhere(error: { code: string; interruptedDuring?: boolean }): string {
  if (error.code !== 'LEAP_RUN_INTERRUPTED') return 'failed at';
  // Between two steps nothing had started: the step named is the next one, untouched.
  return error.interruptedDuring === false ? 'interrupted before' : 'interrupted during';
}

/** After a failure: the step, the error and its hint, what is left, and the exact command that resumes. */
function explainFailure(error: unknown, io: Io, resumeCommand: string): number {
  if (!isLeapError(error)) throw error;
  if (error.code.startsWith('LEAP_LOCK_')) {
    // A stale lock is reported, never taken silently: the operator decides with --force-unlock.
    throw Object.assign(error, { exitCode: ExitCode.locked });
  }
  const remaining = (error as { remaining?: unknown }).remaining;
  const interrupted = error.code === 'LEAP_RUN_INTERRUPTED';
  if (error.code === 'LEAP_STEP_FAILED' || interrupted) {
    const cause = (error as { cause?: unknown }).cause;
    const shown = isLeapError(cause) ? cause : error;
    io.stderr(`\nleap: ${stoppedWhere(error)} step ${error.step ?? '?'} [${shown.code}]\n`);
    io.stderr(`  ${shown.message}\n`);
    if (shown.file) io.stderr(`  file: ${shown.file}\n`);
    if (shown.host) io.stderr(`  host: ${shown.host}\n`);
    if (shown.hint) io.stderr(`  hint: ${shown.hint}\n`);
    if (Array.isArray(remaining) && remaining.length > 0) {
      io.stderr(`  remaining steps (${remaining.length}): ${remaining.join(', ')}\n`);
    }
    // Taking over a dead run's lock is a decision for each time it happens, never part of the command to repeat.
    io.stderr(`  resume with: ${resumeCommand.replace(/ --force-unlock(?= |$)/g, '')}\n`);
    return interrupted ? ExitCode.interrupted : ExitCode.stepFailed;
  }
  throw error;
}
