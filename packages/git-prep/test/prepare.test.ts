import { existsSync, readdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GitPrepError, prepareCheckout, readManifest, restoreBackup, type PrepareProgress } from '../src/index.js';
import { makeDirty, makeLab, snapshotTree, type Lab } from './lab.js';

const FAST = { attempts: 4, minDelayMs: 5, maxDelayMs: 20, maxTotalMs: 30_000 };

async function gitState(lab: Lab) {
  const { sb, work, sub } = lab;
  return {
    head: await sb.git(work, ['rev-parse', 'HEAD']),
    branch: await sb.git(work, ['symbolic-ref', '--short', 'HEAD']).catch(() => null),
    index: await sb.git(work, ['diff', '--cached', '--binary']),
    stashes: await sb.git(work, ['stash', 'list', '--format=%H %gs']),
    branches: await sb.git(work, ['for-each-ref', '--format=%(refname) %(objectname)', 'refs/heads']),
    subHead: await sb.git(sub, ['rev-parse', 'HEAD']),
    subIndex: await sb.git(sub, ['diff', '--cached', '--binary']),
  };
}

// Each test builds real repositories; a loaded CI machine needs more than the default 60 s.
describe('prepareCheckout', { timeout: 180_000 }, () => {
  it('puts a dirty checkout on the target with both SHAs verified, and the backup restores every lost change byte for byte', async () => {
    const lab = await makeLab();
    await makeDirty(lab);
    const treeBefore = snapshotTree(lab.work);
    const stateBefore = await gitState(lab);
    const events: PrepareProgress[] = [];

    const report = await prepareCheckout({
      repoDir: lab.work,
      backupDir: lab.backupDir,
      gitEnv: lab.sb.env,
      retry: FAST,
      expected: { commit: lab.newton.commit, submodules: lab.newton.submodules },
      onProgress: (event) => events.push(event),
    });

    expect(report.changed).toBe(true);
    expect(report.after).toEqual([
      { path: '.', head: lab.newton.commit },
      { path: 'openstack-ansible', head: lab.newton.osa },
    ]);
    expect(await lab.sb.git(lab.work, ['rev-parse', 'HEAD'])).toBe(lab.newton.commit);
    expect(await lab.sb.git(lab.sub, ['rev-parse', 'HEAD'])).toBe(lab.newton.osa);
    expect(await lab.sb.git(lab.work, ['status', '--porcelain', '--ignore-submodules=none'])).toBe('');
    expect(existsSync(join(lab.work, 'debug.log'))).toBe(true);
    expect(report.before[0]).toMatchObject({
      path: '.',
      head: stateBefore.head,
      branch: 'main',
      localCommits: 1,
      stashes: 2,
    });
    expect(report.before[0]?.untracked).toEqual(
      expect.arrayContaining(['notes.txt', 'rpcd/blob.bin', 'rpcd/etc/local-override.yml']),
    );
    expect(report.before[1]).toMatchObject({
      path: 'openstack-ansible',
      head: lab.kilo.osa,
      modified: ['playbooks/setup.yml'],
      untracked: ['playbooks/extra.yml'],
    });
    const phases = events.map((event) => event.phase);
    expect(phases.indexOf('backup')).toBeLessThan(phases.indexOf('reset'));

    const backup = report.backup;
    if (backup === null) throw new Error('expected a backup');
    const manifest = readManifest(backup.dir);
    expect(manifest.repos.map((repo) => repo.path)).toEqual(['.', 'openstack-ansible']);
    const top = manifest.repos[0];
    expect(top?.localCommitsBundle?.file).toBe('top/local-commits.bundle');
    expect(top?.stashBundle?.file).toBe('top/stash.bundle');
    expect(top?.stagedPatch?.file).toBe('top/staged.patch');
    expect(top?.unstagedPatch?.file).toBe('top/unstaged.patch');
    expect(top?.untrackedArchive?.file).toBe('top/untracked.tar');
    expect(manifest.repos[1]?.unstagedPatch?.file).toBe('submodules/openstack-ansible/unstaged.patch');

    // Lose what a reset leaves alone too, so the restore has to come from the bundles.
    await lab.sb.git(lab.work, ['stash', 'clear']);
    await lab.sb.git(lab.work, ['branch', '-D', 'main']);

    const restored = await restoreBackup({ repoDir: lab.work, backup: backup.dir, gitEnv: lab.sb.env });
    expect(restored.repos.map((repo) => repo.path)).toEqual(['.', 'openstack-ansible']);
    expect(snapshotTree(lab.work)).toEqual(treeBefore);
    expect(await gitState(lab)).toEqual(stateBefore);
  });

  it('only verifies a checkout that is already prepared: nothing fetched, nothing backed up', async () => {
    const lab = await makeLab();
    const options = {
      repoDir: lab.work,
      backupDir: lab.backupDir,
      gitEnv: lab.sb.env,
      retry: FAST,
      expected: { commit: lab.newton.commit, submodules: lab.newton.submodules },
    };
    expect((await prepareCheckout(options)).changed).toBe(true);
    renameSync(lab.rpcBare, `${lab.rpcBare}.gone`);

    const again = await prepareCheckout(options);

    expect(again.changed).toBe(false);
    expect(again.backup).toBeNull();
    expect(again.retries).toEqual([]);
    expect(again.after).toEqual([
      { path: '.', head: lab.newton.commit },
      { path: 'openstack-ansible', head: lab.newton.osa },
    ]);
  });

  it('refuses a wrong expected SHA naming both SHAs, and leaves the working tree as it was', async () => {
    const lab = await makeLab();
    await makeDirty(lab);
    const treeBefore = snapshotTree(lab.work);
    const stateBefore = await gitState(lab);
    const wrong = 'e14f004f8a445bb8915791edc1197548d1c6f604';

    const error = await prepareCheckout({
      repoDir: lab.work,
      backupDir: lab.backupDir,
      gitEnv: lab.sb.env,
      retry: FAST,
      expected: { commit: lab.newton.commit, submodules: { 'openstack-ansible': wrong } },
    }).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(GitPrepError);
    expect(error).toMatchObject({ code: 'LEAP_GIT_SHA_MISMATCH', file: lab.work });
    expect((error as GitPrepError).message).toContain(lab.newton.osa);
    expect((error as GitPrepError).message).toContain(wrong);
    expect((error as GitPrepError).hint).toMatch(/tag page/);
    expect(snapshotTree(lab.work)).toEqual(treeBefore);
    expect(await gitState(lab)).toEqual(stateBefore);
    expect(existsSync(lab.backupDir) ? readdirSync(lab.backupDir) : []).toEqual([]);
  });

  it('checks the real r14.1.0 SHAs by default, so a lab tag with other SHAs is refused', async () => {
    const lab = await makeLab();
    const error = await prepareCheckout({
      repoDir: lab.work,
      backupDir: lab.backupDir,
      gitEnv: lab.sb.env,
      retry: FAST,
    }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'LEAP_GIT_SHA_MISMATCH' });
    expect((error as Error).message).toContain('e14f004f8a445bb8915791edc1197548d1c6f604');
    expect((error as Error).message).toContain('5487c34cd7b201046162ad15879099927a88a6fb');
    expect((error as Error).message).toContain(lab.newton.commit);
    expect(await lab.sb.git(lab.work, ['rev-parse', 'HEAD'])).toBe(lab.kilo.commit);
  });

  it('writes no backup when nothing would be lost', async () => {
    const lab = await makeLab();
    const report = await prepareCheckout({
      repoDir: lab.work,
      backupDir: lab.backupDir,
      gitEnv: lab.sb.env,
      retry: FAST,
      expected: null,
    });
    expect(report.backup).toBeNull();
    expect(report.after[0]?.head).toBe(lab.newton.commit);
    expect(existsSync(lab.backupDir)).toBe(false);
  });
});
