import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RpcAdditionSwitch } from './releases/newton.js';
import { readUserFiles } from './user-files.js';

/** Whether the Kilo deployment had an RPC addition, and what says so. */
export interface KiloRpcAddition {
  had: boolean;
  why: string;
}

/** The values Kilo's rpcd/etc/openstack_deploy/user_extras_variables.yml ships: a deployment without MaaS keeps them. */
const KILO_PLACEHOLDERS = new Set(['', 'SomeUserName', 'SomeAPIKey', 'some_token']);
/** A Jinja reference (`{{ rackspace_cloud_username }}`, as both templates write the maas_* keys) is not a credential. */
const isCredential = (value: string) => !KILO_PLACEHOLDERS.has(value.trim()) && !value.includes('{{');
const MAAS_CREDENTIALS = [
  'rackspace_cloud_username',
  'rackspace_cloud_api_key',
  'maas_username',
  'maas_api_key',
  'maas_auth_token',
];
const ELK_CONTAINER = /_(elasticsearch|logstash|kibana)_container-/;

/**
 * What the Kilo deployment had of each RPC addition, read from what the leap keeps of it: Kilo's deploy.sh ran
 * rpc-support.yml on every deployment; it removed the ELK env.d files unless DEPLOY_ELK was yes, so ELK containers
 * in the inventory mean ELK; and MaaS needs Rackspace cloud credentials, which a deployment without it leaves at
 * the template's placeholders.
 */
export async function kiloRpcAdditions(configDir: string): Promise<Record<RpcAdditionSwitch, KiloRpcAddition>> {
  return {
    supportRole: { had: true, why: "Kilo's deploy.sh ran rpc-support.yml on every deployment" },
    elk: await kiloElk(configDir),
    maas: await kiloMaas(configDir),
  };
}

async function kiloElk(configDir: string): Promise<KiloRpcAddition> {
  const file = join(configDir, 'openstack_inventory.json');
  const inventory = JSON.parse(await readFile(file, 'utf8')) as { _meta?: { hostvars?: Record<string, unknown> } };
  const elk = Object.keys(inventory._meta?.hostvars ?? {}).filter((name) => ELK_CONTAINER.test(name));
  return elk.length > 0
    ? {
        had: true,
        why: `the inventory has ELK containers (${elk.slice(0, 3).join(', ')}${elk.length > 3 ? ', …' : ''})`,
      }
    : { had: false, why: `${file} has no elasticsearch, logstash or kibana container` };
}

async function kiloMaas(configDir: string): Promise<KiloRpcAddition> {
  const set: string[] = [];
  const vaulted: string[] = [];
  for (const { file, doc } of await readUserFiles(configDir)) {
    if (doc === undefined) {
      vaulted.push(file);
      continue;
    }
    const values = (doc.toJS() ?? {}) as Record<string, unknown>;
    for (const key of MAAS_CREDENTIALS) {
      const value = values[key];
      if (typeof value === 'string' && isCredential(value)) set.push(`${key} in ${file}`);
    }
  }
  if (set.length > 0) return { had: true, why: `MaaS credentials are set (${set.join(', ')})` };
  const unread = vaulted.length > 0 ? `; vault-encrypted, not read: ${vaulted.join(', ')}` : '';
  return { had: false, why: `no user file sets MaaS credentials other than Kilo's placeholders${unread}` };
}
