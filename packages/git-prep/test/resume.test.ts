import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { prepareCheckout, restoreBackup } from '../src/index.js';
import { makeDirty, makeLab, snapshotTree } from './lab.js';

const FAST = { attempts: 2, minDelayMs: 5, maxDelayMs: 10 };

describe('interruption and resume', { timeout: 180_000 }, () => {
  it('an abort after the backup and reset is resumed by a re-run, and the first backup still restores everything', async () => {
    const lab = await makeLab();
    await makeDirty(lab);
    const before = snapshotTree(lab.work);
    const expected = { commit: lab.newton.commit, submodules: lab.newton.submodules };
    const controller = new AbortController();

    const interrupted = await prepareCheckout({
      repoDir: lab.work,
      backupDir: lab.backupDir,
      gitEnv: lab.sb.env,
      retry: FAST,
      expected,
      signal: controller.signal,
      onProgress: (event) => {
        if (event.phase === 'checkout') controller.abort(new Error('operator pressed ctrl-c'));
      },
    }).catch((caught: unknown) => caught);
    expect((interrupted as Error).message).toBe('operator pressed ctrl-c');
    expect(await lab.sb.git(lab.work, ['rev-parse', 'HEAD'])).not.toBe(lab.newton.commit);

    const resumed = await prepareCheckout({
      repoDir: lab.work,
      backupDir: lab.backupDir,
      gitEnv: lab.sb.env,
      retry: FAST,
      expected,
    });
    expect(resumed.changed).toBe(true);
    expect(resumed.after.map((repo) => repo.head)).toEqual([lab.newton.commit, lab.newton.osa]);

    // The re-run found the files already reset; it saved again only what a checkout could still lose (the
    // never-pushed commit, the stashes), in a second folder. The first, complete backup is the one to restore.
    const folders = readdirSync(lab.backupDir).sort();
    expect(folders).toHaveLength(2);
    const original = join(lab.backupDir, folders[0] ?? '');
    expect(resumed.backup?.dir).toBe(join(lab.backupDir, folders[1] ?? ''));
    expect(resumed.backup?.repos.map((repo) => repo.path)).toEqual(['.']);
    await restoreBackup({ repoDir: lab.work, backup: original, gitEnv: lab.sb.env });
    expect(snapshotTree(lab.work)).toEqual(before);
  });
});
