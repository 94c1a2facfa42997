import {
  chmodSync,
  existsSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '@leap/test-fixtures';
import { createLab, destroyLab, labAsset, type LabInfo } from '../src/index.js';
import type { ContainerTypes } from '../src/container-types.js';

interface Group {
  hosts?: string[];
  children?: string[];
}

type Inventory = Record<string, Group> & {
  _meta: { hostvars: Record<string, Record<string, unknown>> };
};

/** The groups of an inventory, `_meta` left out. */
const groupEntries = (inventory: Inventory): Array<[string, Group]> =>
  Object.entries(inventory).filter(([name]) => name !== '_meta') as Array<[string, Group]>;

let lab: LabInfo;
let root: string;
let inventoryFile: string;
let recordFile: string;

beforeAll(async () => {
  root = makeTempDir('leap-lab-inventory-');
  lab = await createLab(join(root, 'lab'), { singleDb: true, seed: 'inventory-test' });
  inventoryFile = join(lab.paths.deployDir, 'openstack_inventory.json');
  recordFile = join(lab.dir, 'ansible', 'container-types.json');
}, 240_000);

afterAll(async () => {
  if (lab !== undefined && existsSync(lab.dir)) await destroyLab(lab.dir);
  await execa('rm', ['-rf', root]);
});

/** Runs the lab's dynamic inventory as Ansible does (`inventory.py --list`). */
async function listInventory(): Promise<Inventory> {
  const result = await execa(lab.paths.inventory, ['--list']);
  return JSON.parse(result.stdout) as Inventory;
}

function readInventory(): Inventory {
  return JSON.parse(readFileSync(inventoryFile, 'utf8')) as Inventory;
}

function groupsOf(inventory: Inventory, host: string): string[] {
  return groupEntries(inventory)
    .filter(([, group]) => (group.hosts ?? []).includes(host))
    .map(([name]) => name)
    .sort();
}

function agentsContainers(inventory: Inventory): string[] {
  return (inventory.neutron_agents_container?.hosts ?? []).filter((name) => name in inventory._meta.hostvars);
}

/** Every address the hostvars of the hosts other than `except` hold. */
function addressesBesides(inventory: Inventory, except: string): Set<string> {
  const found = new Set<string>();
  for (const [name, vars] of Object.entries(inventory._meta.hostvars)) {
    if (name === except) continue;
    for (const key of ['container_address', 'ansible_host', 'ansible_ssh_host'])
      if (typeof vars[key] === 'string') found.add(vars[key]);
    for (const net of Object.values((vars.container_networks ?? {}) as Record<string, { address?: unknown }>))
      if (typeof net.address === 'string') found.add(net.address);
  }
  return found;
}

/** What the leap's redeploy/neutron-keep step does to the inventory: the container leaves every group and hostvars. */
function forget(name: string): void {
  const inventory = readInventory();
  delete inventory._meta.hostvars[name];
  for (const [, group] of groupEntries(inventory)) {
    if (!Array.isArray(group.hosts)) continue;
    group.hosts = group.hosts.filter((host) => host !== name);
  }
  writeFileSync(inventoryFile, `${JSON.stringify(inventory, null, 4)}\n`);
}

describe('the lab inventory', () => {
  it('records every container with its physical host, type, groups and hostvars at lab create', () => {
    const record = JSON.parse(readFileSync(recordFile, 'utf8')) as ContainerTypes;
    const inventory = readInventory();
    expect(record.containers.map((c) => c.name).sort()).toEqual(Object.keys(lab.containers).sort());
    const [agents] = agentsContainers(inventory);
    expect(agents).toMatch(/^infra1_neutron_agents_container-[0-9a-f]{8}$/);
    expect(record.containers.find((c) => c.name === agents)).toEqual({
      name: agents,
      physicalHost: 'infra1',
      type: 'neutron_agents_container',
      groups: groupsOf(inventory, agents!),
      hostvars: inventory._meta.hostvars[agents!],
    });
  });

  it('serves an untouched lab unchanged: the file as it is, every host run locally', async () => {
    const fileBefore = readFileSync(inventoryFile, 'utf8');
    const recordBefore = readFileSync(recordFile, 'utf8');
    const expected = JSON.parse(fileBefore) as Inventory;
    for (const [name, vars] of Object.entries(expected._meta.hostvars)) {
      vars.ansible_connection = 'local';
      vars.ansible_python_interpreter = '/usr/bin/python3';
      vars.physical_host ??= name;
    }
    expect(await listInventory()).toEqual(expected);
    expect(readFileSync(inventoryFile, 'utf8')).toBe(fileBefore);
    expect(readFileSync(recordFile, 'utf8')).toBe(recordBefore);
  });

  it('keeps the record up to date with the groups and hostvars the inventory upgrades add', async () => {
    const inventory = readInventory();
    const [agents] = agentsContainers(inventory);
    const vars = inventory._meta.hostvars[agents!]!;
    vars.ansible_host = vars.ansible_ssh_host;
    inventory.neutron_lbaas_agent = { children: [], hosts: [agents!] };
    writeFileSync(inventoryFile, `${JSON.stringify(inventory, null, 4)}\n`);
    const fileBefore = readFileSync(inventoryFile, 'utf8');
    await listInventory();
    expect(readFileSync(inventoryFile, 'utf8')).toBe(fileBefore);
    const record = JSON.parse(readFileSync(recordFile, 'utf8')) as ContainerTypes;
    const entry = record.containers.find((c) => c.name === agents);
    expect(entry?.groups).toContain('neutron_lbaas_agent');
    expect(entry?.hostvars).toEqual(vars);
  });

  it('generates a new neutron agents container once the leap forgets the old one, as OSA dynamic_inventory.py does', async () => {
    const before = readInventory();
    const [old] = agentsContainers(before);
    const oldVars = before._meta.hostvars[old!]!;
    const oldGroups = groupsOf(before, old!);
    forget(old!);
    chmodSync(inventoryFile, 0o640);

    const listed = await listInventory();
    const written = readInventory();
    const [fresh] = agentsContainers(written);
    expect(agentsContainers(written)).toHaveLength(1);
    expect(fresh).toMatch(/^infra1_neutron_agents_container-[0-9a-f]{8}$/);
    expect(fresh).not.toBe(old);
    expect(old! in written._meta.hostvars).toBe(false);
    expect(groupsOf(written, fresh!)).toEqual(oldGroups);
    expect(oldGroups).toContain('neutron_lbaas_agent');
    expect(groupsOf(listed, fresh!)).toEqual(oldGroups);

    const vars = written._meta.hostvars[fresh!]!;
    expect(Object.keys(vars).sort()).toEqual(Object.keys(oldVars).sort());
    expect(vars).toMatchObject({
      physical_host: 'infra1',
      container_name: fresh,
      component: oldVars.component,
      properties: oldVars.properties,
      physical_host_group: oldVars.physical_host_group,
    });
    const address = vars.container_address as string;
    expect(address).not.toBe(oldVars.container_address);
    expect(address.split('.').slice(0, 3)).toEqual((oldVars.container_address as string).split('.').slice(0, 3));
    expect(vars.ansible_ssh_host).toBe(address);
    expect(vars.ansible_host).toBe(address);
    const networks = vars.container_networks as Record<string, { address?: string }>;
    expect(networks.container_address?.address).toBe(address);
    const others = addressesBesides(written, fresh!);
    for (const net of Object.values(networks))
      if (net.address !== undefined) expect(others.has(net.address)).toBe(false);
    // Listed as the file has it, run locally.
    expect(listed._meta.hostvars[fresh!]).toEqual({
      ...vars,
      ansible_connection: 'local',
      ansible_python_interpreter: '/usr/bin/python3',
    });
    // Written atomically: the file keeps its mode, no temp file is left behind.
    expect(statSync(inventoryFile).mode & 0o777).toBe(0o640);
    expect(readdirSync(lab.paths.deployDir).filter((name) => name.endsWith('.tmp'))).toEqual([]);

    // A second run changes nothing.
    const fileAfter = readFileSync(inventoryFile, 'utf8');
    const again = await listInventory();
    expect(agentsContainers(again)).toEqual([fresh]);
    expect(again).toEqual(listed);
    expect(readFileSync(inventoryFile, 'utf8')).toBe(fileAfter);
  });

  it('gives the new container a host folder when the stand-in lxc-containers-create.yml runs', async () => {
    const [fresh] = agentsContainers(readInventory());
    await execa('python3', [
      labAsset('osa/playbooks/files/lab_containers.py'),
      'create',
      inventoryFile,
      lab.paths.hostsRoot,
    ]);
    expect(readFileSync(join(lab.paths.hostsRoot, 'infra1/var/lib/lxc', fresh!, 'rootfs/etc/hostname'), 'utf8')).toBe(
      `${fresh!.replace(/_/g, '-')}\n`,
    );
  });

  it("rebuilds a destroyed galera container with its data mounted at /var/lib/mysql, as OSA's bind mount", async () => {
    const inventory = JSON.parse(readFileSync(inventoryFile, 'utf8')) as { galera_container?: { hosts: string[] } };
    const [galera] = inventory.galera_container?.hosts ?? [];
    const lxc = join(lab.paths.hostsRoot, 'infra1/var/lib/lxc', galera!);
    rmSync(lxc, { recursive: true, force: true });
    await execa('python3', [
      labAsset('osa/playbooks/files/lab_containers.py'),
      'create',
      inventoryFile,
      lab.paths.hostsRoot,
    ]);
    expect(readlinkSync(join(lxc, 'rootfs/var/lib/mysql'))).toBe(
      join(lab.paths.hostsRoot, 'infra1/openstack', galera!),
    );
  });
});
