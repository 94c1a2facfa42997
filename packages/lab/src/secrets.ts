import type { Seeded } from './seed.js';

/** The keys of OSA 11.2.17's example user_secrets.yml, as a Kilo deploy host holds them. */
export const KILO_OSA_SECRETS: readonly string[] = [
  'rabbitmq_cookie_token',
  'rabbitmq_password',
  'memcached_encryption_key',
  'galera_root_password',
  'keystone_container_mysql_password',
  'keystone_auth_admin_token',
  'keystone_auth_admin_password',
  'keystone_service_password',
  'cinder_container_mysql_password',
  'cinder_service_password',
  'cinder_v2_service_password',
  'cinder_profiler_hmac_key',
  'glance_container_mysql_password',
  'glance_service_password',
  'glance_profiler_hmac_key',
  'heat_stack_domain_admin_password',
  'heat_container_mysql_password',
  'heat_auth_encryption_key',
  'heat_service_password',
  'heat_cfn_service_password',
  'heat_profiler_hmac_key',
  'horizon_container_mysql_password',
  'horizon_secret_key',
  'neutron_container_mysql_password',
  'neutron_service_password',
  'nova_container_mysql_password',
  'nova_metadata_proxy_secret',
  'nova_ec2_service_password',
  'nova_service_password',
  'nova_v3_service_password',
  'nova_v21_service_password',
  'nova_s3_service_password',
  'ceilometer_container_db_password',
  'ceilometer_service_password',
  'ceilometer_telemetry_secret',
  'swift_service_password',
  'swift_container_mysql_password',
  'swift_dispersion_password',
  'swift_hash_path_suffix',
  'swift_hash_path_prefix',
];

/** The RPC Kilo extras secrets (rpc-openstack r11.1.18 user_extras_secrets.yml). */
export const KILO_RPC_SECRETS: readonly string[] = [
  'maas_api_key',
  'maas_auth_token',
  'maas_keystone_password',
  'kibana_password',
  'rpc_support_holland_password',
  'rackspace_cloud_password',
  'rackspace_cloud_api_key',
];

/** A value shaped as pw-token-gen.py makes it: tokens are longer, keys 32 hex characters. */
export function secretValue(seeded: Seeded, key: string): string {
  return seeded.hex(`secret:${key}`, key.endsWith('_token') ? 64 : 32);
}

export function secretsFile(seeded: Seeded, keys: readonly string[], header: string[]): string {
  return [
    '---',
    ...header.map((line) => `# ${line}`.trimEnd()),
    ...keys.map((key) => `${key}: ${secretValue(seeded, key)}`),
    '',
  ].join('\n');
}
