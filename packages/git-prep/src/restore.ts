import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { execa } from 'execa';
import { childEnvironment } from './env.js';
import { GitPrepError } from './errors.js';
import { GitCommandError, createGit, type Git } from './git.js';
import { requireRepository } from './inspect.js';
import { isInitialisedRepo } from './objects.js';
import { readManifest, type BackupFile, type RepoBackup } from './manifest.js';
import type { GitContextOptions } from './types.js';

export interface RestoreOptions extends GitContextOptions {
  /** The checkout the backup was taken from. */
  repoDir: string;
  /** The timestamped backup folder (the `backup.dir` of a PrepareReport), holding manifest.json. */
  backup: string;
}

export interface RestoreReport {
  repoDir: string;
  backup: string;
  /** Per repository, what was put back. */
  repos: Array<{ path: string; head: string; branch: string | null; restored: string[] }>;
}

/**
 * Puts each backed-up repository back where it was: its branch or detached HEAD (local commits from the bundle),
 * staged and unstaged changes, untracked files and stash entries. Refuses a repository with uncommitted changes,
 * so a restore never destroys anything either.
 */
export async function restoreBackup(options: RestoreOptions): Promise<RestoreReport> {
  const git = createGit(childEnvironment(options.gitEnv, false), options.signal);
  const repoDir = await requireRepository(git, resolve(options.repoDir));
  const backupDir = resolve(options.backup);
  const manifest = readManifest(backupDir);

  for (const repo of manifest.repos) await requireRestorable(git, join(repoDir, repo.path), repo);

  const report: RestoreReport = { repoDir, backup: backupDir, repos: [] };
  for (const repo of manifest.repos) {
    const dir = join(repoDir, repo.path);
    options.onProgress?.({ phase: 'restore', repo: repo.path, message: `restoring ${repo.path} from ${backupDir}` });
    try {
      report.repos.push({
        path: repo.path,
        head: repo.head,
        branch: repo.branch,
        restored: await restoreRepo(git, dir, backupDir, repo),
      });
    } catch (error) {
      if (!(error instanceof GitCommandError)) throw error;
      throw new GitPrepError(
        'LEAP_GIT_RESTORE_FAILED',
        `restoring ${dir} from ${backupDir} failed: ${error.stderr.trim() || error.message}`,
        {
          hint: `the backup folder is untouched; inspect git -C ${dir} status, clean up and restore again (manifest: ${join(backupDir, 'manifest.json')})`,
          file: dir,
          cause: error,
        },
      );
    }
    options.log?.info(`restored ${repo.path}`, { dir, backup: backupDir });
  }
  return report;
}

async function requireRestorable(git: Git, dir: string, repo: RepoBackup): Promise<void> {
  if (!(await isInitialisedRepo(git, dir))) {
    throw new GitPrepError(
      'LEAP_GIT_RESTORE_TARGET_MISSING',
      `${dir} (${repo.path}) is not a git repository any more`,
      {
        hint:
          repo.path === '.'
            ? 'restore into the checkout the backup was taken from'
            : 'git submodule update --init --recursive in the top folder, then restore again',
        file: dir,
      },
    );
  }
  const status = await git.out(dir, ['status', '--porcelain=v1', '--untracked-files=all', '--ignore-submodules=all']);
  if (status !== '') {
    throw new GitPrepError(
      'LEAP_GIT_RESTORE_DIRTY',
      `${dir} has uncommitted changes; restoring over them would lose them:\n${status}`,
      {
        hint: `commit or stash them first (git -C ${dir} stash -u), then restore again; nothing was changed`,
        file: dir,
      },
    );
  }
}

async function restoreRepo(git: Git, dir: string, backupDir: string, repo: RepoBackup): Promise<string[]> {
  const restored: string[] = [];
  const scratch = `refs/leap-restore/${Date.now()}`;
  const fileOf = (saved: BackupFile): string => join(backupDir, saved.file);
  try {
    if (repo.localCommitsBundle !== undefined) {
      await fetchBundle(git, dir, fileOf(repo.localCommitsBundle), `${scratch}/local`);
      restored.push('local commits');
    }
    if (repo.stashBundle !== undefined) await fetchBundle(git, dir, fileOf(repo.stashBundle), `${scratch}/stash`);

    // Branches are only recreated when gone: a branch that moved on since the backup is the operator's newer work.
    for (const [name, sha] of Object.entries(repo.branches)) {
      if (
        (await git.run(dir, ['rev-parse', '--verify', '--quiet', `refs/heads/${name}`], { allowFailure: true }))
          .exitCode !== 0
      ) {
        await git.out(dir, ['branch', name, sha]);
      }
    }
    if (repo.branch !== null && (await git.out(dir, ['rev-parse', `refs/heads/${repo.branch}`])) === repo.head) {
      await git.out(dir, ['checkout', '-q', repo.branch]);
    } else {
      await git.out(dir, ['checkout', '-q', '--detach', repo.head]);
    }
    restored.push(repo.branch === null ? `HEAD ${repo.head.slice(0, 12)}` : `branch ${repo.branch}`);

    if (repo.stagedPatch !== undefined) {
      await git.out(dir, ['apply', '--index', '--binary', fileOf(repo.stagedPatch)]);
      restored.push('staged changes');
    }
    if (repo.unstagedPatch !== undefined) {
      await git.out(dir, ['apply', '--binary', fileOf(repo.unstagedPatch)]);
      restored.push('unstaged changes');
    }
    if (repo.untrackedArchive !== undefined) {
      // --keep-old-files: never overwrite a file that exists now.
      await execa('tar', ['--extract', '--keep-old-files', '--file', fileOf(repo.untrackedArchive)], { cwd: dir });
      restored.push('untracked files');
    }
    if (repo.stashes.length > 0) {
      const present = new Set((await git.out(dir, ['stash', 'list', '--format=%H'])).split('\n'));
      // `stash store` pushes on top: store the oldest first so the order comes back as it was.
      for (const entry of [...repo.stashes].reverse()) {
        if (!present.has(entry.sha)) await git.out(dir, ['stash', 'store', '-m', entry.message, entry.sha]);
      }
      restored.push('stashes');
    }
  } finally {
    await dropRefs(git, dir, scratch);
  }
  return restored;
}

async function fetchBundle(git: Git, dir: string, bundle: string, prefix: string): Promise<void> {
  if (!existsSync(bundle))
    throw new GitPrepError('LEAP_GIT_BACKUP_CORRUPT', `missing ${bundle}`, {
      file: bundle,
      hint: 'recover the backup folder',
    });
  await git.out(dir, ['bundle', 'verify', '-q', bundle]);
  const heads = (await git.out(dir, ['bundle', 'list-heads', bundle])).split('\n').filter((line) => line !== '');
  const refspecs = heads.map((line, index) => `${line.split(' ')[0] ?? ''}:${prefix}/${index}`);
  // Fetching by SHA into scratch refs keeps the objects alive until the branches, HEAD and stashes point at them.
  await git.out(dir, ['fetch', '-q', bundle, ...heads.map((line) => line.split(' ')[1] ?? '')]);
  for (const spec of refspecs) {
    const [sha, ref] = spec.split(':') as [string, string];
    await git.out(dir, ['update-ref', ref, sha]);
  }
}

async function dropRefs(git: Git, dir: string, prefix: string): Promise<void> {
  const refs = (await git.out(dir, ['for-each-ref', '--format=%(refname)', prefix]))
    .split('\n')
    .filter((line) => line !== '');
  for (const ref of refs) await git.run(dir, ['update-ref', '-d', ref], { allowFailure: true });
}
