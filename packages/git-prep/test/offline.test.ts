import { renameSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkOffline, GitPrepError, prefetch, prepareCheckout } from '../src/index.js';
import { makeDirty, makeLab, snapshotTree } from './lab.js';

const FAST = { attempts: 2, minDelayMs: 5, maxDelayMs: 10 };

describe('offline readiness', { timeout: 180_000 }, () => {
  it('prefetches everything the target needs, then checks out with both origins gone', async () => {
    const lab = await makeLab();
    await makeDirty(lab);
    const before = snapshotTree(lab.work);
    const expected = { commit: lab.newton.commit, submodules: lab.newton.submodules };
    const base = { repoDir: lab.work, gitEnv: lab.sb.env, retry: FAST, expected };

    const fetched = await prefetch(base);
    expect(fetched).toMatchObject({ ready: true, commit: lab.newton.commit, missing: [] });
    expect(snapshotTree(lab.work)).toEqual(before);

    renameSync(lab.rpcBare, `${lab.rpcBare}.gone`);
    renameSync(lab.osaBare, `${lab.osaBare}.gone`);
    expect(await checkOffline(base)).toMatchObject({
      ready: true,
      commit: lab.newton.commit,
      missing: [],
      problem: null,
    });

    const report = await prepareCheckout({ ...base, backupDir: lab.backupDir, offline: true });
    expect(report.after).toEqual([
      { path: '.', head: lab.newton.commit },
      { path: 'openstack-ansible', head: lab.newton.osa },
    ]);
    expect(report.retries).toEqual([]);
  });

  it('reports what is missing before a prefetch, and an offline checkout refuses without changing anything', async () => {
    const lab = await makeLab();
    const base = { repoDir: lab.work, gitEnv: lab.sb.env, retry: FAST, expected: null };

    const nothing = await checkOffline(base);
    expect(nothing.ready).toBe(false);
    expect(nothing.problem).toMatch(/r14\.1\.0 does not exist/);

    await lab.sb.git(lab.work, ['fetch', '-q', '--tags', '--no-recurse-submodules', 'origin']);
    const partly = await checkOffline(base);
    expect(partly).toMatchObject({ ready: false, commit: lab.newton.commit, problem: null });
    expect(partly.missing).toEqual([
      { path: 'openstack-ansible', commit: lab.newton.osa, reason: 'commit not fetched' },
    ]);

    const error = await prepareCheckout({ ...base, backupDir: lab.backupDir, offline: true }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(GitPrepError);
    expect(error).toMatchObject({ code: 'LEAP_GIT_NOT_OFFLINE_READY' });
    expect((error as GitPrepError).message).toContain(lab.newton.osa.slice(0, 12));
    expect((error as GitPrepError).hint).toMatch(/prefetch/);
    expect(await lab.sb.git(lab.work, ['rev-parse', 'HEAD'])).toBe(lab.kilo.commit);
  });
});
