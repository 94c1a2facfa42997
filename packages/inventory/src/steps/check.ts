import { join } from 'node:path';
import { loadEnvironmentDir } from '../config/environment.js';
import { loadUserConfig } from '../config/user-config.js';
import type { HostnameReport } from '../hostnames.js';
import { readInventory } from '../inventory/json.js';
import { containers, physicalHosts } from '../inventory/model.js';
import { assertHostnameNames, checkHostnameCompatibility, type LiveHostnames } from './hostnames.js';
import { EditSession, userFiles, type StepOptions } from './session.js';

export interface CheckReport {
  files: string[];
  hosts: number;
  containers: number;
  /** With `liveHostnames` only: the alias lines need each host's live hostname. */
  hostnames: HostnameReport | undefined;
}

/**
 * `leap inventory check`: loads and validates the user config, env.d, every user_*.yml and the inventory, then
 * the hostname compatibility (the alias lines only with `liveHostnames`, which reaches the hosts). Throws the
 * first problem (file, line/column or key path, hint); changes nothing.
 */
export async function checkDeployment(
  options: Pick<StepOptions, 'deployDir' | 'vault'> & { liveHostnames?: LiveHostnames },
): Promise<CheckReport> {
  const { files } = await loadUserConfig(options.deployDir);
  const env = await loadEnvironmentDir(join(options.deployDir, 'env.d'));
  const session = new EditSession({ ...options, backupDir: '' });
  const variables = await userFiles(options.deployDir);
  for (const file of variables) await session.open(file);
  const inventory = await readInventory(join(options.deployDir, 'openstack_inventory.json'));
  const { liveHostnames } = options;
  const hostnames =
    liveHostnames === undefined
      ? (await assertHostnameNames(options), undefined)
      : await checkHostnameCompatibility({ ...options, liveHostnames });
  return {
    files: [...files, ...env.files, ...variables, join(options.deployDir, 'openstack_inventory.json')],
    hosts: physicalHosts(inventory).length,
    containers: containers(inventory).length,
    hostnames,
  };
}
