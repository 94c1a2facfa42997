import { join } from 'node:path';
import type { LeapRuntime } from './runtime.js';

/** How many galera containers the inventory names: the cluster size db/health and post/galera-health expect. */
export async function galeraClusterSize(rt: LeapRuntime): Promise<number | undefined> {
  const { readInventory, hostsOfGroup } = await import('@leap/inventory');
  const inventory = await readInventory(join(rt.config.deployDir, 'openstack_inventory.json')).catch(() => undefined);
  const size = inventory ? hostsOfGroup(inventory, 'galera_all').length : 0;
  return size > 0 ? size : undefined;
}
