import { GitPrepError } from './errors.js';
import { GitCommandError } from './git.js';
import { runNetworkGit, type NetworkCallContext } from './fetch-retry.js';
import type { TargetTree } from './target.js';

/** Detached checkout of the tag's commit, then `submodule sync` and `submodule update --init --recursive`. */
export async function checkoutTarget(ctx: NetworkCallContext, topDir: string, target: TargetTree): Promise<void> {
  ctx.onProgress?.({
    phase: 'checkout',
    repo: '.',
    message: `git checkout ${target.tag} (${target.commit.slice(0, 12)})`,
  });
  try {
    await ctx.git.out(topDir, ['checkout', '-q', '--detach', target.commit]);
    await ctx.git.out(topDir, ['submodule', 'sync', '-q', '--recursive']);
  } catch (error) {
    if (!(error instanceof GitCommandError)) throw error;
    throw new GitPrepError(
      'LEAP_GIT_CHECKOUT_FAILED',
      `could not check out ${target.tag} in ${topDir}: ${error.stderr.trim()}`,
      {
        hint: `any uncommitted work was backed up first; inspect with git -C ${topDir} status, fix the cause and re-run`,
        file: topDir,
        cause: error,
      },
    );
  }
  ctx.onProgress?.({ phase: 'checkout', repo: '.', message: 'git submodule update --init --recursive' });
  // --checkout: an operator's submodule.<name>.update = rebase/merge/none must not decide what lands on disk.
  await runNetworkGit(ctx, 'submodule update', '.', topDir, [
    'submodule',
    'update',
    '-q',
    '--init',
    '--recursive',
    '--checkout',
  ]);
}
