import { existsSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { GitPrepError } from './errors.js';
import type { Git } from './git.js';
import { runNetworkGit, type NetworkCallContext } from './fetch-retry.js';
import { gitlinksOf } from './target.js';

/** Something the checkout of a target would have to download. */
export interface MissingObject {
  /** Submodule path relative to the checkout. */
  path: string;
  commit: string;
  reason: 'submodule not initialised' | 'commit not fetched';
}

export async function isInitialisedRepo(git: Git, dir: string): Promise<boolean> {
  if (!existsSync(join(dir, '.git'))) return false;
  const top = await git.run(dir, ['rev-parse', '--show-toplevel'], { allowFailure: true });
  return top.exitCode === 0 && realpathSync(top.stdout.trim()) === realpathSync(dir);
}

export async function hasCommit(git: Git, dir: string, sha: string): Promise<boolean> {
  return (await git.run(dir, ['cat-file', '-e', `${sha}^{commit}`], { allowFailure: true })).exitCode === 0;
}

/** Every submodule commit (recursively) that `commit` of the repo at `dir` needs and the local repositories lack. */
export async function findMissingObjects(git: Git, dir: string, commit: string, prefix = ''): Promise<MissingObject[]> {
  const missing: MissingObject[] = [];
  for (const [link, sha] of Object.entries(await gitlinksOf(git, dir, commit))) {
    const subDir = join(dir, link);
    const path = `${prefix}${link}`;
    if (!(await isInitialisedRepo(git, subDir)))
      missing.push({ path, commit: sha, reason: 'submodule not initialised' });
    else if (!(await hasCommit(git, subDir, sha))) missing.push({ path, commit: sha, reason: 'commit not fetched' });
    else missing.push(...(await findMissingObjects(git, subDir, sha, `${path}/`)));
  }
  return missing;
}

/**
 * Fetches, with retry, every submodule commit `commit` needs into the already-initialised submodules, so the
 * checkout itself needs no network. Submodules the target adds are left to `submodule update --init`.
 */
export async function fetchSubmoduleObjects(
  ctx: NetworkCallContext,
  dir: string,
  commit: string,
  prefix = '',
): Promise<void> {
  for (const [link, sha] of Object.entries(await gitlinksOf(ctx.git, dir, commit))) {
    const subDir = join(dir, link);
    const path = `${prefix}${link}`;
    if (!(await isInitialisedRepo(ctx.git, subDir))) continue;
    if (!(await hasCommit(ctx.git, subDir, sha))) {
      ctx.onProgress?.({ phase: 'fetch', repo: path, message: `fetching ${path} (needs ${sha.slice(0, 12)})` });
      await runNetworkGit(ctx, `fetch ${path}`, path, subDir, ['fetch', '--tags', '--no-recurse-submodules', 'origin']);
      // Servers allow fetching a reachable commit by SHA even when no ref names it any more.
      if (!(await hasCommit(ctx.git, subDir, sha)))
        await runNetworkGit(ctx, `fetch ${path} ${sha.slice(0, 12)}`, path, subDir, ['fetch', 'origin', sha]);
      if (!(await hasCommit(ctx.git, subDir, sha))) {
        throw new GitPrepError(
          'LEAP_GIT_SUBMODULE_COMMIT_MISSING',
          `the submodule ${path} has no commit ${sha} (pinned by the target) even after fetching origin`,
          {
            hint: `check the submodule's remote (\`git -C ${subDir} remote -v\`) against the URL in .gitmodules of the target`,
            file: subDir,
          },
        );
      }
    }
    await fetchSubmoduleObjects(ctx, subDir, sha, `${path}/`);
  }
}
