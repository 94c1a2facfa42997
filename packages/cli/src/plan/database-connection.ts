import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { LeapConfig } from '../config.js';
import { secretsFileDefining } from './secrets-file.js';

export interface DbConnection {
  host?: string;
  port?: number;
  socketPath?: string;
  user: string;
  password?: string;
}

/**
 * leap.yaml's `database` when it names a host or socket; otherwise what the deployment says (root with
 * galera_root_password at the first galera container), as the upstream tooling does.
 */
export async function databaseConnection(config: LeapConfig): Promise<DbConnection> {
  const given = config.database;
  if (given.host !== undefined || given.socket !== undefined) {
    return {
      ...(given.host === undefined ? {} : { host: given.host }),
      ...(given.port === undefined ? {} : { port: given.port }),
      ...(given.socket === undefined ? {} : { socketPath: given.socket }),
      user: given.user ?? 'root',
      ...(given.password === undefined ? {} : { password: given.password }),
    };
  }
  const { discoverConnection } = await import('@leap/db-migrate');
  const secrets = await secretsFileDefining(config.deployDir, 'galera_root_password');
  const userConfig = await readFile(join(config.deployDir, 'openstack_user_config.yml'), 'utf8').catch(() => undefined);
  const inventoryText = await readFile(join(config.deployDir, 'openstack_inventory.json'), 'utf8').catch(
    () => undefined,
  );
  const found = discoverConnection({
    userSecretsYaml: secrets.text,
    secretsFile: secrets.file,
    ...(userConfig === undefined ? {} : { userConfigYaml: userConfig }),
    ...(inventoryText === undefined ? {} : { inventory: JSON.parse(inventoryText) as unknown }),
  });
  return {
    ...found,
    ...(given.user === undefined ? {} : { user: given.user }),
    ...(given.port === undefined ? {} : { port: given.port }),
  };
}
