import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { productionDefaults, type LeapConfig } from '../src/config.js';
import { databaseConnection } from '../src/plan/database-connection.js';
import { secretsFileDefining } from '../src/plan/secrets-file.js';

describe('the secrets file that holds galera_root_password', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'leap-secrets-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  const config = (): LeapConfig => ({
    ...productionDefaults(),
    deployDir: dir,
    markerDir: join(dir, 'markers'),
    configFile: undefined,
  });
  const inventory = JSON.stringify({
    galera_all: { hosts: ['infra1_galera_container-1'] },
    _meta: { hostvars: { 'infra1_galera_container-1': { container_address: '172.29.236.11' } } },
  });

  it('is the file that defines the key, even when another secrets file exists beside it', async () => {
    await writeFile(join(dir, 'user_secrets.yml'), 'maas_api_key: x\n');
    await writeFile(join(dir, 'user_osa_secrets.yml'), 'galera_root_password: s3cret\n');
    await writeFile(join(dir, 'openstack_inventory.json'), inventory);
    expect((await secretsFileDefining(dir, 'galera_root_password')).file).toBe(join(dir, 'user_osa_secrets.yml'));
    expect(await databaseConnection(config())).toMatchObject({
      host: '172.29.236.11',
      user: 'root',
      password: 's3cret',
    });
  });

  it('names an existing file when none defines it, and user_secrets.yml when there is none', async () => {
    await writeFile(join(dir, 'user_osa_secrets.yml'), 'keystone_auth_admin_password: y\n');
    await writeFile(join(dir, 'openstack_inventory.json'), inventory);
    await expect(databaseConnection(config())).rejects.toMatchObject({
      code: 'LEAP_DB_NO_PASSWORD',
      message: `galera_root_password is not set in ${join(dir, 'user_osa_secrets.yml')}`,
    });
    await rm(join(dir, 'user_osa_secrets.yml'));
    expect(await secretsFileDefining(dir, 'galera_root_password')).toEqual({
      file: join(dir, 'user_secrets.yml'),
      text: '',
    });
  });
});
