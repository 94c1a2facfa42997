import { randomUUID } from 'node:crypto';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { startWatchdog } from '../src/supervised-process.js';
import { processesWithEnv } from './helpers.js';

async function until(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  for (const started = Date.now(); Date.now() - started < timeoutMs; ) {
    if (condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return condition();
}

/** A process group as runSupervised starts it: detached, so it has a session of its own. */
function group(argv: string[], mark: string) {
  const child = execa(argv[0]!, argv.slice(1), { detached: true, reject: false, env: { LEAP_TEST_MARK: mark } });
  return { child, pid: child.pid! };
}

describe('the watchdog of a supervised process group', () => {
  it('stops the group when leap dies without a goodbye (SIGKILL, a lost SSH session)', async () => {
    const mark = randomUUID();
    const { child, pid } = group(['sleep', '311'], mark);
    expect(await until(() => processesWithEnv('LEAP_TEST_MARK', mark).length === 1, 5_000)).toBe(true);
    startWatchdog(pid, 5_000).abandon();
    expect(await until(() => processesWithEnv('LEAP_TEST_MARK', mark).length === 0, 10_000)).toBe(true);
    expect((await child).signal).toBe('SIGINT');
  });

  it('kills the group after the grace delay when it ignores SIGINT', async () => {
    const mark = randomUUID();
    const { child, pid } = group(
      [
        'python3',
        '-c',
        'import signal, time; signal.signal(signal.SIGINT, signal.SIG_IGN); print("ready", flush=True); time.sleep(311)',
      ],
      mark,
    );
    await new Promise<void>((resolve) => child.stdout?.on('data', () => resolve()));
    const started = Date.now();
    startWatchdog(pid, 1_000).abandon();
    expect(await until(() => processesWithEnv('LEAP_TEST_MARK', mark).length === 0, 10_000)).toBe(true);
    expect((await child).signal).toBe('SIGKILL');
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('leaves the group alone once dismissed', async () => {
    const mark = randomUUID();
    const { child, pid } = group(['sleep', '311'], mark);
    expect(await until(() => processesWithEnv('LEAP_TEST_MARK', mark).length === 1, 5_000)).toBe(true);
    startWatchdog(pid, 1_000).dismiss();
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(processesWithEnv('LEAP_TEST_MARK', mark)).toHaveLength(1);
    process.kill(-pid, 'SIGKILL');
    await child;
  });
});
