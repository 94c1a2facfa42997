import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, join, posix } from 'node:path';
import { describeExit, type Exec } from '@leap/contract';
import { DbMigrateError } from '../errors.js';
import { relocateVenv } from './relocate.js';

export interface HostTarballOptions {
  /** The checked tarball as obtained (its venv built at any path). */
  tarball: string;
  sha256: string;
  /** Where the venv lives on the hosts, e.g. /opt/openstack-ansible-liberty-eol. */
  dest: string;
  /** A folder on the deploy host for the unpacked copy and the result. */
  workDir: string;
  /** Runs tar on the deploy host. */
  exec: Exec;
  signal?: AbortSignal;
}

export interface HostTarball {
  /** A tarball of one folder named like `dest`'s last part, relocated to `dest`, holding the stamp file. */
  file: string;
  /** The content of `<dest>/leap-venv.txt`: which tarball and which path; a host holding it needs no push. */
  stamp: string;
  /** False when an earlier run's result was reused (then `from` and `rewritten` are not known). */
  built: boolean;
  from?: string;
  rewritten?: number;
}

export const VENV_STAMP_FILE = 'leap-venv.txt';

/** The stamp a venv pushed by leap carries: the source tarball's sha256 and the path it was relocated to. */
export function venvStamp(sha256: string, dest: string): string {
  return `leap-venv sha256=${sha256.toLowerCase()} path=${dest}\n`;
}

/**
 * Unpacks the tarball on the deploy host, relocates the venv to `dest` (so the hosts need neither virtualenv-tools
 * nor git), writes the stamp and packs it again. Reused while it exists: its name holds the sha256 and `dest`.
 */
export async function hostVenvTarball(options: HostTarballOptions): Promise<HostTarball> {
  const name = posix.basename(options.dest);
  const stamp = venvStamp(options.sha256, options.dest);
  const key = createHash('sha256').update(stamp).digest('hex').slice(0, 16);
  const file = join(options.workDir, `${name}.${key}.relocated.tgz`);
  const staging = join(options.workDir, `${name}.${key}.unpacked`);
  if (existsSync(file)) return { file, stamp, built: false };
  await rm(staging, { recursive: true, force: true });
  try {
    await mkdir(join(staging, 'in'), { recursive: true });
    await run(options, ['tar', '-xzf', options.tarball, '-C', join(staging, 'in')], `unpack ${options.tarball}`);
    const root = join(staging, 'out', name);
    await mkdir(join(staging, 'out'));
    await rename(await venvRootIn(join(staging, 'in'), options.tarball), root);
    const relocation = await relocateVenv(root, options.dest);
    await writeFile(join(root, VENV_STAMP_FILE), stamp);
    await run(options, ['tar', '-czf', `${file}.partial`, '-C', join(staging, 'out'), name], `pack ${file}`);
    await rename(`${file}.partial`, file);
    return { file, stamp, built: true, from: relocation.from, rewritten: relocation.rewritten.length };
  } finally {
    // An unpacked venv is large: never left behind, whether this succeeded or not.
    await rm(staging, { recursive: true, force: true });
    await rm(`${file}.partial`, { force: true });
  }
}

/** The one virtualenv in the unpacked tarball: its top folder, or the top itself when bin/activate sits there. */
async function venvRootIn(dir: string, tarball: string): Promise<string> {
  if (existsSync(join(dir, 'bin', 'activate'))) {
    const moved = `${dir}.venv`;
    await rename(dir, moved);
    return moved;
  }
  const roots = (await readdir(dir)).filter((n) => existsSync(join(dir, n, 'bin', 'activate')));
  if (roots.length !== 1) {
    throw new DbMigrateError(
      'LEAP_VENV_INVALID',
      `${tarball} holds ${roots.length === 0 ? 'no' : `${roots.length}`} virtualenv folders (a folder with bin/activate); expected one`,
      {
        file: tarball,
        hint: 'build the tarball as the cli README describes: one virtualenv folder, packed with tar -czf',
      },
    );
  }
  return join(dir, roots[0]!);
}

async function run(options: HostTarballOptions, argv: string[], what: string): Promise<void> {
  const result = await options.exec(argv, { signal: options.signal });
  if (result.exitCode === 0) return;
  if (options.signal?.aborted) throw options.signal.reason;
  throw new DbMigrateError(
    'LEAP_VENV_INVALID',
    `cannot ${what}: ${describeExit(result)}${result.stderr.trim() ? `: ${result.stderr.trim().slice(-400)}` : ''}`,
    {
      file: options.tarball,
      hint: `check that ${basename(options.tarball)} is a gzip tar archive and the disk has room`,
    },
  );
}
