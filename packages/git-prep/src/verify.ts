import { join } from 'node:path';
import { GitPrepError } from './errors.js';
import type { Git } from './git.js';
import { isInitialisedRepo } from './objects.js';
import { checkExpected, gitlinksOf, type TargetTree } from './target.js';
import type { ExpectedShas } from './releases/index.js';

export interface RepoHead {
  /** Relative to the checkout; '.' for the top level. */
  path: string;
  head: string;
}

/**
 * Proves the checkout is the target: HEAD is the tag's commit, each submodule (recursively) is initialised, on the
 * gitlink its parent records and clean, and the SHAs match `expected`. Returns the HEAD of every repository.
 */
export async function verifyCheckout(
  git: Git,
  topDir: string,
  target: TargetTree,
  expected: ExpectedShas | null,
): Promise<RepoHead[]> {
  checkExpected(topDir, target, expected);
  const head = await git.out(topDir, ['rev-parse', 'HEAD']);
  if (head !== target.commit) {
    throw new GitPrepError(
      'LEAP_GIT_SHA_MISMATCH',
      `${topDir} is at ${head}, expected ${target.commit} (${target.tag})`,
      {
        hint: `re-run the git preparation step; to look by hand: git -C ${topDir} status`,
        file: topDir,
      },
    );
  }
  const heads: RepoHead[] = [{ path: '.', head }];
  await requireClean(git, topDir, '.');
  await verifySubmodules(git, topDir, head, '', heads);
  return heads;
}

async function verifySubmodules(
  git: Git,
  dir: string,
  commit: string,
  prefix: string,
  heads: RepoHead[],
): Promise<void> {
  for (const [link, expected] of Object.entries(await gitlinksOf(git, dir, commit))) {
    const subDir = join(dir, link);
    const path = `${prefix}${link}`;
    if (!(await isInitialisedRepo(git, subDir))) {
      throw new GitPrepError('LEAP_GIT_SUBMODULE_UNINITIALISED', `the submodule ${path} is not initialised in ${dir}`, {
        hint: `git -C ${dir} submodule update --init --recursive, then re-run`,
        file: subDir,
      });
    }
    const head = await git.out(subDir, ['rev-parse', 'HEAD']);
    if (head !== expected) {
      throw new GitPrepError(
        'LEAP_GIT_SHA_MISMATCH',
        `the submodule ${path} is at ${head}, expected ${expected} (the gitlink in ${commit.slice(0, 12)})`,
        {
          hint: `git -C ${dir} submodule update --init --recursive, then re-run`,
          file: subDir,
        },
      );
    }
    heads.push({ path, head });
    await requireClean(git, subDir, path);
    await verifySubmodules(git, subDir, head, `${path}/`, heads);
  }
}

async function requireClean(git: Git, dir: string, path: string): Promise<void> {
  const status = await git.out(dir, ['status', '--porcelain=v1', '--untracked-files=all', '--ignore-submodules=all']);
  if (status !== '') {
    throw new GitPrepError(
      'LEAP_GIT_NOT_CLEAN',
      `${path === '.' ? dir : `the submodule ${path}`} has changes after the checkout:\n${status}`,
      {
        hint: `inspect with git -C ${dir} status; re-run to back them up and reset`,
        file: dir,
      },
    );
  }
}
