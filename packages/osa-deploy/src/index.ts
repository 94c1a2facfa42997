export { OsaDeployError, type OsaDeployErrorOptions, type OsaDeployErrorCode } from './errors.js';
export type { Exec, ExecOptions, ExecResult } from '@leap/contract';
export { parseRecap, parseRecapLine, failedHosts, unreachableHosts, type HostRecap, type Recap } from './recap.js';
export {
  ProgressParser,
  type ProgressEvent,
  type ProgressCallback,
  type HostStatus,
  type HostFailure,
} from './progress-parser.js';
export {
  defaultRetryPolicy,
  noRetries,
  gitRateLimitPatterns,
  transientHosts,
  type RetryPolicy,
} from './retry-policy.js';
export {
  runPlaybook,
  playbookArgv,
  type AnsibleSettings,
  type PlaybookItem,
  type PlaybookAttempt,
  type PlaybookResult,
} from './playbook-runner.js';
export { leapCallbackPluginsDir } from './exec-callback.js';
export { ansibleHostVars, type AnsibleHostVarsOptions, type HostVarValues } from './ansible-host-vars.js';
export {
  ansibleExec,
  type AnsibleExec,
  type AnsibleExecOptions,
  type AnsibleExecResult,
  type HostExecResult,
} from './ansible-exec.js';
export {
  leapPlaybooksDir,
  leapPlaybook,
  powerDownItem,
  linuxbridgeRestartItem,
  maasOldAgentsItem,
  hostsAliasItem,
  venvPushItem,
  type VenvPush,
  liveHostnamesItem,
  destroyOldContainersItem,
  serviceProcessesItem,
} from './leap-playbooks.js';
export { readProcessLists, checkServiceVenv, type ProcessLists } from './verify/service-processes.js';
export { readLiveHostnames } from './live-hostnames.js';
export {
  redeployPlaybooks,
  rpcAdditionItems,
  rpcAptSourcesItem,
  gnocchiUsesSwift,
  legacyMarkerName,
  type RedeployItem,
  type RedeployOptions,
  type RpcAdditionsOptions,
} from './redeploy.js';
export {
  preparePipUnify,
  checkGetPip,
  type GetPipSource,
  type PipUnifyManifest,
  type PreparePipUnifyOptions,
  type PreparedPipUnify,
} from './pip-unify.js';
export * as newton from './releases/newton.js';
export type { HookPoint } from './releases/newton.js';
export {
  forgetNeutronAgents,
  KEPT_STATE_FILE,
  REMOVE_LIST_FILE,
  IP_RESERVATION_FILE,
  type ForgetNeutronAgentsOptions,
  type ForgetNeutronAgentsResult,
  type KeptContainer,
} from './neutron-keep.js';
export {
  rpcVariableMigrations,
  writeLeapfrogOverrides,
  removeLeapfrogOverrides,
  shadowedLeapfrogOverrides,
  leapfrogOverrides,
  LEAPFROG_OVERRIDES_FILE,
  type MigrateOverridesResult,
  type OverrideConflict,
} from './rpc-variables.js';
export { migrateRpcVariables, type RpcVariablesResult } from './rpc-variables-layout.js';
export {
  keepShortHostnames,
  describeOpenstackDomain,
  OPENSTACK_DOMAIN_FILE,
  type OpenstackDomainResult,
} from './openstack-domain.js';
export { readUserFiles, topLevelKeys, type UserFile } from './user-files.js';
export { parseOpenrc, readOpenrc } from './cleanup/openrc.js';
export { isKiloHostName, newtonHostName } from './cleanup/host-names.js';
export {
  parseComputeServices,
  parseVolumeServices,
  parseNeutronAgents,
  parseNeutronPorts,
  type ComputeService,
  type VolumeService,
  type NeutronAgent,
  type NeutronPort,
} from './cleanup/client-lists.js';
export { runClient, type OpenstackClients, type ClientName } from './cleanup/openstack-clients.js';
export {
  cleanupNovaServices,
  cleanupCinderServices,
  cleanupNeutronAgents,
  cleanupDhcpPorts,
  type CleanupAction,
  type OnCleanupAction,
} from './cleanup/old-hostname-cleanup.js';
export { checkOpenstackHealth, readRouterMap, type HealthFinding, type RouterMap } from './verify/openstack-health.js';
export { kiloRpcAdditions, type KiloRpcAddition } from './rpc-additions-kilo.js';
export { installRpcmVariables, RPCM_VARIABLES_FILE } from './rpcm-variables.js';
