import { existsSync, readFileSync } from 'node:fs';
import { LabError } from './errors.js';

interface RawGroup {
  hosts?: string[];
  children?: string[];
}

export interface InventoryHost {
  name: string;
  physicalHost: string;
  address: string | null;
  isContainer: boolean;
}

/** What the lab reads from an OSA openstack_inventory.json: hosts, where containers live, and the groups. */
export interface InventoryView {
  hosts: InventoryHost[];
  groups: Record<string, { hosts: string[]; children: string[] }>;
}

export function readInventoryView(file: string): InventoryView | undefined {
  if (!existsSync(file)) return undefined;
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch (error) {
    throw new LabError('LEAP_LAB_INVENTORY', `${file} is not valid JSON`, {
      file,
      cause: error,
      hint: `fix or restore ${file} (the inventory the lab is built from), then create the lab again`,
    });
  }
  const meta = raw._meta as { hostvars?: Record<string, Record<string, unknown>> } | undefined;
  const hostvars = meta?.hostvars ?? {};
  const hosts = Object.keys(hostvars)
    .sort()
    .map((name): InventoryHost => {
      const vars = hostvars[name]!;
      const physical = typeof vars.physical_host === 'string' && vars.physical_host !== '' ? vars.physical_host : name;
      const properties = (vars.properties ?? {}) as Record<string, unknown>;
      const metal = vars.is_metal === true || properties.is_metal === true;
      const address = [vars.container_address, vars.ansible_host, vars.ansible_ssh_host].find(
        (v) => typeof v === 'string',
      ) as string | undefined;
      return { name, physicalHost: physical, address: address ?? null, isContainer: physical !== name && !metal };
    });
  const groups: InventoryView['groups'] = {};
  for (const [name, value] of Object.entries(raw)) {
    if (name === '_meta' || typeof value !== 'object' || value === null) continue;
    const group = value as RawGroup;
    groups[name] = { hosts: [...(group.hosts ?? [])], children: [...(group.children ?? [])] };
  }
  return { hosts, groups };
}

/** Physical hosts: every inventory host that is its own physical host. */
export function physicalHostsOf(view: InventoryView): string[] {
  return view.hosts.filter((h) => h.physicalHost === h.name).map((h) => h.name);
}

/** Hosts of a group and its children, recursively. */
export function membersOf(view: InventoryView, group: string, seen = new Set<string>()): string[] {
  if (seen.has(group)) return [];
  seen.add(group);
  const entry = view.groups[group];
  if (entry === undefined) return [];
  return [...new Set([...entry.hosts, ...entry.children.flatMap((child) => membersOf(view, child, seen))])];
}
