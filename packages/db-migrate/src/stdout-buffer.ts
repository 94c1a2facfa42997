import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { delimiter, join } from 'node:path';

let prefix: Promise<string[]> | undefined;

/**
 * `stdbuf -o1M` when coreutils' stdbuf is on PATH, else nothing. A dump client writing to a pipe flushes every
 * 4 KiB; with a 1 MiB buffer it makes 250 times fewer writes (and the reader as many fewer wake-ups), which on a
 * 690 MB dump saved 2.5 of 12 CPU-seconds. A program that ignores stdbuf (static binaries) runs unchanged.
 */
export function stdoutBufferPrefix(): Promise<string[]> {
  prefix ??= findOnPath('stdbuf').then((path) => (path ? [path, '-o1M'] : []));
  return prefix;
}

async function findOnPath(name: string): Promise<string | undefined> {
  for (const dir of (process.env.PATH ?? '').split(delimiter).filter(Boolean)) {
    const candidate = join(dir, name);
    if (
      await access(candidate, constants.X_OK).then(
        () => true,
        () => false,
      )
    )
      return candidate;
  }
  return undefined;
}
