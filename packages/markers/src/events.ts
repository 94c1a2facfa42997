import type { MarkersError } from './errors.js';
import type { PlanChange } from './plan-header.js';

export type RunOutcome = 'completed' | 'failed' | 'interrupted';

/** What the runner reports as it goes, for a task list or `--json` output. Durations are in milliseconds. */
export type RunEvent =
  | {
      type: 'run-started';
      runId: string;
      source: string;
      target: string;
      resumed: boolean;
      planChange: PlanChange;
      total: number;
    }
  | {
      type: 'step-skipped';
      step: string;
      title: string;
      index: number;
      total: number;
      reason: 'complete' | 'legacy';
      markerFile: string;
      inputsChanged: boolean;
    }
  | { type: 'step-verified'; step: string; title: string; ok: boolean; durationMs: number; error?: string }
  | { type: 'step-started'; step: string; title: string; index: number; total: number }
  | { type: 'step-progress'; step: string; message: string; fraction?: number }
  | { type: 'step-log'; step: string; message: string; fields?: Record<string, unknown> }
  | {
      type: 'step-completed';
      step: string;
      title: string;
      durationMs: number;
      result: string | null;
      markerFile: string;
    }
  | { type: 'step-failed'; step: string; title: string; durationMs: number; error: MarkersError }
  | { type: 'step-interrupted'; step: string; title: string; durationMs: number }
  | { type: 'run-finished'; runId: string; outcome: RunOutcome; durationMs: number; remaining: string[] };
