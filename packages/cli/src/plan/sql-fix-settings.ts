import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SqlFixOptions } from '@leap/db-migrate';
import { CliError, ExitCode } from '../errors.js';

/** The user_*.yml keys the SQL fixes read (OSA passes these files as extra vars: they override everything). */
const USER_KEYS = [
  'internal_lb_vip_address',
  'keystone_service_port',
  'glance_swift_store_auth_version',
  'neutron_network_device_mtu',
  'horizon_galera_database',
] as const;

type Found = { value: unknown; file: string };

/**
 * What the release SQL fixes need, read from the deployment's configuration as the upstream fix playbooks got it
 * (leap-anchors.md §4.3): openstack_user_config.yml (global_overrides: internal_lb_vip_address, provider_networks'
 * net_name and container_mtu), then the user_*.yml variables. Unset keys stay unset (the fixes apply OSA's
 * defaults); a value leap cannot use (a Jinja template, not a number) is an error naming the file.
 */
export async function readSqlFixSettings(deployDir: string): Promise<SqlFixOptions> {
  const { loadUserConfig, userFiles, parseYamlText, isVaultEncrypted } = await import('@leap/inventory');
  const userConfig = await loadUserConfig(deployDir);
  const overrides = userConfig.config.global_overrides;
  const configFile = userConfig.keyFiles.global_overrides ?? join(deployDir, 'openstack_user_config.yml');
  const found: Partial<Record<(typeof USER_KEYS)[number], Found>> = {
    internal_lb_vip_address: { value: overrides.internal_lb_vip_address, file: configFile },
  };
  for (const file of await userFiles(deployDir)) {
    const text = await readFile(file, 'utf8');
    // Vaulted files hold secrets only (user_secrets.yml); none of these keys.
    if (isVaultEncrypted(text)) continue;
    const data = parseYamlText(text, file).data;
    if (data === null || typeof data !== 'object') continue;
    for (const key of USER_KEYS) {
      if (key in data) found[key] = { value: (data as Record<string, unknown>)[key], file };
    }
  }
  const providerNetworkMtu: Record<string, number> = {};
  for (const [i, entry] of (overrides.provider_networks ?? []).entries()) {
    const network = entry.network as Record<string, unknown>;
    if (network.container_mtu === undefined || typeof network.net_name !== 'string') continue;
    providerNetworkMtu[network.net_name] = integer(
      { value: network.container_mtu, file: configFile },
      `global_overrides.provider_networks[${i}].network.container_mtu`,
    );
  }
  const settings: SqlFixOptions = {
    providerNetworkMtu,
    internalLbVipAddress: text(found.internal_lb_vip_address as Found, 'internal_lb_vip_address'),
  };
  if (found.keystone_service_port)
    settings.keystoneServicePort = integer(found.keystone_service_port, 'keystone_service_port');
  if (found.glance_swift_store_auth_version)
    settings.glanceSwiftStoreAuthVersion = integer(
      found.glance_swift_store_auth_version,
      'glance_swift_store_auth_version',
    );
  if (found.neutron_network_device_mtu)
    settings.neutronNetworkDeviceMtu = integer(found.neutron_network_device_mtu, 'neutron_network_device_mtu');
  if (found.horizon_galera_database)
    settings.horizonDatabase = text(found.horizon_galera_database, 'horizon_galera_database');
  return settings;
}

function unusable(found: Found, key: string, why: string): CliError {
  return new CliError(
    'LEAP_SQLFIX_SETTING_UNUSABLE',
    `${found.file}: ${key} is ${JSON.stringify(found.value)}, ${why}`,
    {
      exitCode: ExitCode.stepFailed,
      file: found.file,
      hint: `write ${key} as a literal value in ${found.file} (leap does not evaluate Jinja templates), then run the leap again`,
    },
  );
}

function text(found: Found, key: string): string {
  const value = found.value;
  if (typeof value !== 'string' && typeof value !== 'number') throw unusable(found, key, 'not a value');
  const s = String(value).trim();
  if (s === '' || s.includes('{{') || s.includes('{%')) throw unusable(found, key, 'which leap cannot use');
  return s;
}

function integer(found: Found, key: string): number {
  const s = text(found, key);
  if (!/^\d+$/.test(s)) throw unusable(found, key, 'not a whole number');
  return Number(s);
}
