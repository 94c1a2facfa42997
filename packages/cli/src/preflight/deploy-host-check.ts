import { hostname, networkInterfaces } from 'node:os';
import { join } from 'node:path';
import type { Exec } from '@leap/contract';
import type { LeapConfig } from '../config.js';
import type { CheckResult } from './types.js';

const INFRA_GROUPS = ['shared-infra_hosts', 'infra_hosts', 'os-infra_hosts'];

/**
 * The guide's known issue (LA-342): on a deploy node that is not an infra host, python-mysql fails to
 * build unless libmysqlclient-dev is installed.
 */
export async function checkDeployHost(config: LeapConfig, exec: Exec): Promise<CheckResult> {
  const base = {
    id: 'deploy-host-packages',
    title: 'deploy host prerequisites (libmysqlclient-dev on a standalone deploy node)',
  };
  const { readInventory, hostsOfGroup, hostVars } = await import('@leap/inventory');
  const inventory = await readInventory(join(config.deployDir, 'openstack_inventory.json'));
  const localAddresses = new Set(
    Object.values(networkInterfaces())
      .flat()
      .map((i) => i?.address)
      .filter(Boolean),
  );
  const me = hostname();
  const infra = INFRA_GROUPS.flatMap((group) => hostsOfGroup(inventory, group));
  const isInfra = infra.some((host) => {
    const vars = hostVars(inventory, host) ?? {};
    const address = (vars.ansible_host ?? vars.ansible_ssh_host) as string | undefined;
    return host === me || (address !== undefined && localAddresses.has(address));
  });
  if (isInfra) return { ...base, status: 'ok', message: `${me} is an infra host` };
  const dpkg = await exec(['dpkg-query', '-W', '-f=${Status}', 'libmysqlclient-dev']);
  if (dpkg.exitCode === 0 && dpkg.stdout.includes('install ok installed')) {
    return { ...base, status: 'ok', message: `standalone deploy node; libmysqlclient-dev installed` };
  }
  return {
    ...base,
    status: 'failed',
    message: `${me} is a standalone deploy node (not an infra host) without libmysqlclient-dev`,
    hint: 'run: apt-get install libmysqlclient-dev',
  };
}
