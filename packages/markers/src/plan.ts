import { MarkersError } from './errors.js';
import { assertLegacyMarkerName, assertStepId } from './step-id.js';

/** What a running step gets from the runner. */
export interface StepContext {
  readonly stepId: string;
  readonly title: string;
  readonly runId: string;
  /** The source release recorded in `leap.json` at the first run (never re-detected on resume). */
  readonly source: string;
  readonly target: string;
  readonly inputs: unknown;
  /** Aborted on Ctrl-C (the caller's signal) or when the run lock is lost; the step must stop promptly. */
  readonly signal: AbortSignal;
  /** A line for the journal and the onEvent listener (step-log). */
  log(message: string, fields?: Record<string, unknown>): void;
  /** Progress for a task list; not journaled. `fraction` is 0..1 when known. */
  progress(message: string, fraction?: number): void;
  /** A secret value the step handles: scrubbed from the journal from now on. */
  addSecret(value: string): void;
}

export interface Step {
  /** Stable id such as `newton/migrate/nova`; names the marker file. */
  id: string;
  title: string;
  /** Does the work; must be idempotent or detect its own partial work. A returned string is kept as the marker's result. */
  run(ctx: StepContext): Promise<string | void> | string | void;
  /** Re-checks the postcondition of a completed step; false or a throw means it no longer holds. */
  verify?(ctx: StepContext): Promise<boolean> | boolean;
  /** Upstream marker names meaning the same thing as this step (`osa-leap`, `db-migrations-newton.yml*`). */
  legacyMarkers?: readonly string[];
  /** What the step works from; its digest is recorded in the marker and compared on later reads. */
  inputs?: unknown;
}

export interface Plan {
  target: string;
  /** Called only when no leap has started yet; a resumed leap uses the source recorded in `leap.json`. */
  detectSource(): Promise<string> | string;
  steps: readonly Step[];
}

/** Checks ids (valid, unique) and legacy marker names; returns the plan unchanged. */
export function definePlan<P extends Plan>(plan: P): P {
  if (typeof plan.target !== 'string' || plan.target === '') {
    throw new MarkersError('LEAP_PLAN_INVALID', 'the plan has no target release', {
      hint: 'set plan.target, e.g. "r14.1.0"',
    });
  }
  const seen = new Set<string>();
  for (const step of plan.steps) {
    assertStepId(step.id);
    if (seen.has(step.id)) {
      throw new MarkersError('LEAP_PLAN_INVALID', `step id "${step.id}" appears twice in the plan`, {
        step: step.id,
        hint: "every step needs its own id: it names the step's marker file",
      });
    }
    seen.add(step.id);
    for (const legacy of step.legacyMarkers ?? []) assertLegacyMarkerName(legacy);
  }
  return plan;
}
