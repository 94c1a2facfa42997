import { membersOf, type InventoryView } from './inventory-view.js';

/**
 * The hostname each physical lab host answers to: its inventory name, except the first compute host, which
 * answers to another name (as production hosts named by a datacentre scheme do), so the leap's
 * 127.0.1.1 alias line must carry it.
 */
export function labHostnames(view: InventoryView): Record<string, string> {
  const physical = view.hosts.filter((h) => !h.isContainer && h.physicalHost === h.name).map((h) => h.name);
  const renamed = membersOf(view, 'nova_compute')
    .filter((h) => physical.includes(h))
    .sort()[0];
  return Object.fromEntries(physical.map((name) => [name, name === renamed ? `${name.replace(/_/g, '-')}-hv` : name]));
}
