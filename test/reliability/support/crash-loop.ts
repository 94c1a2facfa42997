import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describeInterruption, type Interruption } from './interruptions.js';
import { journalOffset, journalSince, whereStopped, type JournalLine } from './journal.js';
import { markerDirOf, runArgs, type Lab } from './lab.js';
import { tornMarkers } from './markers.js';
import { waitForNoLabProcess } from './orphans.js';
import { withSeed } from './settings.js';
import { processesMentioning, startLeap, type LeapExit } from '@leap/test-fixtures';

export interface InterruptionOutcome {
  planned: Interruption;
  /** The step whose start (or end) line fired the interruption: the planned one, or the first after it still to run. */
  reached: string | undefined;
  pid: number;
  exit: LeapExit;
  /** Where the journal says the run stopped. */
  stopped: { during?: string; after?: string };
  /** Journal entries the interrupted run wrote. */
  entries: JournalLine[];
  /** Processes of the lab alive right after leap ended (SIGINT: must be none), and how long they took to go. */
  leftAtExit: string[];
  orphansGoneAfterMs: number;
  tornMarkers: string[];
  /** Runs refused because the killed run's lock was stale, before this one (the operator then adds --force-unlock). */
  staleRefusals: LeapExit[];
  /**
   * Whether the run's lock outlived it. A kill inside a step always leaves it; a kill that lands after the last step,
   * once leap has released its lock but before the process is gone, does not.
   */
  lockLeft: boolean;
}

/** What the operator knows between runs: whether the last run was killed (its lock left behind). */
export interface ResumeState {
  lockLeftBy: number | undefined;
}

/**
 * The line that fires an interruption: the start line of the planned step, or of the first later step when an
 * earlier interrupted run got past the planned one (a kill lands a little after it is sent); for `completed`, the
 * done line of that step.
 */
function reaching(target: Interruption): (line: string) => boolean {
  let current: string | undefined;
  let index = -1;
  let seen = 0;
  return (line) => {
    const start = /^▶ \[(\d+)\/\d+\] (\S+):/.exec(line);
    if (start) {
      index = Number(start[1]) - 1;
      current = index >= target.index ? start[2] : undefined;
      // A trigger line is awaited inside the planned step; past it (done by an earlier run), the next start fires.
      return target.at === 'during' && current !== undefined && (target.trigger === undefined || index > target.index);
    }
    if (target.trigger && index === target.index && target.trigger.line.test(line))
      return ++seen >= target.trigger.count;
    return target.at === 'completed' && current !== undefined && line.startsWith(`✔ ${current} (`);
  };
}

function stepOf(line: string): string | undefined {
  return /^(?:▶ \[\d+\/\d+\]|✔) (\S+?):? /.exec(line)?.[1];
}

/**
 * Resumes the leap as an operator would (the same command; with --force-unlock once leap says the lock is stale)
 * and interrupts it as planned: `delayMs` after the step's start line, or at its done line.
 */
export async function interruptAt(lab: Lab, target: Interruption, state: ResumeState): Promise<InterruptionOutcome> {
  const markerDir = markerDirOf(lab);
  const staleRefusals: LeapExit[] = [];
  let force = false;
  for (;;) {
    const offset = journalOffset(markerDir);
    const proc = startLeap(runArgs(lab, ...(force ? ['--force-unlock'] : [])));
    let reached: string | undefined;
    try {
      reached = stepOf(await proc.waitForLine(reaching(target))) ?? target.step;
    } catch (error) {
      const exit = await proc.exited;
      if (!force && exit.exitCode === 3 && exit.all.includes('LEAP_LOCK_STALE') && state.lockLeftBy !== undefined) {
        staleRefusals.push(exit);
        force = true;
        continue;
      }
      throw new Error(withSeed(`${describeInterruption(target)}: ${(error as Error).message}`), { cause: error });
    }
    if (target.at === 'during') await sleep(target.delayMs);
    proc.signalGroup(target.signal);
    const exit = await proc.exited;
    const leftAtExit = processesMentioning(lab.dir);
    const { waitedMs } = await waitForNoLabProcess(lab.dir, 30_000);
    const { entries } = journalSince(markerDir, offset);
    const lockLeft = existsSync(join(markerDir, 'leap.lock'));
    state.lockLeftBy = lockLeft ? proc.pid : undefined;
    return {
      planned: target,
      reached,
      pid: proc.pid,
      exit,
      stopped: whereStopped(entries),
      entries,
      leftAtExit,
      orphansGoneAfterMs: waitedMs,
      tornMarkers: tornMarkers(markerDir),
      staleRefusals,
      lockLeft,
    };
  }
}

/** Runs the leap to its end the operator's way (adding --force-unlock only when leap asks for it). */
export async function resumeToEnd(
  lab: Lab,
  state: ResumeState,
): Promise<{ exit: LeapExit; staleRefusals: LeapExit[] }> {
  const staleRefusals: LeapExit[] = [];
  let force = false;
  for (;;) {
    const exit = await startLeap(runArgs(lab, ...(force ? ['--force-unlock'] : []))).exited;
    if (!force && exit.exitCode === 3 && exit.all.includes('LEAP_LOCK_STALE') && state.lockLeftBy !== undefined) {
      staleRefusals.push(exit);
      force = true;
      continue;
    }
    state.lockLeftBy = undefined;
    return { exit, staleRefusals };
  }
}

/** One line of the run's summary: what was planned, where it fired and landed, and how the run ended. */
export function describeOutcome(o: InterruptionOutcome): string {
  const fired = o.reached === o.planned.step ? '' : ` (fired at ${o.reached})`;
  const landed = o.stopped.during ? `inside ${o.stopped.during}` : `after ${o.stopped.after ?? 'nothing'}`;
  return `${describeInterruption(o.planned)}${fired} -> ${landed}; exit ${o.exit.exitCode ?? o.exit.signal}; lab processes gone ${o.orphansGoneAfterMs} ms after`;
}
