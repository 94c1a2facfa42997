import { labSql } from './database.js';
import { LabError } from './errors.js';
import { readLab } from './lab-file.js';

/** The faults `injectLabFault` can put into a lab, for rehearsing what leap's checks catch. */
export const LAB_FAULTS = ['stale-nova-service'] as const;
export type LabFault = (typeof LAB_FAULTS)[number];

const isLabFault = (name: string): name is LabFault => (LAB_FAULTS as readonly string[]).includes(name);

export interface LabFaultResult {
  fault: LabFault;
  /** The service the fault brought back: its host (a Kilo container name) and binary. */
  host: string;
  binary: string;
}

// The stand-in services' heartbeat (as lab-openstack-register writes it): far in the future, so always up.
const HEARTBEAT = "'2099-12-31 00:00:00'";

/**
 * stale-nova-service: one nova-conductor registered under its Kilo host name (underscores) is not deleted and
 * heartbeats from now on, as if its Kilo container had survived the re-deploy. Works before or after a leap.
 */
export async function injectLabFault(dir: string, fault: string): Promise<LabFaultResult> {
  if (!isLabFault(fault)) {
    throw new LabError('LEAP_LAB_FAULT', `unknown lab fault '${String(fault)}'`, {
      hint: `use one of ${LAB_FAULTS.join(', ')}`,
    });
  }
  const { database } = readLab(dir);
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
  return { fault, host, binary };
}
