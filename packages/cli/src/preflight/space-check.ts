import { statfs } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { CheckResult } from './types.js';

/** Free space where the backups will go; `neededBytes` comes from the databases' size when known. */
export async function checkFreeSpace(dir: string, neededBytes: number): Promise<CheckResult> {
  const base = { id: 'backup-space', title: `room for the backups in ${dir}` };
  let probe = dir;
  for (;;) {
    try {
      const stats = await statfs(probe);
      const free = stats.bavail * stats.bsize;
      const gib = (n: number) => `${(n / 2 ** 30).toFixed(1)} GiB`;
      if (free < neededBytes) {
        return {
          ...base,
          status: 'failed',
          message: `${gib(free)} free in ${probe}, ${gib(neededBytes)} needed`,
          hint: 'free some space or point backupDir (--backup-dir) at a larger file system',
        };
      }
      return { ...base, status: 'ok', message: `${gib(free)} free, ${gib(neededBytes)} needed` };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || probe === dirname(probe)) throw error;
      probe = dirname(probe);
    }
  }
}
