import { randomBytes } from 'node:crypto';
import { copyFile, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Removes the temp files a killed write of `file` left beside it (another process's pid in the name; the run lock
 * keeps a second leap from writing at the same time).
 */
export async function removeStaleTemps(file: string): Promise<void> {
  const prefix = `.leap-tmp-${basename(file)}.`;
  const names = await readdir(dirname(file)).catch(() => [] as string[]);
  await Promise.all(names.filter((n) => n.startsWith(prefix) && !n.startsWith(`${prefix}${process.pid}.`)).map((n) => rm(join(dirname(file), n), { force: true })));
}

/** Replaces `file` so that a crash at any instant leaves either the old or the whole new content. */
export async function writeFileAtomic(file: string, data: string): Promise<void> {
  const folder = dirname(file);
  await removeStaleTemps(file);
  const temp = join(folder, `.leap-tmp-${basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}`);
  const mode = await stat(file).then((info) => info.mode & 0o7777, () => 0o644);
  const handle = await open(temp, 'wx', mode);
  try {
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  const dir = await open(folder, 'r');
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
}

/** Copies `file` into `backupDir` under `<name>.<tag>` once: an existing backup (from an earlier run) is kept. */
export async function backupOnce(file: string, backupDir: string, tag: string): Promise<string> {
  const target = join(backupDir, `${basename(file)}.${tag}`);
  const exists = await stat(target).then(() => true, () => false);
  if (exists) return target;
  // Renamed into place: a crash mid-copy leaves no partial backup that a later run would keep as the original.
  const temp = `${target}.leap-tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await copyFile(file, temp);
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  return target;
}
