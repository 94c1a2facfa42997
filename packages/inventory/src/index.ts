export { InventoryError, type InventoryErrorOptions, type InventoryErrorCode } from './errors.js';
export type { Inventory, HostVars, Group, ContainerNetwork, Change, StepReport, Logger, ReleaseName } from './types.js';
export type { Exec, ExecResult } from '@leap/contract';
export { packageDataDir, kiloEnvdDir } from './data-dir.js';
export {
  loadUserConfig,
  validateUserConfigFiles,
  userConfigSchema,
  type UserConfig,
  type LoadedUserConfig,
  type HostEntry,
  type ProviderNetwork,
} from './config/user-config.js';
export {
  loadEnvironmentDir,
  mergeEnvironments,
  environmentSchema,
  type Environment,
  type SkelEntry,
  type LoadedEnvironment,
} from './config/environment.js';
export { parseInventory, readInventory, serializeInventory, inventorySchema } from './inventory/json.js';
export {
  groupNames,
  getGroup,
  hostsOfGroup,
  hostVars,
  isContainer,
  physicalHostOf,
  componentOf,
  physicalHosts,
  containers,
  hostContainerGroups,
  containersByHost,
  parseContainerName,
} from './inventory/model.js';
export { generateKiloInventory, writeKiloInventory, type GenerateOptions } from './inventory/generate.js';
export { populateInventory } from './inventory/populate.js';
export type { GeneratorRules } from './inventory/rules.js';
export { seededRng, type Rng } from './inventory/rng.js';
export { RELEASES, releaseTable } from './releases/index.js';
export type { ReleaseTable, EnvdChanges, SecretChanges, VariableGuard } from './releases/types.js';
export { kiloRules } from './releases/kilo.js';
export { YamlEditor } from './yaml/editor.js';
export { parseYamlText, readYamlFile, type ParsedYaml } from './yaml/parse.js';
export { replaceFile, backupFile, backupPathFor, type ReplaceOptions } from './files/replace.js';
export { isVaultEncrypted, type VaultAccess } from './vault.js';
export { generateSecret } from './secrets/generate.js';
export { REQUIRED_VARIABLES } from './required-variables.js';
export { EditSession, userFiles, isSecretKey, type StepOptions } from './steps/session.js';
export { migrateVariables } from './steps/variables.js';
export { ensureRequiredVariables } from './steps/required-variables.js';
export { cleanupRpcoKilo, RPCO_KILO_REMOVED_KEYS } from './steps/rpco-cleanup.js';
export { mergeRpcSecrets, type RpcSecretsOptions } from './steps/rpc-secrets.js';
export { cleanupFacts } from './steps/facts.js';
export { upgradeInventory, type UpgradeInventoryOptions } from './steps/inventory-upgrade.js';
export {
  checkHostnames,
  assertHostnamesCompatible,
  rfcHostname,
  type HostnameReport,
  type HostnameIssue,
  type HostnameIssueKind,
  type HostnameOptions,
} from './hostnames.js';
export { checkHostnameCompatibility, type LiveHostnames, type HostnameStepOptions } from './steps/hostnames.js';
export {
  forgetNeutronAgents,
  REMOVED_CONTAINERS_FILE,
  RESERVED_IPS_FILE,
  type NeutronForgetReport,
} from './steps/neutron-forget.js';
export { checkDeployment, type CheckReport } from './steps/check.js';
