import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  generateKiloInventory,
  hostsOfGroup,
  kiloEnvdDir,
  loadEnvironmentDir,
  loadUserConfig,
  serializeInventory,
  writeKiloInventory,
  parseInventory,
  InventoryError,
  type Inventory,
} from '../src/index.js';
import { deployment, fixturesDir } from './helpers.js';

async function kiloInventory(seed: string | number = 'golden'): Promise<Inventory> {
  const { config } = await loadUserConfig(join(fixturesDir, 'rpc-kilo'));
  const { environment } = await loadEnvironmentDir(kiloEnvdDir());
  return generateKiloInventory({ config, environment, seed });
}

describe('generateKiloInventory', () => {
  it('is deterministic for a seed and differs for another seed', async () => {
    expect(serializeInventory(await kiloInventory(1))).toBe(serializeInventory(await kiloInventory(1)));
    expect(serializeInventory(await kiloInventory(1))).not.toBe(serializeInventory(await kiloInventory(2)));
  });

  it('names containers <host>_<skel>-<8 hex> and puts them in <host>_containers', async () => {
    const inv = await kiloInventory();
    const galera = hostsOfGroup(inv, 'galera');
    expect(galera).toHaveLength(2);
    for (const name of galera) expect(name).toMatch(/^infra[12]_galera_container-[0-9a-f]{8}$/);
    expect((inv.infra1_containers as { hosts: string[] }).hosts).toContain(galera[0]);
    expect((inv['shared-infra_containers'] as { children: string[] }).children).toEqual([
      'infra1_containers',
      'infra2_containers',
    ]);
    expect(inv._meta.hostvars.infra1!.container_types).toBe('infra1_containers');
    expect(inv._meta.hostvars[galera[0]!]!.properties).toEqual({
      container_release: 'trusty',
      log_directory: 'mysql_logs',
      service_name: 'galera',
    });
    expect(inv.infra_hosts).toEqual({ children: [], hosts: [] });
    expect(inv.lxc_hosts).toBeUndefined();
  });

  it('allocates addresses from cidr_networks minus used_ips, each once', async () => {
    const inv = await kiloInventory();
    const seen = new Set<string>();
    for (const [name, vars] of Object.entries(inv._meta.hostvars)) {
      for (const net of Object.values(vars.container_networks ?? {})) {
        if (net.address === undefined) continue;
        const last = Number(net.address.split('.')[3]);
        if (net.address.startsWith('172.29.236.')) expect(last).toBeGreaterThan(50);
        if (name.includes('_container-')) expect(seen.has(net.address), `${net.address} given twice`).toBe(false);
        seen.add(net.address);
      }
    }
    const compute = inv._meta.hostvars.compute1!;
    expect(compute.container_networks!.container_address!.address).toBe('172.29.236.111');
    expect(compute.container_networks!.storage_address).toEqual({
      bridge: 'br-storage',
      netmask: '255.255.252.0',
      type: 'veth',
    });
    expect(compute.component).toBe('nova_compute');
    expect(compute.properties).toEqual({ container_release: 'trusty', is_metal: true, service_name: 'nova' });
  });

  it('matches the golden Kilo inventory of the RPC lab config', async () => {
    const golden = join(fixturesDir, 'golden', 'kilo-inventory.json');
    const text = serializeInventory(await kiloInventory());
    if (process.env.UPDATE_GOLDEN === '1') (await import('node:fs')).writeFileSync(golden, text);
    expect(text).toBe(readFileSync(golden, 'utf8'));
  });

  it('refuses a host whose <host>_<skel> name is over 52 characters', async () => {
    const { config } = await loadUserConfig(join(fixturesDir, 'rpc-kilo'));
    const { environment } = await loadEnvironmentDir(kiloEnvdDir());
    const long = 'a-very-long-infrastructure-host-name-01';
    const broken = { ...config, 'shared-infra_hosts': { [long]: { ip: '172.29.236.120' } } };
    const error = (() => {
      try {
        generateKiloInventory({ config: broken, environment, seed: 1 });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(InventoryError);
    expect((error as InventoryError).code).toBe('LEAP_CONTAINER_NAME_TOO_LONG');
    expect((error as InventoryError).host).toBe(long);
  });

  it('writes openstack_inventory.json of a deploy folder that loads back', async () => {
    const d = await deployment();
    const { file } = await writeKiloInventory({ deployDir: d.deployDir, seed: 7, backupDir: d.backupDir });
    const inv = parseInventory(readFileSync(file, 'utf8'), file);
    expect(hostsOfGroup(inv, 'kibana')).toHaveLength(1);
  });
});
