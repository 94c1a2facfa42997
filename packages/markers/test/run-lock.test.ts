import { existsSync, readFileSync, rmSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '@leap/test-fixtures';
import type { MarkersError } from '../src/index.js';
import { acquireRunLock, forceUnlock, readRunLock } from '../src/index.js';
import { killHard, startChild } from './child.js';

async function refusal(promise: Promise<unknown>): Promise<MarkersError> {
  try {
    await promise;
  } catch (error) {
    return error as MarkersError;
  }
  throw new Error('expected a refusal');
}

describe('run lock', () => {
  it('records the owner in a sidecar and frees the folder on release', async () => {
    const dir = tempDir();
    const lock = await acquireRunLock(dir, { command: 'leap run' });
    const sidecar = JSON.parse(readFileSync(join(dir, 'leap.lock.json'), 'utf8')) as Record<string, unknown>;
    expect(sidecar).toMatchObject({ pid: process.pid, host: hostname(), command: 'leap run' });
    expect(await readRunLock(dir)).toMatchObject({ state: 'held', alive: true, owner: { pid: process.pid } });
    await lock.release();
    expect(await readRunLock(dir)).toEqual({ state: 'free' });
    expect(existsSync(join(dir, 'leap.lock.json'))).toBe(false);
  });

  it('refuses a second run while another process holds the lock, naming the owner', async () => {
    const dir = tempDir();
    const holder = startChild('hold-lock.mjs', [dir]);
    await holder.waitForLine(/^locked /);
    const error = await refusal(acquireRunLock(dir, { command: 'leap run' }));
    expect(error.code).toBe('LEAP_LOCK_HELD');
    expect(error.message).toContain(`pid ${holder.pid} on ${hostname()}`);
    expect(error.message).toContain('command "leap run --from kilo (test)"');
    expect(error.hint).toMatch(/wait for it to finish/);
    // Not even force-unlock takes the lock of a live process.
    expect((await refusal(acquireRunLock(dir, { forceUnlock: true }))).code).toBe('LEAP_LOCK_HELD');
    expect((await refusal(forceUnlock(dir))).code).toBe('LEAP_LOCK_HELD');
  });

  it('refuses a second run in the same process too', async () => {
    const dir = tempDir();
    const lock = await acquireRunLock(dir);
    expect((await refusal(acquireRunLock(dir))).code).toBe('LEAP_LOCK_HELD');
    await lock.release();
  });

  it('reports the lock of a SIGKILLed run as stale and leaves it in place without forceUnlock', async () => {
    const dir = tempDir();
    const holder = startChild('hold-lock.mjs', [dir]);
    await holder.waitForLine(/^locked /);
    await killHard(holder);

    const error = await refusal(acquireRunLock(dir));
    expect(error.code).toBe('LEAP_LOCK_STALE');
    expect(error.message).toContain(`pid ${holder.pid}`);
    expect(error.message).toContain('leap run --from kilo (test)');
    expect(error.hint).toContain('--force-unlock');
    expect(error.file).toBe(join(dir, 'leap.lock.json'));
    // Reported, not taken: the dead owner's records are still there.
    expect(await readRunLock(dir)).toMatchObject({ state: 'held', alive: false, owner: { pid: holder.pid } });

    const lock = await acquireRunLock(dir, { forceUnlock: true, command: 'leap run --force-unlock' });
    expect(lock.tookOverFrom).toMatchObject({ pid: holder.pid });
    expect(await readRunLock(dir)).toMatchObject({ state: 'held', alive: true, owner: { pid: process.pid } });
    await lock.release();
  });

  it.each(['exit-on-sigint', 'exit-while-releasing'])(
    'leaves no lock when its holder exits at once (a second Ctrl-C, %s), so the next run needs no --force-unlock',
    async (mode) => {
      const dir = tempDir();
      const holder = startChild('hold-lock.mjs', [dir, mode]);
      await holder.waitForLine(/^locked /);
      holder.process.kill('SIGINT');
      expect((await holder.exited).code).toBe(130);
      expect(existsSync(join(dir, 'leap.lock'))).toBe(false);
      expect(existsSync(join(dir, 'leap.lock.json'))).toBe(false);
      expect(await readRunLock(dir)).toMatchObject({ state: 'free' });
    },
  );

  it("forceUnlock removes a dead run's lock and returns its owner", async () => {
    const dir = tempDir();
    const holder = startChild('hold-lock.mjs', [dir]);
    await holder.waitForLine(/^locked /);
    await killHard(holder);
    expect(await forceUnlock(dir)).toMatchObject({ pid: holder.pid });
    expect(await readRunLock(dir)).toEqual({ state: 'free' });
    expect(await forceUnlock(dir)).toBeUndefined();
  });

  it("aborts the holder's signal when its lock is removed from under it", async () => {
    const dir = tempDir();
    const lock = await acquireRunLock(dir, { staleMs: 2000 });
    rmSync(join(dir, 'leap.lock'), { recursive: true });
    await new Promise<void>((resolve) => lock.signal.addEventListener('abort', () => resolve(), { once: true }));
    expect((lock.signal.reason as MarkersError).code).toBe('LEAP_LOCK_COMPROMISED');
    // Someone else took the lock meanwhile: releasing ours must not remove their records.
    const next = await acquireRunLock(dir, { forceUnlock: true, command: 'the new owner' });
    await lock.release();
    expect(await readRunLock(dir)).toMatchObject({ state: 'held', owner: { command: 'the new owner' } });
    await next.release();
  });
});
