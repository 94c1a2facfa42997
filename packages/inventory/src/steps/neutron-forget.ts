import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadUserConfig } from '../config/user-config.js';
import { keepSnapshot, replaceFile } from '../files/replace.js';
import { parseInventory, serializeInventory } from '../inventory/json.js';
import { componentOf, groupNames, isContainer } from '../inventory/model.js';
import type { Group, StepReport } from '../types.js';
import { EditSession, type StepOptions } from './session.js';

/** Files the upstream tooling keeps, so a leap begun with it can be finished here (and the other way round). */
export const REMOVED_CONTAINERS_FILE = 'leapfrog_remove_remaining_old_containers';
export const RESERVED_IPS_FILE = 'leapfrog_old_ips_reservation';

export interface NeutronForgetReport extends StepReport {
  /** Old neutron agents containers to destroy once the new agents run (also after a re-run). */
  containers: string[];
  /** Their addresses, now in `used_ips`. */
  addresses: string[];
}

async function readLines(file: string): Promise<string[]> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
}

/**
 * Neutron agents hand-over (leap-anchors.md §5.2): removes the `neutron_agent` containers from the inventory,
 * reserves their addresses in `used_ips` (of openstack_user_config.yml or the conf.d file that holds it) so the
 * new agents get new ones, and returns their names for removal after the new agents are deployed.
 */
export async function forgetNeutronAgents(options: StepOptions & { now?: () => Date }): Promise<NeutronForgetReport> {
  const inventoryFile = join(options.deployDir, 'openstack_inventory.json');
  const text = await readFile(inventoryFile, 'utf8');
  const inventory = parseInventory(text, inventoryFile);
  const { keyFiles } = await loadUserConfig(options.deployDir);
  const agents = Object.keys(inventory._meta.hostvars).filter(
    (h) => componentOf(inventory, h) === 'neutron_agent' && isContainer(inventory, h),
  );
  const found = agents
    .map((h) => inventory._meta.hostvars[h]!.ansible_ssh_host ?? inventory._meta.hostvars[h]!.container_address)
    .filter((a): a is string => typeof a === 'string');

  const namesFile = join(options.deployDir, REMOVED_CONTAINERS_FILE);
  const ipsFile = join(options.deployDir, RESERVED_IPS_FILE);
  const containers = [...new Set([...(await readLines(namesFile)), ...agents])];
  const addresses = [...new Set([...(await readLines(ipsFile)), ...found])];

  const session = new EditSession(options);
  const configFile = keyFiles.used_ips ?? join(options.deployDir, 'openstack_user_config.yml');
  const editor = (await session.open(configFile))!;
  if (!editor.has(['used_ips']) && addresses.length > 0) {
    editor.appendPair([], 'used_ips', addresses);
    for (const ip of addresses) session.record({ file: configFile, action: 'reserved', key: 'used_ips', detail: ip });
  } else {
    const current = (editor.get(['used_ips']) as unknown[] | null) ?? [];
    for (const ip of addresses) {
      if (current.some((entry) => String(entry).trim() === ip)) continue;
      editor.appendSeqItem(['used_ips'], ip);
      session.record({ file: configFile, action: 'reserved', key: 'used_ips', detail: ip });
    }
  }
  for (const name of agents) {
    delete inventory._meta.hostvars[name];
    session.record({ file: inventoryFile, action: 'removed', key: name });
  }
  const gone = new Set(agents);
  for (const group of groupNames(inventory)) {
    const g = inventory[group] as Group;
    if (Array.isArray(g.hosts) && g.hosts.some((h) => gone.has(h))) g.hosts = g.hosts.filter((h) => !gone.has(h));
  }

  const backup = { backupDir: options.backupDir, root: options.deployDir };
  await replaceFile(namesFile, containers.map((c) => `${c}\n`).join(''), backup);
  await replaceFile(ipsFile, addresses.map((a) => `${a}\n`).join(''), backup);
  await session.commit();
  if (agents.length > 0) {
    const stamp = (options.now ?? (() => new Date()))()
      .toISOString()
      .replace(/[-:]/g, '')
      .replace('T', '_')
      .slice(0, 15);
    await keepSnapshot(inventoryFile, options.backupDir, 'openstack_inventory.json', stamp);
    await replaceFile(inventoryFile, serializeInventory(inventory), backup);
  }
  return { step: 'redeploy/neutron-forget', changes: session.changes, containers, addresses };
}
