import { join } from 'node:path';
import { InventoryError } from '../errors.js';
import { assertHostnamesCompatible, checkHostnames, type HostnameReport } from '../hostnames.js';
import { readInventory } from '../inventory/json.js';
import { physicalHosts } from '../inventory/model.js';
import type { Inventory } from '../types.js';
import { EditSession, userFiles, type StepOptions } from './session.js';

/**
 * Reads the live short hostname (what Ansible calls `ansible_hostname`) of each named physical host, keyed by
 * inventory name: the caller runs `uname -n` or the like on the hosts through its runner. Never the fact cache:
 * the fact cleanup removes it just before this step.
 */
export type LiveHostnames = (hosts: string[]) => Promise<Record<string, string>>;

export interface HostnameStepOptions extends Pick<StepOptions, 'deployDir' | 'vault'> {
  liveHostnames: LiveHostnames;
}

/**
 * The "hostname compatibility" step: reads the inventory, `openstack_domain` from the user variables and the
 * live hostname of every physical host, checks every derived hostname and returns the 127.0.1.1 line per physical
 * host for `@leap/osa-deploy` to apply. Changes no file; throws on a collision, an invalid name or a host whose
 * hostname could not be read.
 */
export async function checkHostnameCompatibility(options: HostnameStepOptions): Promise<HostnameReport> {
  const { inventory, domain } = await assertHostnameNames(options);
  const hosts = physicalHosts(inventory);
  const live = await options.liveHostnames(hosts);
  const missing = hosts.find((h) => typeof live[h] !== 'string' || live[h] === '');
  if (missing !== undefined) {
    throw new InventoryError(
      'LEAP_HOSTNAME_UNKNOWN',
      `the live hostname of ${missing} could not be read; without it the 127.0.1.1 alias line could drop the name the host answers to`,
      {
        host: missing,
        hint: `check that ${missing} is reachable and that \`uname -n\` prints its hostname there, then run the step again`,
      },
    );
  }
  const report = checkHostnames(inventory, { openstackDomain: domain, liveHostnames: live });
  assertHostnamesCompatible(report);
  return report;
}

/**
 * The part of the check that needs no host reached: every derived hostname valid and no collision (preflight,
 * and the step before it asks the hosts). Returns the inventory and `openstack_domain`.
 */
export async function assertHostnameNames(
  options: Pick<StepOptions, 'deployDir' | 'vault'>,
): Promise<{ inventory: Inventory; domain: string | null | undefined }> {
  const inventory = await readInventory(join(options.deployDir, 'openstack_inventory.json'));
  const session = new EditSession({ ...options, backupDir: '' });
  let domain: string | null | undefined;
  for (const file of await userFiles(options.deployDir)) {
    if (file.endsWith('secrets.yml')) continue;
    const editor = await session.open(file);
    if (editor?.has(['openstack_domain']) === true) {
      const value = editor.get(['openstack_domain']);
      domain = value === null ? '' : String(value);
    }
  }
  assertHostnamesCompatible(checkHostnames(inventory, { openstackDomain: domain }));
  return { inventory, domain };
}
