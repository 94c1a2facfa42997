export { createLab, DEFAULT_LAB_HOSTS, DEFAULT_LAB_SEED } from './create.js';
export { destroyLab } from './destroy.js';
export { readLab, LAB_FILE } from './lab-file.js';
export { injectLabFault, LAB_FAULTS, type LabFault, type LabFaultResult } from './fault.js';
export {
  LAB_SOURCES,
  type LabOptions,
  type LabInfo,
  type LabSource,
  type LabDatabase,
  type LabGaleraNode,
  type LabRepoShas,
} from './types.js';
export { LAB_RELEASES, type LabRelease } from './releases.js';
export { labAsset } from './assets.js';
export { LabError, type LabErrorOptions, type LabErrorCode } from './errors.js';
