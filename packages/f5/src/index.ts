export { F5Error, type F5ErrorOptions, type F5ErrorCode } from './errors.js';
export type {
  ExternalMonitorFile,
  F5Config,
  F5Kind,
  F5Object,
  Monitor,
  MonitorType,
  Node,
  Partition,
  Persistence,
  PersistenceType,
  Pool,
  PoolMember,
  Profile,
  ProfileType,
  Rule,
  SnatPool,
  SnatTranslation,
  SslCert,
  SslKey,
  VirtualProfile,
  VirtualServer,
} from './model.js';
export { KIND_ORDER, objectKey, referencesOf } from './model.js';
export type { F5Inventory } from './inventory.js';
export type { GenerateOptions } from './options.js';
export { generateConfig, releaseProfile, type GenerateResult } from './generate.js';
export {
  RELEASE_PROFILES,
  NAME_VARIANTS,
  type ReleaseName,
  type ReleaseProfile,
  type ServiceRow,
  type MonitorRow,
} from './profiles/index.js';
export {
  diffConfigs,
  compareObjects,
  historicalIdentity,
  TEMPORARY_MONITOR,
  type DiffOptions,
  type F5Change,
  type F5Diff,
  type FieldChange,
  type MonitorSwap,
} from './diff.js';
export { emitConfig, emitRunbook, type EmitOptions, type RunbookOptions } from './emit-tmsh.js';
export { parseTmsh, type ParseOptions, type ParsedConfig, type SkippedStatement } from './parse-tmsh.js';
export { summarizeDiff, formatTable, type SummaryRow } from './summary.js';
export { planF5Upgrade, formatPlan, type F5Plan, type OutputFormat, type PlanOptions } from './plan.js';
