import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { labSql } from './database.js';
import { LabError } from './errors.js';
import { membersOf, readInventoryView } from './inventory-view.js';
import { readLab } from './lab-file.js';
import { labHostRoot, novaCommand, PROCESSES_FILE } from './nova-processes.js';
import type { LabDatabase, LabInfo } from './types.js';

/** The faults `injectLabFault` can put into a lab, for rehearsing what leap's checks catch. */
export const LAB_FAULTS = ['stale-nova-service', 'kilo-nova-process', 'galera-down-after-redeploy'] as const;
export type LabFault = (typeof LAB_FAULTS)[number];

const isLabFault = (name: string): name is LabFault => (LAB_FAULTS as readonly string[]).includes(name);

export interface LabFaultResult {
  fault: LabFault;
  /** The service the fault brought back: its host (a Kilo container name, or the compute host) and binary. */
  host: string;
  binary: string;
  /** kilo-nova-process: the process list it added the Kilo process to; galera-down-after-redeploy: its switch. */
  file?: string;
}

// The stand-in services' heartbeat (as lab-openstack-register writes it): far in the future, so always up.
const HEARTBEAT = "'2099-12-31 00:00:00'";

/**
 * stale-nova-service: one nova-conductor registered under its Kilo host name (underscores) is not deleted and
 * heartbeats from now on, as if its Kilo container had survived the re-deploy. Works before or after a leap.
 * kilo-nova-process: the first compute host runs a Kilo nova-compute besides its own, as if it had survived the
 * re-deploy. Meant for after the leap (before it every nova process is Kilo's; the re-deploy rewrites the list).
 * galera-down-after-redeploy: armed before the leap, it kills every galera node once, after the re-deploy (the
 * leap's last playbook, the stand-in verify-maas.yml), so post/galera-health finds the cluster down.
 */
export async function injectLabFault(dir: string, fault: string): Promise<LabFaultResult> {
  if (!isLabFault(fault)) {
    throw new LabError('LEAP_LAB_FAULT', `unknown lab fault '${String(fault)}'`, {
      hint: `use one of ${LAB_FAULTS.join(', ')}`,
    });
  }
  const info = readLab(dir);
  if (fault === 'galera-down-after-redeploy') return armGaleraDown(info);
  return fault === 'stale-nova-service' ? staleNovaService(info.database) : kiloNovaProcess(info);
}

async function staleNovaService(database: LabDatabase): Promise<LabFaultResult> {
  const binary = 'nova-conductor';
  const kiloHost = await labSql(
    database,
    `SELECT host FROM nova.services WHERE \`binary\` = '${binary}' AND host LIKE '%\\_%' ORDER BY id LIMIT 1`,
  );
  const host = kiloHost[0]?.[0];
  if (host === undefined) {
    throw new LabError('LEAP_LAB_FAULT', `the lab has no ${binary} registered under a Kilo container name`, {
      hint: 'this fault needs a lab whose nova_conductor group is a container (the default lab)',
    });
  }
  const quoted = `'${host.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  // The live row if there is one, else the latest soft-deleted one (leap's cleanup deletes with deleted = id).
  await labSql(
    database,
    `UPDATE nova.services SET deleted = 0, deleted_at = NULL, disabled = 0, updated_at = ${HEARTBEAT} ` +
      `WHERE host = ${quoted} AND \`binary\` = '${binary}' ORDER BY deleted = 0 DESC, id DESC LIMIT 1`,
  );
  return { fault: 'stale-nova-service', host, binary };
}

/** Appends a Kilo nova-compute, with a pid above the list's others, to the first compute host's process list. */
function kiloNovaProcess(info: LabInfo): LabFaultResult {
  const binary = 'nova-compute';
  const inventory = join(info.paths.deployDir, 'openstack_inventory.json');
  const view = readInventoryView(inventory);
  const computes = new Set(view === undefined ? [] : membersOf(view, 'nova_compute'));
  const compute = view?.hosts.find((h) => computes.has(h.name));
  if (compute === undefined) {
    throw new LabError('LEAP_LAB_FAULT', `the lab has no compute host: nova_compute is empty in ${inventory}`, {
      file: inventory,
      hint: 'this fault needs a lab with a compute host in nova_compute (every lab `leap lab create` builds has one)',
    });
  }
  const file = join(labHostRoot(info.paths.hostsRoot, compute), PROCESSES_FILE);
  const before = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const pids = before.split('\n').map((line) => Number.parseInt(line.trim(), 10) || 0);
  const line = `${Math.max(1000, ...pids) + 1} ${novaCommand('kilo', binary)}\n`;
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, before === '' || before.endsWith('\n') ? before + line : `${before}\n${line}`);
  return { fault: 'kilo-nova-process', host: compute.name, binary, file };
}

/** Writes <lab>/faults/galera-down-after-redeploy, which lab-galera crash-if-armed consumes. */
function armGaleraDown(info: LabInfo): LabFaultResult {
  const first = info.galera?.nodes[0];
  if (first === undefined) {
    throw new LabError('LEAP_LAB_FAULT', `${info.dir} has no Galera cluster (it was created with --single-db)`, {
      hint: 'this fault needs a lab with its Galera cluster: leap lab create without --single-db',
    });
  }
  const file = join(info.dir, 'faults', 'galera-down-after-redeploy');
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, 'every galera node is killed once, at the end of the re-deploy\n');
  return { fault: 'galera-down-after-redeploy', host: first.name, binary: 'mariadbd', file };
}
