export {
  TEMP_PREFIX, tempPathFor, writeFileAtomic, copyFileAtomic, removeStaleTemps, fsyncFolder, type WriteFileAtomicOptions,
} from './atomic-write.js';
