export {
  TEMP_PREFIX,
  tempPathFor,
  isProcessAlive,
  writeFileAtomic,
  copyFileAtomic,
  removeStaleTemps,
  fsyncFolder,
  type WriteFileAtomicOptions,
} from './atomic-write.js';
export {
  execResult,
  describeExit,
  exitCodeOfSignal,
  EXIT_CANCELED,
  EXIT_NOT_EXECUTABLE,
  EXIT_NOT_FOUND,
  EXIT_TIMED_OUT,
  type Exec,
  type ExecOptions,
  type ExecResult,
  type ExecOutcome,
} from './exec.js';
export { batchOf, type BatchCommand, type BatchOptions, type BatchingExec, type ExecBatch } from './exec-batch.js';
export { localExec } from './local-exec.js';
export { LeapError, isLeapError, type LeapErrorCode, type LeapErrorOptions, type LeapErrorLike } from './leap-error.js';
