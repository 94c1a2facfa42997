import { LeapError, type LeapErrorOptions } from '@leap/contract';

/** Every code @leap/git-prep throws; each has a row in the README's error table. */
export type GitPrepErrorCode =
  | 'LEAP_GIT_BACKUP_CORRUPT'
  | 'LEAP_GIT_BACKUP_DIR_FULL'
  | 'LEAP_GIT_BACKUP_DIR_UNWRITABLE'
  | 'LEAP_GIT_BACKUP_FAILED'
  | 'LEAP_GIT_BACKUP_UNREADABLE'
  | 'LEAP_GIT_CHECKOUT_FAILED'
  | 'LEAP_GIT_COMMAND_FAILED'
  | 'LEAP_GIT_LOCKED'
  | 'LEAP_GIT_NETWORK_FAILED'
  | 'LEAP_GIT_NETWORK_GAVE_UP'
  | 'LEAP_GIT_NOT_A_REPO'
  | 'LEAP_GIT_NOT_CLEAN'
  | 'LEAP_GIT_NOT_OFFLINE_READY'
  | 'LEAP_GIT_NOT_RUNNABLE'
  | 'LEAP_GIT_OPERATION_IN_PROGRESS'
  | 'LEAP_GIT_RESET_FAILED'
  | 'LEAP_GIT_RESTORE_DIRTY'
  | 'LEAP_GIT_RESTORE_FAILED'
  | 'LEAP_GIT_RESTORE_TARGET_MISSING'
  | 'LEAP_GIT_SHA_MISMATCH'
  | 'LEAP_GIT_SUBMODULE_COMMIT_MISSING'
  | 'LEAP_GIT_SUBMODULE_UNINITIALISED'
  | 'LEAP_GIT_TAG_MISSING';

export type GitPrepErrorOptions = LeapErrorOptions;

/** Everything @leap/git-prep throws on purpose: a stable code, what failed, where, and what to do next. */
export class GitPrepError extends LeapError<GitPrepErrorCode> {
  override readonly name = 'GitPrepError';
}
