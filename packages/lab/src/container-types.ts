import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LabError } from './errors.js';

/** One container of the created inventory: what inventory.py needs to generate a replacement for it. */
export interface RecordedContainer {
  name: string;
  physicalHost: string;
  /** Its container type: the `<type>_container` group it is in (e.g. `neutron_agents_container`). */
  type: string;
  /** Every group it is a host of, sorted. */
  groups: string[];
  /** Its hostvars (container_address, ansible_host, container_networks, properties...). */
  hostvars: Record<string, unknown>;
}

export interface ContainerTypes {
  format: 1;
  containers: RecordedContainer[];
}

export const CONTAINER_TYPES_FILE = 'container-types.json';

type RawInventory = Record<string, unknown> & { _meta?: { hostvars?: Record<string, Record<string, unknown>> } };

/**
 * The containers of an inventory with their physical host, container type, groups and hostvars. The type is the
 * `<type>` of the container's `<physical host>_<type>-<8 hex>` name when it is one of its groups, else the first
 * group ending in `_container` it is in; containers on metal and containers in no such group are left out.
 */
export function containerTypesOf(inventory: RawInventory): ContainerTypes {
  const hostvars = inventory._meta?.hostvars ?? {};
  const membership = new Map<string, string[]>();
  for (const [group, value] of Object.entries(inventory)) {
    if (group === '_meta' || value === null || typeof value !== 'object') continue;
    const hosts = (value as { hosts?: unknown }).hosts;
    if (!Array.isArray(hosts)) continue;
    for (const host of hosts) {
      if (typeof host !== 'string') continue;
      const list = membership.get(host);
      if (list === undefined) membership.set(host, [group]);
      else if (!list.includes(group)) list.push(group);
    }
  }
  const containers: RecordedContainer[] = [];
  for (const name of Object.keys(hostvars).sort()) {
    const vars = hostvars[name]!;
    const physicalHost = vars.physical_host;
    const properties = (vars.properties ?? {}) as Record<string, unknown>;
    if (typeof physicalHost !== 'string' || physicalHost === '' || physicalHost === name) continue;
    if (vars.is_metal === true || properties.is_metal === true) continue;
    const groups = [...(membership.get(name) ?? [])].sort();
    const fromName = new RegExp(`^${escapeRegExp(physicalHost)}_(.+_container)-[0-9a-f]{8}$`).exec(name)?.[1];
    const type =
      fromName !== undefined && groups.includes(fromName) ? fromName : groups.find((g) => g.endsWith('_container'));
    if (type === undefined) continue;
    containers.push({ name, physicalHost, type, groups, hostvars: vars });
  }
  return { format: 1, containers };
}

/**
 * dir/ansible/container-types.json: every container of the deployment's inventory as created (see
 * containerTypesOf). The lab's inventory.py generates a new container for every recorded (physical host, container
 * type) left without one, as OSA's dynamic_inventory.py does from env.d (after the leap forgets the neutron agents
 * containers), and keeps the groups and hostvars recorded here up to date while the containers exist.
 */
export function writeContainerTypes(dir: string, inventoryFile: string): string {
  let inventory: RawInventory;
  try {
    inventory = JSON.parse(readFileSync(inventoryFile, 'utf8')) as RawInventory;
  } catch (error) {
    throw new LabError('LEAP_LAB_INVENTORY', `${inventoryFile} is not valid JSON`, {
      file: inventoryFile,
      cause: error,
      hint: `fix or restore ${inventoryFile} (the inventory the lab is built from), then create the lab again`,
    });
  }
  const file = join(dir, 'ansible', CONTAINER_TYPES_FILE);
  writeFileSync(file, `${JSON.stringify(containerTypesOf(inventory), null, 2)}\n`);
  return file;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
