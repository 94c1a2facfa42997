import { LeapError, type LeapErrorOptions } from '@leap/contract';

/** Every code @leap/lab throws; each has a row in the README's error table. */
export type LabErrorCode =
  | 'LEAP_LAB_DATABASE'
  | 'LEAP_LAB_DIR_NOT_EMPTY'
  | 'LEAP_LAB_FAULT'
  | 'LEAP_LAB_INCOMPLETE'
  | 'LEAP_LAB_INVENTORY'
  | 'LEAP_LAB_MISSING_COMMAND'
  | 'LEAP_LAB_NOT_A_LAB'
  | 'LEAP_LAB_OPTIONS';

export type LabErrorOptions = LeapErrorOptions;

/** Everything @leap/lab throws on purpose: a stable code, what failed, where, and what to do next. */
export class LabError extends LeapError<LabErrorCode> {
  override readonly name = 'LabError';
}
