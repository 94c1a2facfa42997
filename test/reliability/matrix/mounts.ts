import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa, execaSync } from 'execa';

let probed: { reason: string | undefined } | undefined;

/** Why a small tmpfs cannot be mounted here (not root, or the kernel or container refuses); undefined if it can. */
export function tmpfsUnavailable(): string | undefined {
  if (probed !== undefined) return probed.reason;
  if (process.getuid?.() !== 0) return (probed = { reason: 'not root, so no tmpfs can be mounted' }).reason;
  const dir = mkdtempSync(join(tmpdir(), 'leap-reliability-mount-'));
  try {
    const mounted = execaSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', dir], { reject: false });
    if (mounted.exitCode !== 0)
      return (probed = { reason: `mount -t tmpfs fails here: ${String(mounted.stderr).trim()}` }).reason;
    execaSync('umount', [dir], { reject: false });
    return (probed = { reason: undefined }).reason;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function mountTmpfs(dir: string, options: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  await execa('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir]);
}

export async function unmount(dir: string): Promise<void> {
  await execa('umount', [dir], { reject: false });
}
