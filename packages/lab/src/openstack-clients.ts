import { chmodSync, copyFileSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { labAsset } from './assets.js';
import { openrcContent, type KeystoneAdmin } from './openrc.js';

/** The lab's stand-in OpenStack clients, as leap.yaml's `openstackClients` names them. */
export interface LabOpenstackClients {
  /** The first utility host's /root/openrc in the lab's host folders (none without a utility host). */
  openrc: string | undefined;
  openstack: string;
  neutron: string;
  /** What the stand-in playbooks call to register the Newton services (lab-openstack-register). */
  register: string;
}

const WRAPPERS = {
  openstack: ['lab-openstack', 'openstack.cjs', "python-openstackclient's openstack"],
  neutron: ['lab-neutron', 'neutron.cjs', "python-neutronclient's neutron"],
  register: ['lab-openstack-register', 'register.cjs', 'the Newton services starting on re-deployed hosts'],
} as const;

/**
 * dir/clients/: the stand-in clients (CommonJS, on the lab database), the keystone admin credentials they accept
 * and the openrc exporting them (the stand-in utility-install.yml copies it to every utility host); dir/bin/lab-*
 * run them with this node. Writes the openrc of the first utility host now, as the Kilo deployment has it.
 */
export function writeOpenstackClients(
  dir: string,
  admin: KeystoneAdmin,
  utilityOpenrc: string | undefined,
): LabOpenstackClients {
  const clients = join(dir, 'clients');
  mkdirSync(clients, { recursive: true });
  for (const file of readdirSync(labAsset('clients'))) copyFileSync(labAsset(`clients/${file}`), join(clients, file));
  writeFileSync(join(clients, 'keystone.json'), `${JSON.stringify(admin, null, 2)}\n`);
  const openrc = openrcContent(admin);
  writeFileSync(join(clients, 'openrc'), openrc, { mode: 0o600 });
  if (utilityOpenrc !== undefined) {
    mkdirSync(dirname(utilityOpenrc), { recursive: true });
    writeFileSync(utilityOpenrc, openrc, { mode: 0o600 });
  }
  mkdirSync(join(dir, 'bin'), { recursive: true });
  const paths = {} as Record<keyof typeof WRAPPERS, string>;
  for (const [key, [name, script, what]] of Object.entries(WRAPPERS) as Array<
    [keyof typeof WRAPPERS, (typeof WRAPPERS)[keyof typeof WRAPPERS]]
  >) {
    paths[key] = join(dir, 'bin', name);
    writeFileSync(
      paths[key],
      `#!/bin/sh\n# Lab stand-in for ${what}; see ../clients/${script}.\n` +
        `exec ${shellQuote(process.execPath)} "$(dirname -- "$0")/../clients/${script}" "$@"\n`,
    );
    chmodSync(paths[key], 0o755);
  }
  return { openrc: utilityOpenrc, ...paths };
}

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
