import { kiloRules } from './kilo.js';
import type { ReleaseTable } from './types.js';

const NOVA_V21_SUFFIXES = [
  'name',
  'type',
  'proto',
  'publicuri_proto',
  'adminuri_proto',
  'internaluri_proto',
  'port',
  'description',
  'publicuri',
  'publicurl',
  'adminuri',
  'adminurl',
  'internaluri',
  'internalurl',
] as const;

/** Kilo -> Liberty (leap-anchors.md §3.1, §3.5, §3.6). */
export const liberty: ReleaseTable = {
  name: 'liberty',
  previous: 'kilo',
  inventory: { ...kiloRules, release: 'liberty' },
  inTreeEnvd: false,
  envd: {
    copyIfMissing: ['aodh.yml', 'haproxy.yml'],
    mergeMissing: ['neutron.yml'],
    removeComponents: [
      { file: 'ceilometer.yml', components: ['ceilometer_alarm_notifier', 'ceilometer_alarm_evaluator'] },
    ],
  },
  renames: [
    ...NOVA_V21_SUFFIXES.map((s) => [`nova_v21_service_${s}`, `nova_service_${s}`] as const),
    ['heat_service_project_domain_name', 'heat_service_project_domain_id'],
    ['heat_service_user_domain_name', 'heat_service_user_domain_id'],
    ['galera_sst_method', 'galera_wsrep_sst_method'],
  ],
  secrets: {
    file: 'user_secrets.yml',
    rename: [],
    add: [
      'aodh_container_db_password',
      'aodh_rabbitmq_password',
      'aodh_service_password',
      'ceilometer_rabbitmq_password',
      'cinder_rabbitmq_password',
      'glance_rabbitmq_password',
      'haproxy_keepalived_authentication_password',
      'heat_rabbitmq_password',
      'keystone_rabbitmq_password',
      'neutron_ha_vrrp_auth_password',
      'neutron_rabbitmq_password',
      'nova_rabbitmq_password',
    ],
  },
  guards: [],
};
