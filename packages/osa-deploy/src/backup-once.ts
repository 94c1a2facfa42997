import { stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { copyFileAtomic } from '@leap/contract';

/** Copies `file` into `backupDir` under `<name>.<tag>` once: an existing backup (from an earlier run) is kept. */
export async function backupOnce(file: string, backupDir: string, tag: string): Promise<string> {
  const target = join(backupDir, `${basename(file)}.${tag}`);
  const exists = await stat(target).then(
    () => true,
    () => false,
  );
  // Copied atomically: a crash mid-copy leaves no partial backup that a later run would keep as the original.
  if (!exists) await copyFileAtomic(file, target);
  return target;
}
