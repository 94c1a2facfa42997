import { createHash } from 'node:crypto';
import { existsSync, lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join, relative } from 'node:path';

/** sha256 of every file under some roots, keyed by a path relative to `base`; symlinks by their target. */
export type TreeDigest = Map<string, string>;

export function digestTree(
  base: string,
  roots: readonly string[],
  skip: (rel: string) => boolean = () => false,
): TreeDigest {
  const digest: TreeDigest = new Map();
  const visit = (path: string) => {
    const rel = relative(base, path);
    if (skip(rel)) return;
    const stat = lstatSync(path);
    if (stat.isSymbolicLink()) digest.set(rel, `symlink:${readlinkSync(path)}`);
    else if (stat.isDirectory()) for (const name of readdirSync(path).sort()) visit(join(path, name));
    else if (stat.isFile()) digest.set(rel, createHash('sha256').update(readFileSync(path)).digest('hex'));
  };
  for (const root of roots) {
    const path = join(base, root);
    if (existsSync(path)) visit(path);
  }
  return digest;
}

export interface TreeChanges {
  added: string[];
  removed: string[];
  changed: string[];
}

export function compareDigests(before: TreeDigest, after: TreeDigest): TreeChanges {
  const changes: TreeChanges = { added: [], removed: [], changed: [] };
  for (const [path, hash] of after) {
    const old = before.get(path);
    if (old === undefined) changes.added.push(path);
    else if (old !== hash) changes.changed.push(path);
  }
  for (const path of before.keys()) if (!after.has(path)) changes.removed.push(path);
  return changes;
}

/** Every changed path, flattened, for assertions: `+added`, `-removed`, `~changed`. */
export function describeChanges(changes: TreeChanges): string[] {
  return [
    ...changes.added.map((p) => `+${p}`),
    ...changes.removed.map((p) => `-${p}`),
    ...changes.changed.map((p) => `~${p}`),
  ].sort();
}
