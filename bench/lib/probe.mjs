// Runs beside a purge, in its own process so it shares no event loop with the code measured: a writer that inserts
// one live token per transaction as fast as it can (its latencies give the p99 a keystone user would feel), and a
// reader of performance_schema's transaction and statement events (the server must run with the options in
// `probeServerArgs`) that keeps, for every other connection, the longest transaction that wrote (an explicit
// transaction, or an autocommit INSERT, UPDATE or DELETE: what Galera must replicate and certify as one write set)
// and the longest of any kind (autocommit SELECTs included: consistent reads, which replicate nothing and block no
// writer). Usage: node probe.mjs <socket>; stops on SIGTERM and prints one JSON line.
// (information_schema.INNODB_TRX was tried first: MariaDB 10.11 lists no autocommit DELETE there.)
import mysql from 'mysql2/promise';

const socketPath = process.argv[2];
const writer = await mysql.createConnection({ socketPath, user: 'root', password: '' });
const reader = await mysql.createConnection({ socketPath, user: 'root', password: '' });
const threadOf = async (c) =>
  (await c.query('SELECT THREAD_ID AS t FROM performance_schema.threads WHERE PROCESSLIST_ID = CONNECTION_ID()'))[0][0]
    ?.t;
const own = [await threadOf(writer), await threadOf(reader)];
if (own.includes(undefined)) throw new Error('performance_schema is off: start the server with probeServerArgs');
await reader.query('TRUNCATE TABLE performance_schema.events_transactions_history_long');
await reader.query('TRUNCATE TABLE performance_schema.events_statements_history_long');
const latencies = [];
let longestMs = 0;
let longestWriteMs = 0;
const writes =
  "('statement/sql/insert', 'statement/sql/insert_select', 'statement/sql/update', 'statement/sql/update_multi', " +
  "'statement/sql/delete', 'statement/sql/delete_multi', 'statement/sql/replace', 'statement/sql/replace_select')";
let stop = false;
process.on('SIGTERM', () => {
  stop = true;
});

const maxMs = async (sql) => Number((await reader.query(sql, own))[0][0].ms ?? 0);
const readLongest = async () => {
  // TIMER_WAIT is in picoseconds; an open transaction shows its time so far. The current table also keeps each
  // thread's last finished transaction, which may predate the probe: only the open ones are read there.
  for (const [table, open] of [
    ['events_transactions_history_long', ''],
    ['events_transactions_current', " AND STATE = 'ACTIVE'"],
  ]) {
    const any = await maxMs(
      `SELECT MAX(TIMER_WAIT) / 1e9 AS ms FROM performance_schema.${table} WHERE THREAD_ID NOT IN (?, ?)${open}`,
    );
    longestMs = Math.max(longestMs, any);
    const explicit = await maxMs(
      `SELECT MAX(TIMER_WAIT) / 1e9 AS ms FROM performance_schema.${table} WHERE THREAD_ID NOT IN (?, ?) AND AUTOCOMMIT = 'NO'${open}`,
    );
    longestWriteMs = Math.max(longestWriteMs, explicit);
  }
  const statement = await maxMs(
    `SELECT MAX(TIMER_WAIT) / 1e9 AS ms FROM performance_schema.events_statements_history_long WHERE THREAD_ID NOT IN (?, ?) AND EVENT_NAME IN ${writes}`,
  );
  longestWriteMs = Math.max(longestWriteMs, statement);
};
const write = (async () => {
  for (let i = 0; !stop; i++) {
    const t = performance.now();
    await writer.query(
      "INSERT INTO keystone.token (id, expires, extra, valid, user_id) VALUES (?, TIMESTAMP('2036-01-01'), '{}', 1, 'probe')",
      [`probe-${process.pid}-${i}`],
    );
    latencies.push(performance.now() - t);
  }
})();
const watch = (async () => {
  while (!stop) {
    await readLongest();
    await new Promise((r) => setTimeout(r, 250));
  }
})();
process.stdout.write('ready\n');
await Promise.all([write, watch]);
await readLongest();
// By primary key range: the table has no index on user_id, and a full scan of a big token table takes seconds.
await writer.query('DELETE FROM keystone.token WHERE id LIKE ?', [`probe-${process.pid}-%`]);
await writer.end();
await reader.end();
latencies.sort((a, b) => a - b);
const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? 0;
process.stdout.write(
  `${JSON.stringify({ writes: latencies.length, p50: pct(0.5), p99: pct(0.99), max: latencies.at(-1) ?? 0, longestTxnMs: longestWriteMs, longestAnyTxnMs: longestMs })}\n`,
);
