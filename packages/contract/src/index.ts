export {
  TEMP_PREFIX, tempPathFor, isProcessAlive, writeFileAtomic, copyFileAtomic, removeStaleTemps, fsyncFolder, type WriteFileAtomicOptions,
} from './atomic-write.js';
