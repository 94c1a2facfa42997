import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { BackupManifest } from './backup.js';
import { DbMigrateError } from './errors.js';
import { readManifest } from './restore.js';

/**
 * The newest backup under `backupDir` that verifyBackup stamped as verified, completed at or after `since` (the
 * start of the leap) when given; undefined when there is none. Incomplete folders and unreadable manifests are skipped.
 */
export async function findVerifiedBackup(
  backupDir: string,
  since?: Date,
): Promise<{ dir: string; manifest: BackupManifest } | undefined> {
  const names = (await readdir(backupDir).catch(() => [] as string[]))
    .filter((n) => !n.startsWith('.'))
    .sort()
    .reverse();
  for (const name of names) {
    const dir = join(backupDir, name);
    const manifest = await readManifest(dir).catch(() => undefined);
    if (manifest?.verification === undefined) continue;
    if (since !== undefined && !(Date.parse(manifest.completedAt) >= since.getTime())) continue;
    return { dir, manifest };
  }
  return undefined;
}

/**
 * Refuses (LEAP_HOUSEKEEPING_NO_BACKUP) unless a verified backup taken since `since` holds every database in
 * `databases`: no row is deleted from a database that has no verified backup.
 */
export async function requireVerifiedBackup(
  backupDir: string,
  databases: readonly string[],
  since?: Date,
): Promise<{ dir: string; manifest: BackupManifest }> {
  const found = await findVerifiedBackup(backupDir, since);
  const when = since === undefined ? '' : ` since this leap started (${since.toISOString()})`;
  if (found === undefined) {
    throw new DbMigrateError(
      'LEAP_HOUSEKEEPING_NO_BACKUP',
      `no verified database backup${when} in ${backupDir}: housekeeping deletes rows and will not run without one`,
      {
        hint: 'run the db/backup step first (`leap run` takes and verifies it before housekeeping; `leap backup` takes one on its own)',
        file: backupDir,
      },
    );
  }
  const missing = databases.filter((d) => !found.manifest.databases.some((e) => e.name === d));
  if (missing.length > 0) {
    throw new DbMigrateError(
      'LEAP_HOUSEKEEPING_NO_BACKUP',
      `the verified backup in ${found.dir} holds no dump of ${missing.join(', ')}: housekeeping would delete rows from them`,
      {
        hint: 'run the db/backup step again (`leap backup`) so every database is in a verified backup',
        file: join(found.dir, 'manifest.json'),
      },
    );
  }
  return found;
}
