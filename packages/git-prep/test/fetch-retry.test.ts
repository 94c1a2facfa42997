import { describe, expect, it } from 'vitest';
import { GitPrepError, prepareCheckout, type PrepareProgress } from '../src/index.js';
import { flakyUploadPack, makeDirty, makeLab, snapshotTree } from './lab.js';

describe('fetch with retry', { timeout: 180_000 }, () => {
  it('retries a remote that rate-limits twice, with backoff, then ends on the target', async () => {
    const lab = await makeLab();
    const flaky = flakyUploadPack(lab, 2);
    await lab.sb.git(lab.work, ['config', 'remote.origin.uploadpack', flaky.script]);
    const events: PrepareProgress[] = [];

    const report = await prepareCheckout({
      repoDir: lab.work,
      backupDir: lab.backupDir,
      gitEnv: lab.sb.env,
      expected: null,
      retry: { attempts: 5, minDelayMs: 20, maxDelayMs: 100, maxTotalMs: 30_000 },
      onProgress: (event) => events.push(event),
    });

    expect(flaky.calls()).toBe(3);
    expect(report.retries).toEqual([
      expect.objectContaining({
        operation: 'fetch origin',
        attempt: 1,
        transient: true,
        message: expect.stringMatching(/rate limit/),
      }),
      expect.objectContaining({ operation: 'fetch origin', attempt: 2, transient: true }),
    ]);
    expect(events.filter((event) => /retrying with backoff/.test(event.message))).toHaveLength(2);
    expect(report.after[0]?.head).toBe(lab.newton.commit);
  });

  it('gives up after the configured number of attempts on a remote that keeps rate-limiting, changing nothing', async () => {
    const lab = await makeLab();
    await makeDirty(lab);
    const before = snapshotTree(lab.work);
    const flaky = flakyUploadPack(
      lab,
      1000,
      'error: RPC failed; HTTP 429 curl 22 The requested URL returned error: 429',
    );
    await lab.sb.git(lab.work, ['config', 'remote.origin.uploadpack', flaky.script]);

    const error = await prepareCheckout({
      repoDir: lab.work,
      backupDir: lab.backupDir,
      gitEnv: lab.sb.env,
      expected: null,
      retry: { attempts: 3, minDelayMs: 5, maxDelayMs: 10, maxTotalMs: 60_000 },
    }).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(GitPrepError);
    expect(error).toMatchObject({ code: 'LEAP_GIT_NETWORK_GAVE_UP', file: lab.work });
    expect((error as GitPrepError).message).toMatch(/after 3 attempt\(s\).*429/);
    expect((error as GitPrepError).hint).toMatch(/re-run/);
    expect(flaky.calls()).toBe(3);
    expect(snapshotTree(lab.work)).toEqual(before);
  });

  it('stops retrying once the total time bound is spent, before the attempts run out', async () => {
    const lab = await makeLab();
    const flaky = flakyUploadPack(lab, 1000);
    await lab.sb.git(lab.work, ['config', 'remote.origin.uploadpack', flaky.script]);

    const error = await prepareCheckout({
      repoDir: lab.work,
      backupDir: lab.backupDir,
      gitEnv: lab.sb.env,
      expected: null,
      retry: { attempts: 1000, minDelayMs: 100, maxDelayMs: 200, maxTotalMs: 500 },
    }).catch((caught: unknown) => caught);

    expect(error).toMatchObject({ code: 'LEAP_GIT_NETWORK_GAVE_UP' });
    expect(flaky.calls()).toBeGreaterThanOrEqual(1);
    expect(flaky.calls()).toBeLessThan(1000);
  });

  it('fails at once, without retrying, when the repository does not exist', async () => {
    const lab = await makeLab();
    await lab.sb.git(lab.work, ['remote', 'set-url', 'origin', `${lab.rpcBare}-missing`]);

    const error = await prepareCheckout({
      repoDir: lab.work,
      backupDir: lab.backupDir,
      gitEnv: lab.sb.env,
      expected: null,
      retry: { attempts: 5, minDelayMs: 5, maxDelayMs: 10 },
    }).catch((caught: unknown) => caught);

    expect(error).toMatchObject({ code: 'LEAP_GIT_NETWORK_FAILED' });
    expect((error as GitPrepError).message).toMatch(/does not appear to be a git repository/);
    expect((error as GitPrepError).hint).toMatch(/remote URL/);
    expect(await lab.sb.git(lab.work, ['rev-parse', 'HEAD'])).toBe(lab.kilo.commit);
  });

  it('passes the variables of gitEnv to git: a GIT_CONFIG_* override reaches the fetch', async () => {
    const lab = await makeLab();
    const flaky = flakyUploadPack(lab, 1);
    const report = await prepareCheckout({
      repoDir: lab.work,
      backupDir: lab.backupDir,
      expected: null,
      gitEnv: {
        ...lab.sb.env,
        GIT_CONFIG_COUNT: '1',
        GIT_CONFIG_KEY_0: 'remote.origin.uploadpack',
        GIT_CONFIG_VALUE_0: flaky.script,
      },
      retry: { attempts: 3, minDelayMs: 5, maxDelayMs: 10 },
    });
    // the environment reaches every git command: the failing top-level fetch, its retry and the submodule's fetch
    expect(flaky.calls()).toBe(3);
    expect(report.retries).toEqual([expect.objectContaining({ operation: 'fetch origin', transient: true })]);
  });
});
