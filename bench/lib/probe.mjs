// Runs beside a purge, in its own process so it shares no event loop with the code measured: a writer that inserts
// one live token per transaction as fast as it can (its latencies give the p99 a keystone user would feel), and a
// sampler that reads information_schema.INNODB_TRX every 10 ms (the longest time any one transaction was seen open).
// Usage: node probe.mjs <socket>; stops on SIGTERM and prints one JSON line.
import mysql from 'mysql2/promise';

const socketPath = process.argv[2];
const writer = await mysql.createConnection({ socketPath, user: 'root', password: '' });
const sampler = await mysql.createConnection({ socketPath, user: 'root', password: '' });
const latencies = [];
const firstSeen = new Map();
let longestMs = 0;
let stop = false;
process.on('SIGTERM', () => { stop = true; });

const write = (async () => {
  for (let i = 0; !stop; i++) {
    const t = performance.now();
    await writer.query("INSERT INTO keystone.token (id, expires, extra, valid, user_id) VALUES (?, TIMESTAMP('2036-01-01'), '{}', 1, 'probe')", [`probe-${process.pid}-${i}`]);
    latencies.push(performance.now() - t);
  }
})();
const sample = (async () => {
  const [[me]] = await sampler.query('SELECT CONNECTION_ID() AS id');
  while (!stop) {
    const [rows] = await sampler.query('SELECT trx_id, trx_mysql_thread_id FROM information_schema.INNODB_TRX');
    const now = performance.now();
    const open = new Set();
    for (const r of rows) {
      if (r.trx_mysql_thread_id === me.id) continue;
      const id = String(r.trx_id);
      open.add(id);
      if (!firstSeen.has(id)) firstSeen.set(id, now);
      longestMs = Math.max(longestMs, now - firstSeen.get(id));
    }
    for (const id of firstSeen.keys()) if (!open.has(id)) firstSeen.delete(id);
    await new Promise((r) => setTimeout(r, 10));
  }
})();
process.stdout.write('ready\n');
await Promise.all([write, sample]);
await writer.query("DELETE FROM keystone.token WHERE user_id = 'probe'");
await writer.end();
await sampler.end();
latencies.sort((a, b) => a - b);
const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? 0;
process.stdout.write(`${JSON.stringify({ writes: latencies.length, p50: pct(0.5), p99: pct(0.99), max: latencies.at(-1) ?? 0, longestTxnSeenMs: longestMs })}\n`);
