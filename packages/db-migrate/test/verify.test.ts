import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { execa } from 'execa';
import { describe, expect, it, onTestFinished } from 'vitest';
import { tempDir } from '@leap/test-fixtures';
import { backupDatabases, verifyBackup, withDb, type DbConnectionOptions, type ProgressEvent } from '../src/index.js';
import { serverPerFile } from './helpers.js';

const lab = serverPerFile();

async function liveState(conn: DbConnectionOptions): Promise<{ schemas: string[]; createDb: number }> {
  return withDb(conn, async (db) => {
    const rows = await db.query<{ name: string }[]>(
      'SELECT SCHEMA_NAME AS name FROM information_schema.SCHEMATA ORDER BY 1',
    );
    const [status] = await db.query<[{ Value: string }]>("SHOW GLOBAL STATUS LIKE 'Com_create_db'");
    return { schemas: rows.map((r) => r.name), createDb: Number(status.Value) };
  });
}

/** Replaces a dump's SQL and its manifest entry's checksum, so only a load or a parse can tell. */
function rewriteDump(dir: string, name: string, edit: (sql: string) => string): void {
  const file = join(dir, `${name}.sql.gz`);
  const gz = gzipSync(edit(gunzipSync(readFileSync(file)).toString('utf8')));
  writeFileSync(file, gz);
  const manifestFile = join(dir, 'manifest.json');
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as {
    databases: Array<{ name: string; sha256: string; bytes: number }>;
  };
  const entry = manifest.databases.find((d) => d.name === name)!;
  entry.sha256 = createHash('sha256').update(gz).digest('hex');
  entry.bytes = gz.length;
  writeFileSync(manifestFile, JSON.stringify(manifest));
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('backup verification', () => {
  it(
    'restores into a throwaway server: nothing is created on the live server, and the manifest records how it was verified',
    { timeout: 180_000 },
    async () => {
      const { conn } = await lab.fresh();
      const { dir } = await backupDatabases({ db: conn, backupDir: tempDir(), databases: ['keystone', 'nova'] });
      // A verification whose leap was SIGKILLed left its folder behind: the next one removes it.
      const stale = join(dir, '..', '.leap-verify-Stale1');
      mkdirSync(join(stale, 'data'), { recursive: true });
      writeFileSync(join(stale, 'owner'), '999999\n');
      const before = await liveState(conn);
      const report = await verifyBackup(dir);
      expect(existsSync(stale)).toBe(false);
      expect(await liveState(conn)).toEqual(before);
      expect(report.verification).toBe('throwaway-server');
      expect(report.databases.map((d) => [d.name, d.sha256, d.gzip, d.rows, d.restored])).toEqual([
        ['keystone', true, true, true, true],
        ['nova', true, true, true, true],
      ]);
      const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as {
        verification?: string;
        verifiedAt?: string;
      };
      expect(manifest.verification).toBe('throwaway-server');
      expect(manifest.verifiedAt).toMatch(/^\d{4}-/);
    },
  );

  it(
    'stops the throwaway server and removes its datadir when a load fails and when it is cancelled',
    { timeout: 180_000 },
    async () => {
      const { conn } = await lab.fresh({ housekeeping: false });
      const { dir } = await backupDatabases({ db: conn, backupDir: tempDir(), databases: ['heat', 'keystone'] });
      // Well-formed SQL the server rejects: only a restore finds it.
      rewriteDump(dir, 'heat', (sql) =>
        sql.replace('CREATE TABLE `stack` (', 'CREATE TABLE `stack` (\n  `x` NO_SUCH_TYPE,'),
      );
      const servers: Array<{ dir: string; pid: number }> = [];
      const seen = (event: ProgressEvent) => {
        if (event.kind === 'verify-server' && event.state === 'started')
          servers.push({ dir: event.dir, pid: event.pid });
      };
      await expect(verifyBackup(dir, { onProgress: seen })).rejects.toMatchObject({
        code: 'LEAP_BACKUP_VERIFY_FAILED',
        message: expect.stringContaining('heat: restore into the throwaway server failed') as unknown,
      });
      const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { verification?: string };
      expect(manifest.verification).toBeUndefined();

      const controller = new AbortController();
      await expect(
        verifyBackup(dir, {
          signal: controller.signal,
          onProgress: (event) => {
            seen(event);
            if (event.kind === 'verify-server' && event.state === 'started') controller.abort();
          },
        }),
      ).rejects.toMatchObject({ code: 'LEAP_DB_ABORTED' });
      expect(servers).toHaveLength(2);
      for (const server of servers) {
        expect(existsSync(server.dir)).toBe(false);
        expect(alive(server.pid)).toBe(false);
      }
      expect(readdirSync(join(dir, '..')).filter((n) => n.startsWith('.leap-verify'))).toEqual([]);
    },
  );

  it(
    'without a server binary, checks checksums, row counts and a full parse, and finds a truncated dump',
    { timeout: 180_000 },
    async () => {
      const { conn } = await lab.fresh({ housekeeping: false });
      // Routines, triggers and views: the dump changes its delimiter and wraps them in /*!...*/ comments.
      await withDb(conn, async (db) => {
        await db.query("CREATE PROCEDURE heat.leap_p() BEGIN SELECT 'a;b'; SELECT 1; END");
        await db.query(
          "CREATE TRIGGER heat.leap_t BEFORE INSERT ON heat.stack FOR EACH ROW BEGIN SET NEW.name = CONCAT(NEW.name, ''); SET @x = 1; END",
        );
        await db.query('CREATE VIEW heat.leap_v AS SELECT id FROM heat.stack');
      });
      const { dir } = await backupDatabases({ db: conn, backupDir: tempDir(), databases: ['heat', 'nova'] });
      expect((await verifyBackup(dir)).databases.map((d) => d.restored)).toEqual([true, true]);
      const noServer = { serverCommand: join(tempDir(), 'no-mariadbd') };
      const report = await verifyBackup(dir, noServer);
      expect(report.verification).toBe('checksums-and-parse');
      expect(report.databases.every((d) => d.parsed && d.restored === null)).toBe(true);
      expect(
        (JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { verification?: string }).verification,
      ).toBe('checksums-and-parse');

      // Cut after the last INSERT: the row counts still match, only a parse sees that the dump did not complete.
      rewriteDump(
        dir,
        'heat',
        (sql) =>
          sql.slice(0, sql.lastIndexOf('INSERT INTO')) + sql.slice(sql.lastIndexOf('INSERT INTO')).split(';\n')[0]!,
      );
      await expect(verifyBackup(dir, noServer)).rejects.toMatchObject({
        code: 'LEAP_BACKUP_VERIFY_FAILED',
        message: expect.stringMatching(/heat: heat\.sql\.gz: .*(ends inside|not complete)/) as unknown,
      });
    },
  );

  it('refuses to start the throwaway server where there is no room for the restored databases', async () => {
    const { conn } = await lab.fresh({ housekeeping: false });
    const { dir } = await backupDatabases({ db: conn, backupDir: tempDir(), databases: ['heat'] });
    const mount = tempDir();
    await execa('mount', ['-t', 'tmpfs', '-o', 'size=8m', 'tmpfs', mount]);
    onTestFinished(async () => {
      await execa('umount', [mount]);
    });
    await expect(verifyBackup(dir, { scratchDir: mount })).rejects.toMatchObject({
      code: 'LEAP_BACKUP_NO_SPACE',
      file: mount,
      message: expect.stringContaining('restoring the backup into a throwaway server there needs about') as unknown,
    });
    expect(readdirSync(mount)).toEqual([]);
  });
});
