import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { GitPrepError } from './errors.js';
import { GitCommandError, type Git } from './git.js';
import { allRepos, wouldLoseWork, type RepoInspection } from './inspect.js';
import {
  describeFile,
  writeManifest,
  MANIFEST_FORMAT,
  type BackupFile,
  type BackupManifest,
  type RepoBackup,
} from './manifest.js';
import type { ProgressCallback } from './types.js';

export interface BackupResult {
  /** The timestamped folder holding manifest.json and one sub-folder per repository. */
  dir: string;
  manifest: string;
  repos: RepoBackup[];
}

/** Patches that apply back byte for byte whatever the operator's diff configuration says. */
const DIFF_ARGS = [
  '--binary',
  '--full-index',
  '--no-color',
  '--no-ext-diff',
  '--no-textconv',
  '--no-renames',
  '--ignore-submodules=all',
  '--src-prefix=a/',
  '--dst-prefix=b/',
];

export function backupFolderOf(path: string): string {
  return path === '.' ? 'top' : join('submodules', path);
}

/**
 * Saves everything a reset, clean or checkout of `top` and its submodules would lose, and verifies each piece
 * against the live repository before returning. Returns null when nothing would be lost.
 */
export async function backupCheckout(
  git: Git,
  top: RepoInspection,
  backupRoot: string,
  target: string,
  onProgress?: ProgressCallback,
): Promise<BackupResult | null> {
  const repos = allRepos(top).filter(wouldLoseWork);
  if (repos.length === 0) return null;
  const stamp = new Date().toISOString().replace(/:/g, '-');
  const dir = join(backupRoot, stamp);
  const saved: RepoBackup[] = [];
  for (const repo of repos) {
    onProgress?.({
      phase: 'backup',
      repo: repo.path,
      message: `backing up uncommitted work of ${repo.path} to ${dir}`,
    });
    saved.push(await backupRepo(git, repo, dir));
  }
  const manifest: BackupManifest = {
    format: MANIFEST_FORMAT,
    createdAt: new Date().toISOString(),
    repoDir: top.dir,
    target,
    repos: saved,
  };
  return { dir, manifest: await writeManifest(dir, manifest), repos: saved };
}

/** One repository's backup in progress: where its pieces go, and how a piece that failed is reported. */
interface RepoBackupContext {
  git: Git;
  repo: RepoInspection;
  root: string;
  folder: string;
  fail: (what: string, error: unknown) => never;
}

async function backupRepo(git: Git, repo: RepoInspection, root: string): Promise<RepoBackup> {
  const folder = backupFolderOf(repo.path);
  mkdirSync(join(root, folder), { recursive: true });
  const branches = await listBranches(git, repo);
  const result: RepoBackup = {
    path: repo.path,
    head: repo.head,
    branch: repo.branch,
    describe: repo.describe,
    branches,
    modified: repo.modified,
    staged: repo.staged,
    untracked: repo.untracked,
    stashes: repo.stashes,
    localCommits: repo.localCommits,
  };
  const context: RepoBackupContext = { git, repo, root, folder, fail: backupFailure(repo, root, folder) };
  if (repo.localCommits.length > 0) result.localCommitsBundle = await bundleLocalCommits(context);
  if (repo.staged.length > 0) result.stagedPatch = await saveStagedPatch(context);
  if (repo.modified.length > 0) result.unstagedPatch = await saveUnstagedPatch(context);
  if (repo.untracked.length > 0) result.untrackedArchive = await archiveUntrackedFiles(context);
  if (repo.stashes.length > 0) result.stashBundle = await bundleStashes(context);
  return result;
}

/** Each local branch and the commit it points at. */
async function listBranches(git: Git, repo: RepoInspection): Promise<Record<string, string>> {
  return Object.fromEntries(
    (await git.out(repo.dir, ['for-each-ref', '--format=%(refname:short) %(objectname)', 'refs/heads']))
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => line.split(' ') as [string, string]),
  );
}

function backupFailure(repo: RepoInspection, root: string, folder: string): (what: string, error: unknown) => never {
  return (what: string, error: unknown): never => {
    throw new GitPrepError(
      'LEAP_GIT_BACKUP_FAILED',
      `could not back up the ${what} of ${repo.dir}: ${(error as Error).message}`,
      {
        hint: `nothing was reset; inspect ${join(root, folder)} and the repository, fix the cause and re-run`,
        file: repo.dir,
        cause: error,
      },
    );
  };
}

async function bundleLocalCommits({ git, repo, root, folder, fail }: RepoBackupContext): Promise<BackupFile> {
  const file = join(folder, 'local-commits.bundle');
  try {
    await git.out(repo.dir, [
      'bundle',
      'create',
      '-q',
      join(root, file),
      'HEAD',
      '--branches',
      '--not',
      '--remotes',
      '--tags',
    ]);
    await git.out(repo.dir, ['bundle', 'verify', '-q', join(root, file)]);
  } catch (error) {
    fail('local commits', error);
  }
  return describeFile(root, file);
}

async function saveStagedPatch({ git, repo, root, folder, fail }: RepoBackupContext): Promise<BackupFile> {
  const file = join(folder, 'staged.patch');
  try {
    await git.out(repo.dir, ['diff', '--cached', ...DIFF_ARGS, `--output=${join(root, file)}`]);
    // The index holds the patch's post-image: reversing it must apply cleanly.
    await git.out(repo.dir, ['apply', '--cached', '--check', '-R', join(root, file)]);
  } catch (error) {
    fail('staged changes', error);
  }
  return describeFile(root, file);
}

async function saveUnstagedPatch({ git, repo, root, folder, fail }: RepoBackupContext): Promise<BackupFile> {
  const file = join(folder, 'unstaged.patch');
  try {
    await git.out(repo.dir, ['diff', ...DIFF_ARGS, `--output=${join(root, file)}`]);
    await git.out(repo.dir, ['apply', '--check', '-R', join(root, file)]);
  } catch (error) {
    fail('unstaged changes', error);
  }
  return describeFile(root, file);
}

async function archiveUntrackedFiles({ git, repo, root, folder, fail }: RepoBackupContext): Promise<BackupFile> {
  const file = join(folder, 'untracked.tar');
  try {
    await execa('tar', ['--create', '--file', join(root, file), '--null', '--no-recursion', '--files-from', '-'], {
      cwd: repo.dir,
      input: `${repo.untracked.join('\0')}\0`,
      ...(git.signal === undefined ? {} : { cancelSignal: git.signal }),
    });
    // --compare reads every member back against the live files.
    await execa('tar', ['--compare', '--file', join(root, file)], { cwd: repo.dir });
  } catch (error) {
    fail('untracked files', error);
  }
  return describeFile(root, file);
}

async function bundleStashes({ git, repo, root, folder, fail }: RepoBackupContext): Promise<BackupFile> {
  const file = join(folder, 'stash.bundle');
  // A bundle carries refs, and stash entries other than the newest live only in the reflog: name each one.
  const refs = repo.stashes.map((_, index) => `refs/leap-backup/stash/${index}`);
  try {
    for (const [index, entry] of repo.stashes.entries())
      await git.out(repo.dir, ['update-ref', refs[index] ?? '', entry.sha]);
    await git.out(repo.dir, ['bundle', 'create', '-q', join(root, file), ...refs, '--not', '--remotes', '--tags']);
    await git.out(repo.dir, ['bundle', 'verify', '-q', join(root, file)]);
  } catch (error) {
    fail('stashes', error);
  } finally {
    for (const ref of refs) await git.run(repo.dir, ['update-ref', '-d', ref], { allowFailure: true });
  }
  return describeFile(root, file);
}

/** `git reset --hard` and `git clean -df` (ignored files stay, as in the guide) in every repository that needs it. */
export async function resetCheckout(git: Git, top: RepoInspection, onProgress?: ProgressCallback): Promise<void> {
  for (const repo of allRepos(top)) {
    if (repo.modified.length + repo.staged.length + repo.untracked.length === 0) continue;
    onProgress?.({ phase: 'reset', repo: repo.path, message: `git reset --hard && git clean -df in ${repo.path}` });
    try {
      await git.out(repo.dir, ['reset', '--hard', '-q']);
      await git.out(repo.dir, ['clean', '-d', '-f', '-q']);
    } catch (error) {
      if (!(error instanceof GitCommandError)) throw error;
      throw new GitPrepError('LEAP_GIT_RESET_FAILED', `could not reset ${repo.dir}: ${error.stderr.trim()}`, {
        hint: 'the backup was written and verified before this; fix the cause (permissions, a lock file) and re-run',
        file: repo.dir,
        cause: error,
      });
    }
  }
}
