import { F5Error } from './errors.js';
import type { InventoryHost } from './inventory.js';
import type { Node, Pool, PoolMember, VirtualProfile, VirtualServer } from './model.js';
import type { ResolvedOptions } from './options.js';
import type { ReleaseProfile, ServiceRow } from './profiles/index.js';

const HTTPS_REDIRECT_RULE = '/Common/_sys_https_redirect';
const FIRST_PRIORITY = 100;
const PRIORITY_STEP = 5;

/** The full paths of the objects that services refer to. */
export interface ObjectNames {
  path(name: string): string;
  prefix: string;
  snatPool: string;
  externalMonitor: string;
  persistIp: string;
  forwardedProto: string;
  serverSsl: string;
  /** Undefined without an SSL domain. */
  clientSsl: string | undefined;
}

export function objectNames(profile: ReleaseProfile, resolved: ResolvedOptions): ObjectNames {
  const { partition, prefix } = resolved;
  const path = (name: string): string => `/${partition}/${name}`;
  return {
    path,
    prefix,
    snatPool: path(`${prefix}_SNATPOOL`),
    externalMonitor: path(`${prefix}${profile.externalMonitor}`),
    persistIp: path(`${prefix}_PROF_PERSIST_IP`),
    forwardedProto: path(`${prefix}_X-FORWARDED-PROTO`),
    serverSsl: path(`${prefix}_PROF_SSL_SERVER`),
    clientSsl: resolved.sslDomain === undefined ? undefined : path(`${prefix}_PROF_SSL_${resolved.sslDomain}`),
  };
}

/** The nodes, pools and virtual servers of the service table, and the SSL virtual servers that need a certificate. */
export interface ServiceObjects {
  nodes: Map<string, Node>;
  pools: Pool[];
  internal: VirtualServer[];
  publicSsl: VirtualServer[];
  passthrough: VirtualServer[];
  redirects: VirtualServer[];
  needSsl: string[];
}

export function serviceObjects(
  profile: ReleaseProfile,
  resolved: ResolvedOptions,
  names: ObjectNames,
  hostsOf: (group: string) => InventoryHost[],
): ServiceObjects {
  const services: ServiceObjects = {
    nodes: new Map(),
    pools: [],
    internal: [],
    publicSsl: [],
    passthrough: [],
    redirects: [],
    needSsl: [],
  };
  for (const row of profile.services) {
    const suffix = row.key.toUpperCase();
    const hosts = hostsOf(row.group);
    const pool = names.path(`${names.prefix}_POOL_${suffix}`);
    services.pools.push(servicePool(profile, names, row, pool, poolMembers(names, row, hosts, services.nodes)));
    if (hosts.length === 0) continue;
    addVirtualServers(services, resolved, names, row, suffix, pool);
  }
  return services;
}

/** A member per host (adding its node), with falling priority groups where the row asks for them. */
function poolMembers(
  names: ObjectNames,
  row: ServiceRow,
  hosts: InventoryHost[],
  nodes: Map<string, Node>,
): PoolMember[] {
  return hosts.map((host, index) => {
    const node = names.path(`${names.prefix}_NODE_${host.name}`);
    const existing = nodes.get(node);
    if (existing !== undefined && existing.address !== host.address) {
      throw new F5Error(
        'LEAP_F5_HOST_ADDRESS_CONFLICT',
        `Host "${host.name}" has two addresses (${existing.address}, ${host.address}).`,
        {
          host: host.name,
          hint: `give ${host.name} one container_address in the inventory, then generate again`,
        },
      );
    }
    nodes.set(node, { kind: 'node', name: node, address: host.address });
    const member: PoolMember = { node, port: row.memberPort };
    // Upstream counts down without a floor, which gives invalid negative groups past 20 hosts.
    if (row.priority === true) member.priorityGroup = Math.max(FIRST_PRIORITY - PRIORITY_STEP * index, 1);
    return member;
  });
}

function servicePool(
  profile: ReleaseProfile,
  names: ObjectNames,
  row: ServiceRow,
  pool: string,
  members: PoolMember[],
): Pool {
  const monitor = row.monitor === 'EXT' ? names.externalMonitor : names.path(`${names.prefix}_${row.monitor}`);
  return {
    kind: 'pool',
    name: pool,
    loadBalancingMode: profile.loadBalancingMode,
    members,
    minActiveMembers: row.priority === true ? 1 : 0,
    monitor,
    serviceDownAction: row.serviceDownReset === true ? 'reset' : 'none',
    slowRampTime: row.serviceDownReset === true ? 0 : 10,
  };
}

/** The internal virtual server of a service, and its public one (SSL or passthrough) and HTTPS redirect where it has them. */
function addVirtualServers(
  services: ServiceObjects,
  resolved: ResolvedOptions,
  names: ObjectNames,
  row: ServiceRow,
  suffix: string,
  pool: string,
): void {
  const { path, prefix } = names;
  const vs = virtual(names, path(`${prefix}_VS_${suffix}`), `${resolved.internalVip}:${row.vipPort}`, row, pool, [
    { name: '/Common/fastL4' },
  ]);
  if (row.mirror === true) vs.mirror = true;
  if (row.sslInternal === true) {
    vs.profiles = clientSslProfiles(names, row);
    services.needSsl.push(vs.name);
  }
  services.internal.push(vs);

  if (resolved.publicVip === null || row.public === undefined) return;
  const publicDestination = `${resolved.publicVip}:${row.vipPort}`;
  if (row.public === 'passthrough') {
    services.passthrough.push(
      virtual(names, path(`${prefix}_PUB_VS_${suffix}`), publicDestination, row, pool, [{ name: '/Common/fastL4' }]),
    );
  } else {
    const ssl = virtual(
      names,
      path(`${prefix}_PUB_SSL_VS_${suffix}`),
      publicDestination,
      row,
      pool,
      clientSslProfiles(names, row),
    );
    services.needSsl.push(ssl.name);
    services.publicSsl.push(ssl);
  }
  if (row.httpsRedirect === true) {
    const redirect = virtual(
      names,
      path(`${prefix}_PUB_VS_${suffix}_REDIRECT`),
      `${resolved.publicVip}:80`,
      undefined,
      null,
      [{ name: '/Common/tcp' }, { name: '/Common/http' }],
    );
    redirect.snat = 'none';
    redirect.rules = [HTTPS_REDIRECT_RULE];
    services.redirects.push(redirect);
  }
}

function clientSslProfiles(names: ObjectNames, row: ServiceRow): VirtualProfile[] {
  const profiles: VirtualProfile[] = [{ name: '/Common/tcp' }];
  if (row.backendSsl === true) profiles.push({ name: names.serverSsl, context: 'serverside' });
  else if (row.forwardedProto === true) profiles.push({ name: names.forwardedProto });
  profiles.push({ name: names.clientSsl ?? names.path(`${names.prefix}_PROF_SSL_`), context: 'clientside' });
  return profiles;
}

function virtual(
  names: ObjectNames,
  name: string,
  destination: string,
  row: ServiceRow | undefined,
  pool: string | null,
  profiles: VirtualProfile[],
): VirtualServer {
  return {
    kind: 'virtual',
    name,
    destination,
    mask: '255.255.255.255',
    ipProtocol: 'tcp',
    pool,
    profiles,
    persist: row?.persist === true ? names.persistIp : null,
    mirror: false,
    source: '0.0.0.0/0',
    snat: names.snatPool,
    rules: [],
  };
}
