import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, userInfo } from 'node:os';
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';

/** The run lock as @leap/markers writes it: a folder refreshed while held, and the owner's sidecar. */
export function writeRunLock(markerDir: string, owner: { pid: number; command: string }, refreshedAt: Date): void {
  mkdirSync(join(markerDir, 'leap.lock'), { recursive: true });
  writeFileSync(
    join(markerDir, 'leap.lock.json'),
    `${JSON.stringify(
      {
        pid: owner.pid,
        host: hostname(),
        user: userInfo().username,
        command: owner.command,
        startedAt: refreshedAt.toISOString(),
      },
      null,
      2,
    )}\n`,
  );
  utimesSync(join(markerDir, 'leap.lock'), refreshedAt, refreshedAt);
}

/** A live process to hold a lock (a leap that is running elsewhere on this host). */
export function liveProcess(): ResultPromise {
  return execa('sleep', ['600'], { reject: false });
}

/** The pid of a process that has ended (a leap that was killed). */
export async function deadPid(): Promise<number> {
  const child = execa('true', [], { reject: false });
  const pid = child.pid!;
  await child;
  return pid;
}
