import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { InventoryError } from '../errors.js';
import { parseYamlText, type ParsedYaml } from '../yaml/parse.js';
import { deepMerge, isPlainObject } from './merge.js';
import { readSources, TextCache } from './text-cache.js';
import { issueError } from './validation.js';
import { parseCidr, parseIp } from '../inventory/ip.js';

const ip = z.string().refine((s) => parseIp(s) !== undefined, 'not an IPv4 address');
const cidr = z.string().refine((s) => parseCidr(s) !== undefined, 'not an IPv4 CIDR (like 172.29.236.0/22)');

export const providerNetworkSchema = z.looseObject({
  network: z.looseObject({
    container_bridge: z.string(),
    container_interface: z.string().optional(),
    container_type: z.string().optional(),
    ip_from_q: z.string().optional(),
    type: z.string().optional(),
    group_binds: z.array(z.string()),
    is_container_address: z.boolean().optional(),
    is_ssh_address: z.boolean().optional(),
    net_name: z.string().optional(),
  }),
});

export const hostEntrySchema = z.looseObject({
  ip,
  affinity: z.record(z.string(), z.number().int().nonnegative()).optional(),
  container_vars: z.record(z.string(), z.unknown()).optional(),
  host_vars: z.record(z.string(), z.unknown()).optional(),
});

export const userConfigSchema = z
  .looseObject({
    cidr_networks: z.record(z.string(), cidr),
    used_ips: z.array(z.string()).nullable().optional(),
    global_overrides: z.looseObject({
      internal_lb_vip_address: z.string(),
      external_lb_vip_address: z.string(),
      management_bridge: z.string().optional(),
      provider_networks: z.array(providerNetworkSchema).optional(),
    }),
  })
  .superRefine((config, ctx) => {
    for (const [key, value] of Object.entries(config)) {
      if (!key.endsWith('hosts') || value === null) continue;
      const parsed = z.record(z.string(), hostEntrySchema).safeParse(value);
      if (!parsed.success)
        for (const issue of parsed.error.issues) ctx.addIssue({ ...issue, path: [key, ...issue.path] } as never);
    }
  });

export type ProviderNetwork = z.infer<typeof providerNetworkSchema>['network'];
export type HostEntry = z.infer<typeof hostEntrySchema>;
export type UserConfig = z.infer<typeof userConfigSchema>;

export interface LoadedUserConfig {
  config: UserConfig;
  /** openstack_user_config.yml then conf.d files, in merge order. */
  files: string[];
  /** The file that last set each top-level key (where an edit of that key belongs). */
  keyFiles: Record<string, string>;
}

const HINT = 'fix the key in the file named above; the OSA openstack_user_config.yml example documents every key';

/** Loads `openstack_user_config.yml` + `conf.d/*.yml` from a deploy folder, merged and validated. */
export async function loadUserConfig(deployDir: string): Promise<LoadedUserConfig> {
  const main = join(deployDir, 'openstack_user_config.yml');
  const confD = join(deployDir, 'conf.d');
  const extra = (await readdir(confD).catch(() => [] as string[]))
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => join(confD, f));
  const sources = await readSources([main, ...extra]);
  return loaded.get(sources, () => validateUserConfigFiles(sources.map((s) => parseYamlText(s.text, s.file))));
}

const loaded = new TextCache<LoadedUserConfig>();

export function validateUserConfigFiles(parsed: ParsedYaml[]): LoadedUserConfig {
  let merged: unknown = {};
  const keyFiles: Record<string, string> = {};
  const byFile = new Map<string, ParsedYaml>();
  for (const p of parsed) {
    byFile.set(p.file, p);
    if (p.data === null || p.data === undefined) continue;
    if (!isPlainObject(p.data)) {
      throw new InventoryError('LEAP_CONFIG_INVALID', `${p.file}:1:1: the user config must be a mapping of keys`, {
        file: p.file,
        hint: HINT,
      });
    }
    for (const key of Object.keys(p.data)) keyFiles[key] = p.file;
    merged = deepMerge(merged, p.data);
  }
  const locate = (path: readonly PropertyKey[]) => {
    const file = keyFiles[String(path[0])] ?? parsed[0]!.file;
    return { file, parsed: byFile.get(file) };
  };
  const result = userConfigSchema.safeParse(merged);
  if (!result.success) throw issueError('LEAP_CONFIG_INVALID', result.error.issues, locate, HINT);
  checkConfigRules(result.data, locate);
  return { config: result.data, files: parsed.map((p) => p.file), keyFiles };
}

/** The generator's own rules (Newton's, which the leap must already satisfy): one IP per host, no shared IPs, known queues. */
function checkConfigRules(
  config: UserConfig,
  locate: (path: readonly PropertyKey[]) => { file: string; parsed?: ParsedYaml },
): void {
  const fail = (path: (string | number)[], message: string, hint: string) => {
    throw issueError(
      'LEAP_CONFIG_INVALID',
      [{ code: 'custom', path, message, input: undefined } as never],
      locate,
      hint,
    );
  };
  if ('lxc_hosts' in config)
    fail(
      ['lxc_hosts'],
      'lxc_hosts is built by the inventory generator and must not be set in the config',
      'remove the lxc_hosts key',
    );
  const ipOwner = new Map<string, string>();
  const hostIp = new Map<string, string>();
  for (const [group, hosts] of Object.entries(config)) {
    if (!group.endsWith('hosts') || !isPlainObject(hosts)) continue;
    for (const [host, entry] of Object.entries(hosts as Record<string, HostEntry>)) {
      const owner = ipOwner.get(entry.ip);
      if (owner !== undefined && owner !== host)
        fail(
          [group, host, 'ip'],
          `hosts ${owner} and ${host} both have address ${entry.ip}`,
          'give every host its own address',
        );
      const known = hostIp.get(host);
      if (known !== undefined && known !== entry.ip)
        fail(
          [group, host, 'ip'],
          `host ${host} has two addresses: ${known} and ${entry.ip}`,
          'use the same ip for a host in every *_hosts group',
        );
      ipOwner.set(entry.ip, host);
      hostIp.set(host, entry.ip);
    }
  }
  (config.global_overrides.provider_networks ?? []).forEach((pn, i) => {
    const q = pn.network.ip_from_q;
    if (q !== undefined && !(q in config.cidr_networks)) {
      fail(
        ['global_overrides', 'provider_networks', i, 'network', 'ip_from_q'],
        `ip_from_q "${q}" is not a key of cidr_networks`,
        'add the network to cidr_networks or fix the queue name',
      );
    }
  });
}
