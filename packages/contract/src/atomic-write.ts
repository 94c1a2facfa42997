import { randomBytes } from 'node:crypto';
import { copyFile, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Every temp file leap writes starts with this, so a reader of a folder can tell temps from real files. */
export const TEMP_PREFIX = '.leap-tmp-';

/** `.leap-tmp-<name>.<pid>.<random>` beside `file`: the writer's pid tells a live write from a killed one. */
export function tempPathFor(file: string): string {
  return join(dirname(file), `${TEMP_PREFIX}${basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}`);
}

/** Whether a process with this pid runs (on this machine), whoever owns it. */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the temp files that killed writes of `file` left beside it. A temp file is stale when the process
 * named in it is gone; one of a live process (this one included) is a write in progress and is left alone.
 * Returns the names removed.
 */
export async function removeStaleTemps(file: string): Promise<string[]> {
  const prefix = `${TEMP_PREFIX}${basename(file)}.`;
  const names = await readdir(dirname(file)).catch(() => [] as string[]);
  const stale = names.filter((name) => {
    if (!name.startsWith(prefix)) return false;
    const pid = Number(name.slice(prefix.length).split('.')[0]);
    return !Number.isInteger(pid) || pid <= 0 || !isProcessAlive(pid);
  });
  await Promise.all(stale.map((name) => rm(join(dirname(file), name), { force: true })));
  return stale;
}

/** Makes a rename or a new entry in `folder` durable. */
export async function fsyncFolder(folder: string): Promise<void> {
  const handle = await open(folder, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export interface WriteFileAtomicOptions {
  /** The new file's mode. Default: the mode of the file it replaces, or 0o644 for a new file. */
  mode?: number;
}

/**
 * Replaces `file` so that a reader, or a crash at any instant, sees either the old content or the whole new
 * content: the stale temps of earlier killed writes are removed, then a temp file in the same folder is
 * written, fsynced and renamed over `file`, and the folder is fsynced.
 */
export async function writeFileAtomic(
  file: string,
  data: string | Uint8Array,
  options: WriteFileAtomicOptions = {},
): Promise<void> {
  const folder = dirname(file);
  await removeStaleTemps(file);
  const mode =
    options.mode ??
    (await stat(file).then(
      (info) => info.mode & 0o7777,
      () => 0o644,
    ));
  const temp = tempPathFor(file);
  const handle = await open(temp, 'wx', mode);
  try {
    try {
      await handle.writeFile(data);
      // open() applies the umask; the mode asked for (or kept) must survive it.
      await handle.chmod(mode);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  await fsyncFolder(folder);
}

/**
 * Copies `source` to `target` the same way: a crash leaves either no `target` or the whole copy, never a
 * partial file under the target's name (which a later run would take for a complete backup).
 */
export async function copyFileAtomic(source: string, target: string): Promise<void> {
  await removeStaleTemps(target);
  const temp = tempPathFor(target);
  try {
    await copyFile(source, temp);
    const handle = await open(temp, 'r+');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  await fsyncFolder(dirname(target));
}
