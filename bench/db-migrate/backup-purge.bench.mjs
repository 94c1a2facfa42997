#!/usr/bin/env node
// Backup wall time / peak memory (leap vs upstream mysqldump+tar vs mydumper -t 2 -c) and purge throughput /
// longest transaction (leap vs pt-archiver with and without --bulk-delete vs one DELETE), on a generated
// Kilo-shaped data set. Size: LEAP_BENCH_MB (default 1100 MB of token + nova data). Prints Markdown.
import { mkdtempSync, rmSync, mkdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from '../../packages/db-migrate/node_modules/execa/index.js';
import mysql from 'mysql2/promise';
import { purge } from '../../packages/db-migrate/dist/index.js';

const targetMb = Number(process.env.LEAP_BENCH_MB ?? 1100);
const runs = Number(process.env.LEAP_BENCH_RUNS ?? 1);
const base = mkdtempSync(join(tmpdir(), 'leap-bench-db-'));
const datadir = join(base, 'data');
const socket = join(base, 'sock');
const port = 20000 + Math.floor(Math.random() * 10000);
mkdirSync(datadir);
await execa('mariadb-install-db', ['--no-defaults', '--auth-root-authentication-method=normal', '--skip-test-db', `--datadir=${datadir}`, '--user=root']);
const server = execa('mariadbd', ['--no-defaults', `--datadir=${datadir}`, `--socket=${socket}`, `--port=${port}`, '--bind-address=127.0.0.1', '--user=root',
  '--innodb-buffer-pool-size=512M', '--innodb-log-file-size=256M', `--log-error=${join(base, 'err.log')}`], { reject: false });
for (let i = 0; i < 200 && !existsSync(socket); i++) await new Promise((r) => setTimeout(r, 100));
await new Promise((r) => setTimeout(r, 500));
const conn = { socketPath: socket, user: 'root', password: '' };
const sql = await mysql.createConnection({ ...conn, multipleStatements: true });
const cli = ['--no-defaults', `--socket=${socket}`, '-uroot'];

try {
  // ~1 KB per token (UUID-token extra column), ~2/3 expired; nova instances with system metadata.
  const tokens = Math.round((targetMb * 0.75 * 2 ** 20) / 1100);
  const instances = Math.round((targetMb * 0.25 * 2 ** 20) / 1500);
  await sql.query(`CREATE DATABASE keystone; CREATE DATABASE nova; USE keystone;
    CREATE TABLE token (id VARCHAR(64) PRIMARY KEY, expires DATETIME, extra TEXT, valid TINYINT(1) NOT NULL, trust_id VARCHAR(64), user_id VARCHAR(64), KEY ix_token_expires (expires));
    CREATE TABLE nova.instances (id INT AUTO_INCREMENT PRIMARY KEY, uuid VARCHAR(36) NOT NULL, hostname VARCHAR(255), user_data MEDIUMTEXT, created_at DATETIME, deleted_at DATETIME, deleted INT);`);
  const t0 = Date.now();
  for (let done = 0; done < tokens; done += 100000) {
    const n = Math.min(100000, tokens - done);
    await sql.query(`INSERT INTO keystone.token SELECT MD5(${done} + seq), IF((${done} + seq) % 3 = 0, UTC_TIMESTAMP() + INTERVAL 1 DAY, UTC_TIMESTAMP() - INTERVAL 1 DAY), REPEAT(SHA2(seq, 256), 15), 1, NULL, MD5(seq % 1000) FROM seq_1_to_${n}`);
  }
  for (let done = 0; done < instances; done += 50000) {
    const n = Math.min(50000, instances - done);
    await sql.query(`INSERT INTO nova.instances (uuid, hostname, user_data, created_at, deleted_at, deleted) SELECT UUID(), CONCAT('vm', seq), REPEAT(SHA2(RAND(), 512), 11), NOW(), NULL, 0 FROM seq_1_to_${n}`);
  }
  await sql.query('CREATE TABLE keystone.token_template LIKE keystone.token; INSERT INTO keystone.token_template SELECT * FROM keystone.token');
  const [[size]] = await sql.query("SELECT ROUND(SUM(DATA_LENGTH + INDEX_LENGTH) / 1048576) AS mb FROM information_schema.TABLES WHERE TABLE_SCHEMA IN ('keystone','nova') AND TABLE_NAME <> 'token_template'");
  const genS = ((Date.now() - t0) / 1000).toFixed(0);

  const time = async (fn) => { const s = performance.now(); const r = await fn(); return { ms: performance.now() - s, r }; };
  const stats = (xs) => { const s = [...xs].sort((a, b) => a - b); return { med: s[Math.floor(s.length / 2)], min: s[0], max: s[s.length - 1] }; };
  const fmt = (ms) => `${(ms / 1000).toFixed(1)} s`;
  const rssOf = async (argv) => {
    // GNU time is not always installed; read the peak RSS of the whole process tree from /proc instead.
    const child = execa(argv[0], argv.slice(1), { reject: false, stdout: 'ignore' });
    let peak = 0;
    const timer = setInterval(async () => {
      try {
        const { stdout } = await execa('ps', ['-o', 'rss=', '--ppid', String(child.pid), '-p', String(child.pid)]);
        peak = Math.max(peak, stdout.split('\n').reduce((n, l) => n + (Number(l.trim()) || 0), 0));
      } catch { /* the process ended */ }
    }, 100);
    const s = performance.now();
    const r = await child;
    clearInterval(timer);
    if (r.exitCode !== 0) throw new Error(`${argv.join(' ')} failed: ${r.stderr}`);
    return { ms: performance.now() - s, peakMb: peak / 1024 };
  };

  const rows = [];
  const backupTimes = { leap: [], upstream: [], mydumper: [] };
  const peaks = { leap: 0, upstream: 0, mydumper: 0 };
  for (let i = 0; i < runs; i++) {
    const out = join(base, `out-${i}`);
    mkdirSync(out);
    // leap, in a child so its peak memory is its own
    const leapScript = `import { backupDatabases } from ${JSON.stringify(new URL('../../packages/db-migrate/dist/index.js', import.meta.url).href)};
      await backupDatabases({ db: { socketPath: ${JSON.stringify(socket)}, user: 'root', password: '' }, backupDir: ${JSON.stringify(join(out, 'leap'))}, databases: ['keystone', 'nova'], parallel: 2 });`;
    const nodeArgs = (process.env.LEAP_BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean); // e.g. --cpu-prof
    const l = await rssOf([process.execPath, ...nodeArgs, '--input-type=module', '-e', leapScript]);
    backupTimes.leap.push(l.ms); peaks.leap = Math.max(peaks.leap, l.peakMb);
    // upstream: sequential dumps then tar czf
    mkdirSync(join(out, 'up'));
    const up = await time(async () => {
      for (const db of ['keystone', 'nova']) await execa('mariadb-dump', [...cli, `--result-file=${join(out, 'up', `${db}.sql`)}`, db]);
      await execa('tar', ['czf', join(out, 'up.tgz'), '-C', join(out, 'up'), '.']);
    });
    backupTimes.upstream.push(up.ms);
    const m = await rssOf(['mydumper', '-S', socket, '-u', 'root', '-t', '2', '-c', '-B', 'keystone', '-o', join(out, 'myd')]);
    const m2 = await rssOf(['mydumper', '-S', socket, '-u', 'root', '-t', '2', '-c', '-B', 'nova', '-o', join(out, 'myd2')]);
    backupTimes.mydumper.push(m.ms + m2.ms); peaks.mydumper = Math.max(peaks.mydumper, m.peakMb, m2.peakMb);
    rmSync(out, { recursive: true, force: true });
  }
  for (const [name, xs] of Object.entries(backupTimes)) {
    const s = stats(xs);
    rows.push(`| backup: ${name} | ${fmt(s.med)} | ${fmt(s.min)} | ${fmt(s.max)} | ${name === 'upstream' ? 'n/a' : `${peaks[name].toFixed(0)} MB`} |`);
  }

  const refill = async () => { await sql.query('TRUNCATE keystone.token; INSERT INTO keystone.token SELECT * FROM keystone.token_template'); };
  const [[exp]] = await sql.query('SELECT COUNT(*) AS n FROM keystone.token WHERE expires < UTC_TIMESTAMP()');
  const expired = Number(exp.n);
  const purgeRows = [];
  await refill();
  const lp = await time(() => purge({ db: conn, services: ['keystone'] }));
  purgeRows.push(`| purge: leap (adaptive chunks, 200 ms target) | ${(expired / (lp.ms / 1000)).toFixed(0)} rows/s | ${lp.r.longestTxnMs} ms |`);
  for (const bulk of [false, true]) {
    await refill();
    const pt = await time(() => execa('pt-archiver', ['--source', `S=${socket},u=root,D=keystone,t=token`, '--purge', '--where', 'expires < UTC_TIMESTAMP()',
      '--limit', '500', '--txn-size', '500', '--no-safe-auto-increment', ...(bulk ? ['--bulk-delete'] : [])]));
    purgeRows.push(`| purge: pt-archiver --txn-size 500${bulk ? ' --bulk-delete' : ''} | ${(expired / (pt.ms / 1000)).toFixed(0)} rows/s | (500 rows per txn) |`);
  }
  await refill();
  const one = await time(() => sql.query('DELETE FROM keystone.token WHERE expires < UTC_TIMESTAMP()'));
  purgeRows.push(`| purge: one DELETE | ${(expired / (one.ms / 1000)).toFixed(0)} rows/s | ${one.ms.toFixed(0)} ms |`);

  console.log(`Data set: ${size.mb} MB on disk (keystone.token ${tokens} rows, ${expired} expired; nova.instances ${instances} rows), generated in ${genS} s. Runs: ${runs}.\n`);
  console.log('| backup | median | min | max | peak RSS (process tree) |\n|---|---|---|---|---|');
  console.log(rows.join('\n'));
  console.log('\n| purge | throughput | longest transaction |\n|---|---|---|');
  console.log(purgeRows.join('\n'));
  console.log('\nReproduce: `npm run build && LEAP_BENCH_MB=1100 LEAP_BENCH_RUNS=3 node bench/db-migrate/backup-purge.bench.mjs`');
} finally {
  await sql.end();
  server.kill('SIGTERM');
  await server;
  rmSync(base, { recursive: true, force: true });
}
