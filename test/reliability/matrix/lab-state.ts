import { createHash } from 'node:crypto';
import { cpSync, existsSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Lab } from '../support/lab.js';
import { digestTree, type TreeDigest, labSql } from '@leap/test-fixtures';

/** What a case may break, saved once per group and put back before every case (the database is not). */
const SAVED = ['etc', 'opt', 'git', 'openstack', 'hosts', 'fail-once', 'ansible', 'bin', 'leap.yaml', 'ran.log'];

export function saveLab(lab: Lab, to: string): void {
  for (const name of SAVED) {
    if (existsSync(join(lab.dir, name)))
      cpSync(join(lab.dir, name), join(to, name), {
        recursive: true,
        verbatimSymlinks: true,
        preserveTimestamps: true,
      });
  }
}

export function restoreLab(lab: Lab, from: string): void {
  for (const name of SAVED) {
    rmSync(join(lab.dir, name), { recursive: true, force: true });
    if (existsSync(join(from, name)))
      cpSync(join(from, name), join(lab.dir, name), {
        recursive: true,
        verbatimSymlinks: true,
        preserveTimestamps: true,
      });
  }
}

/** Appended to by every run, whatever the outcome: never counted as a change. */
export function isRunRecord(rel: string): boolean {
  return /upgrade-leap\/(leap-journal\.jsonl$|logs\/)/.test(rel);
}

/**
 * Git's internals a fetch or a status rewrites (objects, index, FETCH_HEAD, logs) are skipped; HEAD and the refs,
 * which say what an operator sees, are kept (the work tree's files are digested as any others).
 */
function isGitInternal(rel: string): boolean {
  const at = rel.indexOf('.git/');
  if (at < 0) return false;
  const inner = rel.slice(at + '.git/'.length);
  if (/^modules(\/[^/]+)?$/.test(inner)) return false;
  const own = inner.replace(/^modules\/[^/]+\//, '');
  return !(own === 'HEAD' || own === 'packed-refs' || own === 'refs' || own.startsWith('refs/'));
}

const tableLists = new WeakMap<Lab, string>();

/**
 * sha256 of the lab's configuration, inventory, markers, release file, leap.yaml, backups, host folders and
 * checkouts (work trees, HEAD and refs: with the work tree's files, what `git status` would show); the service
 * databases by CHECKSUM TABLE. One mariadb client run, no git: the matrix digests twice per case.
 */
export async function labDigest(lab: Lab): Promise<TreeDigest> {
  const rel = (path: string) => relative(lab.dir, path);
  const digest = digestTree(
    lab.dir,
    [rel(lab.paths.deployDir), rel(lab.paths.releaseFile), 'leap.yaml', 'opt', 'openstack', 'hosts'],
    (path) => isRunRecord(path) || isGitInternal(path),
  );
  let tables = tableLists.get(lab);
  if (tables === undefined) {
    tables = (
      await labSql(
        lab,
        "SELECT CONCAT('`', table_schema, '`.`', table_name, '`') FROM information_schema.tables WHERE table_schema NOT IN ('mysql', 'information_schema', 'performance_schema', 'sys')",
      )
    )
      .split('\n')
      .join(', ');
    tableLists.set(lab, tables);
  }
  const state = await labSql(lab, `SHOW DATABASES; CHECKSUM TABLE ${tables}`);
  digest.set('db:checksums', createHash('sha256').update(state).digest('hex'));
  return digest;
}
