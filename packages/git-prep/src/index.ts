export { GitPrepError, type GitPrepErrorOptions, type GitPrepErrorCode } from './errors.js';
export { prepareCheckout, type PrepareOptions, type PrepareReport, type RepoBefore } from './prepare.js';
export { restoreBackup, type RestoreOptions, type RestoreReport } from './restore.js';
export { prefetch, checkOffline, type OfflineOptions, type OfflineReport } from './offline.js';
export type { MissingObject } from './objects.js';
export type { BackupResult } from './backup.js';
export { MANIFEST_FORMAT, readManifest, type BackupManifest, type RepoBackup, type BackupFile } from './manifest.js';
export type { StashEntry } from './inspect.js';
export type { RepoHead } from './verify.js';
export { classifyGitFailure, type FailureKind } from './classify.js';
export { gitEnvironment, PASSED_GIT_VARIABLES } from './env.js';
export { RELEASE_PINS, DEFAULT_TARGET, expectedShasFor, type ExpectedShas, type ReleasePin } from './releases/index.js';
export {
  DEFAULT_RETRY,
  type GitContextOptions,
  type GitPrepLogger,
  type PreparePhase,
  type PrepareProgress,
  type ProgressCallback,
  type RetryPolicy,
  type RetryRecord,
} from './types.js';
