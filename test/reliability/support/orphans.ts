import { setTimeout as sleep } from 'node:timers/promises';
import { processesMentioning } from '@leap/test-fixtures';

/**
 * Waits until no process mentions the lab's folder (its database aside) and returns how long that took: after a
 * SIGKILL of leap's process group, ansible-playbook (which leap runs in a session of its own) outlives it until
 * it next writes to its closed output.
 */
export async function waitForNoLabProcess(
  labDir: string,
  timeoutMs: number,
): Promise<{ waitedMs: number; seen: string[] }> {
  const started = Date.now();
  const seen = new Set<string>();
  for (;;) {
    const left = processesMentioning(labDir);
    if (left.length === 0) return { waitedMs: Date.now() - started, seen: [...seen] };
    for (const line of left) seen.add(line.replace(/^\d+: /, '').slice(0, 160));
    if (Date.now() - started > timeoutMs) {
      throw new Error(`processes of the lab still run ${timeoutMs} ms after the kill:\n${left.join('\n')}`);
    }
    await sleep(200);
  }
}
