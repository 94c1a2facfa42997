import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeTempDir } from '@leap/test-fixtures';
import { readSqlFixSettings } from '../src/plan/sql-fix-settings.js';

function deployDir(userVariables: string): string {
  const dir = join(makeTempDir('leap-sqlfix-'), 'openstack_deploy');
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'openstack_user_config.yml'),
    `---
cidr_networks:
  container: 172.29.236.0/22
global_overrides:
  internal_lb_vip_address: 172.29.236.9
  external_lb_vip_address: 203.0.113.10
  provider_networks:
    - network:
        container_bridge: br-mgmt
        group_binds: [all_containers]
    - network:
        container_bridge: br-vlan
        net_name: vlan
        container_mtu: "9000"
        group_binds: [neutron_linuxbridge_agent]
    - network:
        container_bridge: br-vxlan
        net_name: vxlan
        group_binds: [neutron_linuxbridge_agent]
`,
  );
  writeFileSync(join(dir, 'user_variables.yml'), userVariables);
  writeFileSync(join(dir, 'user_secrets.yml'), '$ANSIBLE_VAULT;1.1;AES256\n6162\n');
  return dir;
}

describe('readSqlFixSettings', () => {
  it("reads the VIP and provider networks' container_mtu from openstack_user_config.yml and the rest from user_*.yml", async () => {
    const dir = deployDir(
      '---\nkeystone_service_port: 5001\nglance_swift_store_auth_version: 3\nhorizon_galera_database: horizon\n',
    );
    expect(await readSqlFixSettings(dir)).toEqual({
      internalLbVipAddress: '172.29.236.9',
      providerNetworkMtu: { vlan: 9000 },
      keystoneServicePort: 5001,
      glanceSwiftStoreAuthVersion: 3,
      horizonDatabase: 'horizon',
    });
  });

  it('fails naming the file when a setting is a template leap cannot evaluate', async () => {
    const dir = deployDir("---\nneutron_network_device_mtu: \"{{ lookup('env', 'MTU') }}\"\n");
    await expect(readSqlFixSettings(dir)).rejects.toMatchObject({
      code: 'LEAP_SQLFIX_SETTING_UNUSABLE',
      file: join(dir, 'user_variables.yml'),
      message: expect.stringContaining('neutron_network_device_mtu') as unknown,
      hint: expect.stringContaining('literal value') as unknown,
    });
  });
});
