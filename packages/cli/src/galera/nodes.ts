import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DbConnectionOptions } from '@leap/db-migrate';
import type { LeapConfig } from '../config.js';
import { CliError, ExitCode } from '../errors.js';
import { secretsFileDefining } from '../plan/secrets-file.js';
import type { GaleraNodeHost } from './node-hosts.js';

/**
 * One galera node: how to reach its server, and what runs it: with runner local on this machine (`local`),
 * otherwise in its container through Ansible (`host`).
 */
export interface GaleraNodeSpec {
  name: string;
  conn: DbConnectionOptions;
  local?: { datadir: string; start: string[]; env: Record<string, string> };
  host?: GaleraNodeHost;
}

/**
 * The galera nodes of this deployment: leap.yaml's `galera.nodes` with `runner: local` (the tests);
 * otherwise every galera container of the inventory, reached as root with galera_root_password at the address and
 * port its Ansible variables give (node-hosts.ts: container_address and 3306 unless the deployment says otherwise).
 */
export async function galeraNodes(config: LeapConfig): Promise<GaleraNodeSpec[]> {
  const user = config.database.user ?? 'root';
  if (config.runner === 'local') {
    const nodes = config.galera.nodes ?? [];
    if (nodes.length === 0) {
      throw new CliError(
        'LEAP_CLI_GALERA_NO_NODES',
        `${config.configFile ?? 'leap.yaml'} names no galera nodes for runner: local`,
        {
          ...(config.configFile === undefined ? {} : { file: config.configFile }),
          exitCode: ExitCode.usage,
          hint: 'list the nodes under galera.nodes (name, socket or host/port, datadir, start), or use runner: ansible',
        },
      );
    }
    return nodes.map((n) => ({
      name: n.name,
      conn: {
        ...(n.socket === undefined ? {} : { socketPath: n.socket }),
        ...(n.host === undefined ? {} : { host: n.host }),
        ...(n.port === undefined ? {} : { port: n.port }),
        user,
        password: config.database.password ?? '',
      },
      local: { datadir: n.datadir, start: n.start, env: n.env },
    }));
  }
  const { discoverGaleraNodes, discoverRootPassword } = await import('@leap/db-migrate');
  const inventoryFile = join(config.deployDir, 'openstack_inventory.json');
  const inventory = await readJson(inventoryFile);
  const found = discoverGaleraNodes(inventory);
  if (found.length === 0) {
    throw new CliError(
      'LEAP_CLI_GALERA_NO_NODES',
      `${inventoryFile} has no galera nodes (galera_all, galera_container or galera)`,
      {
        file: inventoryFile,
        exitCode: ExitCode.usage,
        hint: "check that --deploy-dir points at the deployment's configuration",
      },
    );
  }
  const password =
    config.database.password ??
    (await secretsFileDefining(config.deployDir, 'galera_root_password').then(({ text, file }) =>
      discoverRootPassword(text, file),
    ));
  const [{ ansibleHostVarsOf }, { GALERA_HOST_VARS, resolveGaleraHost }] = await Promise.all([
    import('../exec/ansible-exec.js'),
    import('./node-hosts.js'),
  ]);
  const vars = await ansibleHostVarsOf(
    config,
    found.map((n) => n.name),
    GALERA_HOST_VARS,
  );
  return found.map((n) => {
    const resolved = resolveGaleraHost(config, n.name, vars.get(n.name) ?? {});
    const address = resolved.address ?? n.host;
    if (address === undefined) {
      throw new CliError('LEAP_GALERA_NO_ADDRESS', `the inventory gives no address for ${n.name}`, {
        file: inventoryFile,
        host: n.name,
        exitCode: ExitCode.usage,
        hint: 'the container needs container_address or ansible_host in _meta.hostvars (or leap_galera_address); regenerate the inventory',
      });
    }
    return {
      name: n.name,
      conn: { host: address, port: resolved.port ?? config.database.port ?? 3306, user, password },
      host: resolved.host,
    };
  });
}

async function readJson(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new CliError('LEAP_GALERA_NO_INVENTORY', `cannot read ${file}: ${(error as Error).message}`, {
      file,
      exitCode: ExitCode.usage,
      hint: 'check --deploy-dir',
      cause: error,
    });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new CliError('LEAP_GALERA_NO_INVENTORY', `${file} is not valid JSON: ${(error as Error).message}`, {
      file,
      exitCode: ExitCode.usage,
      hint: 'restore the inventory from its backup',
      cause: error,
    });
  }
}
