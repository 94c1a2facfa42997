import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isMap, isSeq, parseDocument, type Document } from 'yaml';
import { writeFileAtomic } from '@leap/contract';
import { backupOnce } from './backup-once.js';
import { OsaDeployError } from './errors.js';
import { yamlSyntaxError } from './yaml-error.js';
import { neutronAgentGroup } from './releases/newton.js';

export interface ForgetNeutronAgentsOptions {
  /** Default /etc/openstack_deploy. */
  configDir?: string;
  /** Where the inventory and user config are copied before the first edit. */
  backupDir: string;
  /** Default `neutron_agent`. */
  group?: string;
}

export interface KeptContainer {
  name: string;
  ip: string | undefined;
  physicalHost: string | undefined;
}

export interface ForgetNeutronAgentsResult {
  /** The containers taken out of the inventory and left running; remove them after os-neutron-install.yml. */
  kept: KeptContainer[];
  /** The file whose `used_ips` now reserves their addresses. */
  reservedIn: string | undefined;
  /** True when an earlier run had already chosen the containers (this run only completed or confirmed its work). */
  resumed: boolean;
  backups: string[];
}

/** Written first: once it exists, the choice of containers is final, even if the inventory later grows new agents. */
export const KEPT_STATE_FILE = 'leap-neutron-agents-kept.json';
/** Names of the kept containers, one a line: read by neutron-remove-old-containers.yml (the bash tooling's file name). */
export const REMOVE_LIST_FILE = 'leapfrog_remove_remaining_old_containers';
/** Reserved addresses, one a line (the bash tooling's file name). */
export const IP_RESERVATION_FILE = 'leapfrog_old_ips_reservation';

interface InventoryGroup {
  hosts?: string[];
  children?: string[];
}

type Inventory = Record<string, unknown> & { _meta?: { hostvars?: Record<string, Record<string, unknown>> } };

function groupMembers(inventory: Inventory, group: string, seen = new Set<string>()): string[] {
  if (seen.has(group)) return [];
  seen.add(group);
  const entry = inventory[group] as InventoryGroup | undefined;
  if (entry === undefined || typeof entry !== 'object') return [];
  return [...(entry.hosts ?? []), ...(entry.children ?? []).flatMap((child) => groupMembers(inventory, child, seen))];
}

function containersOf(inventory: Inventory, group: string): KeptContainer[] {
  const hostvars = inventory._meta?.hostvars ?? {};
  const names = [...new Set(groupMembers(inventory, group))].sort();
  return names.flatMap((name) => {
    const vars = hostvars[name] ?? {};
    const physicalHost = typeof vars['physical_host'] === 'string' ? vars['physical_host'] : undefined;
    // Agents on metal are the host itself; only containers can be left behind.
    if (vars['is_metal'] === true || physicalHost === undefined || physicalHost === name) return [];
    const ip = [vars['ansible_host'], vars['ansible_ssh_host'], vars['container_address']].find(
      (value) => typeof value === 'string',
    );
    return [{ name, ip: ip as string | undefined, physicalHost }];
  });
}

function removeFromInventory(inventory: Inventory, names: ReadonlySet<string>): boolean {
  let changed = false;
  const hostvars = inventory._meta?.hostvars ?? {};
  for (const name of names) {
    if (name in hostvars) {
      delete hostvars[name];
      changed = true;
    }
  }
  for (const [key, value] of Object.entries(inventory)) {
    if (key === '_meta' || value === null || typeof value !== 'object') continue;
    const group = value as InventoryGroup;
    if (!Array.isArray(group.hosts)) continue;
    const kept = group.hosts.filter((host) => !names.has(host));
    if (kept.length !== group.hosts.length) {
      group.hosts = kept;
      changed = true;
    }
  }
  return changed;
}

async function readText(file: string): Promise<string | undefined> {
  return readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
}

/** Where `used_ips` lives: openstack_user_config.yml, else a conf.d file, else (created in) openstack_user_config.yml. */
async function usedIpsFile(configDir: string): Promise<string> {
  const main = join(configDir, 'openstack_user_config.yml');
  const candidates = [main];
  const confD = join(configDir, 'conf.d');
  const extra = await readdir(confD).catch(() => [] as string[]);
  candidates.push(
    ...extra
      .filter((name) => /\.ya?ml$/.test(name))
      .sort()
      .map((name) => join(confD, name)),
  );
  for (const file of candidates) {
    const text = await readText(file);
    if (text !== undefined && /^used_ips:/m.test(text)) return file;
  }
  return main;
}

function reserve(doc: Document, ips: readonly string[]): boolean {
  if (!isMap(doc.contents)) throw new Error('not a mapping');
  let used = doc.get('used_ips', true);
  if (!isSeq(used)) {
    used = doc.createNode([]);
    doc.set('used_ips', used);
  }
  if (!isSeq(used)) return false;
  const present = new Set(used.items.map((item) => String((item as { value?: unknown }).value ?? item)));
  let changed = false;
  for (const ip of ips) {
    if (present.has(ip)) continue;
    used.add(doc.createNode(ip));
    changed = true;
  }
  return changed;
}

/**
 * Takes the old neutron agents containers out of the inventory so that the destroy step cannot match them and
 * they keep forwarding traffic during the re-deploy (leap-anchors §5.2), and reserves their addresses in
 * `used_ips` so the new containers get others. Backs the files up before the first edit, writes atomically and is
 * idempotent: the containers are chosen once (recorded in KEPT_STATE_FILE) and a re-run only completes that work.
 */
export async function forgetNeutronAgents(options: ForgetNeutronAgentsOptions): Promise<ForgetNeutronAgentsResult> {
  const configDir = options.configDir ?? '/etc/openstack_deploy';
  const inventoryFile = join(configDir, 'openstack_inventory.json');
  const stateFile = join(configDir, KEPT_STATE_FILE);
  const inventoryText = await readText(inventoryFile);
  if (inventoryText === undefined) {
    throw new OsaDeployError('LEAP_INVENTORY_MISSING', `no inventory at ${inventoryFile}`, {
      file: inventoryFile,
      hint: 'check the deployment folder configured in leap.yaml',
    });
  }
  let inventory: Inventory;
  try {
    inventory = JSON.parse(inventoryText) as Inventory;
  } catch (error) {
    throw new OsaDeployError('LEAP_NEUTRON_KEEP_INVENTORY_JSON', `${inventoryFile} is not valid JSON`, {
      file: inventoryFile,
      cause: error,
      hint: 'restore it from the backup folder',
    });
  }
  const stateText = await readText(stateFile);
  const resumed = stateText !== undefined;
  const kept = resumed
    ? (JSON.parse(stateText) as { kept: KeptContainer[] }).kept
    : containersOf(inventory, options.group ?? neutronAgentGroup);
  const ips = kept.flatMap((container) => (container.ip === undefined ? [] : [container.ip]));

  await mkdir(options.backupDir, { recursive: true });
  const reservedIn = ips.length === 0 ? undefined : await usedIpsFile(configDir);
  const backups = [await backupOnce(inventoryFile, options.backupDir, 'before-neutron-forget')];
  if (reservedIn !== undefined && (await readText(reservedIn)) !== undefined)
    backups.push(await backupOnce(reservedIn, options.backupDir, 'before-neutron-forget'));

  if (!resumed) await writeFileAtomic(stateFile, `${JSON.stringify({ kept }, null, 2)}\n`);
  await writeFileAtomic(join(configDir, REMOVE_LIST_FILE), kept.map((container) => `${container.name}\n`).join(''));
  await writeFileAtomic(join(configDir, IP_RESERVATION_FILE), ips.map((ip) => `${ip}\n`).join(''));

  if (reservedIn !== undefined) {
    const text = (await readText(reservedIn)) ?? '---\n';
    const doc = parseDocument(text);
    const broken = yamlSyntaxError(reservedIn, doc);
    if (broken !== undefined) {
      throw new OsaDeployError('LEAP_USER_CONFIG_INVALID', broken, {
        file: reservedIn,
        hint: 'fix the file, then re-run leap',
      });
    }
    // Keep the file's own sequence style so that only the reserved lines change.
    const indentSeq = !/:[ \t]*\n- /.test(text);
    if (reserve(doc, ips)) await writeFileAtomic(reservedIn, doc.toString({ lineWidth: 0, indentSeq }));
  }
  if (removeFromInventory(inventory, new Set(kept.map((container) => container.name)))) {
    await writeFileAtomic(inventoryFile, `${JSON.stringify(inventory, null, 4)}\n`);
  }
  return { kept, reservedIn, resumed, backups };
}
