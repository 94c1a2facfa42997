export { MarkersError, type MarkersErrorOptions, type MarkersErrorCode } from './errors.js';
export { assertStepId, markerFileName, stepIdFromFileName, MARKER_SUFFIX } from './step-id.js';
export { digestOf, canonicalJson } from './digest.js';
export { MARKER_FORMAT, type MarkerRecord } from './marker-record.js';
export { MarkerStore, DEFAULT_MARKER_DIR, type MarkerLookup, type MarkerState } from './marker-store.js';
export {
  readPlanHeader,
  writePlanHeader,
  comparePlan,
  planDigest,
  planHeaderPath,
  PLAN_HEADER_FILE,
  PLAN_HEADER_FORMAT,
  type PlanHeader,
  type PlanChange,
  type PlanRevision,
} from './plan-header.js';
export {
  acquireRunLock,
  readRunLock,
  forceUnlock,
  describeOwner,
  LOCK_DIR_NAME,
  LOCK_SIDECAR_NAME,
  DEFAULT_STALE_MS,
  type RunLock,
  type LockOwner,
  type LockState,
  type AcquireRunLockOptions,
} from './run-lock.js';
export {
  openJournal,
  readJournal,
  journalPath,
  errorForJournal,
  JOURNAL_FILE,
  type Journal,
  type JournalOptions,
  type JournalEntry,
  type JournalEvent,
  type JournalError,
} from './journal.js';
export { DEFAULT_REDACT_KEYS, REDACTED } from './redaction.js';
export { definePlan, type Plan, type Step, type StepContext } from './plan.js';
export type { RunEvent, RunOutcome } from './events.js';
export { runPlan, type RunPlanOptions, type RunReport, type StepOutcome } from './runner.js';
export {
  readPlanState,
  type PlanState,
  type StepState,
  type StepStatus,
  type ReadPlanStateOptions,
} from './plan-state.js';
