import type { GeneratorRules } from '../inventory/rules.js';

export const KILO_REQUIRED_HOSTVARS = [
  'properties',
  'ansible_ssh_host',
  'physical_host_group',
  'container_address',
  'container_name',
  'container_networks',
  'physical_host',
  'component',
] as const;

/** The Kilo generator (OSA eol-kilo `dynamic_inventory.py`). */
export const kiloRules: GeneratorRules = {
  release: 'kilo',
  hostContainersSuffix: '_containers',
  requiredHostvars: KILO_REQUIRED_HOSTVARS,
  ansibleHost: false,
  lxcHosts: false,
  pruneAllVars: false,
  autoManagementFlags: true,
  maxHostSkelLength: 52,
};
