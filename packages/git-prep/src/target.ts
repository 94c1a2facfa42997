import { GitPrepError } from './errors.js';
import type { Git } from './git.js';
import type { ExpectedShas } from './releases/index.js';

export interface TargetTree {
  tag: string;
  /** The commit the tag peels to. */
  commit: string;
  /** Submodule path -> the commit its gitlink records in `commit`. */
  gitlinks: Record<string, string>;
}

/** Resolves `tag` in `dir` without touching the work tree; a missing tag lists the nearest ones. */
export async function resolveTarget(git: Git, dir: string, tag: string): Promise<TargetTree> {
  const resolved = await git.run(dir, ['rev-parse', '--verify', '--quiet', `refs/tags/${tag}^{commit}`], {
    allowFailure: true,
  });
  if (resolved.exitCode !== 0) {
    const tags = (await git.out(dir, ['tag', '--list'])).split('\n').filter((name) => name !== '');
    const nearest = nearestTags(tag, tags);
    throw new GitPrepError(
      'LEAP_GIT_TAG_MISSING',
      `the tag ${tag} does not exist in ${dir}${nearest.length > 0 ? `; nearest tags: ${nearest.join(', ')}` : ' (it has no tags at all)'}`,
      {
        hint: `check the target (leap.yaml target) and the remote; \`git -C ${dir} ls-remote --tags origin\` lists what the remote offers. Nothing was changed.`,
        file: dir,
      },
    );
  }
  const commit = resolved.stdout.trim();
  return { tag, commit, gitlinks: await gitlinksOf(git, dir, commit) };
}

export async function gitlinksOf(git: Git, dir: string, commit: string): Promise<Record<string, string>> {
  const gitlinks: Record<string, string> = {};
  for (const entry of (await git.out(dir, ['ls-tree', '-r', '-z', commit])).split('\0')) {
    // "<mode> <type> <sha>\t<path>"
    const match = /^160000 commit ([0-9a-f]+)\t(.+)$/s.exec(entry);
    if (match?.[1] !== undefined && match[2] !== undefined) gitlinks[match[2]] = match[1];
  }
  return gitlinks;
}

/** Compares the target with the SHAs published for it; every mismatch names the expected and the actual SHA. */
export function checkExpected(dir: string, target: TargetTree, expected: ExpectedShas | null): void {
  if (expected === null) return;
  const problems: string[] = [];
  if (target.commit !== expected.commit) {
    problems.push(`the tag ${target.tag} points at ${target.commit}, expected ${expected.commit}`);
  }
  for (const [path, sha] of Object.entries(expected.submodules)) {
    const actual = target.gitlinks[path];
    if (actual === undefined) problems.push(`${target.tag} has no submodule at ${path}, expected one at ${sha}`);
    else if (actual !== sha) problems.push(`${target.tag} pins the submodule ${path} at ${actual}, expected ${sha}`);
  }
  if (problems.length > 0) {
    throw new GitPrepError('LEAP_GIT_SHA_MISMATCH', `${dir}: ${problems.join('; ')}`, {
      hint:
        "the tag was re-pointed or the remote is a fork: compare the SHAs with the release's tag page and fix the remote. " +
        'Only a lab with its own SHAs may pass `expected` (leap.yaml git.expected). Nothing was changed.',
      file: dir,
    });
  }
}

/** Up to five tags closest to `wanted`: same series first (longest common prefix), then edit distance, then name. */
export function nearestTags(wanted: string, tags: readonly string[]): string[] {
  return tags
    .map((name) => ({ name, prefix: commonPrefix(wanted, name), distance: editDistance(wanted, name) }))
    .sort((a, b) => b.prefix - a.prefix || a.distance - b.distance || a.name.localeCompare(b.name))
    .slice(0, 5)
    .map((entry) => entry.name);
}

function commonPrefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return i;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
