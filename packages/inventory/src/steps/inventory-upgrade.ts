import { randomBytes } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { InventoryError } from '../errors.js';
import { environmentFromSources, loadEnvironmentDir, mergeEnvironments } from '../config/environment.js';
import { loadUserConfig } from '../config/user-config.js';
import { packageDataDir } from '../data-dir.js';
import { keepSnapshot, replaceFile } from '../files/replace.js';
import { parseInventory, serializeInventory } from '../inventory/json.js';
import { populateInventory } from '../inventory/populate.js';
import { seededRng } from '../inventory/rng.js';
import { releaseTable } from '../releases/index.js';
import type { Change, Inventory, StepReport } from '../types.js';
import { planEnvdChanges } from './envd.js';
import { EditSession, type StepOptions } from './session.js';

export interface UpgradeInventoryOptions extends StepOptions {
  /** Seed for the names and addresses of containers the release adds (default: random). */
  seed?: string | number;
  /** Clock for the backup name (tests). */
  now?: () => Date;
}

function stamp(date: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${date.getUTCFullYear()}${p(date.getUTCMonth() + 1)}${p(date.getUTCDate())}_${p(date.getUTCHours())}${p(date.getUTCMinutes())}${p(date.getUTCSeconds())}`;
}

/** Top-level and hostvars keys of the inventory before the generator ran (shallow copies: `in` as before). */
interface Shape {
  groups: Record<string, unknown>;
  hosts: Record<string, unknown>;
}

function summarise(file: string, before: Shape, after: Inventory): Change[] {
  const changes: Change[] = [];
  for (const group of Object.keys(after))
    if (!(group in before.groups)) changes.push({ file, action: 'added', key: `group ${group}` });
  for (const host of Object.keys(after._meta.hostvars))
    if (!(host in before.hosts)) changes.push({ file, action: 'added', key: `host ${host}` });
  changes.push({ file, action: 'updated', detail: 'hostvars and group membership rewritten by the generator rules' });
  return changes;
}

/**
 * The "inventory upgrade" of one leap step: the release's env.d additions and removals, then
 * `openstack_inventory.json` brought to what that release's generator writes (new groups, required hostvars,
 * `ansible_host`, `lxc_hosts`, per-host group naming for new containers). Existing container names and
 * addresses are kept. The previous inventory is kept in the backup folder with a UTC timestamp.
 */
export async function upgradeInventory(release: string, options: UpgradeInventoryOptions): Promise<StepReport> {
  const table = releaseTable(release);
  const envdDir = join(options.deployDir, 'env.d');
  const dataDir = join(packageDataDir(), 'env.d', table.name);
  const session = new EditSession(options);
  const copies = await planEnvdChanges(session, table, envdDir, dataDir);

  const names = new Set([
    ...(await readdir(envdDir).catch(() => [] as string[])),
    ...[...copies.keys()].map((f) => f.slice(envdDir.length + 1)),
  ]);
  const sources = [];
  for (const name of [...names].filter((n) => /\.ya?ml$/.test(n)).sort()) {
    const file = join(envdDir, name);
    sources.push({ file, text: copies.get(file) ?? (await session.text(file)) ?? '' });
  }
  let { environment } = environmentFromSources(sources);
  if (table.inTreeEnvd) environment = mergeEnvironments((await loadEnvironmentDir(dataDir)).environment, environment);

  const { config } = await loadUserConfig(options.deployDir);
  const inventoryFile = join(options.deployDir, 'openstack_inventory.json');
  const text = await readFile(inventoryFile, 'utf8').catch((cause: unknown) => {
    throw new InventoryError('LEAP_FILE_UNREADABLE', `cannot read ${inventoryFile}`, {
      file: inventoryFile,
      cause,
      hint: 'the inventory upgrade needs the current openstack_inventory.json; restore it from the backup folder',
    });
  });
  const current = parseInventory(text, inventoryFile);
  const before: Shape = { groups: { ...current }, hosts: { ...current._meta.hostvars } };
  const after = populateInventory(
    current,
    config,
    environment,
    table.inventory,
    seededRng(options.seed ?? randomBytes(16).toString('hex')),
  );
  const next = serializeInventory(after);

  await session.commit();
  for (const [file, content] of copies)
    await replaceFile(file, content, { backupDir: options.backupDir, root: options.deployDir });
  if (next !== text) {
    await keepSnapshot(
      inventoryFile,
      options.backupDir,
      'openstack_inventory.json',
      stamp((options.now ?? (() => new Date()))()),
    );
    await replaceFile(inventoryFile, next, { backupDir: options.backupDir, root: options.deployDir });
    for (const change of summarise(inventoryFile, before, after)) session.record(change);
  }
  return { step: `${table.name}/inventory`, changes: session.changes };
}
