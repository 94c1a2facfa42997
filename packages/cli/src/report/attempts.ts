import type { JournalEntry } from '@leap/markers';

/**
 * One try at a step, from the journal: when it started and how it ended. Running: the live run is in it;
 * unfinished: the process that ran it died.
 */
export interface StepAttempt {
  step: string;
  runId: string | null;
  startedAt: string;
  endedAt: string | null;
  outcome: 'completed' | 'failed' | 'interrupted' | 'running' | 'unfinished';
}

const ENDINGS: Record<string, StepAttempt['outcome']> = {
  'step-completed': 'completed',
  'step-failed': 'failed',
  'step-interrupted': 'interrupted',
};

/** Every attempt of every step, in journal order; `running` are the steps the live run is in now. */
export function attemptsOf(entries: readonly JournalEntry[], running: ReadonlySet<string> = new Set()): StepAttempt[] {
  const attempts: StepAttempt[] = [];
  const open = new Map<string, StepAttempt>();
  for (const entry of entries) {
    if (entry.step === undefined) continue;
    if (entry.event === 'step-started') {
      const attempt: StepAttempt = {
        step: entry.step,
        runId: entry.runId ?? null,
        startedAt: entry.time,
        endedAt: null,
        outcome: 'unfinished',
      };
      attempts.push(attempt);
      open.set(entry.step, attempt);
      continue;
    }
    const outcome = ENDINGS[entry.event];
    const attempt = open.get(entry.step);
    if (outcome === undefined || attempt === undefined) continue;
    attempt.endedAt = entry.time;
    attempt.outcome = outcome;
    open.delete(entry.step);
  }
  for (const [step, attempt] of open) if (running.has(step)) attempt.outcome = 'running';
  return attempts;
}

/** The API downtime of a leap: from the start of the step that stops the services to the end of the last re-deploy. */
export interface Downtime {
  from: string;
  to: string;
  startedAt: string;
  /** Null while the re-deploy has not finished. */
  endedAt: string | null;
  durationMs: number | null;
}

export function downtimeOf(attempts: readonly StepAttempt[], window: { first: string; last: string }): Downtime | null {
  // From the first try: a power-down that failed half-way had already stopped services.
  const start = attempts.find((a) => a.step === window.first);
  if (start === undefined) return null;
  const endedAt = attempts.filter((a) => a.step === window.last && a.outcome === 'completed').at(-1)?.endedAt ?? null;
  return {
    from: window.first,
    to: window.last,
    startedAt: start.startedAt,
    endedAt,
    durationMs: endedAt === null ? null : Date.parse(endedAt) - Date.parse(start.startedAt),
  };
}
