import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { membersOf, type InventoryView } from './inventory-view.js';
import { secretValue } from './secrets.js';
import type { Seeded } from './seed.js';

/** The lab keystone's admin credentials: what its openrc exports and the stand-in clients accept. */
export interface KeystoneAdmin {
  authUrl: string;
  username: string;
  password: string;
}

/** The deployment's keystone admin password (user_secrets.yml), or a generated one when it has none. */
export function labKeystoneAdmin(deployDir: string, seeded: Seeded, internalVip: string): KeystoneAdmin {
  const key = 'keystone_auth_admin_password';
  const file = join(deployDir, 'user_secrets.yml');
  const secrets = existsSync(file) ? (parse(readFileSync(file, 'utf8')) as Record<string, unknown> | null) : null;
  const password = typeof secrets?.[key] === 'string' ? secrets[key] : secretValue(seeded, key);
  return { authUrl: `http://${internalVip}:5000/v3`, username: 'admin', password };
}

/** /root/openrc as OSA Newton's openstack_openrc role writes it on the utility containers. */
export function openrcContent(admin: KeystoneAdmin): string {
  return [
    '# Ansible managed (leap lab: shaped like OSA r14 openstack_openrc)',
    'export LC_ALL=C',
    '',
    '# COMMON CINDER ENVS',
    'export CINDER_ENDPOINT_TYPE=internalURL',
    '',
    '# COMMON NOVA ENVS',
    'export NOVA_ENDPOINT_TYPE=internalURL',
    '',
    '# COMMON OPENSTACK ENVS',
    'export OS_ENDPOINT_TYPE=internalURL',
    'export OS_INTERFACE=internalURL',
    `export OS_USERNAME=${admin.username}`,
    `export OS_PASSWORD='${admin.password}'`,
    'export OS_PROJECT_NAME=admin',
    'export OS_TENANT_NAME=admin',
    `export OS_AUTH_URL=${admin.authUrl}`,
    'export OS_NO_CACHE=1',
    'export OS_USER_DOMAIN_NAME=Default',
    'export OS_PROJECT_DOMAIN_NAME=Default',
    'export OS_REGION_NAME=RegionOne',
    '',
    '# For openstackclient',
    'export OS_IDENTITY_API_VERSION=3',
    'export OS_AUTH_VERSION=3',
    '',
  ].join('\n');
}

/** Where the first utility host's /root/openrc is in the lab's host folders (none without a utility host). */
export function utilityOpenrcPath(hostsRoot: string, view: InventoryView): string | undefined {
  const name = membersOf(view, 'utility_all').sort()[0];
  const host = view.hosts.find((h) => h.name === name);
  if (host === undefined) return undefined;
  const root = host.isContainer
    ? join(hostsRoot, host.physicalHost, 'var/lib/lxc', host.name, 'rootfs')
    : join(hostsRoot, host.physicalHost);
  return join(root, 'root/openrc');
}
