import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, statfs } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { writeFileAtomic } from '@leap/contract';
import { PassThrough } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { execa } from 'execa';
import { manifestFormat, nullSink, type BackupManifest, type DatabaseEntry } from './backup.js';
import { connect, type Db, type DbConnectionOptions } from './connection.js';
import { withDefaultsFile } from './credentials.js';
import { DumpParser } from './dump-parse.js';
import { DumpRowCounter } from './dump-rows.js';
import { DbMigrateError } from './errors.js';
import { checkAborted, type OnProgress } from './progress.js';
import { withScratchServer, type ScratchServerOptions } from './scratch-server.js';
import { findDatabaseTools, requireClientTools, type DatabaseTools } from './tools.js';

const q = (name: string): string => `\`${name.replace(/`/g, '``')}\``;

export async function readManifest(dir: string): Promise<BackupManifest> {
  const path = join(dir, 'manifest.json');
  let manifest: BackupManifest;
  try {
    manifest = JSON.parse(await readFile(path, 'utf8')) as BackupManifest;
  } catch (error) {
    throw new DbMigrateError('LEAP_BACKUP_INCOMPLETE', `${dir} has no readable manifest.json`, {
      hint: 'this backup did not complete; use another backup or take a new one',
      file: path,
      cause: error,
    });
  }
  if (manifest.format !== manifestFormat) {
    throw new DbMigrateError('LEAP_BACKUP_INCOMPLETE', `${path} is not a ${manifestFormat} manifest`, {
      hint: `${path} was not written by this version of leap or was edited; use another backup or take a new one`,
      file: path,
    });
  }
  return manifest;
}

/**
 * How a backup was verified: `streamed-restore` (backupAndVerify: each dump loaded into a throwaway server as it was
 * written, the rows compared, the files' sha256 read back), `throwaway-server` (verifyBackup: each archive read back,
 * parsed, then restored into a throwaway server), `checksums-and-parse` (no server on this host).
 */
export type VerificationMethod = 'streamed-restore' | 'throwaway-server' | 'checksums-and-parse';

export interface VerifyOptions {
  /**
   * `auto` (default): restore into a throwaway mariadbd on this host when one is installed, else checksums,
   * row counts and a full parse of each dump. Never anything on the server the backup came from.
   */
  method?: 'auto' | Exclude<VerificationMethod, 'streamed-restore'>;
  /** The client that loads the dumps (default `mariadb`, else `mysql`). */
  clientCommand?: string;
  /** The throwaway server (default `mariadbd`, else `mysqld`) and its initialiser (`mariadb-install-db`, else `mysql_install_db`). */
  serverCommand?: string;
  installDbCommand?: string;
  /** Folders searched for those programs (default PATH and the sbin folders). */
  searchPath?: readonly string[];
  /** Where the throwaway server's datadir goes; default the folder that holds the backup folder. */
  scratchDir?: string;
  onProgress?: OnProgress;
  signal?: AbortSignal;
}

export interface VerifyReport {
  dir: string;
  verification: VerificationMethod;
  databases: {
    name: string;
    sha256: boolean;
    gzip: boolean;
    rows: boolean;
    parsed: boolean;
    restored: boolean | null;
    problems: string[];
  }[];
  ok: boolean;
}

/** Reads one archive once: its sha256, gzip integrity, the rows per table in the dump and a parse of every statement. */
async function inspect(
  dir: string,
  entry: DatabaseEntry,
): Promise<{
  sha256: string;
  bytes: number;
  sqlBytes: number;
  counts: Map<string, number>;
  parser: DumpParser;
  gzipError?: string;
}> {
  const hash = createHash('sha256');
  let bytes = 0;
  const tap = new PassThrough();
  tap.on('data', (c: Buffer) => {
    hash.update(c);
    bytes += c.length;
  });
  const counter = new DumpRowCounter();
  const parser = new DumpParser();
  let sqlBytes = 0;
  const sql = new PassThrough();
  sql.on('data', (c: Buffer) => {
    sqlBytes += c.length;
  });
  try {
    await pipeline(createReadStream(join(dir, entry.file)), tap, createGunzip(), sql, counter, parser, nullSink());
    return { sha256: hash.digest('hex'), bytes, sqlBytes, counts: counter.counts, parser };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      return { sha256: '', bytes: 0, sqlBytes: 0, counts: new Map(), parser, gzipError: 'the file is missing' };
    return {
      sha256: hash.digest('hex'),
      bytes,
      sqlBytes,
      counts: counter.counts,
      parser,
      gzipError: (error as Error).message,
    };
  }
}

export function compareCounts(
  expected: Record<string, number>,
  actual: Map<string, number> | Record<string, number>,
  what: string,
): string[] {
  const get = (t: string) => (actual instanceof Map ? actual.get(t) : actual[t]) ?? 0;
  return Object.entries(expected)
    .filter(([t, n]) => get(t) !== n)
    .map(([t, n]) => `${what} ${t}: ${get(t)} rows, manifest says ${n}`);
}

/**
 * Checks a backup: every archive's checksum and gzip stream, the rows in each dump against the manifest, a parse
 * of every statement, then (when mariadbd is installed here) a restore of every database into a throwaway server
 * with the row counts compared. Throws LEAP_BACKUP_VERIFY_FAILED listing every problem; when all is well, records
 * in manifest.json how the backup was verified and returns the report.
 */
export async function verifyBackup(dir: string, options: VerifyOptions = {}): Promise<VerifyReport> {
  const manifest = await readManifest(dir);
  const tools = await findDatabaseTools(
    {
      ...(options.clientCommand === undefined ? {} : { client: options.clientCommand }),
      ...(options.serverCommand === undefined ? {} : { server: options.serverCommand }),
      ...(options.installDbCommand === undefined ? {} : { installDb: options.installDbCommand }),
    },
    options.searchPath,
  );
  const method = verificationMethod(dir, options, tools);
  const report: VerifyReport = { dir, verification: method, databases: [], ok: true };
  let sqlBytes = 0;
  for (const entry of manifest.databases) {
    checkAborted(options.signal, 'the backup verification');
    const checked = await checkArchive(dir, entry, options);
    sqlBytes += checked.sqlBytes;
    report.databases.push(checked.result);
  }
  const loadable = report.databases.filter((d) => d.problems.length === 0);
  if (method === 'throwaway-server' && loadable.length > 0 && tools.server && tools.client) {
    await restoreIntoThrowaway(
      dir,
      manifest,
      loadable,
      { server: tools.server, client: tools.client },
      sqlBytes,
      options,
    );
  }
  report.ok = report.databases.every((d) => d.problems.length === 0);
  await stampManifest(dir, manifest, report, method);
  return report;
}

type DatabaseResult = VerifyReport['databases'][number];

/** The method asked for; `auto` restores when the server and client are installed here. */
export function verificationMethod(
  dir: string,
  options: Pick<VerifyOptions, 'method'>,
  tools: Partial<DatabaseTools>,
): VerificationMethod {
  const canRestore = tools.server !== undefined && tools.client !== undefined;
  const method: VerificationMethod =
    options.method === undefined || options.method === 'auto'
      ? canRestore
        ? 'throwaway-server'
        : 'checksums-and-parse'
      : options.method;
  if (method === 'throwaway-server' && !canRestore) {
    throw new DbMigrateError(
      'LEAP_VERIFY_SERVER_MISSING',
      `a throwaway verification server needs ${tools.client ? '' : 'the mariadb client and '}mariadbd with mariadb-install-db, which are not installed here`,
      {
        hint: 'run: apt-get install mariadb-server-core (the server is started on a temp folder and removed, never as a service), or verify with checksums-and-parse',
        file: dir,
      },
    );
  }
  return method;
}

/** One archive against the manifest: checksum, gzip stream, rows per table and a parse of every statement. */
async function checkArchive(
  dir: string,
  entry: DatabaseEntry,
  options: VerifyOptions,
): Promise<{ result: DatabaseResult; sqlBytes: number }> {
  const problems: string[] = [];
  const seen = await inspect(dir, entry);
  const shaOk = seen.sha256 === entry.sha256 && seen.bytes === entry.bytes;
  if (!shaOk)
    problems.push(
      `${entry.file}: sha256 ${seen.sha256.slice(0, 12)}… (${seen.bytes} bytes) differs from the manifest's ${entry.sha256.slice(0, 12)}… (${entry.bytes} bytes)`,
    );
  if (seen.gzipError) problems.push(`${entry.file}: not a valid gzip stream (${seen.gzipError})`);
  const rowProblems = seen.gzipError ? [] : compareCounts(entry.tables, seen.counts, 'dump');
  problems.push(...rowProblems);
  const parseProblems = seen.gzipError
    ? []
    : [
        ...seen.parser.problems,
        ...Object.keys(entry.tables)
          .filter((t) => !seen.parser.createdTables.has(t))
          .map((t) => `no CREATE TABLE for ${t}`),
      ].map((p) => `${entry.file}: ${p}`);
  problems.push(...parseProblems);
  options.onProgress?.({ kind: 'verify', database: entry.name, check: 'sha256', ok: shaOk });
  options.onProgress?.({ kind: 'verify', database: entry.name, check: 'gzip', ok: !seen.gzipError });
  options.onProgress?.({
    kind: 'verify',
    database: entry.name,
    check: 'parse',
    ok: !seen.gzipError && parseProblems.length === 0,
  });
  return {
    result: {
      name: entry.name,
      sha256: shaOk,
      gzip: !seen.gzipError,
      rows: rowProblems.length === 0,
      parsed: !seen.gzipError && parseProblems.length === 0,
      restored: null,
      problems,
    },
    sqlBytes: seen.sqlBytes,
  };
}

/** Restores every loadable database into a throwaway server (after checking it has room) and compares the row counts. */
async function restoreIntoThrowaway(
  dir: string,
  manifest: BackupManifest,
  loadable: DatabaseResult[],
  tools: Required<Pick<DatabaseTools, 'server' | 'client'>>,
  sqlBytes: number,
  options: VerifyOptions,
): Promise<void> {
  const client = tools.client;
  const parentDir = options.scratchDir ?? dirname(dir);
  // The restored tables take about what their SQL does; the new server's own files about 150 MiB.
  const needed = sqlBytes * 1.5 + 150 * 2 ** 20;
  const fs = await statfs(parentDir);
  if (fs.bavail * fs.bsize < needed) {
    throw new DbMigrateError(
      'LEAP_BACKUP_NO_SPACE',
      `${parentDir} has ${mib(fs.bavail * fs.bsize)} free; restoring the backup into a throwaway server there needs about ${mib(needed)}`,
      {
        hint: 'free space there (it is used only while verifying and removed afterwards), or verify with checksums-and-parse',
        file: parentDir,
      },
    );
  }
  await withScratchServer(verifyServerOptions(tools.server, parentDir, options), async (target) => {
    const db = await connect(target);
    try {
      for (const result of loadable) {
        checkAborted(options.signal, 'the backup verification');
        const entry = manifest.databases.find((d) => d.name === result.name) as DatabaseEntry;
        try {
          await db.query(`CREATE DATABASE ${q(entry.name)}`);
          await loadInto(dir, entry, entry.name, target, {
            mariadbCommand: client,
            ...(options.signal ? { signal: options.signal } : {}),
          });
          const diff = compareCounts(entry.tables, await countRows(db, entry.name), 'restored');
          result.problems.push(...diff);
          result.restored = diff.length === 0;
        } catch (error) {
          checkAborted(options.signal, 'the backup verification');
          result.problems.push(`restore into the throwaway server failed: ${(error as Error).message}`);
          result.restored = false;
        }
        options.onProgress?.({ kind: 'verify', database: entry.name, check: 'restore', ok: result.restored });
      }
    } finally {
      await db.close();
    }
  });
}

/** The throwaway verification server's options: its programs, where its folder goes, the caller's signal and progress. */
export function verifyServerOptions(
  server: Pick<ScratchServerOptions, 'mariadbd' | 'installDb'>,
  parentDir: string,
  options: { signal?: AbortSignal; onProgress?: OnProgress },
): ScratchServerOptions {
  return {
    ...server,
    parentDir,
    ...(options.signal ? { signal: options.signal } : {}),
    onStarted: (started) => options.onProgress?.({ kind: 'verify-server', state: 'started', ...started }),
  };
}

/**
 * Records in manifest.json how the backup was verified; a failed verification removes an earlier stamp
 * and throws LEAP_BACKUP_VERIFY_FAILED listing the problems.
 */
export async function stampManifest(
  dir: string,
  manifest: BackupManifest,
  report: VerifyReport,
  method: VerificationMethod,
): Promise<void> {
  const { verification: _method, verifiedAt: _at, ...unstamped } = manifest;
  if (!report.ok) {
    // A backup that verified once and no longer does loses its stamp: housekeeping must not rely on it.
    if (manifest.verification !== undefined) await writeManifest(dir, unstamped);
    const all = report.databases.flatMap((d) => d.problems.map((p) => `${d.name}: ${p}`));
    throw Object.assign(
      new DbMigrateError(
        'LEAP_BACKUP_VERIFY_FAILED',
        `the backup in ${dir} failed verification: ${all.slice(0, 5).join('; ')}${all.length > 5 ? ` (+${all.length - 5} more)` : ''}`,
        {
          hint: 'do not migrate on this backup: take a new one (leap keeps the old folder for inspection)',
          file: dir,
        },
      ),
      { report },
    );
  }
  await writeManifest(dir, { ...unstamped, verification: method, verifiedAt: new Date().toISOString() });
}

function mib(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(0)} MiB`;
}

async function writeManifest(dir: string, manifest: BackupManifest): Promise<void> {
  await writeFileAtomic(join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
}

export async function countRows(db: Db, schema: string): Promise<Record<string, number>> {
  const tables = await db.query<{ TABLE_NAME: string }[]>(
    "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'BASE TABLE'",
    [schema],
  );
  const out: Record<string, number> = {};
  for (const { TABLE_NAME } of tables) {
    const [row] = await db.query<[{ n: string }]>(`SELECT COUNT(*) AS n FROM ${q(schema)}.${q(TABLE_NAME)}`);
    out[TABLE_NAME] = Number(row.n);
  }
  return out;
}

async function loadInto(
  dir: string,
  entry: DatabaseEntry,
  database: string,
  target: DbConnectionOptions,
  options: { mariadbCommand?: string; signal?: AbortSignal },
): Promise<void> {
  const client = options.mariadbCommand ?? (await requireClientTools()).client;
  await withDefaultsFile(target, async (defaults) => {
    const child = execa(client, [`--defaults-file=${defaults}`, '--batch', '--', database], {
      stdin: 'pipe',
      buffer: { stdout: false, stderr: true },
      stdout: 'ignore',
      reject: false,
      cancelSignal: options.signal,
    });
    const fed = pipeline(createReadStream(join(dir, entry.file)), createGunzip(), child.stdin).catch(
      (error: unknown) => error,
    );
    const result = await child;
    const feedError = await fed;
    if (result.exitCode !== 0) {
      throw new DbMigrateError(
        'LEAP_RESTORE_FAILED',
        `loading ${entry.file} into ${database} failed (exit ${result.exitCode ?? result.signal}): ${String(result.stderr).trim().slice(-500)}`,
        {
          hint: 'check the server log and free space on the database server',
          file: join(dir, entry.file),
        },
      );
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
  if (missing.length > 0)
    throw new DbMigrateError('LEAP_RESTORE_NOT_IN_BACKUP', `${dir} holds no dump of ${missing.join(', ')}`, {
      hint: `restore only the databases listed in ${join(dir, 'manifest.json')}, or use a backup that holds them`,
      file: dir,
    });
  for (const entry of entries) {
    const seen = await inspect(dir, entry);
    if (seen.sha256 !== entry.sha256 || seen.gzipError) {
      throw new DbMigrateError(
        'LEAP_BACKUP_VERIFY_FAILED',
        `${join(dir, entry.file)} does not match its manifest (checksum or gzip); nothing was restored`,
        {
          hint: 'restore from another backup',
          file: join(dir, entry.file),
        },
      );
    }
  }
  const db = await connect(options.db);
  try {
    for (const entry of entries) {
      checkAborted(options.signal, 'the restore');
      const [row] = await db.query<[{ n: string }]>(
        'SELECT COUNT(*) AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?',
        [entry.name],
      );
      if (Number(row.n) > 0 && !options.replace) {
        throw new DbMigrateError(
          'LEAP_RESTORE_TARGET_EXISTS',
          `database ${entry.name} exists and holds tables on ${db.where}`,
          {
            hint: 'pass replace to drop and reload it (this discards its current content)',
          },
        );
      }
      options.onProgress?.({ kind: 'restore', database: entry.name, done: false });
      await db.query(`DROP DATABASE IF EXISTS ${q(entry.name)}`);
      await db.query(`CREATE DATABASE ${q(entry.name)}`);
      await loadInto(dir, entry, entry.name, options.db, options);
      const problems = compareCounts(entry.tables, await countRows(db, entry.name), 'restored');
      if (problems.length > 0) {
        throw new DbMigrateError(
          'LEAP_RESTORE_FAILED',
          `${entry.name} was restored with different row counts: ${problems.slice(0, 3).join('; ')}`,
          {
            hint: 'the server rejected part of the dump; check its error log',
            file: join(dir, entry.file),
          },
        );
      }
      options.onProgress?.({ kind: 'restore', database: entry.name, done: true });
    }
  } finally {
    await db.close();
  }
  return { databases: entries.map((e) => e.name) };
}
