import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '@leap/contract';
import { GitPrepError } from './errors.js';
import type { StashEntry } from './inspect.js';

export const MANIFEST_FORMAT = 'leap-git-prep-backup/1';
export const MANIFEST_FILE = 'manifest.json';

export interface BackupFile {
  /** Relative to the backup folder. */
  file: string;
  sha256: string;
  bytes: number;
}

/** What was saved of one repository; every file listed here was verified before anything was reset. */
export interface RepoBackup {
  /** Relative to the checkout; '.' for the top level. */
  path: string;
  head: string;
  branch: string | null;
  describe: string | null;
  /** Every local branch tip at backup time. */
  branches: Record<string, string>;
  modified: string[];
  staged: string[];
  untracked: string[];
  stashes: StashEntry[];
  localCommits: string[];
  localCommitsBundle?: BackupFile;
  stagedPatch?: BackupFile;
  unstagedPatch?: BackupFile;
  untrackedArchive?: BackupFile;
  stashBundle?: BackupFile;
}

export interface BackupManifest {
  format: typeof MANIFEST_FORMAT;
  createdAt: string;
  repoDir: string;
  target: string;
  repos: RepoBackup[];
}

export function describeFile(backupDir: string, file: string): BackupFile {
  const bytes = readFileSync(join(backupDir, file));
  return { file, sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length };
}

/** Written last, atomically: a backup folder without a manifest is an interrupted backup and is never restored. */
export async function writeManifest(backupDir: string, manifest: BackupManifest): Promise<string> {
  const path = join(backupDir, MANIFEST_FILE);
  await writeFileAtomic(path, `${JSON.stringify(manifest, null, 2)}\n`);
  return path;
}

export function readManifest(backupDir: string): BackupManifest {
  const path = join(backupDir, MANIFEST_FILE);
  let manifest: BackupManifest;
  try {
    manifest = JSON.parse(readFileSync(path, 'utf8')) as BackupManifest;
  } catch (error) {
    throw new GitPrepError(
      'LEAP_GIT_BACKUP_UNREADABLE',
      `no readable backup manifest at ${path}: ${(error as Error).message}`,
      {
        hint: 'pass the timestamped folder that prepareCheckout reported (it holds manifest.json); a folder without one is an interrupted backup',
        file: path,
        cause: error,
      },
    );
  }
  if (manifest.format !== MANIFEST_FORMAT || !Array.isArray(manifest.repos)) {
    throw new GitPrepError('LEAP_GIT_BACKUP_UNREADABLE', `${path} is not a ${MANIFEST_FORMAT} manifest`, {
      hint: 'restore it with the leap version that wrote it',
      file: path,
    });
  }
  for (const repo of manifest.repos) {
    for (const saved of [
      repo.localCommitsBundle,
      repo.stagedPatch,
      repo.unstagedPatch,
      repo.untrackedArchive,
      repo.stashBundle,
    ]) {
      if (saved === undefined) continue;
      let actual: BackupFile;
      try {
        actual = describeFile(backupDir, saved.file);
      } catch (error) {
        throw new GitPrepError('LEAP_GIT_BACKUP_CORRUPT', `backup file ${join(backupDir, saved.file)} is missing`, {
          hint: 'the backup folder was altered; recover it from your copies before restoring',
          file: join(backupDir, saved.file),
          cause: error,
        });
      }
      if (actual.sha256 !== saved.sha256) {
        throw new GitPrepError(
          'LEAP_GIT_BACKUP_CORRUPT',
          `backup file ${join(backupDir, saved.file)} changed since it was written (sha256 ${actual.sha256}, manifest says ${saved.sha256})`,
          {
            hint: 'the backup folder was altered; recover it from your copies before restoring',
            file: join(backupDir, saved.file),
          },
        );
      }
    }
  }
  return manifest;
}
