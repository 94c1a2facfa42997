import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '@leap/test-fixtures';
import { describe, expect, it } from 'vitest';
import { forgetNeutronAgents, IP_RESERVATION_FILE, REMOVE_LIST_FILE } from '../src/index.js';

const USER_CONFIG = `---
# Operator's comment kept
cidr_networks:
  container: 172.29.236.0/22
used_ips:
  - "172.29.236.1,172.29.236.50" # gateways and hosts
shared-infra_hosts:
  infra1:
    ip: 172.29.236.11
`;

function inventory(): Record<string, unknown> {
  const container = (name: string, ip: string, host: string): [string, Record<string, unknown>] => [
    name,
    { ansible_ssh_host: ip, container_address: ip, physical_host: host, container_name: name },
  ];
  return {
    _meta: {
      hostvars: Object.fromEntries([
        container('infra1_neutron_agents_container-aaaa', '172.29.237.10', 'infra1'),
        container('infra2_neutron_agents_container-bbbb', '172.29.237.20', 'infra2'),
        container('infra1_galera_container-cccc', '172.29.237.30', 'infra1'),
        ['infra1', { ansible_ssh_host: '172.29.236.11', physical_host: 'infra1', is_metal: true }],
      ]),
    },
    neutron_agent: { hosts: ['infra1_neutron_agents_container-aaaa'], children: ['neutron_agent_extra'] },
    neutron_agent_extra: { hosts: ['infra2_neutron_agents_container-bbbb'] },
    neutron_all: { children: ['neutron_agent'], hosts: [] },
    neutron_agents_container: {
      hosts: ['infra1_neutron_agents_container-aaaa', 'infra2_neutron_agents_container-bbbb'],
    },
    galera_all: { hosts: ['infra1_galera_container-cccc'] },
    hosts: { hosts: ['infra1'] },
  };
}

function deployDir(): { configDir: string; backupDir: string } {
  const dir = tempDir();
  const configDir = join(dir, 'openstack_deploy');
  mkdirSync(configDir);
  writeFileSync(join(configDir, 'openstack_user_config.yml'), USER_CONFIG);
  writeFileSync(join(configDir, 'openstack_inventory.json'), JSON.stringify(inventory(), null, 4));
  return { configDir, backupDir: join(dir, 'backup') };
}

describe('forgetNeutronAgents', () => {
  it('takes the neutron agents containers out of the inventory, reserves their IPs and returns what it kept', async () => {
    const { configDir, backupDir } = deployDir();
    const result = await forgetNeutronAgents({ configDir, backupDir });

    expect(result.kept).toEqual([
      { name: 'infra1_neutron_agents_container-aaaa', ip: '172.29.237.10', physicalHost: 'infra1' },
      { name: 'infra2_neutron_agents_container-bbbb', ip: '172.29.237.20', physicalHost: 'infra2' },
    ]);
    expect(result.resumed).toBe(false);
    const text = readFileSync(join(configDir, 'openstack_inventory.json'), 'utf8');
    expect(text).not.toContain('neutron_agents_container-');
    expect(text).toContain('infra1_galera_container-cccc');
    expect(readFileSync(join(configDir, 'openstack_user_config.yml'), 'utf8')).toBe(
      USER_CONFIG.replace(
        '  - "172.29.236.1,172.29.236.50" # gateways and hosts\n',
        '  - "172.29.236.1,172.29.236.50" # gateways and hosts\n  - 172.29.237.10\n  - 172.29.237.20\n',
      ),
    );
    expect(readFileSync(join(configDir, REMOVE_LIST_FILE), 'utf8')).toBe(
      'infra1_neutron_agents_container-aaaa\ninfra2_neutron_agents_container-bbbb\n',
    );
    expect(readFileSync(join(configDir, IP_RESERVATION_FILE), 'utf8')).toBe('172.29.237.10\n172.29.237.20\n');
    expect(readdirSync(backupDir).sort()).toEqual([
      'openstack_inventory.json.before-neutron-forget',
      'openstack_user_config.yml.before-neutron-forget',
    ]);
    expect(JSON.parse(readFileSync(join(backupDir, 'openstack_inventory.json.before-neutron-forget'), 'utf8'))).toEqual(
      inventory(),
    );
  });

  it('is idempotent and never forgets the new agents of a regenerated inventory', async () => {
    const { configDir, backupDir } = deployDir();
    const first = await forgetNeutronAgents({ configDir, backupDir });
    const userConfig = readFileSync(join(configDir, 'openstack_user_config.yml'), 'utf8');

    // The target release's inventory allocates new agents containers.
    const regenerated = JSON.parse(readFileSync(join(configDir, 'openstack_inventory.json'), 'utf8')) as ReturnType<
      typeof inventory
    >;
    (regenerated['neutron_agent'] as { hosts: string[] }).hosts.push('infra1_neutron_agents_container-new1');
    (regenerated['_meta'] as { hostvars: Record<string, unknown> }).hostvars['infra1_neutron_agents_container-new1'] = {
      ansible_host: '172.29.238.1',
      physical_host: 'infra1',
    };
    writeFileSync(join(configDir, 'openstack_inventory.json'), JSON.stringify(regenerated, null, 4));

    const second = await forgetNeutronAgents({ configDir, backupDir });
    expect(second.kept).toEqual(first.kept);
    expect(second.resumed).toBe(true);
    expect(readFileSync(join(configDir, 'openstack_inventory.json'), 'utf8')).toContain(
      'infra1_neutron_agents_container-new1',
    );
    expect(readFileSync(join(configDir, 'openstack_user_config.yml'), 'utf8')).toBe(userConfig);
    // The backups still hold the files as they were before the first edit.
    expect(readFileSync(join(backupDir, 'openstack_user_config.yml.before-neutron-forget'), 'utf8')).toBe(USER_CONFIG);
  });

  it('completes an interrupted run: containers chosen but the inventory not yet written', async () => {
    const { configDir, backupDir } = deployDir();
    await forgetNeutronAgents({ configDir, backupDir });
    writeFileSync(join(configDir, 'openstack_inventory.json'), JSON.stringify(inventory(), null, 4));
    const result = await forgetNeutronAgents({ configDir, backupDir });
    expect(result.kept.map((container) => container.name)).toHaveLength(2);
    expect(readFileSync(join(configDir, 'openstack_inventory.json'), 'utf8')).not.toContain(
      'neutron_agents_container-',
    );
  });

  it('creates used_ips when the user config has none, instead of silently reserving nothing', async () => {
    const { configDir, backupDir } = deployDir();
    writeFileSync(join(configDir, 'openstack_user_config.yml'), '---\ncidr_networks:\n  container: 172.29.236.0/22\n');
    const result = await forgetNeutronAgents({ configDir, backupDir });
    expect(result.reservedIn).toBe(join(configDir, 'openstack_user_config.yml'));
    expect(readFileSync(join(configDir, 'openstack_user_config.yml'), 'utf8')).toContain(
      'used_ips:\n  - 172.29.237.10\n  - 172.29.237.20\n',
    );
    expect(existsSync(join(configDir, 'conf.d'))).toBe(false);
  });
});
