import { existsSync, realpathSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { GitPrepError } from './errors.js';
import type { Git } from './git.js';
import { isInitialisedRepo } from './objects.js';

export interface StashEntry {
  sha: string;
  message: string;
}

/** The state of one repository (the top level or a submodule) before leap touches it. */
export interface RepoInspection {
  /** Relative to the top-level checkout; '.' for the top level. */
  path: string;
  dir: string;
  gitDir: string;
  head: string;
  /** The checked-out branch, or null when HEAD is detached. */
  branch: string | null;
  describe: string | null;
  tagsAtHead: string[];
  /** Unstaged changes to tracked files (work tree vs index). */
  modified: string[];
  staged: string[];
  /** Untracked, not ignored: what `git clean -df` would delete. */
  untracked: string[];
  stashes: StashEntry[];
  /** Commits reachable from HEAD or a local branch but from no remote-tracking ref and no tag. */
  localCommits: string[];
  /** An unfinished rebase, merge, cherry-pick, revert or bisect. */
  operation: string | null;
  /** Lock files left in the git folder. */
  locks: string[];
  /** Gitlinks in the index whose repository is not initialised (or whose folder is missing). */
  uninitialised: string[];
  submodules: RepoInspection[];
}

const OPERATIONS: ReadonlyArray<[string, string]> = [
  ['rebase-merge', 'rebase'],
  ['rebase-apply', 'rebase or am'],
  ['MERGE_HEAD', 'merge'],
  ['CHERRY_PICK_HEAD', 'cherry-pick'],
  ['REVERT_HEAD', 'revert'],
  ['BISECT_LOG', 'bisect'],
];
const LOCKS = ['index.lock', 'HEAD.lock', 'config.lock', 'packed-refs.lock', 'shallow.lock', 'FETCH_HEAD.lock'];

export function wouldLoseWork(repo: RepoInspection): boolean {
  return (
    repo.modified.length + repo.staged.length + repo.untracked.length + repo.stashes.length + repo.localCommits.length >
    0
  );
}

/** Flattens the tree of inspections: the top level first, then each submodule before its own submodules. */
export function allRepos(top: RepoInspection): RepoInspection[] {
  return [top, ...top.submodules.flatMap(allRepos)];
}

/** Refuses a folder that is not the top of a git work tree, before anything else runs. */
export async function requireRepository(git: Git, repoDir: string): Promise<string> {
  if (!existsSync(repoDir) || !statSync(repoDir).isDirectory()) {
    throw new GitPrepError('LEAP_GIT_NOT_A_REPO', `${repoDir} does not exist or is not a folder`, {
      hint: 'set the rpc-openstack path (default /opt/rpc-openstack) to the folder of its git checkout',
      file: repoDir,
    });
  }
  const top = await git.run(repoDir, ['rev-parse', '--show-toplevel'], { allowFailure: true });
  const real = realpathSync(repoDir);
  if (top.exitCode !== 0) {
    throw new GitPrepError('LEAP_GIT_NOT_A_REPO', `${repoDir} is not a git repository: ${top.stderr.trim()}`, {
      hint: 'point leap at the rpc-openstack git checkout (the folder that holds .git and the openstack-ansible submodule)',
      file: repoDir,
    });
  }
  if (realpathSync(top.stdout.trim()) !== real) {
    throw new GitPrepError(
      'LEAP_GIT_NOT_A_REPO',
      `${repoDir} is inside the git repository ${top.stdout.trim()}, not its top folder`,
      {
        hint: `point leap at ${top.stdout.trim()}`,
        file: repoDir,
      },
    );
  }
  return real;
}

/** Reads HEAD, changes, stashes, local-only commits and state of `dir` and, recursively, its submodules. */
export async function inspectRepo(git: Git, dir: string, path = '.'): Promise<RepoInspection> {
  const gitDir = await git.out(dir, ['rev-parse', '--absolute-git-dir']);
  const head = await git.out(dir, ['rev-parse', '--verify', 'HEAD^{commit}']);
  const branchResult = await git.run(dir, ['symbolic-ref', '--quiet', '--short', 'HEAD'], { allowFailure: true });
  const describeResult = await git.run(dir, ['describe', '--tags', '--always'], { allowFailure: true });
  const tagsAtHead = lines(await git.out(dir, ['tag', '--points-at', 'HEAD']));

  const status = (
    await git.run(dir, ['status', '--porcelain=v1', '-z', '--untracked-files=all', '--ignore-submodules=all'])
  ).stdout;
  const { modified, staged, untracked } = parseStatus(status);

  const stashes = lines(await git.out(dir, ['stash', 'list', '--format=%H %gs'])).map((line) => {
    const space = line.indexOf(' ');
    return { sha: line.slice(0, space), message: line.slice(space + 1) };
  });
  const localCommits = lines(await git.out(dir, ['rev-list', 'HEAD', '--branches', '--not', '--remotes', '--tags']));

  const operation = OPERATIONS.find(([file]) => existsSync(join(gitDir, file)))?.[1] ?? null;
  const locks = LOCKS.filter((file) => existsSync(join(gitDir, file))).map((file) => join(gitDir, file));

  const gitlinks = parseGitlinks(await git.out(dir, ['ls-files', '--stage', '-z']));
  const submodules: RepoInspection[] = [];
  const uninitialised: string[] = [];
  for (const link of gitlinks) {
    const subDir = join(dir, link);
    const subPath = path === '.' ? link : `${path}/${link}`;
    if (!(await isInitialisedRepo(git, subDir))) {
      uninitialised.push(subPath);
      continue;
    }
    submodules.push(await inspectRepo(git, subDir, subPath));
  }

  return {
    path,
    dir,
    gitDir,
    head,
    branch: branchResult.exitCode === 0 ? branchResult.stdout.trim() : null,
    describe: describeResult.exitCode === 0 ? describeResult.stdout.trim() : null,
    tagsAtHead,
    modified,
    staged,
    untracked,
    stashes,
    localCommits,
    operation,
    locks,
    uninitialised,
    submodules,
  };
}

function lines(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

export function parseStatus(porcelainZ: string): { modified: string[]; staged: string[]; untracked: string[] } {
  const modified: string[] = [];
  const staged: string[] = [];
  const untracked: string[] = [];
  const fields = porcelainZ.split('\0');
  for (let i = 0; i < fields.length; i++) {
    const entry = fields[i] ?? '';
    if (entry.length < 4) continue;
    const x = entry[0];
    const y = entry[1];
    const file = entry.slice(3);
    if (x === '?' && y === '?') {
      untracked.push(file);
      continue;
    }
    if (x === '!') continue;
    // A rename or copy is followed by its source path in the next field.
    const source = x === 'R' || x === 'C' ? fields[++i] : undefined;
    if (x !== ' ') staged.push(...(source === undefined ? [file] : [source, file]));
    if (y !== ' ') modified.push(file);
  }
  return { modified, staged, untracked };
}

function parseGitlinks(lsFilesZ: string): string[] {
  const paths = new Set<string>();
  for (const entry of lsFilesZ.split('\0')) {
    // "<mode> <sha> <stage>\t<path>"
    if (!entry.startsWith('160000 ')) continue;
    const tab = entry.indexOf('\t');
    if (tab > 0) paths.add(entry.slice(tab + 1));
  }
  return [...paths];
}
