import { F5Error } from './errors.js';

/**
 * The part of an OSA `openstack_inventory.json` the F5 reads: groups (hosts + children, followed
 * recursively), each host's `container_address`, and a few `all.vars`. Kilo and Newton inventories
 * both fit; stale groups, dangling children and cycles are tolerated.
 */
export interface F5Inventory {
  _meta?: { hostvars?: Record<string, { container_address?: string | null } | undefined> };
  all?: { vars?: Record<string, unknown> };
  [group: string]: unknown;
}

export interface InventoryHost {
  name: string;
  address: string;
}

interface GroupShape {
  hosts?: unknown;
  children?: unknown;
}

export function checkInventory(inventory: unknown): F5Inventory {
  if (typeof inventory !== 'object' || inventory === null || Array.isArray(inventory)) {
    throw new F5Error('LEAP_F5_INVENTORY_INVALID', 'The inventory is not a JSON object.', {
      hint: 'Pass the parsed /etc/openstack_deploy/openstack_inventory.json.',
    });
  }
  const meta = (inventory as F5Inventory)._meta;
  if (typeof meta !== 'object' || meta === null || typeof meta.hostvars !== 'object' || meta.hostvars === null) {
    throw new F5Error(
      'LEAP_F5_INVENTORY_INVALID',
      'The inventory has no _meta.hostvars: it is not an OSA openstack_inventory.json.',
      {
        hint: 'Pass the parsed /etc/openstack_deploy/openstack_inventory.json written by the OSA inventory generator.',
      },
    );
  }
  return inventory as F5Inventory;
}

export function inventoryVar(inventory: F5Inventory, name: string): string | undefined {
  const value = inventory.all?.vars?.[name];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

function groupOf(inventory: F5Inventory, name: string): GroupShape | undefined {
  if (name === '_meta' || name === 'all') return undefined;
  const group = inventory[name];
  return typeof group === 'object' && group !== null && !Array.isArray(group) ? (group as GroupShape) : undefined;
}

function names(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/**
 * The hosts of a group in the order upstream walks it (children first, depth-first, then the group's
 * own hosts), each once. Upstream's de-duplication compared a name against records and never matched;
 * here a host reached through two paths is kept at its first position. Returns undefined for a
 * missing group.
 */
export function groupHosts(inventory: F5Inventory, group: string): InventoryHost[] | undefined {
  if (groupOf(inventory, group) === undefined) return undefined;
  const seenGroups = new Set<string>();
  const seenHosts = new Set<string>();
  const hosts: InventoryHost[] = [];
  const hostvars = inventory._meta?.hostvars ?? {};
  const visit = (name: string): void => {
    if (seenGroups.has(name)) return;
    seenGroups.add(name);
    const shape = groupOf(inventory, name);
    if (shape === undefined) return;
    for (const child of names(shape.children)) visit(child);
    for (const host of names(shape.hosts)) {
      if (seenHosts.has(host)) continue;
      seenHosts.add(host);
      const address = hostvars[host]?.container_address;
      if (typeof address !== 'string' || address.trim() === '') {
        throw new F5Error(
          'LEAP_F5_HOST_ADDRESS_MISSING',
          `Host "${host}" in inventory group "${name}" has no container_address.`,
          {
            host,
            hint: `Give ${host} a container_address (its management network IP) in openstack_inventory.json, or remove it from the group with the OSA inventory-manage script.`,
          },
        );
      }
      hosts.push({ name: host, address: address.trim() });
    }
  };
  visit(group);
  return hosts;
}
