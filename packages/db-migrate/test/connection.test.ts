import { createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { describe, expect, inject, it, onTestFinished } from 'vitest';
import { freePort, tempDir } from '@leap/test-fixtures';
import { checkPrivileges, connect, discoverConnection, discoverGaleraNodes, withDb } from '../src/index.js';

const shared = inject('mariadb');
const root = { socketPath: shared.socketPath, user: shared.user, password: shared.password };

async function makeUser(name: string, password: string, grant?: string): Promise<void> {
  await withDb(root, async (db) => {
    await db.query(`DROP USER IF EXISTS '${name}'@'localhost', '${name}'@'127.0.0.1'`);
    for (const host of ['localhost', '127.0.0.1']) {
      await db.query(`CREATE USER '${name}'@'${host}' IDENTIFIED BY ?`, [password]);
      if (grant) await db.query(`GRANT ${grant} TO '${name}'@'${host}'`);
    }
  });
  onTestFinished(() =>
    withDb(root, (db) => db.query(`DROP USER IF EXISTS '${name}'@'localhost', '${name}'@'127.0.0.1'`)).then(
      () => undefined,
    ),
  );
}

describe('connect', () => {
  it('says the server refused the connection when nothing listens on the port', async () => {
    const port = await freePort();
    await expect(connect({ host: '127.0.0.1', port, user: 'root' })).rejects.toMatchObject({
      code: 'LEAP_DB_REFUSED',
      message: `the database server at 127.0.0.1:${port} refused the connection`,
    });
  });

  it('says the server cannot be reached when the socket does not exist', async () => {
    await expect(connect({ socketPath: join(tempDir(), 'none.sock'), user: 'root' })).rejects.toMatchObject({
      code: 'LEAP_DB_UNREACHABLE',
    });
  });

  it('says the server did not answer in time when it accepts but never speaks', async () => {
    const sockets: Socket[] = [];
    const silent = createServer((s) => sockets.push(s));
    const port = await freePort();
    await new Promise<void>((r) => silent.listen(port, '127.0.0.1', r));
    onTestFinished(() => {
      sockets.forEach((s) => s.destroy());
      silent.close();
    });
    await expect(connect({ host: '127.0.0.1', port, user: 'root', connectTimeoutMs: 300 })).rejects.toMatchObject({
      code: 'LEAP_DB_TIMEOUT',
    });
  });

  it('says the credentials were rejected, without revealing the password', async () => {
    await makeUser('leap_creds', 'right-secret');
    const error = await connect({
      host: '127.0.0.1',
      port: shared.port,
      user: 'leap_creds',
      password: 'wrong-secret',
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'LEAP_DB_CREDENTIALS',
      message: expect.stringContaining("user 'leap_creds'") as unknown,
    });
    expect(
      JSON.stringify({
        ...(error as object),
        message: (error as Error).message,
        hint: (error as { hint: string }).hint,
      }),
    ).not.toContain('wrong-secret');
  });

  it('says which privilege is missing, for a statement and for the global check', async () => {
    await makeUser('leap_weak', 'pw', 'SELECT ON mysql.db');
    const db = await connect({ host: '127.0.0.1', port: shared.port, user: 'leap_weak', password: 'pw' });
    onTestFinished(() => db.close());
    await expect(db.query('SELECT * FROM mysql.user')).rejects.toMatchObject({
      code: 'LEAP_DB_PRIVILEGE',
      message: expect.stringContaining('leap_weak') as unknown,
    });
    await expect(checkPrivileges(db)).rejects.toMatchObject({
      code: 'LEAP_DB_PRIVILEGE',
      message: expect.stringContaining('SELECT, INSERT') as unknown,
    });
    await withDb(root, (rootDb) => checkPrivileges(rootDb));
  });
});

describe('discoverConnection', () => {
  const secrets = 'keystone_auth_admin_password: x\ngalera_root_password: "s3cr\\"et" # galera\n';
  const inventory = {
    galera_all: { hosts: ['infra1_galera_container-5a7d'] },
    _meta: { hostvars: { 'infra1_galera_container-5a7d': { container_address: '172.29.238.10' } } },
  };

  it('uses galera_root_password and the first galera container, or the internal VIP when asked', () => {
    expect(
      discoverConnection({
        userSecretsYaml: secrets,
        inventory,
        userConfigYaml: 'global_overrides:\n  internal_lb_vip_address: 172.29.236.100\n',
      }),
    ).toEqual({
      host: '172.29.238.10',
      port: 3306,
      user: 'root',
      password: 's3cr"et',
      source: 'galera_all[0] infra1_galera_container-5a7d',
    });
    expect(
      discoverConnection(
        {
          userSecretsYaml: secrets,
          inventory,
          userConfigYaml: 'global_overrides:\n  internal_lb_vip_address: 172.29.236.100\n',
        },
        'vip',
      ),
    ).toMatchObject({ host: '172.29.236.100', source: 'internal_lb_vip_address' });
  });

  it('refuses a missing or vault-encrypted password with the file it read', () => {
    expect(() =>
      discoverConnection({
        userSecretsYaml: 'x: 1\n',
        inventory,
        secretsFile: '/etc/openstack_deploy/user_secrets.yml',
      }),
    ).toThrow(
      expect.objectContaining({ code: 'LEAP_DB_NO_PASSWORD', file: '/etc/openstack_deploy/user_secrets.yml' }) as Error,
    );
    expect(() =>
      discoverConnection({
        userSecretsYaml: 'galera_root_password: !vault |\n  $ANSIBLE_VAULT;1.1;AES256\n',
        inventory,
      }),
    ).toThrow(expect.objectContaining({ code: 'LEAP_DB_SECRET_ENCRYPTED' }) as Error);
  });

  it('lists every galera node of the inventory with its address, in inventory order', () => {
    const three = {
      galera_all: {
        hosts: ['infra1_galera_container-5a7d', 'infra2_galera_container-0b1c', 'infra3_galera_container-99aa'],
      },
      _meta: {
        hostvars: {
          'infra1_galera_container-5a7d': { container_address: '172.29.238.10' },
          'infra2_galera_container-0b1c': { ansible_host: '172.29.238.11' },
        },
      },
    };
    expect(discoverGaleraNodes(three)).toEqual([
      { name: 'infra1_galera_container-5a7d', host: '172.29.238.10' },
      { name: 'infra2_galera_container-0b1c', host: '172.29.238.11' },
      { name: 'infra3_galera_container-99aa', host: undefined },
    ]);
    expect(discoverGaleraNodes({ galera_all: { hosts: [] } })).toEqual([]);
    expect(discoverGaleraNodes(undefined)).toEqual([]);
  });
});
