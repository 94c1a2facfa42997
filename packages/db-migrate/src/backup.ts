import { mkdir, rm, statfs } from 'node:fs/promises';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { writeFileAtomic } from '@leap/contract';
import { connect, type Db, type DbConnectionOptions } from './connection.js';
import { withDefaultsFile } from './credentials.js';
import { dumpThroughGzip, type ChunkSink } from './dump-gzip.js';
import { DbMigrateError } from './errors.js';
import { checkAborted, type OnProgress } from './progress.js';
import { clientHint, findDatabaseTools } from './tools.js';

export const manifestFormat = 'leap-db-backup/1';

export interface DatabaseEntry {
  name: string;
  /** File name inside the backup folder: `<name>.sql.gz`. */
  file: string;
  bytes: number;
  sha256: string;
  /** Rows per table, counted in the dump itself as it was written. */
  tables: Record<string, number>;
  startedAt: string;
  durationMs: number;
}

export interface BackupManifest {
  format: typeof manifestFormat;
  createdAt: string;
  completedAt: string;
  server: { where: string; version: string; binlog: { file: string; position: number } | null; gtid: string | null };
  tool: string;
  options: string[];
  databases: DatabaseEntry[];
  /** Set by verifyBackup once every check passed: how. Absent: not (or no longer) verified. */
  verification?: 'streamed-restore' | 'throwaway-server' | 'checksums-and-parse';
  verifiedAt?: string;
}

export interface BackupOptions {
  db: DbConnectionOptions;
  /** Parent folder; each backup goes to a new `<backupDir>/<UTC time>/` and never replaces an earlier one. */
  backupDir: string;
  /** Default: every database except the system schemas. */
  databases?: readonly string[];
  /** Databases dumped at the same time (default 2). */
  parallel?: number;
  /** Default `mariadb-dump`, else `mysqldump` (MariaDB 10.0 and MySQL clients), whichever is installed. */
  dumpCommand?: string;
  /** Folders searched for the dump client (default PATH and the sbin folders). */
  searchPath?: readonly string[];
  /** gzip level, 1 (fast, default) to 9; compression runs on Node's thread pool, one stream per dump. */
  gzipLevel?: number;
  /** Free bytes the backup folder must have; default the databases' data size (the uncompressed dump, as a margin). */
  requiredFreeBytes?: number;
  now?: Date;
  onProgress?: OnProgress;
  signal?: AbortSignal;
  /** A second reader of every dump as it is written (backupAndVerify's load into the verification server). */
  tee?: DumpTee;
}

/** Opens, per database, a sink for its dump; `finish` returns what the reader found wrong once the dump is whole. */
export interface DumpTee {
  open(database: string): Promise<TeeSink>;
}
export interface TeeSink extends ChunkSink {
  /** Called once the dump is written and its rows per table counted (`tables`); never after a failed dump. */
  finish(tables: Record<string, number>): Promise<string[]>;
  /** Stops the reader after a failed dump. */
  abort(): Promise<void>;
}

export interface BackupResult {
  dir: string;
  manifest: BackupManifest;
  /** With `tee`: the problems its reader found, per database (empty: none). */
  teeProblems?: Map<string, string[]>;
}

export const dumpOptions = [
  '--single-transaction',
  '--routines',
  '--triggers',
  '--events',
  '--hex-blob',
  '--quick',
  '--skip-dump-date',
];
const systemSchemas = ['mysql', 'information_schema', 'performance_schema', 'sys'];

export async function listDatabases(db: Db): Promise<string[]> {
  const rows = await db.query<{ SCHEMA_NAME: string }[]>(
    'SELECT SCHEMA_NAME FROM information_schema.SCHEMATA ORDER BY SCHEMA_NAME',
  );
  return rows.map((r) => r.SCHEMA_NAME).filter((n) => !systemSchemas.includes(n));
}

function stamp(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
}

/** A new folder for this backup: an existing one (an earlier backup in the same second) is never reused. */
async function newBackupFolder(parent: string, now: Date): Promise<string> {
  await mkdir(parent, { recursive: true });
  const base = join(parent, stamp(now));
  for (let n = 1; ; n++) {
    const dir = n === 1 ? base : `${base}-${n}`;
    try {
      await mkdir(dir);
      return dir;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}

/** Dumps every database through gzip into a new folder, with a manifest; memory stays constant whatever the size. */
export async function backupDatabases(options: BackupOptions): Promise<BackupResult> {
  const createdAt = options.now ?? new Date();
  const tool = await dumpTool(options);
  const db = await connect(options.db);
  let dir: string | undefined;
  try {
    const databases = options.databases ? [...options.databases] : await listDatabases(db);
    const [{ version }] = await db.query<[{ version: string }]>('SELECT VERSION() AS version');
    const sizes = await databaseSizes(db, databases);
    await checkFreeSpace(options, databases, sizes);
    const master = await db.query<{ File: string; Position: number }[]>('SHOW MASTER STATUS').catch(() => []);
    const [gtidRow] = await db.query<[{ gtid: string | null }]>('SELECT @@GLOBAL.gtid_current_pos AS gtid');
    dir = await newBackupFolder(options.backupDir, createdAt);
    const teeProblems = new Map<string, string[]>();
    const entries = await dumpAll(db, databases, sizes, dir, tool, options, teeProblems);

    const manifest: BackupManifest = {
      format: manifestFormat,
      createdAt: createdAt.toISOString(),
      completedAt: new Date().toISOString(),
      server: {
        where: db.where,
        version,
        binlog: master[0] ? { file: master[0].File, position: Number(master[0].Position) } : null,
        gtid: gtidRow.gtid || null,
      },
      tool,
      options: dumpOptions,
      databases: entries.sort((a, b) => a.name.localeCompare(b.name)),
    };
    // Written last and atomically: a folder without manifest.json is an incomplete backup.
    await writeFileAtomic(join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    return { dir, manifest, ...(options.tee === undefined ? {} : { teeProblems }) };
  } catch (error) {
    // A partial backup is useless and may be what filled the disk.
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
    throw error;
  } finally {
    await db.close();
  }
}

/** The dump client: the one configured, else mariadb-dump or mysqldump, whichever is installed. */
async function dumpTool(options: BackupOptions): Promise<string> {
  const tool = options.dumpCommand ?? (await findDatabaseTools({}, options.searchPath)).dump;
  if (tool === undefined) {
    throw new DbMigrateError(
      'LEAP_DB_CLIENT_MISSING',
      'no mariadb-dump or mysqldump on this host: the databases cannot be backed up',
      { hint: clientHint },
    );
  }
  return tool;
}

/** Each database's data size in bytes (SUM(DATA_LENGTH) of its tables). */
export async function databaseSizes(db: Db, databases: string[]): Promise<Map<string, number>> {
  return new Map(
    (
      await db.query<{ name: string; bytes: string | null }[]>(
        `SELECT TABLE_SCHEMA AS name, SUM(DATA_LENGTH) AS bytes FROM information_schema.TABLES WHERE TABLE_SCHEMA IN (${databases.map(() => '?').join(',') || "''"}) GROUP BY TABLE_SCHEMA`,
        databases,
      )
    ).map((r) => [r.name, Number(r.bytes ?? 0)]),
  );
}

/** Creates the backup folder and fails (LEAP_BACKUP_NO_SPACE) unless its disk has room for the dumps. */
async function checkFreeSpace(options: BackupOptions, databases: string[], sizes: Map<string, number>): Promise<void> {
  const needed = options.requiredFreeBytes ?? [...sizes.values()].reduce((a, b) => a + b, 0);
  await mkdir(options.backupDir, { recursive: true });
  const fs = await statfs(options.backupDir);
  const free = fs.bavail * fs.bsize;
  if (free < needed) {
    throw new DbMigrateError(
      'LEAP_BACKUP_NO_SPACE',
      `${options.backupDir} has ${mib(free)} free; the backup of ${databases.length} databases needs about ${mib(needed)}`,
      {
        hint: 'free space there or choose another backup folder (leap.yaml paths.backups); earlier backups are never deleted by leap',
        file: options.backupDir,
      },
    );
  }
}

/** Dumps the databases into `target`, `options.parallel` at a time; the first failure is thrown once all stopped. */
async function dumpAll(
  db: Db,
  databases: string[],
  sizes: Map<string, number>,
  target: string,
  tool: string,
  options: BackupOptions,
  teeProblems: Map<string, string[]>,
): Promise<DatabaseEntry[]> {
  const entries: DatabaseEntry[] = [];
  // Largest first: the big dumps start together and the small ones fill in around them, so none finishes alone at the end.
  const queue = [...databases].sort((a, b) => (sizes.get(b) ?? 0) - (sizes.get(a) ?? 0));
  const workers = Array.from({ length: Math.max(1, Math.min(options.parallel ?? 2, queue.length)) }, async () => {
    for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
      checkAborted(options.signal, 'the backup');
      const sink = await options.tee?.open(name);
      const entry = await dumpOne(name, target, tool, options, sink).catch(async (error: unknown) => {
        await sink?.abort();
        throw error;
      });
      entry.tables = await tableCounts(db, name, entry.tables);
      if (sink !== undefined) teeProblems.set(name, await sink.finish(entry.tables));
      entries.push(entry);
    }
  });
  const results = await Promise.allSettled(workers);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return entries;
}

/** The dump's row counts for every base table of the database, 0 for a table the dump has no row of. */
async function tableCounts(db: Db, name: string, counted: Record<string, number>): Promise<Record<string, number>> {
  const tables = await db.query<{ TABLE_NAME: string }[]>(
    "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME",
    [name],
  );
  // Empty tables have no INSERT in the dump; list them with 0 so a restore is compared table by table.
  return Object.fromEntries(tables.map((t) => [t.TABLE_NAME, counted[t.TABLE_NAME] ?? 0]));
}

async function dumpOne(
  name: string,
  dir: string,
  tool: string,
  options: BackupOptions,
  sink?: ChunkSink,
): Promise<DatabaseEntry> {
  const started = Date.now();
  const startedAt = new Date().toISOString();
  const file = `${name}.sql.gz`;
  const path = join(dir, file);
  return withDefaultsFile(options.db, async (defaults) => {
    let reported = 0;
    const run = await dumpThroughGzip(
      [tool, `--defaults-file=${defaults}`, ...dumpOptions, '--', name],
      path,
      options.gzipLevel ?? 1,
      options.signal,
      (bytes) => {
        if (bytes - reported > 64 * 2 ** 20) {
          reported = bytes;
          options.onProgress?.({ kind: 'dump', database: name, bytes, done: false });
        }
      },
      sink,
    ).catch((error: unknown) => {
      checkAborted(options.signal, 'the backup');
      throw writeError(path, error);
    });
    checkAborted(options.signal, 'the backup');
    if (run.dump.code !== 0) {
      // 127: the shell's (and stdbuf's) "command not found"; an error without exit code: it could not be started.
      const missing = run.dump.code === 127 || run.dump.error !== undefined;
      throw new DbMigrateError(
        'LEAP_BACKUP_DUMP_FAILED',
        `${tool} of ${name} exited with ${run.dump.code ?? run.dump.signal ?? run.dump.error?.message}: ${run.dump.stderr.trim().slice(-500)}`,
        {
          hint: missing
            ? `install the MariaDB client (${tool}) on this host, or put it on PATH; nothing was written`
            : "check the database user's privileges (LOCK TABLES, SHOW VIEW, TRIGGER, EVENT) and the server log",
          file: path,
        },
      );
    }
    const { sha256, bytes } = run;
    options.onProgress?.({ kind: 'dump', database: name, bytes, done: true });
    return {
      name,
      file,
      bytes,
      sha256,
      tables: Object.fromEntries(run.counts),
      startedAt,
      durationMs: Date.now() - started,
    };
  });
}

function writeError(path: string, error: unknown, code = (error as NodeJS.ErrnoException).code): DbMigrateError {
  if (code === 'ENOSPC' || code === 'EDQUOT') {
    return new DbMigrateError('LEAP_BACKUP_NO_SPACE', `the disk filled up while writing ${path}`, {
      hint: 'free space in the backup folder or choose another one; the incomplete backup was removed',
      file: path,
      cause: error,
    });
  }
  return new DbMigrateError('LEAP_BACKUP_WRITE_FAILED', `writing ${path} failed: ${(error as Error).message}`, {
    hint: 'check that the backup folder is writable and its disk is healthy, then take the backup again; the incomplete backup was removed',
    file: path,
    cause: error,
  });
}

function mib(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}

/** A sink that drops everything (for reading a stream only to check or count it). */
export function nullSink(): Writable {
  return new Writable({
    write(_chunk, _enc, done) {
      done();
    },
  });
}
