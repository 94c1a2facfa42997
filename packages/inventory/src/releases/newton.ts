import { KILO_REQUIRED_HOSTVARS, kiloRules } from './kilo.js';
import type { ReleaseTable } from './types.js';

/** Mitaka -> Newton (leap-anchors.md §3.3, §3.6; f5-inventory.md §2.6, §4). */
export const newton: ReleaseTable = {
  name: 'newton',
  previous: 'mitaka',
  inventory: {
    ...kiloRules,
    release: 'newton',
    hostContainersSuffix: '-host_containers',
    requiredHostvars: [...KILO_REQUIRED_HOSTVARS, 'ansible_host'],
    ansibleHost: true,
    lxcHosts: true,
    pruneAllVars: true,
    autoManagementFlags: false,
  },
  inTreeEnvd: true,
  envd: { copyIfMissing: 'all', mergeMissing: [], removeComponents: [] },
  renames: [],
  secrets: {
    file: 'osa_secrets_file_name',
    rename: [['ironic_galera_password', 'ironic_container_mysql_password']],
    add: [
      'gnocchi_container_mysql_password',
      'gnocchi_service_password',
      'ironic_container_mysql_password',
      'lxd_trust_password',
      'magnum_galera_password',
      'magnum_rabbitmq_password',
      'magnum_service_password',
      'magnum_trustee_password',
      'rabbitmq_monitoring_password',
      'rally_galera_password',
      'sahara_container_mysql_password',
      'sahara_rabbitmq_password',
      'sahara_service_password',
      'swift_rabbitmq_telemetry_password',
    ],
  },
  guards: [
    {
      variable: 'neutron_lbaas',
      code: 'LEAP_LBAAS_V1',
      message: 'neutron_lbaas is enabled: LBaaS v1 was removed in Newton',
      hint: 'move the load balancers to LBaaS v2 and set neutron_lbaas to false before the leap',
    },
  ],
};
