import { F5Error } from './errors.js';
import { checkInventory, groupHosts, type InventoryHost } from './inventory.js';
import type { F5Config, F5Object, Monitor, Node, Pool, PoolMember, Profile, VirtualProfile, VirtualServer } from './model.js';
import { resolveOptions, type GenerateOptions } from './options.js';
import { RELEASE_PROFILES, type ReleaseName, type ReleaseProfile, type ServiceRow } from './profiles/index.js';

export interface GenerateResult {
  release: ReleaseName;
  config: F5Config;
  /** Things the operator should know (missing groups, empty pools, defaults taken). */
  warnings: string[];
}

const HTTPS_REDIRECT_RULE = '/Common/_sys_https_redirect';
const FIRST_PRIORITY = 100;
const PRIORITY_STEP = 5;

export function releaseProfile(release: string): ReleaseProfile {
  const profile = (RELEASE_PROFILES as Record<string, ReleaseProfile | undefined>)[release];
  if (profile === undefined) {
    throw new F5Error('LEAP_F5_RELEASE_UNKNOWN', `No F5 release profile "${release}".`, {
      hint: `Use one of: ${Object.keys(RELEASE_PROFILES).join(', ')}.`,
    });
  }
  return profile;
}

function headRequest(path: string): string {
  return `HEAD ${path} HTTP/1.1\\r\\nHost: rpc\\r\\n\\r\\n`;
}

/**
 * The complete F5 configuration a release profile describes, for this inventory: the service table
 * of reference §1.4 turned into objects. Pure: no I/O.
 */
export function generateConfig(release: ReleaseName, inventoryInput: unknown, options: GenerateOptions = {}): GenerateResult {
  const profile = releaseProfile(release);
  const inventory = checkInventory(inventoryInput);
  const needsPublicVip = profile.release !== 'kilo';
  const { resolved, warnings } = resolveOptions(inventory, options, needsPublicVip);
  const { partition, prefix } = resolved;
  const path = (name: string): string => `/${partition}/${name}`;

  const hostsByGroup = new Map<string, InventoryHost[]>();
  const hostsOf = (group: string): InventoryHost[] => {
    const cached = hostsByGroup.get(group);
    if (cached !== undefined) return cached;
    const hosts = groupHosts(inventory, group);
    if (hosts === undefined) warnings.push(`Inventory group "${group}" not found: its pools are empty and get no virtual server.`);
    else if (hosts.length === 0) warnings.push(`Inventory group "${group}" has no hosts: its pools are empty and get no virtual server.`);
    hostsByGroup.set(group, hosts ?? []);
    return hosts ?? [];
  };

  const objects: F5Object[] = [{ kind: 'partition', name: partition }];
  const snatPool = path(`${prefix}_SNATPOOL`);
  objects.push({ kind: 'snatpool', name: snatPool, members: resolved.snat });
  if (profile.snatIdleTimeout !== undefined) {
    for (const address of resolved.snat) objects.push({ kind: 'snat-translation', name: path(address), ipIdleTimeout: profile.snatIdleTimeout });
  }

  const externalMonitor = path(`${prefix}${profile.externalMonitor}`);
  objects.push({ kind: 'external-monitor-file', name: externalMonitor, sourcePath: `file:///config/monitors/${prefix}${profile.externalMonitor}.monitor` });
  objects.push(galeraMonitor(path(`${prefix}_MON_GALERA`)));
  for (const row of profile.monitors) {
    const monitor: Monitor = {
      kind: 'monitor',
      name: path(`${prefix}_${row.name}`),
      type: row.type,
      defaultsFrom: `/Common/${row.type}`,
      destination: `*:${row.port}`,
    };
    if (row.path !== undefined) monitor.send = headRequest(row.path);
    if (row.recv !== undefined) monitor.recv = row.recv;
    objects.push(monitor);
  }
  objects.push({ kind: 'monitor', name: externalMonitor, type: 'external', defaultsFrom: '/Common/external', interval: 20, run: externalMonitor, timeout: 61 });
  objects.push({ kind: 'rule', name: path(`${prefix}_DISCARD_ALL`), definition: 'when CLIENT_ACCEPTED { discard }' });

  const monitorPath = (row: ServiceRow): string => (row.monitor === 'EXT' ? externalMonitor : path(`${prefix}_${row.monitor}`));
  const persistIp = path(`${prefix}_PROF_PERSIST_IP`);
  const forwardedProto = path(`${prefix}_X-FORWARDED-PROTO`);
  const serverSsl = path(`${prefix}_PROF_SSL_SERVER`);
  const clientSsl = resolved.sslDomain === undefined ? undefined : path(`${prefix}_PROF_SSL_${resolved.sslDomain}`);

  const nodes = new Map<string, Node>();
  const pools: Pool[] = [];
  const internal: VirtualServer[] = [];
  const publicSsl: VirtualServer[] = [];
  const passthrough: VirtualServer[] = [];
  const redirects: VirtualServer[] = [];
  const needSsl: string[] = [];

  const clientSslProfiles = (row: ServiceRow): VirtualProfile[] => {
    const profiles: VirtualProfile[] = [{ name: '/Common/tcp' }];
    if (row.backendSsl === true) profiles.push({ name: serverSsl, context: 'serverside' });
    else if (row.forwardedProto === true) profiles.push({ name: forwardedProto });
    profiles.push({ name: clientSsl ?? path(`${prefix}_PROF_SSL_`), context: 'clientside' });
    return profiles;
  };
  const virtual = (name: string, destination: string, row: ServiceRow | undefined, pool: string | null, profiles: VirtualProfile[]): VirtualServer => ({
    kind: 'virtual',
    name,
    destination,
    mask: '255.255.255.255',
    ipProtocol: 'tcp',
    pool,
    profiles,
    persist: row?.persist === true ? persistIp : null,
    mirror: false,
    source: '0.0.0.0/0',
    snat: snatPool,
    rules: [],
  });

  for (const row of profile.services) {
    const suffix = row.key.toUpperCase();
    const hosts = hostsOf(row.group);
    const members: PoolMember[] = hosts.map((host, index) => {
      const node = path(`${prefix}_NODE_${host.name}`);
      const existing = nodes.get(node);
      if (existing !== undefined && existing.address !== host.address) {
        throw new F5Error('LEAP_F5_HOST_ADDRESS_CONFLICT', `Host "${host.name}" has two addresses (${existing.address}, ${host.address}).`, {
          host: host.name, hint: `give ${host.name} one container_address in the inventory, then generate again`,
        });
      }
      nodes.set(node, { kind: 'node', name: node, address: host.address });
      const member: PoolMember = { node, port: row.memberPort };
      // Upstream counts down without a floor, which gives invalid negative groups past 20 hosts.
      if (row.priority === true) member.priorityGroup = Math.max(FIRST_PRIORITY - PRIORITY_STEP * index, 1);
      return member;
    });
    const pool = path(`${prefix}_POOL_${suffix}`);
    pools.push({
      kind: 'pool',
      name: pool,
      loadBalancingMode: profile.loadBalancingMode,
      members,
      minActiveMembers: row.priority === true ? 1 : 0,
      monitor: monitorPath(row),
      serviceDownAction: row.serviceDownReset === true ? 'reset' : 'none',
      slowRampTime: row.serviceDownReset === true ? 0 : 10,
    });
    if (hosts.length === 0) continue;

    const vs = virtual(path(`${prefix}_VS_${suffix}`), `${resolved.internalVip}:${row.vipPort}`, row, pool, [{ name: '/Common/fastL4' }]);
    if (row.mirror === true) vs.mirror = true;
    if (row.sslInternal === true) {
      vs.profiles = clientSslProfiles(row);
      needSsl.push(vs.name);
    }
    internal.push(vs);

    if (resolved.publicVip === null || row.public === undefined) continue;
    const publicDestination = `${resolved.publicVip}:${row.vipPort}`;
    if (row.public === 'passthrough') {
      passthrough.push(virtual(path(`${prefix}_PUB_VS_${suffix}`), publicDestination, row, pool, [{ name: '/Common/fastL4' }]));
    } else {
      const ssl = virtual(path(`${prefix}_PUB_SSL_VS_${suffix}`), publicDestination, row, pool, clientSslProfiles(row));
      needSsl.push(ssl.name);
      publicSsl.push(ssl);
    }
    if (row.httpsRedirect === true) {
      const redirect = virtual(path(`${prefix}_PUB_VS_${suffix}_REDIRECT`), `${resolved.publicVip}:80`, undefined, null, [{ name: '/Common/tcp' }, { name: '/Common/http' }]);
      redirect.snat = 'none';
      redirect.rules = [HTTPS_REDIRECT_RULE];
      redirects.push(redirect);
    }
  }

  if (needSsl.length > 0 && clientSsl === undefined) {
    throw new F5Error('LEAP_F5_SSL_DOMAIN_REQUIRED', `The ${profile.release} configuration has SSL virtual servers (${needSsl.slice(0, 3).map(shortName).join(', ')}${needSsl.length > 3 ? ', …' : ''}) but no SSL domain names their certificate.`, {
      hint: 'Pass the public DNS name of the cloud with --ssl-domain NAME (upstream wrote a profile named RPC_PROF_SSL_None here).',
    });
  }

  const usesForwardedProto = profile.services.some((row) => row.forwardedProto === true);
  if (clientSsl !== undefined && resolved.sslDomain !== undefined) {
    const key = path(`${resolved.sslDomain}.key`);
    const cert = path(`${resolved.sslDomain}.crt`);
    objects.push({ kind: 'ssl-key', name: key, keySize: 2048 });
    objects.push({ kind: 'ssl-cert', name: cert, key, commonName: resolved.sslDomain, lifetime: 3650 });
    const client: Profile = { kind: 'profile', name: clientSsl, type: 'client-ssl', defaultsFrom: '/Common/clientssl', cert, key };
    objects.push(client, { kind: 'profile', name: serverSsl, type: 'server-ssl', defaultsFrom: '/Common/serverssl' });
  }
  if (usesForwardedProto) {
    objects.push({ kind: 'profile', name: forwardedProto, type: 'http', defaultsFrom: '/Common/http', headerInsert: 'X-Forwarded-Proto: https' });
  }
  objects.push(
    { kind: 'persistence', name: persistIp, type: 'source-addr', defaultsFrom: '/Common/source_addr', matchAcrossServices: 'enabled', timeout: 3600 },
    { kind: 'persistence', name: path(`${prefix}_PROF_PERSIST_COOKIE`), type: 'cookie', defaultsFrom: '/Common/cookie', cookieName: `${prefix}-COOKIE` },
  );
  objects.push(...[...nodes.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)));
  objects.push(...pools, ...internal, ...publicSsl, ...passthrough, ...redirects);
  return { release, config: { objects }, warnings: [...warnings] };
}

function shortName(name: string): string {
  return name.slice(name.lastIndexOf('/') + 1);
}

function galeraMonitor(name: string): Monitor {
  return {
    kind: 'monitor',
    name,
    type: 'mysql',
    defaultsFrom: '/Common/mysql',
    destination: '*:*',
    interval: 3,
    timeout: 10,
    send: 'select * from CHARACTER_SETS;',
    recv: 'big5_chinese_ci',
    database: 'information_schema',
    // Upstream hardcodes this user and no password: the operator sets the password on the F5.
    username: 'monitoring',
    recvRow: 0,
    recvColumn: 2,
    count: 1,
    debug: 'no',
    timeUntilUp: 0,
  };
}

