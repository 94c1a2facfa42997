import { LeapError, type LeapErrorOptions } from '@leap/contract';

/** Every code @leap/markers throws; each has a row in the README's error table. */
export type MarkersErrorCode =
  | 'LEAP_JOURNAL_MISSING'
  | 'LEAP_LEGACY_MARKER_INVALID'
  | 'LEAP_LOCK_COMPROMISED'
  | 'LEAP_LOCK_FAILED'
  | 'LEAP_LOCK_HELD'
  | 'LEAP_LOCK_STALE'
  | 'LEAP_MARKER_CORRUPT'
  | 'LEAP_MARKER_DIR_UNREADABLE'
  | 'LEAP_MARKER_UNREADABLE'
  | 'LEAP_MARKER_WRITE_FAILED'
  | 'LEAP_PLAN_CHANGED_UNSAFE'
  | 'LEAP_PLAN_HEADER_CORRUPT'
  | 'LEAP_PLAN_HEADER_UNREADABLE'
  | 'LEAP_PLAN_INVALID'
  | 'LEAP_PLAN_TARGET_CHANGED'
  | 'LEAP_RUN_INTERRUPTED'
  | 'LEAP_SOURCE_UNKNOWN'
  | 'LEAP_STEP_FAILED'
  | 'LEAP_STEP_ID_INVALID'
  | 'LEAP_VERIFY_FAILED';

export interface MarkersErrorOptions extends LeapErrorOptions {
  /** For a failed or interrupted run: the steps still to do, in plan order, starting with `step`. */
  remaining?: readonly string[];
  /** For an interrupted run: true when a step had started (and wrote no marker), false when it stopped between steps. */
  interruptedDuring?: boolean;
}

/** Everything @leap/markers throws on purpose: a stable code, what failed, where, and what to do next. */
export class MarkersError extends LeapError<MarkersErrorCode> {
  override readonly name = 'MarkersError';
  readonly remaining: readonly string[] | undefined;
  readonly interruptedDuring: boolean | undefined;

  constructor(code: MarkersErrorCode, message: string, options: MarkersErrorOptions = {}) {
    super(code, message, options);
    this.remaining = options.remaining;
    this.interruptedDuring = options.interruptedDuring;
  }
}
