import { lstatSync, mkdirSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GitPrepError } from './errors.js';
import type { RepoInspection } from './inspect.js';

/** Room kept free beyond the estimated backup size: a full disk on the deploy host breaks every later step. */
const MARGIN_BYTES = 16 * 2 ** 20;

/** Refuses a backup folder that cannot be created, written, or has no room for the backup of `repos`. */
export function requireWritableBackupDir(backupDir: string, repos: readonly RepoInspection[]): void {
  const probe = join(backupDir, `.leap-write-probe-${process.pid}`);
  try {
    mkdirSync(backupDir, { recursive: true });
    writeFileSync(probe, 'probe');
    rmSync(probe, { force: true });
  } catch (error) {
    throw new GitPrepError(
      'LEAP_GIT_BACKUP_DIR_UNWRITABLE',
      `cannot write the backup folder ${backupDir}: ${(error as Error).message}`,
      {
        hint: 'choose a writable backup folder (leap.yaml paths.backups) on a file system with free space, or fix its permissions',
        file: backupDir,
        cause: error,
      },
    );
  }
  const needed = estimateBackupBytes(repos) * 2 + MARGIN_BYTES;
  const stats = statfsSync(backupDir);
  const free = stats.bavail * stats.bsize;
  if (free < needed) {
    throw new GitPrepError(
      'LEAP_GIT_BACKUP_DIR_FULL',
      `the backup folder ${backupDir} has ${formatBytes(free)} free; backing up the uncommitted work needs about ${formatBytes(needed)}`,
      {
        hint: 'free space on that file system or choose another backup folder, then re-run; nothing was changed',
        file: backupDir,
      },
    );
  }
}

function estimateBackupBytes(repos: readonly RepoInspection[]): number {
  let total = 0;
  for (const repo of repos) {
    for (const file of [...repo.modified, ...repo.staged, ...repo.untracked]) {
      try {
        total += lstatSync(join(repo.dir, file)).size;
      } catch {
        // deleted files cost nothing to back up beyond their patch header
      }
    }
  }
  return total;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 2 ** 20) return `${(bytes / 1024).toFixed(1)} KiB`;
  if (bytes < 2 ** 30) return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
  return `${(bytes / 2 ** 30).toFixed(2)} GiB`;
}
