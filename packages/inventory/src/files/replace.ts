import { copyFile, link, mkdir, readFile, rm, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative } from 'node:path';
import { copyFileAtomic, removeStaleTemps, tempPathFor, writeFileAtomic } from '@leap/contract';
import { InventoryError } from '../errors.js';

export interface ReplaceOptions {
  /** Folder that receives a copy of the file before its first change. */
  backupDir: string;
  /** Backups keep the path relative to this folder (default: the file's own folder). */
  root?: string;
}

/** Where the backup of `file` goes inside `backupDir`. */
export function backupPathFor(file: string, { backupDir, root }: ReplaceOptions): string {
  const rel = root === undefined ? basename(file) : relative(root, file);
  return join(backupDir, rel.startsWith('..') || isAbsolute(rel) ? basename(file) : rel);
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/**
 * Copies `file` into the backup folder unless a backup is already there: the first backup holds the file as it
 * was before leap touched it, which a re-run after a crash must not replace with a half-migrated copy.
 */
export async function backupFile(file: string, options: ReplaceOptions): Promise<string | undefined> {
  if (!(await exists(file))) return undefined;
  const target = backupPathFor(file, options);
  if (await exists(target)) return target;
  // Atomically: a crash mid-copy must not leave a partial copy under the backup's name, which every later run
  // would keep as "the file before leap touched it".
  try {
    await mkdir(dirname(target), { recursive: true, mode: 0o700 });
    await copyFileAtomic(file, target);
  } catch (cause) {
    throw new InventoryError('LEAP_BACKUP_FAILED', `could not back up ${file} to ${target}`, {
      file,
      cause,
      hint: 'check that the backup folder is writable and has room, then re-run the step',
    });
  }
  return target;
}

/**
 * Replaces `file` with `content`: backup first, then an atomic rename, keeping the file's mode.
 * Returns false (and touches nothing) when the content is already there, which keeps every step idempotent.
 */
export async function replaceFile(
  file: string,
  content: string | Buffer,
  options: ReplaceOptions & { mode?: number },
): Promise<boolean> {
  const next = typeof content === 'string' ? Buffer.from(content) : content;
  let mode = options.mode;
  if (await exists(file)) {
    const current = await readFile(file);
    if (current.equals(next)) return false;
    mode ??= (await stat(file)).mode & 0o7777;
    await backupFile(file, options);
  }
  try {
    await mkdir(dirname(file), { recursive: true });
    await writeFileAtomic(file, next, mode === undefined ? {} : { mode });
  } catch (cause) {
    throw new InventoryError('LEAP_WRITE_FAILED', `could not write ${file}`, {
      file,
      cause,
      hint: 'check the permissions and free space of the folder, then re-run the step',
    });
  }
  return true;
}

/**
 * Keeps a copy of `file` as `<dir>/<name>-<stamp>.json` (a step's "before" snapshot), never over an earlier one:
 * steps within the same second get `-2`, `-3`... A temp file is linked into place, so a crash leaves no partial
 * snapshot under a snapshot's name.
 */
export async function keepSnapshot(file: string, dir: string, name: string, stamp: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  await removeStaleTemps(join(dir, name));
  const temp = tempPathFor(join(dir, name));
  await copyFile(file, temp);
  try {
    for (let n = 1; ; n += 1) {
      const target = join(dir, `${name}-${stamp}${n === 1 ? '' : `-${n}`}.json`);
      try {
        await link(temp, target);
        return target;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
    }
  } finally {
    await rm(temp, { force: true });
  }
}
