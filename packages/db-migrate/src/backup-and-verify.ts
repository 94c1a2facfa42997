import { mkdir, statfs } from 'node:fs/promises';
import { join } from 'node:path';
import { backupDatabases, databaseSizes, listDatabases, type BackupOptions, type BackupResult } from './backup.js';
import { connect, withDb } from './connection.js';
import { DbMigrateError } from './errors.js';
import { fileSha256 } from './file-sha256.js';
import {
  stampManifest,
  verificationMethod,
  verifyBackup,
  verifyServerOptions,
  type VerifyOptions,
  type VerifyReport,
} from './restore.js';
import { withScratchServer } from './scratch-server.js';
import { loadIntoScratch } from './streamed-load.js';
import { findDatabaseTools } from './tools.js';

export type BackupAndVerifyOptions = BackupOptions & Omit<VerifyOptions, 'onProgress' | 'signal'>;

/**
 * A backup verified as it is taken: a throwaway server starts first on this host, and each dump, as it streams to
 * its compressed file, is also loaded into that server; once the dump is whole the restored rows per table are
 * compared with the dump's, and at the end each file's sha256 is read back from the disk. The verification costs
 * little wall time beyond the dump, and never touches the live cluster. Without mariadbd here (or with `method:
 * 'checksums-and-parse'`) it is backupDatabases then verifyBackup. Throws LEAP_BACKUP_VERIFY_FAILED, after the
 * manifest is written unstamped, when anything does not hold.
 */
export async function backupAndVerify(
  options: BackupAndVerifyOptions,
): Promise<BackupResult & { report: VerifyReport }> {
  const tools = await findDatabaseTools(
    {
      ...(options.clientCommand === undefined ? {} : { client: options.clientCommand }),
      ...(options.serverCommand === undefined ? {} : { server: options.serverCommand }),
      ...(options.installDbCommand === undefined ? {} : { installDb: options.installDbCommand }),
    },
    options.searchPath,
  );
  const method = verificationMethod(options.backupDir, options, tools);
  if (method !== 'throwaway-server' || tools.server === undefined || tools.client === undefined) {
    const backup = await backupDatabases(options);
    return { ...backup, report: await verifyBackup(backup.dir, { ...options, method: 'checksums-and-parse' }) };
  }
  const parentDir = options.scratchDir ?? options.backupDir;
  await mkdir(parentDir, { recursive: true });
  await checkScratchSpace(options, parentDir);
  const client = tools.client;
  return withScratchServer(verifyServerOptions(tools.server, parentDir, options), async (target) => {
    const scratch = await connect(target);
    try {
      const tee = loadIntoScratch(client, target, scratch, {
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      });
      const backup = await backupDatabases({ ...options, tee });
      const report = await readBack(backup);
      await stampManifest(backup.dir, backup.manifest, report, 'streamed-restore');
      return { ...backup, report };
    } finally {
      await scratch.close();
    }
  });
}

/** Each file's sha256 and size read back from the disk, with what the load found: the verification report. */
async function readBack(backup: BackupResult): Promise<VerifyReport> {
  const databases: VerifyReport['databases'] = [];
  for (const entry of backup.manifest.databases) {
    const { sha256, bytes } = await fileSha256(join(backup.dir, entry.file));
    const shaOk = sha256 === entry.sha256 && bytes === entry.bytes;
    const loaded = backup.teeProblems?.get(entry.name) ?? ['never loaded into the throwaway server'];
    const problems = [
      ...(shaOk
        ? []
        : [
            `${entry.file}: sha256 ${sha256.slice(0, 12)}… (${bytes} bytes) read back differs from the ${entry.sha256.slice(0, 12)}… (${entry.bytes} bytes) written`,
          ]),
      ...loaded,
    ];
    // The file is the gzip of exactly the bytes the server loaded: its sha256 read back proves the copy on disk.
    databases.push({
      name: entry.name,
      sha256: shaOk,
      gzip: shaOk,
      rows: loaded.length === 0,
      parsed: loaded.length === 0,
      restored: loaded.length === 0,
      problems,
    });
  }
  return {
    dir: backup.dir,
    verification: 'streamed-restore',
    databases,
    ok: databases.every((d) => d.problems.length === 0),
  };
}

/** The throwaway server holds the restored databases: about their data size, plus its own files (~150 MiB). */
async function checkScratchSpace(options: BackupOptions, parentDir: string): Promise<void> {
  const bytes = await withDb(options.db, async (db) => {
    const names = options.databases ? [...options.databases] : await listDatabases(db);
    return [...(await databaseSizes(db, names)).values()].reduce((a, b) => a + b, 0);
  });
  // The dumps go to the same disk when the server's folder is under the backup folder: count them too.
  const needed = bytes * 1.5 + 150 * 2 ** 20 + (parentDir === options.backupDir ? bytes : 0);
  const fs = await statfs(parentDir);
  if (fs.bavail * fs.bsize < needed) {
    throw new DbMigrateError(
      'LEAP_BACKUP_NO_SPACE',
      `${parentDir} has ${mib(fs.bavail * fs.bsize)} free; the backup with its throwaway verification server needs about ${mib(needed)}`,
      {
        hint: 'free space there or choose another backup folder (backupDir in leap.yaml): the dumps and the throwaway verification server (removed after the backup) both go there; nothing was written',
        file: parentDir,
      },
    );
  }
}

function mib(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(0)} MiB`;
}
