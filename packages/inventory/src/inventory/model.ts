import type { Group, HostVars, Inventory } from '../types.js';

/** Every group name (every top-level key but `_meta`). */
export function groupNames(inventory: Inventory): string[] {
  return Object.keys(inventory).filter((k) => k !== '_meta');
}

export function getGroup(inventory: Inventory, name: string): Group | undefined {
  if (name === '_meta') return undefined;
  const value = inventory[name];
  return typeof value === 'object' && value !== null ? (value as Group) : undefined;
}

/**
 * Hosts of a group and of its children, recursively, in first-seen order. Missing groups, dangling children and
 * cycles (possible in pre-Newton inventories) are tolerated.
 */
export function hostsOfGroup(inventory: Inventory, name: string): string[] {
  const seenGroups = new Set<string>();
  const hosts = new Set<string>();
  const stack = [name];
  while (stack.length > 0) {
    const current = stack.pop()!;
    if (seenGroups.has(current)) continue;
    seenGroups.add(current);
    const group = getGroup(inventory, current);
    if (group === undefined) continue;
    for (const h of group.hosts ?? []) hosts.add(h);
    for (let i = (group.children ?? []).length - 1; i >= 0; i--) stack.push(group.children![i]!);
  }
  return [...hosts];
}

export function hostVars(inventory: Inventory, host: string): HostVars | undefined {
  return inventory._meta.hostvars[host];
}

/** A container runs on another machine; a physical host (or a metal service on it) is its own physical host. */
export function isContainer(inventory: Inventory, host: string): boolean {
  const vars = hostVars(inventory, host);
  if (vars === undefined) return false;
  const physical = vars.physical_host;
  return typeof physical === 'string' && physical !== host;
}

export function physicalHostOf(inventory: Inventory, host: string): string {
  const physical = hostVars(inventory, host)?.physical_host;
  return typeof physical === 'string' && physical !== '' ? physical : host;
}

export function componentOf(inventory: Inventory, host: string): string | null {
  const component = hostVars(inventory, host)?.component;
  return typeof component === 'string' ? component : null;
}

/** Names of the physical hosts (entries that are not containers). */
export function physicalHosts(inventory: Inventory): string[] {
  return Object.keys(inventory._meta.hostvars).filter((h) => !isContainer(inventory, h));
}

export function containers(inventory: Inventory): string[] {
  return Object.keys(inventory._meta.hostvars).filter((h) => isContainer(inventory, h));
}

/** The per-host container groups that exist for `host`, of both naming schemes (`h_containers`, `h-host_containers`). */
export function hostContainerGroups(inventory: Inventory, host: string): string[] {
  return [`${host}_containers`, `${host}-host_containers`].filter((g) => getGroup(inventory, g) !== undefined);
}

/** Containers grouped by physical host, in one pass. */
export function containersByHost(inventory: Inventory): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [name, vars] of Object.entries(inventory._meta.hostvars)) {
    const physical = vars.physical_host;
    if (typeof physical !== 'string' || physical === name) continue;
    const list = out.get(physical);
    if (list === undefined) out.set(physical, [name]);
    else list.push(name);
  }
  return out;
}

/**
 * Splits a container name into physical host, container skeleton and suffix (`infra1_galera_container-1a2b3c4d`).
 * The host part may itself contain `_`, so pass the known skeleton names (env.d `container_skel` keys) when you
 * have them; without them the shortest host part is assumed.
 */
export function parseContainerName(
  name: string,
  knownSkels?: Iterable<string>,
): { host: string; skel: string; suffix: string } | undefined {
  const m = /^(.+)-([0-9a-f]{8})$/.exec(name);
  if (m === null) return undefined;
  const base = m[1]!;
  let best: string | undefined;
  for (const skel of knownSkels ?? []) {
    if (base.endsWith(`_${skel}`) && base.length > skel.length + 1 && (best === undefined || skel.length > best.length))
      best = skel;
  }
  if (best !== undefined) return { host: base.slice(0, -best.length - 1), skel: best, suffix: m[2]! };
  const fallback = /^(.+?)_([A-Za-z0-9_-]*_container)$/.exec(base);
  return fallback === null ? undefined : { host: fallback[1]!, skel: fallback[2]!, suffix: m[2]! };
}
