#!/usr/bin/env node
// Backup: leap vs the upstream method (sequential mariadb-dump per database, then tar czf) vs mydumper -t 2 -c:
// wall time, peak memory of the process tree, bytes written. Purge of expired keystone tokens: leap's adaptive chunks
// vs pt-archiver --purge --txn-size 500 (with and without --bulk-delete) vs one DELETE: rows per second, the longest
// transaction (performance_schema), and the p99 latency of a concurrent writer (bench/lib/probe.mjs). All on one generated
// Kilo-shaped data set (bench/lib/kilo-dataset.mjs), every peer measured in the same run. Prints Markdown.
// LEAP_BENCH_MB (default 1100), LEAP_BENCH_RUNS (default 3), LEAP_BENCH_SEED (default 1).
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from '../../packages/db-migrate/node_modules/execa/index.js';
import mysql from 'mysql2/promise';
import { purge } from '../../packages/db-migrate/dist/index.js';
import { generateKiloDataset } from '../lib/kilo-dataset.mjs';
import { probeServerArgs } from '../lib/probe-server-args.mjs';
import { ratio, stats, table } from '../lib/stats.mjs';

const targetMb = Number(process.env.LEAP_BENCH_MB ?? 1100);
const runs = Number(process.env.LEAP_BENCH_RUNS ?? 3);
const seed = Number(process.env.LEAP_BENCH_SEED ?? 1);
const leapBin = fileURLToPath(new URL('../../packages/cli/bin/leap.js', import.meta.url));
const probeScript = fileURLToPath(new URL('../lib/probe.mjs', import.meta.url));
const base = mkdtempSync(join(tmpdir(), 'leap-bench-db-'));
const datadir = join(base, 'data');
const socket = join(base, 'sock');
const port = 20000 + Math.floor(Math.random() * 10000);
mkdirSync(datadir);
mkdirSync(join(base, 'tmp'));
await execa('mariadb-install-db', [
  '--no-defaults',
  '--auth-root-authentication-method=normal',
  '--skip-test-db',
  `--datadir=${datadir}`,
  `--tmpdir=${join(base, 'tmp')}`,
  '--user=root',
]);
const server = execa(
  'mariadbd',
  [
    '--no-defaults',
    `--datadir=${datadir}`,
    `--tmpdir=${join(base, 'tmp')}`,
    `--socket=${socket}`,
    `--port=${port}`,
    '--bind-address=127.0.0.1',
    '--user=root',
    '--innodb-buffer-pool-size=512M',
    '--innodb-log-file-size=256M',
    `--log-error=${join(base, 'err.log')}`,
    ...probeServerArgs,
  ],
  { reject: false },
);
for (let i = 0; i < 200 && !existsSync(socket); i++) await new Promise((r) => setTimeout(r, 100));
await new Promise((r) => setTimeout(r, 500));
const conn = { socketPath: socket, user: 'root', password: '' };
const sql = await mysql.createConnection({ ...conn, multipleStatements: true });
const cli = ['--no-defaults', `--socket=${socket}`, '-uroot'];

const bytesUnder = (path) =>
  statSync(path).isDirectory()
    ? readdirSync(path).reduce((n, e) => n + bytesUnder(join(path, e)), 0)
    : statSync(path).size;

/** Runs argv, sampling the RSS of its whole process tree every 100 ms (GNU time is not always installed). */
async function measured(argv, options = {}) {
  const child = execa(argv[0], argv.slice(1), { reject: false, stdout: 'ignore', ...options });
  let peakKb = 0;
  let selfPeakKb = 0;
  const timer = setInterval(async () => {
    try {
      const { stdout } = await execa('ps', ['-o', 'pid=,rss=', '--ppid', String(child.pid), '-p', String(child.pid)]);
      const rows = stdout.split('\n').map((l) => l.trim().split(/\s+/).map(Number));
      peakKb = Math.max(
        peakKb,
        rows.reduce((n, [, rss]) => n + (rss || 0), 0),
      );
      selfPeakKb = Math.max(selfPeakKb, rows.find(([pid]) => pid === child.pid)?.[1] ?? 0);
    } catch {
      /* the process ended */
    }
  }, 100);
  const started = performance.now();
  const result = await child;
  clearInterval(timer);
  if (result.timedOut) return { hung: true };
  if (result.exitCode !== 0) throw new Error(`${argv.join(' ')} failed: ${result.stderr}`);
  return { ms: performance.now() - started, peakMb: peakKb / 1024, selfPeakMb: selfPeakKb / 1024 };
}

/**
 * mydumper 0.10 sometimes hangs for good (threads idle, its connection asleep in the sys schema; seen here twice in
 * a 1 GB run): a peer's run that outlives `timeout` is killed and run again, at most twice, and the hang counted.
 */
const hangs = [];
async function measuredPeer(name, argv, options) {
  for (let attempt = 1; ; attempt++) {
    const result = await measured(argv, options);
    if (!result.hung) return result;
    hangs.push(`${name} hung and was killed after ${options.timeout / 1000} s (attempt ${attempt})`);
    if (attempt === 3) throw new Error(`${name} hung three times`);
  }
}

try {
  const t0 = Date.now();
  const data = await generateKiloDataset(sql, { targetMb, seed });
  const [[size]] = await sql.query(
    `SELECT ROUND(SUM(DATA_LENGTH + INDEX_LENGTH) / 1048576) AS mb FROM information_schema.TABLES
    WHERE TABLE_SCHEMA IN (${data.databases.map(() => '?').join(',')})`,
    data.databases,
  );
  const genS = ((Date.now() - t0) / 1000).toFixed(0);
  // ---- backup ----
  const backup = {
    'leap, dump only': { ms: [], peak: [], bytes: [] },
    'leap backup (verified)': { ms: [], peak: [], self: [], bytes: [] },
    upstream: { ms: [], peak: [], bytes: [] },
    mydumper: { ms: [], peak: [], bytes: [] },
    'mydumper + myloader into a throwaway server': { ms: [], peak: [], bytes: [] },
  };
  const leapModule = new URL('../../packages/db-migrate/dist/index.js', import.meta.url).href;
  for (let i = 0; i < runs; i++) {
    const out = join(base, `out-${i}`);
    mkdirSync(out);
    const leapScript = `import { backupDatabases } from ${JSON.stringify(leapModule)};
      await backupDatabases({ db: { socketPath: ${JSON.stringify(socket)}, user: 'root', password: '' }, backupDir: ${JSON.stringify(join(out, 'leap'))},
        databases: ${JSON.stringify(data.databases)}, parallel: 2 });`;
    const l = await measured([process.execPath, '--input-type=module', '-e', leapScript]);
    backup['leap, dump only'].ms.push(l.ms);
    backup['leap, dump only'].peak.push(l.peakMb);
    backup['leap, dump only'].bytes.push(bytesUnder(join(out, 'leap')));

    // What the operator runs: `leap backup` (the db/backup step does the same), the dumps loaded into a throwaway
    // server as they are written.
    const leapYaml = join(out, 'leap.yaml');
    writeFileSync(
      leapYaml,
      `backupDir: ${join(out, 'leap-verified')}\ndatabase:\n  socket: ${socket}\n  user: root\n  password: ''\n`,
    );
    const v = await measured([
      process.execPath,
      leapBin,
      '--config',
      leapYaml,
      '--deploy-dir',
      out,
      '--marker-dir',
      join(out, 'markers'),
      '--json',
      'backup',
    ]);
    const verified = backup['leap backup (verified)'];
    verified.ms.push(v.ms);
    verified.peak.push(v.peakMb);
    verified.self.push(v.selfPeakMb);
    verified.bytes.push(bytesUnder(join(out, 'leap-verified')));

    // The upstream method (rpc-upgrades): one mysqldump per database, one after the other, then tar czf.
    mkdirSync(join(out, 'up'));
    const up = await measured([
      process.execPath,
      '--input-type=module',
      '-e',
      `
      import { execa } from ${JSON.stringify(new URL('../../packages/db-migrate/node_modules/execa/index.js', import.meta.url).href)};
      for (const db of ${JSON.stringify(data.databases)}) await execa('mariadb-dump', [...${JSON.stringify(cli)}, '--result-file=${join(out, 'up')}/' + db + '.sql', db]);
      await execa('tar', ['czf', ${JSON.stringify(join(out, 'up.tgz'))}, '-C', ${JSON.stringify(join(out, 'up'))}, '.']);`,
    ]);
    backup.upstream.ms.push(up.ms);
    backup.upstream.peak.push(up.peakMb);
    backup.upstream.bytes.push(statSync(join(out, 'up.tgz')).size);

    const m = await measuredPeer(
      'mydumper',
      [
        'mydumper',
        '-S',
        socket,
        '-u',
        'root',
        '-t',
        '2',
        '-c',
        '--regex',
        `^(${data.databases.join('|')})\\.`,
        '-o',
        join(out, 'myd'),
      ],
      { timeout: 5 * 60_000 },
    );
    backup.mydumper.ms.push(m.ms);
    backup.mydumper.peak.push(m.peakMb);
    backup.mydumper.bytes.push(bytesUnder(join(out, 'myd')));

    // The fair peer of a verified backup: mydumper's dump, then myloader into a throwaway server on the same tuning
    // as leap's (db-migrate's withScratchServer), started and removed within the timing.
    const loaderScript = `import { execa } from ${JSON.stringify(new URL('../../packages/db-migrate/node_modules/execa/index.js', import.meta.url).href)};
      import { withScratchServer } from ${JSON.stringify(leapModule)};
      await withScratchServer({ mariadbd: 'mariadbd', installDb: 'mariadb-install-db', parentDir: ${JSON.stringify(out)} }, async (target) => {
        await execa('mydumper', ['-S', ${JSON.stringify(socket)}, '-u', 'root', '-t', '2', '-c', '--regex', ${JSON.stringify(`^(${data.databases.join('|')})\\.`)}, '-o', ${JSON.stringify(join(out, 'myl'))}]);
        await execa('myloader', ['-S', target.socketPath, '-u', 'root', '-t', '2', '-d', ${JSON.stringify(join(out, 'myl'))}]);
      });`;
    const ml = await measuredPeer(
      'mydumper + myloader',
      [process.execPath, '--input-type=module', '-e', loaderScript],
      { timeout: 10 * 60_000 },
    );
    const loader = backup['mydumper + myloader into a throwaway server'];
    loader.ms.push(ml.ms);
    loader.peak.push(ml.peakMb);
    loader.bytes.push(bytesUnder(join(out, 'myl')));
    rmSync(out, { recursive: true, force: true });
  }

  // ---- purge ----
  // Made after the backups, which (as `leap backup`) take every database: the template is a bench artefact.
  await sql.query(
    'CREATE DATABASE scratch; CREATE TABLE scratch.token_template LIKE keystone.token; INSERT INTO scratch.token_template SELECT * FROM keystone.token',
  );
  const refill = async () => {
    await sql.query('TRUNCATE keystone.token; INSERT INTO keystone.token SELECT * FROM scratch.token_template');
  };
  const expired = data.expiredTokens;
  const withProbe = async (fn) => {
    // No forced kill: the probe needs a moment after SIGTERM to clean up its rows and print its figures.
    const probe = execa(process.execPath, [probeScript, socket], { reject: false, forceKillAfterDelay: false });
    await new Promise((resolve) => probe.stdout.once('data', resolve));
    const started = performance.now();
    const result = await fn();
    const ms = performance.now() - started;
    probe.kill('SIGTERM');
    const p = await probe;
    if (p.exitCode !== 0) throw new Error(`probe failed (exit ${p.exitCode ?? p.signal}): ${p.stderr}`);
    return { ms, result, probe: JSON.parse(p.stdout.split('\n').filter(Boolean).at(-1)) };
  };
  const methods = {
    'leap (adaptive chunks, 200 ms target)': () => purge({ db: conn, services: ['keystone'] }),
    'pt-archiver --txn-size 500': () =>
      execa('pt-archiver', [
        '--source',
        `S=${socket},u=root,D=keystone,t=token`,
        '--purge',
        '--where',
        'expires < UTC_TIMESTAMP()',
        '--limit',
        '500',
        '--txn-size',
        '500',
        '--no-safe-auto-increment',
      ]),
    'pt-archiver --txn-size 500 --bulk-delete': () =>
      execa('pt-archiver', [
        '--source',
        `S=${socket},u=root,D=keystone,t=token`,
        '--purge',
        '--where',
        'expires < UTC_TIMESTAMP()',
        '--limit',
        '500',
        '--txn-size',
        '500',
        '--no-safe-auto-increment',
        '--bulk-delete',
      ]),
    'one DELETE': () => sql.query('DELETE FROM keystone.token WHERE expires < UTC_TIMESTAMP()'),
  };
  const purges = Object.fromEntries(
    Object.keys(methods).map((k) => [k, { rate: [], longest: [], any: [], p99: [], self: [] }]),
  );
  for (let i = 0; i < runs; i++) {
    for (const [name, fn] of Object.entries(methods)) {
      await refill();
      const r = await withProbe(fn);
      const [[left]] = await sql.query('SELECT COUNT(*) AS n FROM keystone.token WHERE expires < UTC_TIMESTAMP()');
      if (Number(left.n) !== 0) throw new Error(`${name} left ${left.n} expired tokens`);
      purges[name].rate.push(expired / (r.ms / 1000));
      purges[name].longest.push(r.probe.longestTxnMs);
      purges[name].any.push(r.probe.longestAnyTxnMs);
      purges[name].p99.push(r.probe.p99);
      if (r.result?.longestTxnMs !== undefined) purges[name].self.push(r.result.longestTxnMs);
    }
  }

  // ---- report ----
  const s = (xs, f) => {
    const x = stats(xs);
    return [f(x.median), f(x.min), f(x.max)];
  };
  const sec = (ms) => `${(ms / 1000).toFixed(1)} s`;
  const mbs = (b) => `${(b / 2 ** 20).toFixed(0)} MB`;
  console.log(
    `Data set: ${size.mb} MB of InnoDB data in ${data.databases.join(', ')} (seed ${seed}): ${data.rows.tokens} tokens, ${expired} expired; ` +
      `${data.rows.instances} instances; ${data.rows.networks} networks × 20 ports; ${data.rows.volumes} volumes; ${data.rows.images} images; ${data.rows.stacks} stacks. ` +
      `Generated in ${genS} s. ${runs} runs of each method, interleaved.\n`,
  );
  console.log(
    table(
      ['backup', 'median', 'min', 'max', 'peak RSS (process tree, median)', 'bytes written'],
      Object.entries(backup).map(([name, b]) => [
        name,
        ...s(b.ms, sec),
        `${stats(b.peak).median.toFixed(0)} MB`,
        mbs(stats(b.bytes).median),
      ]),
    ),
  );
  const leapB = stats(backup['leap, dump only'].ms).median;
  const mydB = stats(backup.mydumper.ms).median;
  const upB = stats(backup.upstream.ms).median;
  console.log(
    `\n- leap vs the upstream method: ${ratio(upB, leapB)} faster; vs mydumper -t 2 -c: ${ratio(mydB, leapB)} ` +
      `(target ≥ 1.0×, i.e. at least as fast: ${leapB <= mydB ? 'met' : `missed by ${((leapB / mydB - 1) * 100).toFixed(0)} %`}).`,
  );
  if (hangs.length > 0) console.log(`- ${hangs.join('; ')}: each run again (not timed).`);
  const leapPeak = stats(backup['leap, dump only'].peak).median;
  console.log(
    `- leap's peak memory (node + mariadb-dump): ${leapPeak.toFixed(0)} MB (target < 100 MB: ${leapPeak < 100 ? 'met' : 'missed'}).`,
  );
  const verifiedB = stats(backup['leap backup (verified)'].ms).median;
  const loaderB = stats(backup['mydumper + myloader into a throwaway server'].ms).median;
  const selfPeak = stats(backup['leap backup (verified)'].self).median;
  console.log(
    `- leap's verified backup vs mydumper -t 2 -c's unverified dump: ${ratio(verifiedB, mydB)} the time ` +
      `(target ≤ 1.3×: ${verifiedB <= 1.3 * mydB ? 'met' : `missed by ${((verifiedB / mydB / 1.3 - 1) * 100).toFixed(0)} %`}).`,
  );
  console.log(
    `- leap's verified backup vs mydumper + myloader: ${ratio(loaderB, verifiedB)} faster ` +
      `(target ≥ 1.5×: ${loaderB >= 1.5 * verifiedB ? 'met' : 'missed'}).`,
  );
  console.log(
    `- peak RSS of leap's own process (node) in the verified backup: ${selfPeak.toFixed(0)} MB at ${size.mb} MB ` +
      `(target ≤ 100 MB: ${selfPeak <= 100 ? 'met' : 'missed'}); the process tree adds mariadb-dump, the mariadb clients ` +
      `and the throwaway mariadbd.\n`,
  );

  console.log(
    table(
      [
        'purge of expired tokens',
        'rows/s median',
        'min',
        'max',
        'longest write transaction (median of runs, max)',
        'longest incl. reads (median)',
        'concurrent writer p99 (median)',
      ],
      Object.entries(purges).map(([name, p]) => [
        name,
        ...s(p.rate, (x) => x.toFixed(0)),
        `${stats(p.longest).median.toFixed(0)} ms, max ${Math.max(...p.longest).toFixed(0)} ms${p.self.length ? ` (leap's own: ${stats(p.self).median.toFixed(0)} ms, max ${Math.max(...p.self).toFixed(0)} ms)` : ''}`,
        `${stats(p.any).median.toFixed(0)} ms`,
        `${stats(p.p99).median.toFixed(1)} ms`,
      ]),
    ),
  );
  const leapP = purges['leap (adaptive chunks, 200 ms target)'];
  const bulk = stats(purges['pt-archiver --txn-size 500 --bulk-delete'].rate).median;
  const leapRate = stats(leapP.rate).median;
  const longest = Math.max(...leapP.longest, ...leapP.self);
  const p99 = stats(leapP.p99).median;
  console.log(
    `\n- leap vs pt-archiver --bulk-delete: ${ratio(leapRate, bulk)} (target ≥ 1.5×: ${leapRate >= 1.5 * bulk ? 'met' : 'missed'}).`,
  );
  console.log(
    `- leap's longest write transaction over all runs: ${longest.toFixed(0)} ms (target ≤ 200 ms: ${longest <= 200 ? 'met' : 'missed'}).`,
  );
  console.log(
    `- concurrent writer p99 during leap's purge: ${p99.toFixed(1)} ms (target < 50 ms: ${p99 < 50 ? 'met' : 'missed'}).`,
  );
  console.log(
    "\nThe longest write transaction comes from performance_schema, for every connection but the probe's: explicit",
  );
  console.log(
    'transactions (events_transactions_*, AUTOCOMMIT = NO) and autocommit INSERT, UPDATE and DELETE statements',
  );
  console.log(
    '(events_statements_history_long): what Galera replicates and certifies as one write set. "Incl. reads" adds autocommit',
  );
  console.log(
    "SELECTs, such as leap's COUNT(*) of the eligible rows and the SELECT that finds each chunk's upper key: consistent reads,",
  );
  console.log(
    'which replicate nothing and block no writer. leap also times its own DELETEs. pt-archiver commits every 500 rows. The',
  );
  console.log('writer inserts one live token per transaction.');
} finally {
  await sql.end();
  server.kill('SIGTERM');
  await server;
  rmSync(base, { recursive: true, force: true });
}
