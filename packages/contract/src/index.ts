export {
  TEMP_PREFIX, tempPathFor, isProcessAlive, writeFileAtomic, copyFileAtomic, removeStaleTemps, fsyncFolder, type WriteFileAtomicOptions,
} from './atomic-write.js';
export { LeapError, isLeapError, type LeapErrorCode, type LeapErrorOptions, type LeapErrorLike } from './leap-error.js';
