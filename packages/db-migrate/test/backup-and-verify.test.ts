import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isProcessAlive } from '@leap/contract';
import { tempDir } from '@leap/test-fixtures';
import { backupAndVerify, verifyBackup, withDb, type DbConnectionOptions, type ProgressEvent } from '../src/index.js';
import { serverPerFile } from './helpers.js';

const lab = serverPerFile();

const schemas = (conn: DbConnectionOptions) =>
  withDb(conn, async (db) =>
    (await db.query<{ n: string }[]>('SELECT SCHEMA_NAME AS n FROM information_schema.SCHEMATA ORDER BY 1')).map(
      (r) => r.n,
    ),
  );

describe('backupAndVerify: each dump loaded into a throwaway server as it is written', () => {
  it(
    'verifies every database by its restored rows and the sha256 read back, stamps the manifest, creates nothing on the live server',
    { timeout: 180_000 },
    async () => {
      const { conn } = await lab.fresh();
      const before = await schemas(conn);
      const events: ProgressEvent[] = [];
      // A backup folder that does not exist yet: the first backup of a leap.
      const backupDir = join(tempDir(), 'databases');
      const { dir, manifest, report } = await backupAndVerify({
        db: conn,
        backupDir,
        databases: ['keystone', 'nova', 'heat'],
        onProgress: (event) => events.push(event),
      });
      expect(report.ok).toBe(true);
      expect(report.verification).toBe('streamed-restore');
      expect(report.databases.map((d) => [d.name, d.sha256, d.restored, d.problems])).toEqual([
        ['heat', true, true, []],
        ['keystone', true, true, []],
        ['nova', true, true, []],
      ]);
      expect(Object.values(manifest.databases.find((d) => d.name === 'nova')!.tables).some((n) => n > 0)).toBe(true);
      const stamped = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { verification?: string };
      expect(stamped.verification).toBe('streamed-restore');
      expect(await schemas(conn)).toEqual(before);
      // The server was started before the first dump and is gone with its folder.
      const started = events.find((e) => e.kind === 'verify-server');
      const firstDump = events.findIndex((e) => e.kind === 'dump');
      expect(events.indexOf(started!)).toBeLessThan(firstDump);
      expect(isProcessAlive((started as { pid: number }).pid)).toBe(false);
      expect(readdirSync(backupDir).filter((n) => n.startsWith('.leap-verify'))).toEqual([]);
      expect(events.filter((e) => e.kind === 'verify' && e.check === 'restore' && e.ok)).toHaveLength(3);

      // A byte of an archive corrupted afterwards: the verification of the backup as it is on disk fails.
      const file = join(dir, 'keystone.sql.gz');
      const bytes = readFileSync(file);
      const middle = Math.floor(bytes.length / 2);
      bytes[middle] = bytes[middle]! ^ 0xff;
      writeFileSync(file, bytes);
      await expect(verifyBackup(dir)).rejects.toMatchObject({
        code: 'LEAP_BACKUP_VERIFY_FAILED',
        message: expect.stringContaining('keystone: keystone.sql.gz: sha256'),
      });
      const unstamped = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { verification?: string };
      expect(unstamped.verification).toBeUndefined();
    },
  );

  it(
    'fails, leaving the backup unstamped for inspection, when the throwaway server cannot load a dump',
    { timeout: 180_000 },
    async () => {
      const { conn } = await lab.fresh({ housekeeping: false });
      // A client that takes the dump and fails, as a load the server rejects does.
      const failing = join(tempDir(), 'mariadb');
      writeFileSync(
        failing,
        '#!/bin/sh\ncat > /dev/null\necho "ERROR 1064 (42000) at line 42: You have an error" >&2\nexit 1\n',
        {
          mode: 0o755,
        },
      );
      const backupDir = tempDir();
      const attempt = backupAndVerify({ db: conn, backupDir, databases: ['keystone'], clientCommand: failing });
      await expect(attempt).rejects.toMatchObject({
        code: 'LEAP_BACKUP_VERIFY_FAILED',
        message: expect.stringContaining('keystone: restore into the throwaway server failed (exit 1): ERROR 1064'),
      });
      const [folder] = readdirSync(backupDir).filter((n) => !n.startsWith('.'));
      const manifest = JSON.parse(readFileSync(join(backupDir, folder!, 'manifest.json'), 'utf8')) as {
        verification?: string;
      };
      expect(manifest.verification).toBeUndefined();
      expect(existsSync(join(backupDir, folder!, 'keystone.sql.gz'))).toBe(true);
    },
  );
});
