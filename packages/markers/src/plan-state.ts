import { digestOf } from './digest.js';
import { journalPath, readJournal, type JournalEntry, type JournalError } from './journal.js';
import type { MarkerState, MarkerStore } from './marker-store.js';
import { comparePlan, readPlanHeader, type PlanChange, type PlanHeader } from './plan-header.js';
import type { Step } from './plan.js';
import { readRunLock, type LockState } from './run-lock.js';

/**
 * done: its marker says complete. failed: its last attempt failed (see lastError). running: started by the
 * live holder of the run lock. interrupted: its last attempt was aborted, or started and never finished while
 * no live run holds the lock (the process was killed). pending: never attempted.
 */
export type StepStatus = 'done' | 'pending' | 'running' | 'failed' | 'interrupted';

export interface StepState {
  id: string;
  title: string;
  status: StepStatus;
  /** For done steps: the marker, legacy (empty) or leap's record. */
  marker?: Extract<MarkerState, { status: 'complete' }>;
  /** The step's inputs differ from those recorded in its marker. */
  inputsChanged: boolean;
  /** When the last unfinished attempt started (failed or interrupted steps). */
  lastAttemptAt?: string;
  lastError?: JournalError;
}

export interface PlanState {
  /** `leap.json`, or undefined when no leap has started in this folder. */
  header: PlanHeader | undefined;
  /** How the plan in hand differs from the recorded one. */
  planChange: PlanChange;
  steps: StepState[];
  /** The first step that is not done: where a run would start. */
  next: string | undefined;
  lock: LockState;
  /** Lines of the journal that could not be read (a line torn by a crash). */
  unreadableJournalLines: number;
  /** The journal's entries as read for this state (empty with `journalFile: false`), so callers need not read it again. */
  journal: readonly JournalEntry[];
}

export interface ReadPlanStateOptions {
  store: MarkerStore;
  /** Default `<store.dir>/leap-journal.jsonl`; pass false to skip the journal (no failure details). */
  journalFile?: string | false;
  staleMs?: number;
}

type StepInfo = Pick<Step, 'id' | 'title' | 'legacyMarkers' | 'inputs'>;

/** The state of every step, cheaply, for `leap status` and `leap plan`; reads and never writes. */
export async function readPlanState(steps: readonly StepInfo[], options: ReadPlanStateOptions): Promise<PlanState> {
  const { store } = options;
  const journalFile = options.journalFile === undefined ? journalPath(store.dir) : options.journalFile;
  const [markers, header, lock, journal] = await Promise.all([
    store.readMany(steps),
    readPlanHeader(store.dir),
    readRunLock(store.dir, options.staleMs === undefined ? {} : { staleMs: options.staleMs }),
    journalFile === false ? { entries: [], unreadableLines: 0 } : readJournal(journalFile),
  ]);
  const lastAttempt = lastAttemptByStep(journal.entries);
  const states = steps.map((step): StepState => {
    const marker = markers.get(step.id);
    if (marker?.status === 'complete') {
      return {
        id: step.id,
        title: step.title,
        status: 'done',
        marker,
        inputsChanged: marker.kind === 'leap' && marker.record.inputsDigest !== digestOf(step.inputs),
      };
    }
    const attempt = lastAttempt.get(step.id);
    const base = { id: step.id, title: step.title, inputsChanged: false };
    if (attempt === undefined || attempt.event === 'step-completed') return { ...base, status: 'pending' };
    const status: StepStatus =
      attempt.event === 'step-failed'
        ? 'failed'
        : attempt.event === 'step-started' && lock.state === 'held' && lock.alive
          ? 'running'
          : 'interrupted';
    return {
      ...base,
      status,
      lastAttemptAt: attempt.time,
      ...(attempt.error === undefined ? {} : { lastError: attempt.error }),
    };
  });
  const completed = new Set(states.filter((s) => s.status === 'done').map((s) => s.id));
  return {
    header,
    planChange:
      header === undefined
        ? { added: [], removed: [], unsafe: [] }
        : comparePlan(
            header.steps,
            steps.map((s) => s.id),
            completed,
          ),
    steps: states,
    next: states.find((s) => s.status !== 'done')?.id,
    lock,
    unreadableJournalLines: journal.unreadableLines,
    journal: journal.entries,
  };
}

const ATTEMPT_EVENTS = new Set(['step-started', 'step-completed', 'step-failed', 'step-interrupted']);

function lastAttemptByStep(entries: readonly JournalEntry[]): Map<string, JournalEntry> {
  const last = new Map<string, JournalEntry>();
  for (const entry of entries) {
    if (typeof entry.step === 'string' && ATTEMPT_EVENTS.has(entry.event)) last.set(entry.step, entry);
  }
  return last;
}
