import { readdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '@leap/test-fixtures';
import { backupDatabases, verifyBackup } from '../src/index.js';
import { serverPerFile } from './helpers.js';

const lab = serverPerFile();

/** A folder holding only the named programs, each a link to the real one (`as` gives it another name). */
function bin(programs: Record<string, string>): string {
  const dir = tempDir();
  for (const [as, real] of Object.entries(programs)) symlinkSync(real, join(dir, as));
  return dir;
}

describe('database client programs', () => {
  it(
    'backs up with mysqldump and verifies with mysql where the mariadb-named clients are not installed',
    { timeout: 180_000 },
    async () => {
      const { conn } = await lab.fresh({ housekeeping: false });
      const searchPath = [
        bin({
          mysqldump: '/usr/bin/mariadb-dump',
          mysql: '/usr/bin/mariadb',
          mariadbd: '/usr/sbin/mariadbd',
          'mariadb-install-db': '/usr/bin/mariadb-install-db',
        }),
      ];
      const { dir, manifest } = await backupDatabases({
        db: conn,
        backupDir: tempDir(),
        databases: ['heat'],
        searchPath,
      });
      expect(manifest.tool).toBe(join(searchPath[0]!, 'mysqldump'));
      const report = await verifyBackup(dir, { searchPath });
      expect(report.verification).toBe('throwaway-server');
      expect(report.databases[0]?.restored).toBe(true);
    },
  );

  it('refuses to back up when neither mariadb-dump nor mysqldump is installed, naming the package, and writes nothing', async () => {
    const { conn } = await lab.fresh({ housekeeping: false, seed: false });
    const backupDir = tempDir();
    await expect(backupDatabases({ db: conn, backupDir, searchPath: [tempDir()] })).rejects.toMatchObject({
      code: 'LEAP_DB_CLIENT_MISSING',
      message: expect.stringContaining('mariadb-dump or mysqldump') as unknown,
      hint: expect.stringContaining('apt-get install mariadb-client') as unknown,
    });
    expect(readdirSync(backupDir)).toEqual([]);
  });
});
