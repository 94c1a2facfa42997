import { DbMigrateError } from './errors.js';
import type { DbConnectionOptions } from './connection.js';

export interface DeploymentFiles {
  /** Text of /etc/openstack_deploy/user_secrets.yml (or user_osa_secrets.yml). */
  userSecretsYaml: string;
  /** Text of openstack_user_config.yml, for global_overrides.internal_lb_vip_address. */
  userConfigYaml?: string;
  /** Parsed openstack_inventory.json, for the first galera container's address. */
  inventory?: unknown;
  /** Where the files came from, for error messages. */
  secretsFile?: string;
}

export interface DiscoveredConnection extends DbConnectionOptions {
  /** Which address was chosen and why ("internal_lb_vip_address" or "galera_all[0] <name>"). */
  source: string;
}

/**
 * The connection a deployment describes: root with galera_root_password, at the first galera container
 * (preferred, since leap's work is not load-balanced) or internal_lb_vip_address. Only top-level scalar
 * keys are read, so this needs no YAML parser.
 */
export function discoverConnection(
  files: DeploymentFiles,
  prefer: 'first-galera' | 'vip' = 'first-galera',
): DiscoveredConnection {
  const secretsFile = files.secretsFile ?? 'user_secrets.yml';
  const password = discoverRootPassword(files.userSecretsYaml, secretsFile);
  const vip =
    files.userConfigYaml === undefined ? undefined : readScalar(files.userConfigYaml, 'internal_lb_vip_address', true);
  const galera = firstGaleraAddress(files.inventory);
  const choices =
    prefer === 'vip'
      ? [vip && { host: vip, source: 'internal_lb_vip_address' }, galera]
      : [galera, vip && { host: vip, source: 'internal_lb_vip_address' }];
  const chosen = choices.find((c): c is { host: string; source: string } => Boolean(c));
  if (chosen === undefined) {
    throw new DbMigrateError(
      'LEAP_DB_NO_HOST',
      'neither the inventory (galera_all) nor openstack_user_config.yml (internal_lb_vip_address) says where the database is',
      {
        hint: 'give the database host in leap.yaml',
      },
    );
  }
  return { host: chosen.host, port: 3306, user: 'root', password, source: chosen.source };
}

export interface GaleraNodeAddress {
  /** The inventory name of the galera container (or host). */
  name: string;
  /** Its container_address (else ansible_host); undefined when the inventory gives none. */
  host: string | undefined;
}

/** Every galera node of the inventory (galera_all, else galera_container, else galera), in inventory order. */
export function discoverGaleraNodes(inventory: unknown): GaleraNodeAddress[] {
  if (typeof inventory !== 'object' || inventory === null) return [];
  const inv = inventory as Record<string, { hosts?: string[] } | undefined> & {
    _meta?: { hostvars?: Record<string, Record<string, unknown>> };
  };
  for (const group of ['galera_all', 'galera_container', 'galera']) {
    const names = inv[group]?.hosts ?? [];
    if (names.length === 0) continue;
    return names.map((name) => ({ name, host: addressOf(inv._meta?.hostvars?.[name] ?? {}) }));
  }
  return [];
}

function addressOf(vars: Record<string, unknown>): string | undefined {
  const address = vars.container_address ?? vars.ansible_host ?? vars.ansible_ssh_host;
  return typeof address === 'string' && address !== '' ? address : undefined;
}

/** The root password the deployment gives the database (galera_root_password), with the same errors as discoverConnection. */
export function discoverRootPassword(userSecretsYaml: string, secretsFile = 'user_secrets.yml'): string {
  const password = readScalar(userSecretsYaml, 'galera_root_password');
  if (password === undefined || password === '') {
    throw new DbMigrateError('LEAP_DB_NO_PASSWORD', `galera_root_password is not set in ${secretsFile}`, {
      hint: 'add galera_root_password to the secrets file, or give the database password in leap.yaml',
      file: secretsFile,
    });
  }
  if (password.startsWith('!vault')) {
    throw new DbMigrateError('LEAP_DB_SECRET_ENCRYPTED', `galera_root_password in ${secretsFile} is vault-encrypted`, {
      hint: 'give leap the vault password, or the database password in leap.yaml',
      file: secretsFile,
    });
  }
  return password;
}

function readScalar(yaml: string, key: string, nested = false): string | undefined {
  const pattern = new RegExp(`^${nested ? '[ \\t]*' : ''}${key}:[ \\t]*(.*?)[ \\t]*$`, 'm');
  const match = pattern.exec(yaml);
  if (!match) return undefined;
  const raw = match[1] ?? '';
  const double = /^"((?:[^"\\]|\\.)*)"/.exec(raw);
  if (double) return (double[1] ?? '').replace(/\\(["\\])/g, '$1');
  const single = /^'((?:[^']|'')*)'/.exec(raw);
  if (single) return (single[1] ?? '').replace(/''/g, "'");
  const value = raw.replace(/[ \t]+#.*$/, '');
  return value;
}

function firstGaleraAddress(inventory: unknown): { host: string; source: string } | undefined {
  if (typeof inventory !== 'object' || inventory === null) return undefined;
  const inv = inventory as Record<string, { hosts?: string[] } | undefined> & {
    _meta?: { hostvars?: Record<string, Record<string, unknown>> };
  };
  for (const group of ['galera_all', 'galera_container', 'galera']) {
    const name = inv[group]?.hosts?.[0];
    if (name === undefined) continue;
    const address = addressOf(inv._meta?.hostvars?.[name] ?? {});
    if (address !== undefined) return { host: address, source: `${group}[0] ${name}` };
  }
  return undefined;
}
