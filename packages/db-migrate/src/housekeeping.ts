import { connect, type Db, type DbConnectionOptions } from './connection.js';
import { DbMigrateError } from './errors.js';
import { ChunkSizer } from './chunk-size.js';
import { isGalera, readWsrepStatus, throttleReason, type ThrottleLimits, type WsrepStatus } from './galera.js';
import { checkAborted, type OnProgress } from './progress.js';

export type HousekeepingService = 'keystone' | 'nova' | 'cinder' | 'glance' | 'heat';

/** One table to purge: rows matching `where` (with `?` bound to the cutoff) are deleted, or moved to shadow_<table>. */
export interface PurgeRule {
  service: HousekeepingService;
  database: string;
  table: string;
  primaryKey: string;
  /** Eligibility, including the guard that no remaining row of another table references the row. */
  where: string;
  /** How many cutoff values `where` binds. */
  params: number;
  action: 'delete' | 'archive';
}

export interface HousekeepingOptions {
  db: DbConnectionOptions;
  /** Soft-deleted rows older than this are purged (default 30 days); expired tokens whatever their age. */
  olderThanDays?: number;
  services?: readonly HousekeepingService[];
  databases?: Partial<Record<HousekeepingService, string>>;
  /** Each chunk's transaction is kept under this (default 200 ms) by adapting the chunk size. */
  targetTxnMs?: number;
  initialChunk?: number;
  maxChunk?: number;
  throttle?: ThrottleLimits;
  /** Longest pause waiting for Galera to catch up before failing (default 5 min). */
  maxPauseMs?: number;
  /** The clock, for tests. */
  now?: Date;
  onProgress?: OnProgress;
  signal?: AbortSignal;
}

export interface TableCount {
  service: HousekeepingService;
  database: string;
  table: string;
  action: 'delete' | 'archive';
  eligible: number;
}
export interface TablePurge extends TableCount {
  purged: number;
  chunks: number;
  longestTxnMs: number;
  durationMs: number;
}
export interface PurgeResult {
  tables: TablePurge[];
  purged: number;
  longestTxnMs: number;
  durationMs: number;
  pausedMs: number;
}

const q = (name: string): string => `\`${name.replace(/`/g, '``')}\``;
const defaultServices: readonly HousekeepingService[] = ['keystone', 'nova', 'cinder', 'glance', 'heat'];

interface ForeignKey {
  table: string;
  column: string;
  refTable: string;
  refColumn: string;
}

async function tableInfo(db: Db, database: string) {
  const columns = await db.query<{ TABLE_NAME: string; COLUMN_NAME: string }[]>(
    'SELECT TABLE_NAME, COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ?',
    [database],
  );
  const keys = await db.query<
    {
      TABLE_NAME: string;
      COLUMN_NAME: string;
      CONSTRAINT_NAME: string;
      REFERENCED_TABLE_NAME: string | null;
      REFERENCED_COLUMN_NAME: string | null;
    }[]
  >(
    'SELECT TABLE_NAME, COLUMN_NAME, CONSTRAINT_NAME, REFERENCED_TABLE_NAME, REFERENCED_COLUMN_NAME FROM information_schema.KEY_COLUMN_USAGE WHERE TABLE_SCHEMA = ?',
    [database],
  );
  const cols = new Map<string, Set<string>>();
  for (const c of columns)
    (cols.get(c.TABLE_NAME) ?? cols.set(c.TABLE_NAME, new Set()).get(c.TABLE_NAME))?.add(c.COLUMN_NAME);
  const pk = new Map<string, string[]>();
  for (const k of keys)
    if (k.CONSTRAINT_NAME === 'PRIMARY')
      (pk.get(k.TABLE_NAME) ?? pk.set(k.TABLE_NAME, []).get(k.TABLE_NAME))?.push(k.COLUMN_NAME);
  const fks: ForeignKey[] = keys
    .filter((k) => k.REFERENCED_TABLE_NAME !== null && k.REFERENCED_COLUMN_NAME !== null)
    .map((k) => ({
      table: k.TABLE_NAME,
      column: k.COLUMN_NAME,
      refTable: k.REFERENCED_TABLE_NAME as string,
      refColumn: k.REFERENCED_COLUMN_NAME as string,
    }));
  return { cols, pk, fks };
}

/**
 * Rows still referenced by a row that stays (one that is not itself eligible) are never eligible: their purge
 * would break a foreign key or orphan that row. A child that will be purged does not hold its parent back, so
 * the dry-run count equals what the purge, which goes children first, removes.
 */
function guard(
  database: string,
  table: string,
  fks: ForeignKey[],
  ruleOf: Map<string, { where: string; params: number }>,
): { sql: string; params: number } {
  let sql = '';
  let params = 0;
  for (const f of fks.filter((f) => f.refTable === table && f.table !== table)) {
    const child = ruleOf.get(f.table);
    const staying = child === undefined ? '' : ` AND NOT (${child.where})`;
    params += child?.params ?? 0;
    sql += ` AND NOT EXISTS (SELECT 1 FROM ${q(database)}.${q(f.table)} WHERE ${q(f.table)}.${q(f.column)} = ${q(table)}.${q(f.refColumn)}${staying})`;
  }
  return { sql, params };
}

/** Children before parents, so a parent's rows are free once its eligible children are gone. */
function childrenFirst(tables: string[], fks: ForeignKey[]): string[] {
  const out: string[] = [];
  const visiting = new Set<string>();
  const visit = (t: string): void => {
    if (out.includes(t) || visiting.has(t)) return;
    visiting.add(t);
    for (const f of fks) if (f.refTable === t && f.table !== t && tables.includes(f.table)) visit(f.table);
    out.push(t);
  };
  for (const t of [...tables].sort()) visit(t);
  return out;
}

/** The purge rules for the databases present, derived from their schema (so every Kilo-era table is covered). */
export async function purgeRules(
  db: Db,
  options: Pick<HousekeepingOptions, 'services' | 'databases'> = {},
): Promise<PurgeRule[]> {
  const rules: PurgeRule[] = [];
  for (const service of options.services ?? defaultServices) {
    const database = options.databases?.[service] ?? service;
    const present = await db.query<unknown[]>('SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?', [
      database,
    ]);
    if (present.length === 0) continue;
    const { cols, pk, fks } = await tableInfo(db, database);
    const single = (t: string) => (pk.get(t)?.length === 1 ? pk.get(t)?.[0] : undefined);
    const ruleOf = new Map<string, { where: string; params: number }>();
    const add = (table: string, where: string, params: number, action: PurgeRule['action']) => {
      const key = single(table);
      if (key === undefined) return;
      const g = guard(database, table, fks, ruleOf);
      const rule = { where: `${where}${g.sql}`, params: params + g.params };
      ruleOf.set(table, rule);
      rules.push({ service, database, table, primaryKey: key, ...rule, action });
    };
    if (service === 'keystone') {
      if (cols.get('token')?.has('expires')) add('token', '`token`.expires < ?', 1, 'delete');
      continue;
    }
    if (service === 'heat') {
      if (!cols.get('stack')?.has('deleted_at')) continue;
      // heat purge_deleted removes a deleted stack together with its events.
      for (const f of fks.filter((f) => f.refTable === 'stack' && f.table === 'event')) {
        add(
          f.table,
          `${q(f.table)}.${q(f.column)} IN (SELECT s.id FROM ${q(database)}.stack s WHERE s.deleted_at < ?)`,
          1,
          'delete',
        );
      }
      add('stack', '`stack`.deleted_at < ?', 1, 'delete');
      continue;
    }
    const candidates = [...cols.keys()].filter(
      (t) => !t.startsWith('shadow_') && cols.get(t)?.has('deleted') && cols.get(t)?.has('deleted_at'),
    );
    for (const table of childrenFirst(candidates, fks)) {
      if (service === 'nova' && !cols.has(`shadow_${table}`)) continue;
      add(
        table,
        `${q(table)}.deleted <> 0 AND ${q(table)}.deleted_at < ?`,
        1,
        service === 'nova' ? 'archive' : 'delete',
      );
    }
  }
  return rules;
}

function cutoffs(options: HousekeepingOptions): { now: string; before: string } {
  const now = options.now ?? new Date();
  const before = new Date(now.getTime() - (options.olderThanDays ?? 30) * 86_400_000);
  const sql = (d: Date) => d.toISOString().slice(0, 19).replace('T', ' ');
  // OpenStack stores naive UTC datetimes.
  return { now: sql(now), before: sql(before) };
}

function cutoffFor(rule: PurgeRule, c: { now: string; before: string }): string {
  return rule.service === 'keystone' ? c.now : c.before;
}

/** Dry run: how many rows each table would lose, touching nothing. */
export async function countPurgeable(options: HousekeepingOptions): Promise<TableCount[]> {
  const db = await connect(options.db);
  try {
    const c = cutoffs(options);
    const out: TableCount[] = [];
    for (const rule of await purgeRules(db, options)) {
      const [row] = await db.query<[{ n: string }]>(
        `SELECT COUNT(*) AS n FROM ${q(rule.database)}.${q(rule.table)} WHERE ${rule.where}`,
        Array(rule.params).fill(cutoffFor(rule, c)),
      );
      out.push({
        service: rule.service,
        database: rule.database,
        table: rule.table,
        action: rule.action,
        eligible: Number(row.n),
      });
    }
    return out;
  } finally {
    await db.close();
  }
}

/**
 * Refuses to go on to the migrations while more purgeable rows remain than the operator allows: every one of
 * them would be migrated, slowly, for nothing.
 */
export function housekeepingGate(counts: readonly TableCount[], maxRemaining: number, override = false): void {
  const total = counts.reduce((n, c) => n + c.eligible, 0);
  if (total <= maxRemaining || override) return;
  const worst = [...counts]
    .sort((a, b) => b.eligible - a.eligible)
    .slice(0, 3)
    .map((c) => `${c.database}.${c.table} ${c.eligible}`);
  throw new DbMigrateError(
    'LEAP_HOUSEKEEPING_GATE',
    `${total} purgeable rows remain (limit ${maxRemaining}): ${worst.join(', ')}`,
    {
      hint: 'run the housekeeping step first, or raise the threshold / override it in leap.yaml if these rows must be kept',
    },
  );
}

/** Purges every eligible row in short chunked transactions; non-eligible rows are never touched. */
export async function purge(options: HousekeepingOptions): Promise<PurgeResult> {
  const started = Date.now();
  const db = await connect(options.db);
  try {
    await db.query('SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED');
    const galera = await isGalera(db);
    const c = cutoffs(options);
    const tables: TablePurge[] = [];
    const state: PurgeState = { pausedMs: 0 };
    for (const rule of await purgeRules(db, options)) {
      tables.push(await purgeTable(db, rule, cutoffFor(rule, c), galera, options, state));
    }
    return {
      tables,
      purged: tables.reduce((n, t) => n + t.purged, 0),
      longestTxnMs: Math.max(0, ...tables.map((t) => t.longestTxnMs)),
      durationMs: Date.now() - started,
      pausedMs: state.pausedMs,
    };
  } finally {
    await db.close();
  }
}

async function waitForCluster(db: Db, options: HousekeepingOptions, state: PurgeState): Promise<void> {
  const since = Date.now();
  for (;;) {
    const status = await readWsrepStatus(db);
    const reason = throttleReason(status, options.throttle, state.lastStatus);
    state.lastStatus = status;
    if (reason === undefined) return;
    const waited = Date.now() - since;
    if (waited > (options.maxPauseMs ?? 300_000)) {
      throw new DbMigrateError(
        'LEAP_HOUSEKEEPING_THROTTLED',
        `housekeeping paused for ${Math.round(waited / 1000)} s and the cluster did not catch up: ${reason}`,
        {
          hint: 'check the Galera nodes (a slow or desynced node holds the cluster back); re-run the step, it resumes where it stopped',
        },
      );
    }
    options.onProgress?.({ kind: 'purge-paused', reason, waitedMs: waited });
    checkAborted(options.signal, 'housekeeping');
    await new Promise((r) => setTimeout(r, 200));
    state.pausedMs += 200;
  }
}

/** What the purge carries from chunk to chunk: time spent paused, and the last wsrep status read. */
interface PurgeState {
  pausedMs: number;
  lastStatus?: WsrepStatus;
}

async function purgeTable(
  db: Db,
  rule: PurgeRule,
  cutoff: string,
  galera: boolean,
  options: HousekeepingOptions,
  state: PurgeState,
): Promise<TablePurge> {
  const started = Date.now();
  const sizer = chunkSizer(options);
  const table = `${q(rule.database)}.${q(rule.table)}`;
  const key = q(rule.primaryKey);
  const params = Array(rule.params).fill(cutoff);
  const [count] = await db.query<[{ n: string }]>(`SELECT COUNT(*) AS n FROM ${table} WHERE ${rule.where}`, params);
  const eligible = Number(count.n);
  const tally: PurgeTally = { chunk: sizer.chunk, purged: 0, chunks: 0, longest: 0 };
  let last: unknown;
  const columns = rule.action === 'archive' ? await shadowColumns(db, rule) : undefined;
  while (eligible > 0) {
    checkAborted(options.signal, 'housekeeping');
    if (galera) await waitForCluster(db, options, state);
    const after = last === undefined ? '' : `${key} > ? AND `;
    const afterParams = last === undefined ? [] : [last];
    const next: ChunkRange = { table, key, after, params: [...afterParams, ...params] };
    const done =
      rule.action === 'delete'
        ? await deleteChunk(db, rule, next, tally.chunk)
        : await archiveChunk(db, rule, next, tally.chunk, columns);
    if (done === undefined) break;
    tally.longest = Math.max(tally.longest, done.txnMs);
    tally.purged += done.moved;
    tally.chunks++;
    if (done.last) {
      reportPurge(options, rule, eligible, tally);
      break;
    }
    last = done.lastKey;
    tally.chunk = sizer.record(done.moved, done.txnMs);
    reportPurge(options, rule, eligible, tally);
  }
  return {
    service: rule.service,
    database: rule.database,
    table: rule.table,
    action: rule.action,
    eligible,
    purged: tally.purged,
    chunks: tally.chunks,
    longestTxnMs: Math.round(tally.longest),
    durationMs: Date.now() - started,
  };
}

/** Sizes the chunks so each transaction stays well under `targetTxnMs`. */
function chunkSizer(options: HousekeepingOptions): ChunkSizer {
  const target = options.targetTxnMs ?? 200;
  // Measured on a 2-core host with 420k expired tokens: a chunk's cost per row varies up to 3x from one chunk to the
  // next (InnoDB flushing and purge, the host's scheduling), and the target is a limit, not an average. So chunks aim
  // at a quarter of it, the estimate of the cost per row keeps a slow chunk's cost for a while (decay 0.95), and
  // chunks grow at most 1.25x. That kept the longest chunk at 83 to 110 ms at about 45k rows/s.
  return new ChunkSizer({
    initial: options.initialChunk ?? 500,
    min: 50,
    max: options.maxChunk ?? 20_000,
    budgetMs: target / 4,
    decay: 0.95,
    growth: 1.25,
  });
}

/** The shadow table's columns, in order, for the archive's INSERT … SELECT. */
async function shadowColumns(db: Db, rule: PurgeRule): Promise<string> {
  const cols = await db.query<{ COLUMN_NAME: string }[]>(
    'SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION',
    [rule.database, `shadow_${rule.table}`],
  );
  return cols.map((c) => q(c.COLUMN_NAME)).join(', ');
}

/** The purge's running totals; `chunk` is the next chunk's size. */
interface PurgeTally {
  chunk: number;
  purged: number;
  chunks: number;
  longest: number;
}

/** The next chunk's rows: eligible (`params` bound) and, from the second chunk on, past the last key purged. */
interface ChunkRange {
  table: string;
  key: string;
  /** `<key> > ? AND ` after the first chunk, else empty. */
  after: string;
  params: unknown[];
}

/** One chunk purged: rows moved, the transaction's time, the last key; `last`: no eligible row is left after it. */
interface ChunkDone {
  moved: number;
  lastKey: unknown;
  txnMs: number;
  last: boolean;
}

/** Deletes the next chunk: the rows up to the chunk's upper key; `last` when fewer than a chunk remained. */
async function deleteChunk(db: Db, rule: PurgeRule, next: ChunkRange, chunk: number): Promise<ChunkDone> {
  const { table, key, after } = next;
  // The chunk's upper key is found without locks; the DELETE re-checks eligibility, so a row that changed is left alone.
  const bound = await db.query<Record<string, unknown>[]>(
    `SELECT ${key} AS k FROM ${table} WHERE ${after}${rule.where} ORDER BY ${key} LIMIT 1 OFFSET ${chunk - 1}`,
    next.params,
  );
  const upper = bound[0]?.k;
  const t1 = performance.now();
  const range = upper === undefined ? '' : ` AND ${key} <= ?`;
  const result = await db.query<{ affectedRows: number }>(`DELETE FROM ${table} WHERE ${after}${rule.where}${range}`, [
    ...next.params,
    ...(upper === undefined ? [] : [upper]),
  ]);
  const txnMs = performance.now() - t1;
  return { moved: result.affectedRows, lastKey: upper, txnMs, last: upper === undefined };
}

/** Moves a chunk to shadow_<table> in one transaction; undefined when no eligible row was left. */
async function archiveChunk(
  db: Db,
  rule: PurgeRule,
  next: ChunkRange,
  chunk: number,
  columns: string | undefined,
): Promise<ChunkDone | undefined> {
  const { table, key, after } = next;
  const t0 = performance.now();
  let moved: number;
  let lastKey: unknown;
  await db.query('START TRANSACTION');
  try {
    const rows = await db.query<Record<string, unknown>[]>(
      `SELECT ${key} AS k FROM ${table} WHERE ${after}${rule.where} ORDER BY ${key} LIMIT ${chunk} FOR UPDATE`,
      next.params,
    );
    const keys = rows.map((r) => r.k);
    if (keys.length === 0) {
      await db.query('COMMIT');
      return undefined;
    }
    await db.query(
      `INSERT INTO ${q(rule.database)}.${q(`shadow_${rule.table}`)} (${columns}) SELECT ${columns} FROM ${table} WHERE ${key} IN (?)`,
      [keys],
    );
    const result = await db.query<{ affectedRows: number }>(`DELETE FROM ${table} WHERE ${key} IN (?)`, [keys]);
    await db.query('COMMIT');
    moved = result.affectedRows;
    lastKey = keys[keys.length - 1];
  } catch (error) {
    await db.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
  const txnMs = performance.now() - t0;
  return { moved, lastKey, txnMs, last: false };
}

/** Progress after a chunk: rows purged so far of those eligible, and the next chunk's size. */
function reportPurge(options: HousekeepingOptions, rule: PurgeRule, eligible: number, tally: PurgeTally): void {
  options.onProgress?.({
    kind: 'purge',
    service: rule.service,
    table: `${rule.database}.${rule.table}`,
    rows: tally.purged,
    totalRows: eligible,
    chunkSize: tally.chunk,
    chunkMs: 0,
  });
}
