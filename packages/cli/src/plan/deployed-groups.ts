import { join } from 'node:path';
import type { LeapRuntime } from './runtime.js';

/**
 * Of `groups`, those the deployment's inventory has hosts in (a service not deployed runs no migration and needs
 * no venv). All of them when the inventory cannot be read: the commands then fail naming their group.
 */
export async function deployedGroups(rt: LeapRuntime, groups: readonly string[]): Promise<Set<string>> {
  const { readInventory, hostsOfGroup } = await import('@leap/inventory');
  const inventory = await readInventory(join(rt.config.deployDir, 'openstack_inventory.json')).catch(() => undefined);
  if (inventory === undefined) return new Set(groups);
  return new Set(groups.filter((group) => hostsOfGroup(inventory, group).length > 0));
}
