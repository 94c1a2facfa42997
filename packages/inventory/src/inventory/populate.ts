import type { Environment, SkelEntry } from '../config/environment.js';
import type { HostEntry, ProviderNetwork, UserConfig } from '../config/user-config.js';
import { isPlainObject } from '../config/merge.js';
import { InventoryError } from '../errors.js';
import type { ContainerNetwork, Group, HostVars, Inventory } from '../types.js';
import { formatIp, parseCidr, parseIp, type Cidr } from './ip.js';
import type { Rng } from './rng.js';
import type { GeneratorRules } from './rules.js';

/** Group lists with set-backed membership, so appends stay O(1) for thousands of hosts. */
class Groups {
  private readonly hostSets = new Map<string, Set<string>>();
  private readonly childSets = new Map<string, Set<string>>();
  constructor(private readonly inventory: Inventory) {}

  group(name: string): Group {
    return this.inventory[name] as Group;
  }

  has(name: string): boolean {
    return name !== '_meta' && typeof this.inventory[name] === 'object' && this.inventory[name] !== null;
  }

  ensure(name: string, shape: 'hosts' | 'both'): Group {
    if (!this.has(name)) this.inventory[name] = shape === 'hosts' ? { hosts: [] } : { children: [], hosts: [] };
    return this.group(name);
  }

  addHost(name: string, host: string): void {
    const group = this.ensure(name, 'hosts');
    group.hosts ??= [];
    let set = this.hostSets.get(name);
    if (set === undefined) this.hostSets.set(name, (set = new Set(group.hosts)));
    if (set.has(host)) return;
    set.add(host);
    group.hosts.push(host);
  }

  addChild(name: string, child: string): void {
    const group = this.ensure(name, 'both');
    group.children ??= [];
    let set = this.childSets.get(name);
    if (set === undefined) this.childSets.set(name, (set = new Set(group.children)));
    if (set.has(child)) return;
    set.add(child);
    group.children.push(child);
  }
}

/** Free addresses per cidr_networks queue, picked at random like the OSA generator, but from a seeded source. */
class AddressPools {
  private readonly used = new Set<number>();
  private readonly cidrs = new Map<string, Cidr>();
  constructor(
    config: UserConfig,
    private readonly rng: Rng,
  ) {
    for (const [name, text] of Object.entries(config.cidr_networks)) this.cidrs.set(name, parseCidr(text)!);
    for (const entry of config.used_ips ?? []) {
      const [from, to] = String(entry)
        .split(',')
        .map((s) => parseIp(s));
      if (from === undefined) continue;
      const end = to ?? from;
      if (end - from > 1 << 20) continue;
      for (let ip = from; ip <= end; ip++) this.used.add(ip);
    }
  }

  markUsed(address: string | null | undefined): void {
    const ip = address == null ? undefined : parseIp(address);
    if (ip !== undefined) this.used.add(ip);
  }

  netmask(queue: string | undefined): string | null {
    return queue === undefined ? null : (this.cidrs.get(queue)?.netmask ?? null);
  }

  take(queue: string, host: string): string {
    const cidr = this.cidrs.get(queue)!;
    const first = cidr.network + 1;
    const size = cidr.broadcast - cidr.network - 1;
    if (size > 0) {
      const start = this.rng.below(size);
      for (let i = 0; i < size; i++) {
        const ip = first + ((start + i) % size);
        if (!this.used.has(ip)) {
          this.used.add(ip);
          return formatIp(ip);
        }
      }
    }
    throw new InventoryError('LEAP_IP_EXHAUSTED', `no free address left in cidr_networks.${queue} for ${host}`, {
      host,
      hint: `widen cidr_networks.${queue} or release addresses from used_ips in openstack_user_config.yml`,
    });
  }
}

function configHostGroups(config: UserConfig): [string, Record<string, HostEntry>][] {
  return Object.entries(config)
    .filter(([key, value]) => key.endsWith('hosts') && isPlainObject(value))
    .map(([key, value]) => [key, value as Record<string, HostEntry>]);
}

function skels(section: Record<string, SkelEntry> | null | undefined): [string, SkelEntry][] {
  return Object.entries(section ?? {});
}

function isMetal(vars: HostVars): boolean {
  return vars.is_metal === true || (isPlainObject(vars.properties) && vars.properties.is_metal === true);
}

/**
 * Brings an inventory to what one release's OSA generator would write for this config and environment
 * (f5-inventory.md §2.3). Existing container names, addresses and groups are kept; missing containers are
 * created with names from `rng`. Mutates and returns `inventory`.
 */
export function populateInventory(
  inventory: Inventory,
  config: UserConfig,
  environment: Environment,
  rules: GeneratorRules,
  rng: Rng,
): Inventory {
  inventory._meta ??= { hostvars: {} };
  const hostvars = inventory._meta.hostvars;
  const groups = new Groups(inventory);
  const hostGroups = configHostGroups(config);

  setAllVars(inventory, groups, config, rules);
  const configIps = addPhysicalHosts(hostvars, groups, hostGroups);
  const pools = new AddressPools(config, rng);
  for (const ip of configIps.values()) pools.markUsed(ip);
  for (const vars of Object.values(hostvars)) {
    for (const net of Object.values(vars.container_networks ?? {})) pools.markUsed(net.address);
  }
  addSkeletonGroups(groups, environment);
  const build: ContainerBuild = { hostvars, groups, rules, rng, byPrefix: containersByPrefix(hostvars) };
  addContainers(build, environment, hostGroups);

  assignNetworks(inventory, config, rules, pools);

  fillHostvarDefaults(hostvars, rules, configIps);
  applySkelProperties(hostvars, groups, environment);
  if (rules.lxcHosts) inventory.lxc_hosts = { hosts: lxcHosts(hostvars) };
  return inventory;
}

type Hostvars = Inventory['_meta']['hostvars'];

/** `all.vars`: the global overrides plus container_cidr (the container network, else the management one). */
function setAllVars(inventory: Inventory, groups: Groups, config: UserConfig, rules: GeneratorRules): void {
  const containerCidr = config.cidr_networks.container ?? config.cidr_networks.management;
  if (containerCidr === undefined) {
    throw new InventoryError(
      'LEAP_CONFIG_INVALID',
      'openstack_user_config.yml: cidr_networks has neither "container" nor "management"',
      {
        hint: 'add the management network as cidr_networks.container',
      },
    );
  }
  const all = (groups.has('all') ? groups.group('all') : (inventory.all = {})) as Group;
  all.vars = rules.pruneAllVars
    ? { ...config.global_overrides, container_cidr: containerCidr }
    : { ...(all.vars ?? {}), ...config.global_overrides, container_cidr: containerCidr };
}

/**
 * Physical hosts from every *_hosts key of the config; the last key naming a host sets its physical_host_group.
 * Returns the configured address of each host.
 */
function addPhysicalHosts(
  hostvars: Hostvars,
  groups: Groups,
  hostGroups: [string, Record<string, HostEntry>][],
): Map<string, string> {
  const configIps = new Map<string, string>();
  for (const [key, hosts] of hostGroups) {
    groups.ensure(key, 'hosts');
    for (const [host, entry] of Object.entries(hosts)) {
      const vars = (hostvars[host] ??= {});
      vars.ansible_ssh_host = entry.ip;
      vars.container_address = entry.ip;
      vars.is_metal = true;
      vars.physical_host_group = key;
      if (!isPlainObject(vars.properties)) vars.properties = {};
      vars.properties.is_metal = true;
      Object.assign(vars, entry.host_vars ?? {});
      configIps.set(host, entry.ip);
      groups.addHost(key, host);
    }
  }
  return configIps;
}

/** Skeleton groups, then physical and component membership. */
function addSkeletonGroups(groups: Groups, environment: Environment): void {
  for (const section of [environment.component_skel, environment.container_skel, environment.physical_skel]) {
    for (const [key, entry] of skels(section)) {
      groups.ensure(key, key.endsWith('container') ? 'hosts' : 'both');
      for (const target of entry.belongs_to ?? []) groups.ensure(target, 'both');
    }
  }
  for (const section of [environment.physical_skel, environment.component_skel]) {
    for (const [key, entry] of skels(section))
      for (const target of entry.belongs_to ?? []) groups.addChild(target, key);
  }
}

/** Existing containers by `<host>_<skel>` prefix, so existing names are reused, never renamed. */
function containersByPrefix(hostvars: Hostvars): Map<string, string[]> {
  const byPrefix = new Map<string, string[]>();
  for (const name of Object.keys(hostvars)) {
    const m = /^(.+)-[0-9a-f]{8}$/.exec(name);
    if (m === null) continue;
    const list = byPrefix.get(m[1]!);
    if (list === undefined) byPrefix.set(m[1]!, [name]);
    else list.push(name);
  }
  return byPrefix;
}

/** What placing containers works on. */
interface ContainerBuild {
  hostvars: Hostvars;
  groups: Groups;
  rules: GeneratorRules;
  rng: Rng;
  byPrefix: Map<string, string[]>;
}

/** One component of one container_skel entry, belonging to one container type, on one configured physical host. */
interface Placement {
  skel: string;
  properties: NonNullable<SkelEntry['properties']>;
  component: string;
  containerType: string;
  physicalType: string;
  allGroup: string;
  host: string;
  hostEntry: HostEntry;
}

/** Every container_skel entry on every configured host of its physical group. */
function addContainers(
  build: ContainerBuild,
  environment: Environment,
  hostGroups: [string, Record<string, HostEntry>][],
): void {
  const configByGroup = new Map(hostGroups);
  for (const [skel, entry] of skels(environment.container_skel)) {
    const properties = entry.properties ?? {};
    for (const component of entry.contains ?? []) {
      for (const containerType of entry.belongs_to ?? []) {
        const physicalType = `${containerType.split('_')[0]}_hosts`;
        const configured = configByGroup.get(physicalType);
        if (configured === undefined) continue;
        const allGroup = `${containerType.split('_')[0]}_all`;
        for (const host of build.groups.group(physicalType).hosts ?? []) {
          const hostEntry = configured[host];
          if (hostEntry === undefined) continue;
          placeOnHost(build, { skel, properties, component, containerType, physicalType, allGroup, host, hostEntry });
        }
      }
    }
  }
}

/** Puts the component on the host itself (is_metal) or in its containers, creating as many as the affinity asks. */
function placeOnHost(build: ContainerBuild, placement: Placement): void {
  const { hostvars, groups, rules, rng, byPrefix } = build;
  const { skel, properties, component, containerType, physicalType, allGroup, host, hostEntry } = placement;
  const typeAndName = `${host}_${skel}`;
  if (typeAndName.length > rules.maxHostSkelLength) {
    throw new InventoryError(
      'LEAP_CONTAINER_NAME_TOO_LONG',
      `"${host}" + "_" + "${skel}" is ${typeAndName.length} characters, over the ${rules.maxHostSkelLength} OSA allows`,
      {
        host,
        hint: `rename host ${host} in ${physicalType} (at most ${rules.maxHostSkelLength - skel.length - 1} characters for this container type)`,
      },
    );
  }
  const hostVars = hostvars[host]!;
  hostVars.container_types = `${host}${rules.hostContainersSuffix}`;
  groups.ensure(allGroup, 'hosts');
  groups.addHost(allGroup, host);
  if (properties.is_metal === true) {
    Object.assign(hostVars, {
      properties: { ...properties, is_metal: true },
      ansible_ssh_host: hostEntry.ip,
      container_address: hostEntry.ip,
      is_metal: true,
      physical_host: host,
      container_name: host,
      physical_host_group: physicalType,
      component,
    });
    groups.addHost(component, host);
    return;
  }
  let existing = byPrefix.get(typeAndName);
  if (existing === undefined) byPrefix.set(typeAndName, (existing = []));
  const affinity = hostEntry.affinity?.[skel] ?? 1;
  while (existing.length < affinity) {
    let name: string;
    do name = `${typeAndName}-${rng.hex(8)}`;
    while (name in hostvars);
    hostvars[name] = newContainerVars(placement, name);
    existing.push(name);
    const perHost = `${host}${rules.hostContainersSuffix}`;
    groups.addHost(perHost, name);
    groups.addChild(containerType, perHost);
  }
  for (const name of existing) {
    groups.addHost(component, name);
    groups.addHost(skel, name);
    groups.addHost(allGroup, name);
  }
}

/** Hostvars of a new container: no address yet, plus the host's container_vars (within limit_container_types). */
function newContainerVars(placement: Placement, name: string): HostVars {
  const { properties, component, physicalType, host, hostEntry } = placement;
  const vars: HostVars = {
    properties: { ...properties },
    ansible_ssh_host: null,
    container_address: null,
    physical_host: host,
    container_name: name,
    container_networks: {},
    physical_host_group: physicalType,
    component,
  };
  for (const [k, v] of Object.entries(hostEntry.container_vars ?? {})) {
    if (k === 'limit_container_types') continue;
    const limit = hostEntry.container_vars?.limit_container_types;
    if (typeof limit === 'string' && !component.includes(limit)) continue;
    vars[k] = v;
  }
  return vars;
}

/** The hostvars every host and container carries, null where unknown. */
function fillHostvarDefaults(hostvars: Hostvars, rules: GeneratorRules, configIps: Map<string, string>): void {
  for (const [name, vars] of Object.entries(hostvars)) {
    for (const key of rules.requiredHostvars) if (!(key in vars)) vars[key] = null;
    vars.container_networks ??= {};
    vars.container_name ??= name;
    if (vars.physical_host == null && configIps.has(name)) vars.physical_host = name;
    if (rules.ansibleHost) vars.ansible_host = vars.ansible_ssh_host ?? null;
  }
}

/** Containers (not metal hosts) take the properties of their container_skel entry. */
function applySkelProperties(hostvars: Hostvars, groups: Groups, environment: Environment): void {
  for (const [skel, entry] of skels(environment.container_skel)) {
    if (entry.properties == null || entry.properties.is_metal === true) continue;
    for (const name of groups.has(skel) ? (groups.group(skel).hosts ?? []) : []) {
      const vars = hostvars[name];
      if (vars !== undefined && !isMetal(vars)) vars.properties = { ...entry.properties };
    }
  }
}

/** The physical hosts that hold containers, in hostvars order. */
function lxcHosts(hostvars: Hostvars): string[] {
  const lxc: string[] = [];
  const seen = new Set<string>();
  for (const [name, vars] of Object.entries(hostvars)) {
    const physical = vars.physical_host;
    if (typeof physical === 'string' && physical !== name && !seen.has(physical) && physical in hostvars) {
      seen.add(physical);
      lxc.push(physical);
    }
  }
  return lxc;
}

function effectiveNetworks(config: UserConfig, rules: GeneratorRules): ProviderNetwork[] {
  const networks = (config.global_overrides.provider_networks ?? []).map((pn) => ({ ...pn.network }));
  const flagged = networks.some((n) => n.is_ssh_address === true || n.is_container_address === true);
  if (flagged || networks.length === 0) return networks;
  const mgmt = config.global_overrides.management_bridge;
  const target = networks.find((n) => n.container_bridge === mgmt);
  if (rules.autoManagementFlags && target !== undefined) {
    target.is_ssh_address = true;
    target.is_container_address = true;
    return networks;
  }
  throw new InventoryError(
    'LEAP_CONFIG_MGMT_NETWORK',
    'no provider network has is_container_address and is_ssh_address set',
    {
      hint: `set is_container_address: true and is_ssh_address: true on the ${mgmt ?? 'management'} network in global_overrides.provider_networks`,
    },
  );
}

function assignNetworks(inventory: Inventory, config: UserConfig, rules: GeneratorRules, pools: AddressPools): void {
  const hostvars = inventory._meta.hostvars;
  for (const net of effectiveNetworks(config, rules)) {
    const queue = net.ip_from_q;
    const key = `${queue ?? net.container_interface}_address`;
    const netmask = pools.netmask(queue);
    const seenGroups = new Set<string>();
    const seenHosts = new Set<string>();
    const stack = [...net.group_binds].reverse();
    while (stack.length > 0) {
      const groupName = stack.pop()!;
      if (seenGroups.has(groupName) || groupName === '_meta') continue;
      seenGroups.add(groupName);
      const group = inventory[groupName] as Group | undefined;
      if (typeof group !== 'object' || group === null) continue;
      for (let i = (group.children ?? []).length - 1; i >= 0; i--) stack.push(group.children![i]!);
      for (const host of group.hosts ?? []) {
        if (seenHosts.has(host)) continue;
        seenHosts.add(host);
        const vars = hostvars[host];
        if (vars === undefined) continue;
        const networks = (vars.container_networks ??= {});
        const entry: ContainerNetwork = networks[key] ?? {};
        const metal = isMetal(vars);
        if (metal) {
          if (net.is_ssh_address === true || net.is_container_address === true)
            entry.address = vars.container_address ?? undefined;
        } else if (entry.address === undefined && queue !== undefined) {
          entry.address = pools.take(queue, host);
        }
        entry.bridge = net.container_bridge;
        if (!metal && net.container_interface !== undefined) entry.interface = net.container_interface;
        entry.netmask = netmask;
        entry.type = net.container_type ?? 'veth';
        if (typeof net.container_mtu === 'string' || typeof net.container_mtu === 'number')
          entry.mtu = String(net.container_mtu);
        if (entry.address === undefined) delete entry.address;
        networks[key] = entry;
        if (entry.address !== undefined && net.is_ssh_address === true) vars.ansible_ssh_host = entry.address;
        if (entry.address !== undefined && net.is_container_address === true) vars.container_address = entry.address;
      }
    }
  }
}
