import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hostsOfGroup, parseInventory, upgradeInventory, writeKiloInventory, type Inventory } from '../src/index.js';
import { deployment, fixturesDir, snapshot, type Deployment } from './helpers.js';

const now = () => new Date('2026-01-02T03:04:05Z');

async function kiloLab(): Promise<Deployment> {
  const d = await deployment();
  await writeKiloInventory({ deployDir: d.deployDir, seed: 'lab', backupDir: d.backupDir });
  return d;
}

function inventoryOf(d: Deployment): Inventory {
  const file = join(d.deployDir, 'openstack_inventory.json');
  return parseInventory(readFileSync(file, 'utf8'), file);
}

const normal = (name: string) => name.replace(/-[0-9a-f]{8}$/, '-*');

describe('upgradeInventory', () => {
  it('each release step applied twice gives identical bytes', async () => {
    const d = await kiloLab();
    for (const release of ['liberty', 'mitaka', 'newton']) {
      await upgradeInventory(release, { ...d, seed: 1, now });
      const first = snapshot(d.deployDir);
      const again = await upgradeInventory(release, { ...d, seed: 2, now });
      expect(snapshot(d.deployDir)).toEqual(first);
      expect(again.changes).toEqual([]);
    }
  });

  it('Liberty adds aodh, haproxy and the lbaas agent, drops the ceilometer alarm components, keeps comments', async () => {
    const d = await kiloLab();
    const kiloNeutron = readFileSync(join(d.deployDir, 'env.d/neutron.yml'), 'utf8');
    const report = await upgradeInventory('liberty', { ...d, seed: 1, now });
    const envd = readdirSync(join(d.deployDir, 'env.d'));
    expect(envd).toContain('aodh.yml');
    expect(envd).toContain('haproxy.yml');
    const neutron = readFileSync(join(d.deployDir, 'env.d/neutron.yml'), 'utf8');
    expect(neutron.startsWith(kiloNeutron.slice(0, kiloNeutron.indexOf('  neutron_server:\n    belongs_to')))).toBe(
      true,
    );
    expect(neutron).toContain(
      '  neutron_server:\n    belongs_to:\n      - neutron_all\n  neutron_lbaas_agent:\n    belongs_to:\n      - neutron_all\n\n\ncontainer_skel:',
    );
    expect(neutron).toContain('      - neutron_dhcp_agent\n      - neutron_lbaas_agent\n');
    const ceilometer = readFileSync(join(d.deployDir, 'env.d/ceilometer.yml'), 'utf8');
    expect(ceilometer).not.toContain('ceilometer_alarm');
    const inv = inventoryOf(d);
    expect(hostsOfGroup(inv, 'neutron_lbaas_agent').map(normal)).toEqual([
      'infra1_neutron_agents_container-*',
      'infra2_neutron_agents_container-*',
    ]);
    expect(inv['metering-alarm_hosts']).toBeDefined();
    expect(inv.haproxy_all).toBeDefined();
    // Stale groups stay, with their members.
    expect(hostsOfGroup(inv, 'ceilometer_alarm_evaluator')).toEqual([]);
    expect(report.changes.some((c) => c.key === 'group aodh_all')).toBe(true);
    // The previous inventory is kept with a UTC timestamp.
    expect(readdirSync(d.backupDir)).toContain('openstack_inventory.json-20260102_030405.json');
  });

  it("keeps the inventory before each release's upgrade, none over another when they run in the same second", async () => {
    const d = await kiloLab();
    const kiloText = readFileSync(join(d.deployDir, 'openstack_inventory.json'), 'utf8');
    for (const release of ['liberty', 'mitaka', 'newton']) await upgradeInventory(release, { ...d, seed: 1, now });
    const snapshots = readdirSync(d.backupDir)
      .filter((name) => name.startsWith('openstack_inventory.json-'))
      .sort();
    expect(snapshots).toEqual([
      'openstack_inventory.json-20260102_030405-2.json',
      'openstack_inventory.json-20260102_030405-3.json',
      'openstack_inventory.json-20260102_030405.json',
    ]);
    expect(readFileSync(join(d.backupDir, 'openstack_inventory.json-20260102_030405.json'), 'utf8')).toBe(kiloText);
    expect(readdirSync(d.backupDir).filter((name) => name.includes('leap-tmp'))).toEqual([]);
  });

  it('keeps every container name and address through Newton and matches the f5-inventory §2.8 example', async () => {
    const d = await kiloLab();
    const kilo = inventoryOf(d);
    for (const release of ['liberty', 'mitaka', 'newton']) await upgradeInventory(release, { ...d, seed: 1, now });
    const newton = inventoryOf(d);
    for (const [name, vars] of Object.entries(kilo._meta.hostvars)) {
      expect(newton._meta.hostvars[name]?.container_networks).toEqual(vars.container_networks);
      expect(newton._meta.hostvars[name]!.ansible_host).toBe(vars.ansible_ssh_host);
    }
    expect(Object.keys(newton._meta.hostvars).sort()).toEqual(Object.keys(kilo._meta.hostvars).sort());

    const example = JSON.parse(readFileSync(join(fixturesDir, 'f5-example-newton.json'), 'utf8')) as Inventory;
    const exampleHosts = new Set(Object.keys(example._meta.hostvars).map(normal));
    for (const [group, value] of Object.entries(example)) {
      if (group === '_meta' || group === 'all' || group.endsWith('-host_containers')) continue;
      const ours = newton[group] as { hosts?: string[]; children?: string[] } | undefined;
      expect(ours, group).toBeDefined();
      const want = ((value as { hosts?: string[] }).hosts ?? []).map(normal).sort();
      expect(
        (ours!.hosts ?? [])
          .map(normal)
          .filter((h) => exampleHosts.has(h))
          .sort(),
        group,
      ).toEqual(want);
    }
    for (const [name, vars] of Object.entries(example._meta.hostvars)) {
      const ours = Object.entries(newton._meta.hostvars).find(([n]) => normal(n) === normal(name));
      expect(ours, name).toBeDefined();
      const [, v] = ours!;
      expect(v.component, name).toBe(vars.component);
      expect(v.physical_host, name).toBe(vars.physical_host);
      expect(
        Object.keys(v)
          .filter((k) => k !== 'container_types')
          .sort(),
        name,
      ).toEqual(
        Object.keys(vars)
          .filter((k) => k !== 'container_types')
          .sort(),
      );
    }
    expect(hostsOfGroup(newton, 'lxc_hosts')).toEqual(
      ['compute1', 'infra1', 'infra2', 'log1'].filter((h) => h !== 'compute1'),
    );
    expect(newton._meta.hostvars.infra1!.container_types).toBe('infra1-host_containers');
    // Existing containers stay in the Kilo per-host group; Kilo-era env.d keeps container_release.
    expect(newton['infra1_containers']).toBeDefined();
    const galera = hostsOfGroup(newton, 'galera')[0]!;
    expect(newton._meta.hostvars[galera]!.properties).toEqual({
      container_release: 'trusty',
      log_directory: 'mysql_logs',
      service_name: 'galera',
    });
    for (const group of [
      'database_hosts',
      'dashboard_containers',
      'metrics_hosts',
      'neutron_openvswitch_agent',
      'gnocchi_all',
      'unbound_hosts',
    ]) {
      expect(newton[group], group).toBeDefined();
    }
    expect(readdirSync(join(d.deployDir, 'env.d'))).toEqual(
      expect.arrayContaining(['gnocchi.yml', 'magnum.yml', 'sahara.yml', 'unbound.yml', 'ironic.yml']),
    );
  });

  it('refuses a truncated inventory and leaves every file untouched', async () => {
    const d = await kiloLab();
    const file = join(d.deployDir, 'openstack_inventory.json');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(file, readFileSync(file, 'utf8').slice(0, 5000));
    const before = snapshot(d.root);
    const error = await upgradeInventory('liberty', { ...d, seed: 1, now }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'LEAP_INVENTORY_JSON', file });
    expect((error as Error).message).toMatch(/openstack_inventory\.json:\d+:\d+: invalid JSON/);
    expect((error as { hint: string }).hint).toMatch(/restore/);
    expect(snapshot(d.root)).toEqual(before);
  });
});
