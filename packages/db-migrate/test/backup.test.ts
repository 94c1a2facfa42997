import { chmodSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startMariaDb, tempDir } from '@leap/test-fixtures';
import {
  backupDatabases,
  restoreBackup,
  verifyBackup,
  withDb,
  type Db,
  type DbConnectionOptions,
} from '../src/index.js';
import { serverPerFile } from './helpers.js';

const lab = serverPerFile();
const services = ['cinder', 'dash', 'glance', 'heat', 'keystone', 'neutron', 'nova'];

async function fingerprint(conn: DbConnectionOptions): Promise<Record<string, { rows: number; checksum: string }>> {
  return withDb(conn, async (db: Db) => {
    const tables = await db.query<{ s: string; t: string }[]>(
      `SELECT TABLE_SCHEMA AS s, TABLE_NAME AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA IN (${services.map(() => '?').join(',')}) AND TABLE_TYPE = 'BASE TABLE' ORDER BY 1, 2`,
      services,
    );
    const out: Record<string, { rows: number; checksum: string }> = {};
    for (const { s, t } of tables) {
      const [count] = await db.query<[{ n: string }]>(`SELECT COUNT(*) AS n FROM \`${s}\`.\`${t}\``);
      const [sum] = await db.query<[{ Checksum: string }]>(`CHECKSUM TABLE \`${s}\`.\`${t}\` EXTENDED`);
      out[`${s}.${t}`] = { rows: Number(count.n), checksum: String(sum.Checksum) };
    }
    return out;
  });
}

describe('backups', () => {
  it('restores into a fresh server with identical row counts and checksums', { timeout: 180_000 }, async () => {
    const { conn } = await lab.fresh();
    const dir = tempDir();
    const { dir: backup, manifest } = await backupDatabases({ db: conn, backupDir: dir, parallel: 3 });
    expect(manifest.databases.map((d) => d.name)).toEqual(services);
    expect(readdirSync(backup).sort()).toEqual([...services.map((s) => `${s}.sql.gz`), 'manifest.json'].sort());
    const nova = manifest.databases.find((d) => d.name === 'nova');
    expect(nova?.tables).toMatchObject({
      instances: 1000,
      instance_faults: 1000,
      shadow_instances: 0,
      migrate_version: 1,
    });
    expect(manifest.databases.find((d) => d.name === 'keystone')?.tables.token).toBe(3000);
    expect(nova?.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(manifest.server.version).toMatch(/MariaDB/);

    const fresh = await startMariaDb();
    onTestFinished(() => fresh.stop());
    const target = { socketPath: fresh.socketPath, user: fresh.user, password: fresh.password };
    await restoreBackup(backup, { db: target });
    expect(await fingerprint(target)).toEqual(await fingerprint(conn));
  });

  it(
    'verifies checksums, gzip streams, the rows in each dump, a parse and a restore, with no schema on the live server',
    { timeout: 180_000 },
    async () => {
      const { conn } = await lab.fresh();
      const { dir } = await backupDatabases({ db: conn, backupDir: tempDir(), databases: ['keystone', 'nova'] });
      const report = await verifyBackup(dir);
      expect(report.databases.map((d) => [d.name, d.sha256, d.gzip, d.rows, d.parsed, d.restored])).toEqual([
        ['keystone', true, true, true, true, true],
        ['nova', true, true, true, true, true],
      ]);
      const schemas = await withDb(conn, (db) =>
        db.query<unknown[]>("SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE 'leap_verify%'"),
      );
      expect(schemas).toEqual([]);
    },
  );

  it('detects a corrupted archive and refuses to restore it', async () => {
    const { conn } = await lab.fresh();
    const { dir } = await backupDatabases({ db: conn, backupDir: tempDir(), databases: ['nova'] });
    const file = join(dir, 'nova.sql.gz');
    const bytes = readFileSync(file);
    const middle = Math.floor(bytes.length / 2);
    bytes[middle] = (bytes[middle] ?? 0) ^ 0xff;
    writeFileSync(file, bytes);
    await expect(verifyBackup(dir)).rejects.toMatchObject({
      code: 'LEAP_BACKUP_VERIFY_FAILED',
      message: expect.stringMatching(/nova: nova\.sql\.gz: sha256 .* differs from the manifest/) as unknown,
    });
    await expect(restoreBackup(dir, { db: conn, replace: true })).rejects.toMatchObject({
      code: 'LEAP_BACKUP_VERIFY_FAILED',
    });
  });

  it('never overwrites an earlier backup and treats a folder without manifest as incomplete', async () => {
    const { conn } = await lab.fresh({ housekeeping: false });
    const parent = tempDir();
    const now = new Date('2026-11-27T10:00:00Z');
    const first = await backupDatabases({ db: conn, backupDir: parent, databases: ['heat'], now });
    const before = statSync(join(first.dir, 'heat.sql.gz')).mtimeMs;
    const second = await backupDatabases({ db: conn, backupDir: parent, databases: ['heat'], now });
    expect(first.dir).toBe(join(parent, '20261127T100000Z'));
    expect(second.dir).toBe(join(parent, '20261127T100000Z-2'));
    expect(statSync(join(first.dir, 'heat.sql.gz')).mtimeMs).toBe(before);
    await mkdir(join(parent, 'broken'));
    await expect(verifyBackup(join(parent, 'broken'))).rejects.toMatchObject({ code: 'LEAP_BACKUP_INCOMPLETE' });
  });

  it('keeps the password out of argv and the environment of the dump', async () => {
    const { conn } = await lab.fresh({ housekeeping: false });
    await withDb(conn, async (db) => {
      await db.query("CREATE USER IF NOT EXISTS 'leap_dump'@'localhost' IDENTIFIED BY 'Pa55-w0rd!'");
      await db.query("GRANT ALL ON *.* TO 'leap_dump'@'localhost'");
    });
    const dir = tempDir();
    const spy = join(dir, 'spy-dump');
    const log = join(dir, 'spy.json');
    // Records what it was given, then runs the real dump.
    writeFileSync(
      spy,
      `#!/bin/sh\nmode=$(stat -c %a "$(echo "$1" | sed 's/^--defaults-file=//')")\nprintf '%s\\n' "$mode" "$*" > ${log}\nenv >> ${log}\nexec mariadb-dump "$@"\n`,
    );
    chmodSync(spy, 0o755);
    await backupDatabases({
      db: { ...conn, user: 'leap_dump', password: 'Pa55-w0rd!' },
      backupDir: join(dir, 'b'),
      databases: ['heat'],
      dumpCommand: spy,
    });
    const seen = readFileSync(log, 'utf8');
    expect(seen.split('\n')[0]).toBe('600');
    expect(seen).toContain('--defaults-file=');
    expect(seen).not.toContain('Pa55-w0rd!');
  });

  it('says to install the dump client when it is missing, and leaves no folder behind', async () => {
    const { conn } = await lab.fresh({ housekeeping: false });
    const dir = tempDir();
    await expect(
      backupDatabases({ db: conn, backupDir: dir, databases: ['heat'], dumpCommand: join(dir, 'no-such-dump') }),
    ).rejects.toMatchObject({
      code: 'LEAP_BACKUP_DUMP_FAILED',
      hint: expect.stringContaining('install the MariaDB client') as unknown,
    });
    expect(readdirSync(dir)).toEqual([]);
  });

  it(
    'refuses to start without room for the dumps, and stops cleanly when the disk fills up',
    { timeout: 120_000 },
    async () => {
      const { conn } = await lab.fresh({ housekeeping: false });
      await withDb(conn, (db) =>
        db
          .query(
            'INSERT INTO nova.instance_faults (instance_uuid, code, message, created_at, deleted) SELECT NULL, 1, SHA2(RAND(), 512), NOW(), 0 FROM nova.seq_1_to_30000',
          )
          .then(() => db.query('ANALYZE TABLE nova.instance_faults')),
      );
      const mount = tempDir();
      await execa('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', mount]);
      onTestFinished(async () => {
        await execa('umount', [mount]);
      });
      await expect(backupDatabases({ db: conn, backupDir: mount, databases: ['nova'] })).rejects.toMatchObject({
        code: 'LEAP_BACKUP_NO_SPACE',
        message: expect.stringMatching(/has 1\.0 MiB free; the backup of 1 databases needs about/) as unknown,
      });
      await expect(
        backupDatabases({ db: conn, backupDir: mount, databases: ['nova'], requiredFreeBytes: 0 }),
      ).rejects.toMatchObject({
        code: 'LEAP_BACKUP_NO_SPACE',
        message: expect.stringContaining('the disk filled up while writing') as unknown,
      });
      expect(readdirSync(mount)).toEqual([]);
      expect(existsSync(mount)).toBe(true);
    },
  );
});
