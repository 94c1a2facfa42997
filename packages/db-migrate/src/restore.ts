import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { execa } from 'execa';
import { manifestFormat, nullSink, type BackupManifest, type DatabaseEntry } from './backup.js';
import { connect, type Db, type DbConnectionOptions } from './connection.js';
import { withDefaultsFile } from './credentials.js';
import { DumpRowCounter } from './dump-rows.js';
import { DbMigrateError } from './errors.js';
import { checkAborted, type OnProgress } from './progress.js';

const q = (name: string): string => `\`${name.replace(/`/g, '``')}\``;

export async function readManifest(dir: string): Promise<BackupManifest> {
  const path = join(dir, 'manifest.json');
  let manifest: BackupManifest;
  try {
    manifest = JSON.parse(await readFile(path, 'utf8')) as BackupManifest;
  } catch (error) {
    throw new DbMigrateError('LEAP_BACKUP_INCOMPLETE', `${dir} has no readable manifest.json`, {
      hint: 'this backup did not complete; use another backup or take a new one', file: path, cause: error,
    });
  }
  if (manifest.format !== manifestFormat) {
    throw new DbMigrateError('LEAP_BACKUP_INCOMPLETE', `${path} is not a ${manifestFormat} manifest`, { file: path });
  }
  return manifest;
}

export interface VerifyOptions {
  /** Also restore each database into a scratch schema on this server and compare row counts (the lab's default). */
  restoreInto?: DbConnectionOptions;
  mariadbCommand?: string;
  onProgress?: OnProgress;
  signal?: AbortSignal;
}

export interface VerifyReport {
  dir: string;
  databases: { name: string; sha256: boolean; gzip: boolean; rows: boolean; restored: boolean | null; problems: string[] }[];
  ok: boolean;
}

/** Reads one archive once: its sha256, gzip integrity and the rows per table in the dump. */
async function inspect(dir: string, entry: DatabaseEntry): Promise<{ sha256: string; bytes: number; counts: Map<string, number>; gzipError?: string }> {
  const hash = createHash('sha256');
  let bytes = 0;
  const tap = new PassThrough();
  tap.on('data', (c: Buffer) => { hash.update(c); bytes += c.length; });
  const counter = new DumpRowCounter();
  try {
    await pipeline(createReadStream(join(dir, entry.file)), tap, createGunzip(), counter, nullSink());
    return { sha256: hash.digest('hex'), bytes, counts: counter.counts };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { sha256: '', bytes: 0, counts: new Map(), gzipError: 'the file is missing' };
    return { sha256: hash.digest('hex'), bytes, counts: counter.counts, gzipError: (error as Error).message };
  }
}

function compareCounts(expected: Record<string, number>, actual: Map<string, number> | Record<string, number>, what: string): string[] {
  const get = (t: string) => (actual instanceof Map ? actual.get(t) : actual[t]) ?? 0;
  return Object.entries(expected).filter(([t, n]) => get(t) !== n).map(([t, n]) => `${what} ${t}: ${get(t)} rows, manifest says ${n}`);
}

/**
 * Checks a backup: every archive's checksum and gzip stream, the rows in each dump against the manifest, and
 * optionally a restore into a scratch schema with the row counts compared. Throws LEAP_BACKUP_VERIFY_FAILED
 * listing every problem; returns the report when all is well.
 */
export async function verifyBackup(dir: string, options: VerifyOptions = {}): Promise<VerifyReport> {
  const manifest = await readManifest(dir);
  const report: VerifyReport = { dir, databases: [], ok: true };
  for (const entry of manifest.databases) {
    checkAborted(options.signal, 'the backup verification');
    const problems: string[] = [];
    const seen = await inspect(dir, entry);
    const shaOk = seen.sha256 === entry.sha256 && seen.bytes === entry.bytes;
    if (!shaOk) problems.push(`${entry.file}: sha256 ${seen.sha256.slice(0, 12)}… (${seen.bytes} bytes) differs from the manifest's ${entry.sha256.slice(0, 12)}… (${entry.bytes} bytes)`);
    if (seen.gzipError) problems.push(`${entry.file}: not a valid gzip stream (${seen.gzipError})`);
    const rowProblems = seen.gzipError ? [] : compareCounts(entry.tables, seen.counts, 'dump');
    problems.push(...rowProblems);
    options.onProgress?.({ kind: 'verify', database: entry.name, check: 'sha256', ok: shaOk });
    options.onProgress?.({ kind: 'verify', database: entry.name, check: 'gzip', ok: !seen.gzipError });
    let restored: boolean | null = null;
    if (options.restoreInto && problems.length === 0) {
      const scratch = `leap_verify_${randomBytes(4).toString('hex')}`;
      const db = await connect(options.restoreInto);
      try {
        await db.query(`CREATE DATABASE ${q(scratch)}`);
        await loadInto(dir, entry, scratch, options.restoreInto, options);
        const counts = await countRows(db, scratch);
        const diff = compareCounts(entry.tables, counts, 'restored');
        problems.push(...diff);
        restored = diff.length === 0;
      } catch (error) {
        problems.push(`restore into a scratch schema failed: ${(error as Error).message}`);
        restored = false;
      } finally {
        await db.query(`DROP DATABASE IF EXISTS ${q(scratch)}`).catch(() => undefined);
        await db.close();
      }
      options.onProgress?.({ kind: 'verify', database: entry.name, check: 'restore', ok: restored });
    }
    report.databases.push({ name: entry.name, sha256: shaOk, gzip: !seen.gzipError, rows: rowProblems.length === 0, restored, problems });
  }
  report.ok = report.databases.every((d) => d.problems.length === 0);
  if (!report.ok) {
    const all = report.databases.flatMap((d) => d.problems.map((p) => `${d.name}: ${p}`));
    throw Object.assign(new DbMigrateError('LEAP_BACKUP_VERIFY_FAILED', `the backup in ${dir} failed verification: ${all.slice(0, 5).join('; ')}${all.length > 5 ? ` (+${all.length - 5} more)` : ''}`, {
      hint: 'do not migrate on this backup: take a new one (leap keeps the old folder for inspection)', file: dir,
    }), { report });
  }
  return report;
}

async function countRows(db: Db, schema: string): Promise<Record<string, number>> {
  const tables = await db.query<{ TABLE_NAME: string }[]>(
    "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'BASE TABLE'", [schema]);
  const out: Record<string, number> = {};
  for (const { TABLE_NAME } of tables) {
    const [row] = await db.query<[{ n: string }]>(`SELECT COUNT(*) AS n FROM ${q(schema)}.${q(TABLE_NAME)}`);
    out[TABLE_NAME] = Number(row.n);
  }
  return out;
}

async function loadInto(dir: string, entry: DatabaseEntry, database: string, target: DbConnectionOptions, options: { mariadbCommand?: string; signal?: AbortSignal }): Promise<void> {
  await withDefaultsFile(target, async (defaults) => {
    const child = execa(options.mariadbCommand ?? 'mariadb', [`--defaults-file=${defaults}`, '--batch', '--', database], {
      stdin: 'pipe', buffer: { stdout: false, stderr: true }, stdout: 'ignore', reject: false, cancelSignal: options.signal,
    });
    const fed = pipeline(createReadStream(join(dir, entry.file)), createGunzip(), child.stdin).catch((error: unknown) => error);
    const result = await child;
    const feedError = await fed;
    if (result.exitCode !== 0) {
      throw new DbMigrateError('LEAP_RESTORE_FAILED', `loading ${entry.file} into ${database} failed (exit ${result.exitCode ?? result.signal}): ${String(result.stderr).trim().slice(-500)}`, {
        hint: 'check the server log and free space on the database server', file: join(dir, entry.file),
      });
    }
    if (feedError) throw feedError;
  });
}

export interface RestoreOptions {
  db: DbConnectionOptions;
  /** Default every database of the backup. */
  databases?: readonly string[];
  /** Replace databases that exist and hold tables (default false: refuse). */
  replace?: boolean;
  mariadbCommand?: string;
  onProgress?: OnProgress;
  signal?: AbortSignal;
}

/**
 * The way back before the point of no return: checks each archive against the manifest, then recreates each
 * database and loads it, and compares the restored row counts with the manifest.
 */
export async function restoreBackup(dir: string, options: RestoreOptions): Promise<{ databases: string[] }> {
  const manifest = await readManifest(dir);
  const entries = manifest.databases.filter((d) => !options.databases || options.databases.includes(d.name));
  const missing = (options.databases ?? []).filter((n) => !entries.some((e) => e.name === n));
  if (missing.length > 0) throw new DbMigrateError('LEAP_RESTORE_NOT_IN_BACKUP', `${dir} holds no dump of ${missing.join(', ')}`, { file: dir });
  for (const entry of entries) {
    const seen = await inspect(dir, entry);
    if (seen.sha256 !== entry.sha256 || seen.gzipError) {
      throw new DbMigrateError('LEAP_BACKUP_VERIFY_FAILED', `${join(dir, entry.file)} does not match its manifest (checksum or gzip); nothing was restored`, {
        hint: 'restore from another backup', file: join(dir, entry.file),
      });
    }
  }
  const db = await connect(options.db);
  try {
    for (const entry of entries) {
      checkAborted(options.signal, 'the restore');
      const [row] = await db.query<[{ n: string }]>('SELECT COUNT(*) AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?', [entry.name]);
      if (Number(row.n) > 0 && !options.replace) {
        throw new DbMigrateError('LEAP_RESTORE_TARGET_EXISTS', `database ${entry.name} exists and holds tables on ${db.where}`, {
          hint: 'pass replace to drop and reload it (this discards its current content)',
        });
      }
      options.onProgress?.({ kind: 'restore', database: entry.name, done: false });
      await db.query(`DROP DATABASE IF EXISTS ${q(entry.name)}`);
      await db.query(`CREATE DATABASE ${q(entry.name)}`);
      await loadInto(dir, entry, entry.name, options.db, options);
      const problems = compareCounts(entry.tables, await countRows(db, entry.name), 'restored');
      if (problems.length > 0) {
        throw new DbMigrateError('LEAP_RESTORE_FAILED', `${entry.name} was restored with different row counts: ${problems.slice(0, 3).join('; ')}`, {
          hint: 'the server rejected part of the dump; check its error log', file: join(dir, entry.file),
        });
      }
      options.onProgress?.({ kind: 'restore', database: entry.name, done: true });
    }
  } finally {
    await db.close();
  }
  return { databases: entries.map((e) => e.name) };
}

