import { existsSync } from 'node:fs';
import { lstat, readFile, readdir, readlink, symlink, unlink } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { writeFileAtomic } from '@leap/contract';
import { DbMigrateError } from '../errors.js';

export interface Relocation {
  /** The path the virtualenv was built at (its `bin/activate`'s VIRTUAL_ENV). */
  from: string;
  to: string;
  /** Files and links rewritten, relative to the venv's root. */
  rewritten: string[];
}

const ACTIVATION_PATH = /^\s*VIRTUAL_ENV=["']([^"']+)["']\s*$/m;
const LARGEST_SCRIPT = 4 * 1024 * 1024;

/**
 * What `virtualenv-tools --update-path` did, for a virtualenv unpacked at `root` that will live at `to`: the
 * shebangs of `bin/` scripts, the activation scripts, `.pth` and `.egg-link` files, and absolute symlinks
 * (`local/`, Debian's layout) that name the build path are pointed at `to`. Binaries are left alone.
 */
export async function relocateVenv(root: string, to: string): Promise<Relocation> {
  const from = await buildPathOf(root);
  const rewritten: string[] = [];
  if (from === to) return { from, to, rewritten };
  const oldPath = new RegExp(`${escapeRegExp(from)}(?=$|[/"'\\s:])`, 'g');
  for (const name of await readdir(join(root, 'bin'))) {
    const relative = join('bin', name);
    if (await relinked(root, relative, from, to)) rewritten.push(relative);
    else if (await rewrittenFile(join(root, relative), name.startsWith('activate') ? 'all' : 'shebang', oldPath, to))
      rewritten.push(relative);
  }
  for (const relative of await sitePackagePathFiles(root)) {
    if (await rewrittenFile(join(root, relative), 'all', oldPath, to)) rewritten.push(relative);
  }
  if (existsSync(join(root, 'local'))) {
    for (const name of await readdir(join(root, 'local'))) {
      if (await relinked(root, join('local', name), from, to)) rewritten.push(join('local', name));
    }
  }
  return { from, to, rewritten };
}

async function buildPathOf(root: string): Promise<string> {
  const activate = join(root, 'bin', 'activate');
  const text = existsSync(activate) ? await readFile(activate, 'utf8') : '';
  const from = ACTIVATION_PATH.exec(text)?.[1];
  if (from === undefined) {
    throw new DbMigrateError(
      'LEAP_VENV_INVALID',
      `${root} is not a virtualenv: no VIRTUAL_ENV="…" line in bin/activate`,
      {
        file: activate,
        hint: 'the tarball must hold one virtualenv folder (bin/activate, bin/<service>-manage); build it with the recipe in the cli README',
      },
    );
  }
  return from.replace(/\/+$/, '');
}

/** Re-points an absolute symlink into the build path; true when it did. */
async function relinked(root: string, relative: string, from: string, to: string): Promise<boolean> {
  const file = join(root, relative);
  if (!(await lstat(file)).isSymbolicLink()) return false;
  const target = await readlink(file);
  if (!isAbsolute(target) || (target !== from && !target.startsWith(`${from}/`))) return false;
  await unlink(file);
  await symlink(to + target.slice(from.length), file);
  return true;
}

async function rewrittenFile(file: string, scope: 'shebang' | 'all', oldPath: RegExp, to: string): Promise<boolean> {
  // lstat: a relative link to a script is left a link (its target, in bin/ too, is rewritten on its own turn).
  const info = await lstat(file).catch(() => undefined);
  if (info === undefined || !info.isFile() || info.size > LARGEST_SCRIPT) return false;
  const bytes = await readFile(file);
  if (bytes.includes(0)) return false;
  const text = bytes.toString('utf8');
  let next: string;
  if (scope === 'all') next = text.replace(oldPath, to);
  else {
    if (!text.startsWith('#!')) return false;
    const end = text.indexOf('\n');
    const first = end < 0 ? text : text.slice(0, end);
    next = first.replace(oldPath, to) + (end < 0 ? '' : text.slice(end));
  }
  if (next === text) return false;
  await writeFileAtomic(file, next, { mode: info.mode & 0o7777 });
  return true;
}

async function sitePackagePathFiles(root: string): Promise<string[]> {
  const lib = join(root, 'lib');
  if (!existsSync(lib)) return [];
  const found: string[] = [];
  for (const python of (await readdir(lib)).filter((n) => n.startsWith('python'))) {
    const site = join('lib', python, 'site-packages');
    if (!existsSync(join(root, site))) continue;
    for (const name of await readdir(join(root, site))) {
      if (name.endsWith('.pth') || name.endsWith('.egg-link')) found.push(join(site, name));
    }
  }
  return found;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
