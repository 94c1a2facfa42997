import { randomUUID } from 'node:crypto';
import { digestOf } from './digest.js';
import { MarkersError } from './errors.js';
import type { RunEvent, RunOutcome } from './events.js';
import { currentIdentity, markersVersion } from './identity.js';
import { errorForJournal, type Journal } from './journal.js';
import { MARKER_FORMAT, type MarkerRecord } from './marker-record.js';
import type { MarkerState, MarkerStore } from './marker-store.js';
import { definePlan, type Plan, type Step, type StepContext } from './plan.js';
import {
  comparePlan,
  planDigest,
  readPlanHeader,
  writePlanHeader,
  type PlanChange,
  type PlanHeader,
} from './plan-header.js';
import { acquireRunLock, type RunLock } from './run-lock.js';

/** The longest step result kept in a marker; results are summaries, not logs. */
const MAX_RESULT_LENGTH = 500;

export interface RunPlanOptions {
  store: MarkerStore;
  /** Needed unless `dryRun`. */
  journal?: Journal;
  signal?: AbortSignal;
  /** Report what would run and what would be skipped; touches nothing (no lock, journal, header or marker). */
  dryRun?: boolean;
  onEvent?: (event: RunEvent) => void;
  /** Run `verify` of every completed step before skipping it; a failed check stops the run (in a dry run it is reported). */
  verifyCompleted?: boolean;
  /** Run steps added by a newer plan even where they land before already completed steps. */
  acceptPlanChange?: boolean;
  /** A lock the caller already holds (kept held); otherwise runPlan takes one and releases it. */
  lock?: RunLock;
  /** Recorded in the lock sidecar when runPlan takes the lock. */
  command?: string;
  /** Take over the lock of a dead previous run (never of a live one). */
  forceUnlock?: boolean;
  staleMs?: number;
  /** Recorded in markers and the plan header; default the @leap/markers version. */
  toolVersion?: string;
  /** Default a fresh UUID; pass one to journal prompts answered before the run under the same id. */
  runId?: string;
}

export interface StepOutcome {
  id: string;
  title: string;
  outcome: 'ran' | 'skipped' | 'would-run' | 'would-skip';
  skipReason?: 'complete' | 'legacy';
  /** The step's inputs differ from those recorded when it completed (it is still skipped). */
  inputsChanged?: boolean;
  /** Set when completed steps were re-verified. */
  verified?: boolean;
  durationMs?: number;
}

export interface RunReport {
  dryRun: boolean;
  /** Undefined in a dry run. */
  runId: string | undefined;
  source: string;
  target: string;
  /** True when the source came from `leap.json`, i.e. a leap was already under way. */
  resumed: boolean;
  planChange: PlanChange;
  steps: StepOutcome[];
  durationMs: number;
}

const NO_CHANGE: PlanChange = { added: [], removed: [], unsafe: [] };

/**
 * Runs a plan: takes the run lock, records or reuses `leap.json`, skips completed steps and runs the rest in
 * order, writing each marker only after its step succeeded. Throws a MarkersError carrying `step` and
 * `remaining` on failure (LEAP_STEP_FAILED) or abort (LEAP_RUN_INTERRUPTED); a re-run resumes there.
 */
export async function runPlan(plan: Plan, options: RunPlanOptions): Promise<RunReport> {
  definePlan(plan);
  if (options.dryRun === true) return dryRunPlan(plan, options);
  const journal = options.journal;
  if (journal === undefined) {
    throw new MarkersError('LEAP_JOURNAL_MISSING', 'runPlan needs a journal unless dryRun is set', {
      hint: 'pass openJournal(store.dir)',
    });
  }
  await options.store.ensureDir();
  const lock =
    options.lock ??
    (await acquireRunLock(options.store.dir, {
      command: options.command,
      forceUnlock: options.forceUnlock,
      staleMs: options.staleMs,
    }));
  try {
    return await runLocked(plan, options, journal, lock);
  } finally {
    if (options.lock === undefined) await lock.release();
  }
}

function emitter(
  journal: Journal | undefined,
  onEvent: ((event: RunEvent) => void) | undefined,
): (event: RunEvent) => void {
  return (event) => {
    if (onEvent === undefined) return;
    try {
      onEvent(event);
    } catch (error) {
      // A broken progress display must not fail an upgrade step half-way; keep the trace in the journal.
      journal?.record('step-log', `onEvent listener threw on ${event.type}`, { error: errorForJournal(error) }, 'warn');
    }
  };
}

function remainingFrom(plan: Plan, index: number, markers: ReadonlyMap<string, MarkerState>): string[] {
  return plan.steps
    .slice(index)
    .filter((s) => markers.get(s.id)?.status !== 'complete')
    .map((s) => s.id);
}

function isComplete(state: MarkerState | undefined): state is Extract<MarkerState, { status: 'complete' }> {
  return state?.status === 'complete';
}

async function resolveHeader(
  plan: Plan,
  options: RunPlanOptions,
  markers: ReadonlyMap<string, MarkerState>,
  write: boolean,
): Promise<{ header: PlanHeader; resumed: boolean; planChange: PlanChange; changed: boolean }> {
  const dir = options.store.dir;
  const ids = plan.steps.map((s) => s.id);
  const toolVersion = options.toolVersion ?? markersVersion();
  const recorded = await readPlanHeader(dir);
  if (recorded === undefined) {
    const source = await plan.detectSource();
    if (typeof source !== 'string' || source === '') {
      throw new MarkersError('LEAP_SOURCE_UNKNOWN', 'the source release could not be detected', {
        hint: 'check the release file of the deployment (e.g. /etc/openstack-release) or give the source release explicitly',
      });
    }
    const me = currentIdentity();
    const header: PlanHeader = {
      format: 'leap-plan/1',
      source,
      target: plan.target,
      steps: ids,
      planDigest: planDigest(ids),
      startedAt: new Date().toISOString(),
      host: me.host,
      user: me.user,
      toolVersion,
      revisions: [],
    };
    if (write) await writePlanHeader(dir, header);
    return { header, resumed: false, planChange: NO_CHANGE, changed: false };
  }
  if (recorded.target !== plan.target) {
    throw new MarkersError(
      'LEAP_PLAN_TARGET_CHANGED',
      `the leap under way in ${dir} targets ${recorded.target}, but this plan targets ${plan.target}`,
      {
        file: `${dir}/leap.json`,
        hint: `finish the leap to ${recorded.target} first (or use the target it was started with); a leap's target cannot change half-way`,
      },
    );
  }
  const completed = new Set(ids.filter((id) => isComplete(markers.get(id))));
  const planChange = comparePlan(recorded.steps, ids, completed);
  const changed =
    planChange.added.length > 0 || planChange.removed.length > 0 || recorded.planDigest !== planDigest(ids);
  if (!changed) return { header: recorded, resumed: true, planChange, changed };
  const header: PlanHeader = {
    ...recorded,
    steps: ids,
    planDigest: planDigest(ids),
    revisions: [
      ...recorded.revisions,
      {
        at: new Date().toISOString(),
        toolVersion,
        added: planChange.added,
        removed: planChange.removed,
        planDigest: planDigest(ids),
      },
    ],
  };
  return { header, resumed: true, planChange, changed };
}

function makeContext(
  step: Step,
  base: { runId: string; source: string; target: string; signal: AbortSignal },
  journal: Journal | undefined,
  emit: (event: RunEvent) => void,
): StepContext {
  return {
    stepId: step.id,
    title: step.title,
    runId: base.runId,
    source: base.source,
    target: base.target,
    inputs: step.inputs,
    signal: base.signal,
    log(message, fields) {
      journal?.record('step-log', message, { runId: base.runId, step: step.id, ...fields });
      emit({ type: 'step-log', step: step.id, message, ...(fields === undefined ? {} : { fields }) });
    },
    progress(message, fraction) {
      emit({ type: 'step-progress', step: step.id, message, ...(fraction === undefined ? {} : { fraction }) });
    },
    addSecret(value) {
      journal?.addSecret(value);
    },
  };
}

/** Runs `verify`; false, a throw or an abort all count as "does not hold". */
async function verifyStep(step: Step, ctx: StepContext): Promise<{ ok: boolean; error?: unknown }> {
  if (step.verify === undefined) return { ok: true };
  try {
    return { ok: (await step.verify(ctx)) === true };
  } catch (error) {
    return { ok: false, error };
  }
}

async function dryRunPlan(plan: Plan, options: RunPlanOptions): Promise<RunReport> {
  const started = Date.now();
  const markers = await options.store.readMany(plan.steps);
  const { header, resumed, planChange } = await resolveHeader(plan, options, markers, false);
  const emit = emitter(undefined, options.onEvent);
  const signal = options.signal ?? new AbortController().signal;
  const steps: StepOutcome[] = [];
  for (const step of plan.steps) {
    const state = markers.get(step.id);
    if (!isComplete(state)) {
      steps.push({ id: step.id, title: step.title, outcome: 'would-run' });
      continue;
    }
    const outcome: StepOutcome = {
      id: step.id,
      title: step.title,
      outcome: 'would-skip',
      skipReason: state.kind === 'leap' ? 'complete' : 'legacy',
      inputsChanged: inputsChanged(step, state),
    };
    if (options.verifyCompleted === true && step.verify !== undefined) {
      const ctx = makeContext(
        step,
        { runId: 'dry-run', source: header.source, target: header.target, signal },
        undefined,
        emit,
      );
      outcome.verified = (await verifyStep(step, ctx)).ok;
    }
    steps.push(outcome);
  }
  return {
    dryRun: true,
    runId: undefined,
    source: header.source,
    target: header.target,
    resumed,
    planChange,
    steps,
    durationMs: Date.now() - started,
  };
}

function inputsChanged(step: Step, state: Extract<MarkerState, { status: 'complete' }>): boolean {
  return state.kind === 'leap' && state.record.inputsDigest !== digestOf(step.inputs);
}

function summarise(result: string | void): string | null {
  if (typeof result !== 'string' || result === '') return null;
  return result.length > MAX_RESULT_LENGTH ? `${result.slice(0, MAX_RESULT_LENGTH - 1)}…` : result;
}

/** What one locked run shares between its parts. */
interface RunScope {
  plan: Plan;
  options: RunPlanOptions;
  journal: Journal;
  emit: (event: RunEvent) => void;
  runId: string;
  signal: AbortSignal;
  toolVersion: string;
  started: number;
  total: number;
  markers: Map<string, MarkerState>;
}

interface RunStart {
  source: string;
  target: string;
  resumed: boolean;
  planChange: PlanChange;
}

type StepBase = { runId: string; source: string; target: string; signal: AbortSignal };

async function runLocked(plan: Plan, options: RunPlanOptions, journal: Journal, lock: RunLock): Promise<RunReport> {
  const started = Date.now();
  const runId = options.runId ?? randomUUID();
  const scope: RunScope = {
    plan,
    options,
    journal,
    emit: emitter(journal, options.onEvent),
    runId,
    signal: options.signal === undefined ? lock.signal : AbortSignal.any([options.signal, lock.signal]),
    toolVersion: options.toolVersion ?? markersVersion(),
    started,
    total: plan.steps.length,
    markers: new Map(),
  };
  const { signal, total, toolVersion, emit } = scope;

  if (lock.tookOverFrom !== undefined) {
    journal.record(
      'lock-taken-over',
      'took over the lock of a dead run (--force-unlock)',
      { runId, previousOwner: lock.tookOverFrom },
      'warn',
    );
  }
  const { source, target, resumed, planChange } = await prepareRun(scope);

  journal.record('run-started', `run started: ${source} -> ${target}${resumed ? ' (resumed)' : ''}`, {
    runId,
    source,
    target,
    resumed,
    toolVersion,
    total,
    planChange,
    pid: process.pid,
    lockOwner: lock.owner,
  });
  emit({ type: 'run-started', runId, source, target, resumed, planChange, total });

  const outcomes: StepOutcome[] = [];
  for (const [index, step] of plan.steps.entries()) {
    const state = scope.markers.get(step.id);
    const base = { runId, source, target, signal };
    if (signal.aborted) {
      const remaining = remainingFrom(plan, index, scope.markers);
      stopRun(scope, 'interrupted', remaining, interruptedError(step, remaining, signal.reason, false));
    }
    outcomes.push(
      isComplete(state)
        ? await skipCompletedStep(scope, step, index, state, base)
        : await runStep(scope, step, index, base),
    );
  }
  finishRun(scope, 'completed', []);
  return {
    dryRun: false,
    runId,
    source,
    target,
    resumed,
    planChange,
    steps: outcomes,
    durationMs: Date.now() - started,
  };
}

/** Journals and emits the end of the run. */
function finishRun(scope: RunScope, outcome: RunOutcome, remaining: string[], error?: unknown): void {
  const { runId } = scope;
  const durationMs = Date.now() - scope.started;
  scope.journal.record(
    'run-finished',
    `run ${outcome}`,
    {
      runId,
      outcome,
      durationMs,
      remaining,
      ...(error === undefined ? {} : { error: errorForJournal(error) }),
    },
    outcome === 'completed' ? 'info' : outcome === 'failed' ? 'error' : 'warn',
  );
  scope.emit({ type: 'run-finished', runId, outcome, durationMs, remaining });
}

/** Ends the run early: records its end, then throws the error that stopped it. */
function stopRun(scope: RunScope, outcome: RunOutcome, remaining: string[], error: unknown): never {
  finishRun(scope, outcome, remaining, error);
  throw error;
}

/** Journals and emits a failed step, then stops the run with `failed`. */
function stopOnFailedStep(
  scope: RunScope,
  step: Step,
  durationMs: number,
  remaining: string[],
  journalError: unknown,
  failed: MarkersError,
): never {
  scope.journal.record(
    'step-failed',
    `step failed: ${step.title}`,
    {
      runId: scope.runId,
      step: step.id,
      durationMs,
      error: errorForJournal(journalError),
    },
    'error',
  );
  scope.emit({ type: 'step-failed', step: step.id, title: step.title, durationMs, error: failed });
  stopRun(scope, 'failed', remaining, failed);
}

/** Reads the markers and the plan header (recording a plan change); a failure here ends the run as failed. */
async function prepareRun(scope: RunScope): Promise<RunStart> {
  const { plan, options, journal, runId } = scope;
  try {
    await options.store.sweepTempFiles();
    scope.markers = await options.store.readMany(plan.steps);
    const resolved = await resolveHeader(plan, options, scope.markers, true);
    const { resumed, planChange } = resolved;
    const { source, target } = resolved.header;
    if (planChange.unsafe.length > 0 && options.acceptPlanChange !== true) {
      throw new MarkersError(
        'LEAP_PLAN_CHANGED_UNSAFE',
        `this version of leap adds steps before steps that are already complete: ${planChange.unsafe.join(', ')}`,
        {
          file: `${options.store.dir}/leap.json`,
          step: planChange.unsafe[0],
          hint:
            'read the release notes of this leap version; if these steps are safe to run now, re-run with --accept-plan-change, ' +
            'otherwise finish the leap with the version that started it',
        },
      );
    }
    if (resolved.changed) {
      await writePlanHeader(options.store.dir, resolved.header);
      journal.record(
        'plan-changed',
        'the plan differs from the one recorded in leap.json',
        {
          runId,
          added: planChange.added,
          removed: planChange.removed,
          unsafe: planChange.unsafe,
        },
        'warn',
      );
    }
    return { source, target, resumed, planChange };
  } catch (error) {
    stopRun(scope, 'failed', remainingFrom(plan, 0, scope.markers), error);
  }
}

/** Skips a step whose marker is complete, re-verifying it first when asked to. */
async function skipCompletedStep(
  scope: RunScope,
  step: Step,
  index: number,
  state: Extract<MarkerState, { status: 'complete' }>,
  base: StepBase,
): Promise<StepOutcome> {
  const { runId, total } = scope;
  const outcome: StepOutcome = {
    id: step.id,
    title: step.title,
    outcome: 'skipped',
    skipReason: state.kind === 'leap' ? 'complete' : 'legacy',
    inputsChanged: inputsChanged(step, state),
  };
  if (scope.options.verifyCompleted === true && step.verify !== undefined) {
    outcome.verified = await verifyCompletedStep(scope, step, index, state, base);
  }
  scope.journal.record(
    'step-skipped',
    `skipped (already complete${state.kind === 'legacy' ? ', legacy marker' : ''}): ${step.title}`,
    {
      runId,
      step: step.id,
      reason: outcome.skipReason,
      markerFile: state.file,
      inputsChanged: outcome.inputsChanged,
    },
  );
  scope.emit({
    type: 'step-skipped',
    step: step.id,
    title: step.title,
    index,
    total,
    reason: outcome.skipReason ?? 'complete',
    markerFile: state.file,
    inputsChanged: outcome.inputsChanged ?? false,
  });
  return outcome;
}

/** Runs the check of a completed step; when it no longer holds the run stops (LEAP_VERIFY_FAILED). */
async function verifyCompletedStep(
  scope: RunScope,
  step: Step,
  index: number,
  state: Extract<MarkerState, { status: 'complete' }>,
  base: StepBase,
): Promise<boolean> {
  const { runId, journal, emit } = scope;
  const t0 = Date.now();
  const check = await verifyStep(step, makeContext(step, base, journal, emit));
  const durationMs = Date.now() - t0;
  const detail = check.error === undefined ? undefined : errorForJournal(check.error).message;
  journal.record(
    'step-verified',
    `verify ${check.ok ? 'passed' : 'failed'}: ${step.title}`,
    {
      runId,
      step: step.id,
      ok: check.ok,
      durationMs,
      ...(check.error === undefined ? {} : { error: errorForJournal(check.error) }),
    },
    check.ok ? 'info' : 'error',
  );
  emit({
    type: 'step-verified',
    step: step.id,
    title: step.title,
    ok: check.ok,
    durationMs,
    ...(detail === undefined ? {} : { error: detail }),
  });
  if (!check.ok) {
    const remaining = remainingFrom(scope.plan, index, scope.markers);
    const error = new MarkersError(
      'LEAP_VERIFY_FAILED',
      `step "${step.id}" (${step.title}) is marked complete, but its check no longer holds${detail === undefined ? '' : `: ${detail}`}`,
      {
        step: step.id,
        file: state.file,
        remaining,
        cause: check.error,
        hint: `find out what undid it; to run the step again, delete its marker (rm '${state.file}') and re-run leap`,
      },
    );
    stopRun(scope, 'failed', remaining, error);
  }
  return check.ok;
}

/** Runs a step that is not complete and writes its marker; a throw or an abort stops the run. */
async function runStep(scope: RunScope, step: Step, index: number, base: StepBase): Promise<StepOutcome> {
  const { runId, total, journal, emit, signal } = scope;
  const t0 = Date.now();
  journal.record('step-started', `step started: ${step.title}`, { runId, step: step.id, index, total });
  emit({ type: 'step-started', step: step.id, title: step.title, index, total });
  let result: string | void;
  try {
    result = await step.run(makeContext(step, base, journal, emit));
  } catch (error) {
    const durationMs = Date.now() - t0;
    const remaining = remainingFrom(scope.plan, index, scope.markers);
    if (signal.aborted) {
      journal.record(
        'step-interrupted',
        `step interrupted: ${step.title}`,
        { runId, step: step.id, durationMs, error: errorForJournal(error) },
        'warn',
      );
      emit({ type: 'step-interrupted', step: step.id, title: step.title, durationMs });
      stopRun(scope, 'interrupted', remaining, interruptedError(step, remaining, signal.reason, true));
    }
    stopOnFailedStep(scope, step, durationMs, remaining, error, failedError(step, remaining, error));
  }
  const { durationMs, summary, markerFile } = await writeStepMarker(scope, step, index, t0, result);
  journal.record('step-completed', `step completed: ${step.title}`, {
    runId,
    step: step.id,
    durationMs,
    result: summary,
  });
  emit({ type: 'step-completed', step: step.id, title: step.title, durationMs, result: summary, markerFile });
  return { id: step.id, title: step.title, outcome: 'ran', durationMs };
}

/** Writes the marker of a step that succeeded; a failed write stops the run (LEAP_MARKER_WRITE_FAILED). */
async function writeStepMarker(
  scope: RunScope,
  step: Step,
  index: number,
  t0: number,
  result: string | void,
): Promise<{ durationMs: number; summary: string | null; markerFile: string }> {
  const { runId, toolVersion, options } = scope;
  const finished = Date.now();
  const durationMs = finished - t0;
  const me = currentIdentity();
  const summary = summarise(result);
  const record: MarkerRecord = {
    format: MARKER_FORMAT,
    step: step.id,
    title: step.title,
    startedAt: new Date(t0).toISOString(),
    finishedAt: new Date(finished).toISOString(),
    durationMs,
    toolVersion,
    inputsDigest: digestOf(step.inputs),
    result: summary,
    runId,
    host: me.host,
    user: me.user,
  };
  let markerFile: string;
  try {
    markerFile = await options.store.write(record);
  } catch (error) {
    const remaining = remainingFrom(scope.plan, index, scope.markers);
    const failed = new MarkersError(
      'LEAP_MARKER_WRITE_FAILED',
      `step "${step.id}" (${step.title}) succeeded, but its marker could not be written: ${(error as Error).message}`,
      {
        step: step.id,
        file: options.store.fileOf(step.id),
        remaining,
        cause: error,
        hint: 'free space or fix the permissions of the marker folder, then re-run leap; the step will run again and must detect its own finished work',
      },
    );
    stopOnFailedStep(scope, step, durationMs, remaining, failed, failed);
  }
  scope.markers.set(step.id, { status: 'complete', kind: 'leap', file: markerFile, record });
  return { durationMs, summary, markerFile };
}

function failedError(step: Step, remaining: string[], cause: unknown): MarkersError {
  const causeHint = (cause as { hint?: unknown } | null)?.hint;
  const message = cause instanceof Error ? cause.message : String(cause);
  const resume = `then run leap again: it resumes at "${step.id}". Remaining steps: ${remaining.join(', ')}`;
  return new MarkersError('LEAP_STEP_FAILED', `step "${step.id}" (${step.title}) failed: ${message}`, {
    step: step.id,
    remaining,
    cause,
    file: (cause as { file?: unknown } | null)?.file as string | undefined,
    host: (cause as { host?: unknown } | null)?.host as string | undefined,
    hint: typeof causeHint === 'string' ? `${causeHint}; ${resume}` : `fix the cause, ${resume}`,
  });
}

function interruptedError(step: Step, remaining: string[], reason: unknown, during: boolean): MarkersError {
  const why = reason instanceof MarkersError ? `: ${reason.message}` : '';
  const where = during
    ? `during step "${step.id}" (${step.title}); no marker was written for it`
    : `before step "${step.id}" (${step.title})`;
  return new MarkersError('LEAP_RUN_INTERRUPTED', `run interrupted ${where}${why}`, {
    step: step.id,
    remaining,
    interruptedDuring: during,
    cause: reason,
    hint: `run leap again to resume at "${step.id}". Remaining steps: ${remaining.join(', ')}`,
  });
}
