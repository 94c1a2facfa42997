import { F5Error } from './errors.js';
import { checkInventory, groupHosts, type F5Inventory, type InventoryHost } from './inventory.js';
import type { F5Config, F5Object, Monitor, Profile } from './model.js';
import { resolveOptions, type GenerateOptions, type ResolvedOptions } from './options.js';
import { RELEASE_PROFILES, type ReleaseName, type ReleaseProfile } from './profiles/index.js';
import { objectNames, serviceObjects, type ObjectNames } from './service-objects.js';

export interface GenerateResult {
  release: ReleaseName;
  config: F5Config;
  /** Things the operator should know (missing groups, empty pools, defaults taken). */
  warnings: string[];
}

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
export function generateConfig(
  release: ReleaseName,
  inventoryInput: unknown,
  options: GenerateOptions = {},
): GenerateResult {
  const profile = releaseProfile(release);
  const inventory = checkInventory(inventoryInput);
  const needsPublicVip = profile.release !== 'kilo';
  const { resolved, warnings } = resolveOptions(inventory, options, needsPublicVip);
  const names = objectNames(profile, resolved);

  const objects: F5Object[] = [{ kind: 'partition', name: resolved.partition }];
  objects.push(...snatObjects(profile, resolved, names));
  objects.push(...monitorObjects(profile, names));

  const services = serviceObjects(profile, resolved, names, hostsWithWarnings(inventory, warnings));
  if (services.needSsl.length > 0 && names.clientSsl === undefined) {
    const needSsl = services.needSsl;
    throw new F5Error(
      'LEAP_F5_SSL_DOMAIN_REQUIRED',
      `The ${profile.release} configuration has SSL virtual servers (${needSsl.slice(0, 3).map(shortName).join(', ')}${needSsl.length > 3 ? ', …' : ''}) but no SSL domain names their certificate.`,
      {
        hint: 'Pass the public DNS name of the cloud with --ssl-domain NAME (upstream wrote a profile named RPC_PROF_SSL_None here).',
      },
    );
  }

  objects.push(...profileObjects(profile, resolved, names));
  objects.push(...[...services.nodes.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)));
  objects.push(
    ...services.pools,
    ...services.internal,
    ...services.publicSsl,
    ...services.passthrough,
    ...services.redirects,
  );
  return { release, config: { objects }, warnings: [...warnings] };
}

/** The hosts of an inventory group (memoised); a missing or empty group adds a warning the first time. */
function hostsWithWarnings(inventory: F5Inventory, warnings: string[]): (group: string) => InventoryHost[] {
  const hostsByGroup = new Map<string, InventoryHost[]>();
  return (group) => {
    const cached = hostsByGroup.get(group);
    if (cached !== undefined) return cached;
    const hosts = groupHosts(inventory, group);
    if (hosts === undefined)
      warnings.push(`Inventory group "${group}" not found: its pools are empty and get no virtual server.`);
    else if (hosts.length === 0)
      warnings.push(`Inventory group "${group}" has no hosts: its pools are empty and get no virtual server.`);
    hostsByGroup.set(group, hosts ?? []);
    return hosts ?? [];
  };
}

/** The SNAT pool, and a translation per SNAT address where the release sets an idle timeout. */
function snatObjects(profile: ReleaseProfile, resolved: ResolvedOptions, names: ObjectNames): F5Object[] {
  const objects: F5Object[] = [{ kind: 'snatpool', name: names.snatPool, members: resolved.snat }];
  if (profile.snatIdleTimeout !== undefined) {
    for (const address of resolved.snat)
      objects.push({ kind: 'snat-translation', name: names.path(address), ipIdleTimeout: profile.snatIdleTimeout });
  }
  return objects;
}

/** The external monitor file, the Galera monitor, the release's monitors, the external monitor and the discard rule. */
function monitorObjects(profile: ReleaseProfile, names: ObjectNames): F5Object[] {
  const { path, prefix, externalMonitor } = names;
  const objects: F5Object[] = [];
  objects.push({
    kind: 'external-monitor-file',
    name: externalMonitor,
    sourcePath: `file:///config/monitors/${prefix}${profile.externalMonitor}.monitor`,
  });
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
  objects.push({
    kind: 'monitor',
    name: externalMonitor,
    type: 'external',
    defaultsFrom: '/Common/external',
    interval: 20,
    run: externalMonitor,
    timeout: 61,
  });
  objects.push({ kind: 'rule', name: path(`${prefix}_DISCARD_ALL`), definition: 'when CLIENT_ACCEPTED { discard }' });
  return objects;
}

/** The SSL key, certificate and profiles (with an SSL domain), X-Forwarded-Proto where a service uses it, and persistence. */
function profileObjects(profile: ReleaseProfile, resolved: ResolvedOptions, names: ObjectNames): F5Object[] {
  const { path, prefix, clientSsl, serverSsl, forwardedProto, persistIp } = names;
  const objects: F5Object[] = [];
  const usesForwardedProto = profile.services.some((row) => row.forwardedProto === true);
  if (clientSsl !== undefined && resolved.sslDomain !== undefined) {
    const key = path(`${resolved.sslDomain}.key`);
    const cert = path(`${resolved.sslDomain}.crt`);
    objects.push({ kind: 'ssl-key', name: key, keySize: 2048 });
    objects.push({ kind: 'ssl-cert', name: cert, key, commonName: resolved.sslDomain, lifetime: 3650 });
    const client: Profile = {
      kind: 'profile',
      name: clientSsl,
      type: 'client-ssl',
      defaultsFrom: '/Common/clientssl',
      cert,
      key,
    };
    objects.push(client, { kind: 'profile', name: serverSsl, type: 'server-ssl', defaultsFrom: '/Common/serverssl' });
  }
  if (usesForwardedProto) {
    objects.push({
      kind: 'profile',
      name: forwardedProto,
      type: 'http',
      defaultsFrom: '/Common/http',
      headerInsert: 'X-Forwarded-Proto: https',
    });
  }
  objects.push(
    {
      kind: 'persistence',
      name: persistIp,
      type: 'source-addr',
      defaultsFrom: '/Common/source_addr',
      matchAcrossServices: 'enabled',
      timeout: 3600,
    },
    {
      kind: 'persistence',
      name: path(`${prefix}_PROF_PERSIST_COOKIE`),
      type: 'cookie',
      defaultsFrom: '/Common/cookie',
      cookieName: `${prefix}-COOKIE`,
    },
  );
  return objects;
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
