export { DbMigrateError, type DbMigrateErrorOptions, type DbMigrateErrorCode } from './errors.js';
export type { Exec, ExecOptions, ExecResult } from '@leap/contract';
export type { OnProgress, ProgressEvent } from './progress.js';
export {
  connect,
  withDb,
  checkPrivileges,
  classifyDbError,
  describeServer,
  type Db,
  type DbConnectionOptions,
} from './connection.js';
export {
  discoverConnection,
  discoverGaleraNodes,
  discoverRootPassword,
  type DeploymentFiles,
  type DiscoveredConnection,
  type GaleraNodeAddress,
} from './discovery.js';
export {
  releaseOrder,
  schemaTable,
  schemaOf,
  expectedVersions,
  type Release,
  type MigrationRelease,
  type Service,
  type ServiceSchema,
  type SchemaComponent,
  type MigrateComponent,
  type AlembicComponent,
} from './releases/schema-versions.js';
export { releaseMigrations, liberty, mitaka, newton } from './releases/index.js';
export type { MigrationCommand, MigrationStep, ReleaseMigrations, SqlFix } from './releases/types.js';
export {
  detectSchemaVersions,
  readServiceVersion,
  isBehind,
  classify,
  type ServiceVersion,
  type ComponentVersion,
  type DetectOptions,
} from './schema-version.js';
export {
  runMigrations,
  runRelease,
  stepId,
  type MigrateOptions,
  type RunnerContext,
  type StepReport,
  type StepStart,
} from './migrate.js';
export { applySqlFix, chooseMtu, type SqlFixOptions, type SqlFixResult } from './sql-fixes.js';
export {
  purge,
  countPurgeable,
  purgeRules,
  housekeepingGate,
  type HousekeepingOptions,
  type HousekeepingService,
  type PurgeRule,
  type PurgeResult,
  type TableCount,
  type TablePurge,
} from './housekeeping.js';
export { readWsrepStatus, isGalera, throttleReason, type WsrepStatus, type ThrottleLimits } from './galera.js';
export { checkHealth, assertHealthy, evaluateWsrep, type HealthCheck, type HealthReport } from './health.js';
export {
  backupDatabases,
  listDatabases,
  manifestFormat,
  dumpOptions,
  type BackupOptions,
  type BackupManifest,
  type BackupResult,
  type DatabaseEntry,
  type DumpTee,
  type TeeSink,
} from './backup.js';
export { backupAndVerify, type BackupAndVerifyOptions } from './backup-and-verify.js';
export {
  verifyBackup,
  restoreBackup,
  readManifest,
  type VerifyOptions,
  type VerifyReport,
  type VerificationMethod,
  type RestoreOptions,
} from './restore.js';
export {
  findDatabaseTools,
  requireClientTools,
  defaultSearchPath,
  clientHint,
  type DatabaseTools,
  type ToolChoices,
} from './tools.js';
export { withScratchServer, type ScratchServerOptions } from './scratch-server.js';
export { DumpParser } from './dump-parse.js';
export { findVerifiedBackup, requireVerifiedBackup } from './verified-backup.js';
export { DumpRowCounter } from './dump-rows.js';
export {
  planGaleraRecovery,
  parseGrastate,
  withSafeToBootstrap,
  parseRecoveredPosition,
  formatPosition,
  describeDiscard,
  galeraStateFiles,
  type DiscardedTransactions,
  type GaleraPosition,
  type Grastate,
  type NodeState,
  type NodePosition,
  type RecoveryPlan,
  type PlanOptions,
} from './galera-plan.js';
export {
  recoverGalera,
  readNodeStates,
  type GaleraRecoveryActions,
  type RecoverOptions,
  type RecoveryResult,
} from './galera-recover.js';
export {
  countUnmigratedFlavors,
  migrateKiloFlavorData,
  type FlavorDataOptions,
  type FlavorDataReport,
} from './flavor-data.js';
export { kiloFlavorMigration } from './releases/kilo.js';
export {
  obtainVenvTarball,
  type ObtainTarballOptions,
  type ObtainedTarball,
  type VenvTarballSource,
} from './venvs/obtain-tarball.js';
export { relocateVenv, type Relocation } from './venvs/relocate.js';
export {
  hostVenvTarball,
  venvStamp,
  VENV_STAMP_FILE,
  type HostTarball,
  type HostTarballOptions,
} from './venvs/host-tarball.js';
export {
  venvCommands,
  venvGroups,
  probeVenvCommands,
  probeReleasesVenvCommands,
  assertVenvCommands,
  type VenvCommand,
  type ProbeResult,
  type ProbeOptions,
  type ProbeReleasesOptions,
} from './venvs/probe-commands.js';
export { sha256OfFile } from './venvs/sha256-file.js';
