import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { requireFile } from './packages.js';

/**
 * rsync SST as root fails: the rsync daemon that wsrep_sst_rsync starts drops to `nobody`, which cannot
 * write a root-owned datadir. This writes a copy that keeps the daemon as the current user, under its own
 * method name (`rsync_root`), and returns the folder to put first on mariadbd's PATH.
 */
export function writeRootRsyncSst(binDir: string): { method: string; binDir: string } {
  const original = requireFile('/usr/bin/wsrep_sst_rsync', 'mariadb-server');
  requireFile('/usr/bin/wsrep_sst_common', 'mariadb-server');
  const uid = process.getuid?.() ?? 0;
  const gid = process.getgid?.() ?? 0;
  const script = readFileSync(original, 'utf8')
    .replace('. $(dirname "$0")/wsrep_sst_common', '. /usr/bin/wsrep_sst_common')
    .replace('use chroot = no\n', `use chroot = no\nuid = ${uid}\ngid = ${gid}\n`);
  if (!script.includes(`uid = ${uid}`)) throw new Error(`${original} changed shape; cannot make a root-capable copy`);
  mkdirSync(binDir, { recursive: true });
  const target = join(binDir, 'wsrep_sst_rsync_root');
  writeFileSync(target, script);
  chmodSync(target, 0o755);
  return { method: 'rsync_root', binDir };
}
