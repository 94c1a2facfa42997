import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '@leap/test-fixtures';
import { describe, expect, it } from 'vitest';
import { GitPrepError, prepareCheckout } from '../src/index.js';
import { makeDirty, makeLab, snapshotTree, type Lab } from './lab.js';

const FAST = { attempts: 2, minDelayMs: 5, maxDelayMs: 10 };

async function refused(lab: Lab, overrides: Record<string, unknown> = {}): Promise<GitPrepError> {
  const error = await prepareCheckout({
    repoDir: lab.work,
    backupDir: lab.backupDir,
    gitEnv: lab.sb.env,
    retry: FAST,
    expected: null,
    ...overrides,
  }).catch((caught: unknown) => caught);
  if (!(error instanceof GitPrepError)) throw new Error(`expected a GitPrepError, got ${String(error)}`);
  return error;
}

describe('bad input gets a clear error and changes nothing', { timeout: 180_000 }, () => {
  it('refuses a folder that is not a git repository, and one inside a repository', async () => {
    const lab = await makeLab();
    const plain = tempDir('leap-not-a-repo-');
    expect(await refused(lab, { repoDir: plain })).toMatchObject({ code: 'LEAP_GIT_NOT_A_REPO', file: plain });
    const inner = join(lab.work, 'rpcd');
    const error = await refused(lab, { repoDir: inner });
    expect(error).toMatchObject({ code: 'LEAP_GIT_NOT_A_REPO' });
    expect(error.hint).toContain(lab.work);
    expect(await refused(lab, { repoDir: join(lab.root, 'missing') })).toMatchObject({ code: 'LEAP_GIT_NOT_A_REPO' });
  });

  it('refuses a missing target tag, listing the nearest tags, and leaves the dirty tree as it was', async () => {
    const lab = await makeLab();
    await makeDirty(lab);
    const before = snapshotTree(lab.work);
    const error = await refused(lab, { target: 'r14.1.1' });
    expect(error.code).toBe('LEAP_GIT_TAG_MISSING');
    expect(error.message).toMatch(/r14\.1\.1 does not exist .* nearest tags: r14\.1\.0, r14\.0\.0, r11\.1\.18/);
    expect(error.file).toBe(lab.work);
    expect(snapshotTree(lab.work)).toEqual(before);
    expect(readdirSync(lab.backupDir)).toEqual([]);
  });

  it('refuses a submodule that is not initialised', async () => {
    const lab = await makeLab();
    await lab.sb.git(lab.work, ['submodule', 'deinit', '-q', '-f', 'openstack-ansible']);
    const error = await refused(lab);
    expect(error.code).toBe('LEAP_GIT_SUBMODULE_UNINITIALISED');
    expect(error.message).toContain('openstack-ansible');
    expect(error.hint).toContain('submodule update --init');
    expect(await lab.sb.git(lab.work, ['rev-parse', 'HEAD'])).toBe(lab.kilo.commit);
  });

  it('refuses a repository in the middle of a merge', async () => {
    const lab = await makeLab();
    const { sb, work } = lab;
    await sb.git(work, ['checkout', '-q', '-b', 'other']);
    writeFileSync(join(work, 'README.md'), 'theirs\n');
    await sb.git(work, ['commit', '-q', '-am', 'theirs']);
    await sb.git(work, ['checkout', '-q', 'main']);
    writeFileSync(join(work, 'README.md'), 'ours\n');
    await sb.git(work, ['commit', '-q', '-am', 'ours']);
    await sb.git(work, ['merge', '-q', 'other']).catch(() => undefined);
    const before = snapshotTree(work);
    const error = await refused(lab);
    expect(error.code).toBe('LEAP_GIT_OPERATION_IN_PROGRESS');
    expect(error.message).toContain('merge');
    expect(error.hint).toContain('merge --abort');
    expect(snapshotTree(work)).toEqual(before);
  });

  it("refuses a lock file left in the submodule's git folder, naming it", async () => {
    const lab = await makeLab();
    const lock = join(lab.work, '.git', 'modules', 'openstack-ansible', 'index.lock');
    writeFileSync(lock, '');
    const error = await refused(lab);
    expect(error).toMatchObject({ code: 'LEAP_GIT_LOCKED', file: lock });
    expect(error.message).toContain('openstack-ansible');
    expect(error.hint).toContain(lock);
  });

  it('refuses a backup folder that cannot be written before touching the dirty tree', async () => {
    const lab = await makeLab();
    await makeDirty(lab);
    const before = snapshotTree(lab.work);
    const blocker = join(lab.root, 'not-a-folder');
    writeFileSync(blocker, 'a file where the backup folder should be');
    const error = await refused(lab, { backupDir: join(blocker, 'backups') });
    expect(error).toMatchObject({ code: 'LEAP_GIT_BACKUP_DIR_UNWRITABLE', file: join(blocker, 'backups') });
    expect(snapshotTree(lab.work)).toEqual(before);
  });

  it('refuses to restore over uncommitted changes', async () => {
    const lab = await makeLab();
    await makeDirty(lab);
    const report = await prepareCheckout({
      repoDir: lab.work,
      backupDir: lab.backupDir,
      gitEnv: lab.sb.env,
      retry: FAST,
      expected: null,
    });
    writeFileSync(join(lab.work, 'README.md'), 'new work after the leap\n');
    mkdirSync(join(lab.work, 'more'), { recursive: true });
    const { restoreBackup } = await import('../src/index.js');
    const error = await restoreBackup({
      repoDir: lab.work,
      backup: report.backup?.dir ?? '',
      gitEnv: lab.sb.env,
    }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'LEAP_GIT_RESTORE_DIRTY', file: lab.work });
    expect(await lab.sb.git(lab.work, ['rev-parse', 'HEAD'])).toBe(lab.newton.commit);
  });
});
