import { readFileSync, rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mysql from 'mysql2/promise';
import { makeTempDir, startGaleraCluster, startMariaDb, type GaleraCluster } from '@leap/test-fixtures';
import {
  assertHealthy,
  backupDatabases,
  checkHealth,
  purge,
  restoreBackup,
  verifyBackup,
  withDb,
  type DbConnectionOptions,
  type ProgressEvent,
} from '../src/index.js';

/** The health gate against a real three-node Galera cluster on loopback (one cluster for the file). */
describe('health gate on a real Galera cluster', () => {
  let cluster: GaleraCluster;
  const conn = (i: number): DbConnectionOptions => ({
    socketPath: cluster.nodes[i]!.socketPath,
    user: 'root',
    password: '',
  });
  const waitFor = async (what: string, ok: () => Promise<boolean>) => {
    for (let tries = 0; tries < 600; tries++) {
      if (await ok()) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`gave up waiting for ${what}`);
  };

  /**
   * Waits for an isolated node to be Synced in the whole cluster again. On a loaded machine Galera has aborted such a
   * node while it rejoined (its socket refused connections afterwards); that is Galera's business, not the health
   * gate's, so the node is started again and its error log's tail printed, and the cluster is whole for the next test.
   */
  const rejoin = async (index: number) => {
    const node = cluster.nodes[index]!;
    const deadline = Date.now() + 180_000;
    while (Date.now() < deadline) {
      if (node.process === undefined) {
        const log = readFileSync(node.errorLog, 'utf8').trim().split('\n').slice(-15).join('\n');
        console.warn(`${node.name} exited while rejoining; starting it again. Its error log ends:\n${log}`);
        await cluster.startNode(index);
        break;
      }
      const state = await cluster.status(index, 'wsrep_local_state_comment').catch(() => undefined);
      const size = await cluster.status(index, 'wsrep_cluster_size').catch(() => undefined);
      if (state === 'Synced' && size === '3') return;
      await new Promise((r) => setTimeout(r, 500));
    }
    await cluster.waitSynced(index, 3);
  };

  beforeAll(async () => {
    cluster = await startGaleraCluster();
  }, 300_000);
  afterAll(async () => {
    await cluster?.destroy();
  }, 60_000);

  it('passes on the Synced three-node cluster, from every node', async () => {
    for (const i of [0, 1, 2]) {
      const report = await checkHealth(conn(i), 3);
      expect(report.galera).toBe(true);
      expect(report.ok, report.summary).toBe(true);
      expect(report.checks.map((c) => c.name)).toContain('wsrep_cluster_size');
    }
    await expect(assertHealthy(conn(0), 3)).resolves.toMatchObject({ ok: true });
  });

  it('fails with "size 2 of 3" when a node is stopped, and passes again once it has rejoined', async () => {
    await cluster.stopNode(2);
    await waitFor('size 2', async () => (await cluster.status(0, 'wsrep_cluster_size')) === '2');
    const report = await checkHealth(conn(0), 3);
    expect(report.ok).toBe(false);
    expect(report.checks.filter((c) => !c.ok)).toEqual([
      expect.objectContaining({ name: 'wsrep_cluster_size', actual: '2', expected: '3' }),
    ]);
    expect(report.summary).toContain('wsrep_cluster_size is 2, expected 3');
    await expect(assertHealthy(conn(0), 3)).rejects.toMatchObject({
      code: 'LEAP_DB_UNHEALTHY',
      message: expect.stringContaining('wsrep_cluster_size is 2, expected 3'),
      hint: expect.stringContaining('start the missing ones'),
    });

    await cluster.startNode(2);
    await cluster.waitSynced(0, 3);
    expect((await checkHealth(conn(0), 3)).ok).toBe(true);
  }, 120_000);

  it('fails when a node is desynced (Donor/Desynced), and passes after wsrep_desync=OFF', async () => {
    await cluster.query(1, 'SET GLOBAL wsrep_desync=ON');
    try {
      await waitFor('Donor/Desynced', async () => (await cluster.status(1, 'wsrep_local_state_comment')) !== 'Synced');
      const report = await checkHealth(conn(1), 3);
      expect(report.ok).toBe(false);
      expect(report.checks.filter((c) => !c.ok)).toEqual([
        expect.objectContaining({ name: 'wsrep_local_state_comment', expected: 'Synced', actual: 'Donor/Desynced' }),
      ]);
      expect(report.summary).toContain('wsrep_local_state_comment is Donor/Desynced, expected Synced');
      // The other nodes are unaffected.
      expect((await checkHealth(conn(0), 3)).ok).toBe(true);
    } finally {
      await cluster.query(1, 'SET GLOBAL wsrep_desync=OFF');
    }
    await cluster.waitSynced(1, 3);
    expect((await checkHealth(conn(1), 3)).ok).toBe(true);
  }, 60_000);

  it('fails on a non-Primary node (isolated from the others), and passes once it is back', async () => {
    await cluster.query(2, "SET GLOBAL wsrep_provider_options='gmcast.isolate=1'");
    try {
      await waitFor('non-Primary', async () => (await cluster.status(2, 'wsrep_cluster_status')) !== 'Primary');
      const report = await checkHealth(conn(2), 3);
      expect(report.ok).toBe(false);
      const failed = report.checks.filter((c) => !c.ok);
      expect(failed[0]).toMatchObject({ name: 'wsrep_cluster_status', expected: 'Primary', actual: 'non-Primary' });
      expect(report.summary).toContain('wsrep_cluster_status is non-Primary, expected Primary');
      await expect(assertHealthy(conn(2), 3)).rejects.toMatchObject({
        code: 'LEAP_DB_UNHEALTHY',
        hint: expect.stringContaining('bootstrap the cluster from it'),
      });
      // The two others keep quorum: Primary, but the gate still sees a node missing.
      await waitFor('size 2', async () => (await cluster.status(0, 'wsrep_cluster_size')) === '2');
      const others = await checkHealth(conn(0), 3);
      expect(others.checks.filter((c) => !c.ok).map((c) => c.name)).toEqual(['wsrep_cluster_size']);
    } finally {
      await cluster.query(2, "SET GLOBAL wsrep_provider_options='gmcast.isolate=0'");
    }
    await rejoin(2);
    await cluster.waitSynced(0, 3);
    expect((await checkHealth(conn(2), 3)).ok).toBe(true);
  }, 300_000);

  it('housekeeping pauses while flow control is active, touches nothing meanwhile, and finishes once it clears', async () => {
    await cluster.query(0, 'CREATE DATABASE keystone');
    await cluster.query(
      0,
      'CREATE TABLE keystone.token (id VARCHAR(64) PRIMARY KEY, expires DATETIME, extra TEXT, valid TINYINT(1) NOT NULL, KEY ix_token_expires (expires))',
    );
    await cluster.query(
      0,
      `INSERT INTO keystone.token SELECT MD5(seq), IF(seq % 4 = 0, UTC_TIMESTAMP() + INTERVAL 1 DAY, UTC_TIMESTAMP() - INTERVAL 1 DAY), 'x', 1 FROM keystone.seq_1_to_2000`,
    );
    await cluster.query(0, 'CREATE TABLE keystone.fc (id INT AUTO_INCREMENT PRIMARY KEY, v INT)');
    await waitFor(
      'keystone.fc on node3',
      async () => (await cluster.query<unknown[]>(2, "SHOW TABLES FROM keystone LIKE 'fc'")).length === 1,
    );
    // node3 stops applying (a table lock held against its applier) with a tiny queue limit: it asks the cluster to pause.
    await cluster.query(2, "SET GLOBAL wsrep_provider_options='gcs.fc_limit=2'");
    const holder = await mysql.createConnection(conn(2));
    const writer = await mysql.createConnection(conn(0));
    let writes: Promise<void> | undefined;
    try {
      await holder.query('FLUSH TABLES keystone.fc WITH READ LOCK');
      writes = (async () => {
        for (let i = 0; i < 10; i++) await writer.query('INSERT INTO keystone.fc (v) VALUES (1)');
      })();
      await waitFor('flow control', async () => (await cluster.status(0, 'wsrep_flow_control_active')) === 'true');

      const events: ProgressEvent[] = [];
      const purging = purge({ db: conn(0), services: ['keystone'], onProgress: (e) => events.push(e) });
      await waitFor('a pause', async () => events.filter((e) => e.kind === 'purge-paused').length >= 5);
      expect(events.find((e) => e.kind === 'purge-paused')).toMatchObject({
        reason: expect.stringContaining('flow control is active'),
      });
      const [{ n }] = await cluster.query<[{ n: number }]>(1, 'SELECT COUNT(*) AS n FROM keystone.token');
      expect(Number(n)).toBe(2000);

      await holder.query('UNLOCK TABLES');
      await writes;
      const result = await purging;
      expect(result.purged).toBe(1500);
      expect(result.pausedMs).toBeGreaterThanOrEqual(1000);
      for (const i of [0, 1, 2]) {
        const [{ left }] = await cluster.query<[{ left: number }]>(i, 'SELECT COUNT(*) AS `left` FROM keystone.token');
        expect(Number(left)).toBe(500);
      }
    } finally {
      await holder.query('UNLOCK TABLES').catch(() => undefined);
      await writes?.catch(() => undefined);
      await holder.end();
      await writer.end();
      await cluster.query(2, "SET GLOBAL wsrep_provider_options='gcs.fc_limit=16'");
    }
  }, 120_000);

  it('a backup taken from one node restores into a fresh server with the same row counts and checksums', async () => {
    await cluster.query(0, 'CREATE DATABASE nova');
    await cluster.query(0, 'CREATE TABLE nova.instances (id INT PRIMARY KEY, uuid CHAR(36), user_data TEXT)');
    await cluster.query(
      0,
      'INSERT INTO nova.instances SELECT seq, UUID(), REPEAT(SHA2(seq, 256), 4) FROM nova.seq_1_to_3000',
    );
    await cluster.waitSynced(1, 3);
    const backupDir = makeTempDir('leap-galera-backup-');
    const fresh = await startMariaDb();
    try {
      const { dir, manifest } = await backupDatabases({ db: conn(1), backupDir, databases: ['keystone', 'nova'] });
      expect(manifest.databases.map((d) => d.name)).toEqual(['keystone', 'nova']);
      expect((await verifyBackup(dir)).ok).toBe(true);
      const target = { socketPath: fresh.socketPath, user: fresh.user, password: fresh.password };
      await restoreBackup(dir, { db: target });
      const measure = (c: DbConnectionOptions) =>
        withDb(c, async (db) => {
          const out: Record<string, string> = {};
          for (const table of ['keystone.token', 'keystone.fc', 'nova.instances']) {
            const [{ n }] = await db.query<[{ n: number }]>(`SELECT COUNT(*) AS n FROM ${table}`);
            const [sum] = await db.query<[{ Checksum: number }]>(`CHECKSUM TABLE ${table}`);
            out[table] = `${n}/${sum.Checksum}`;
          }
          return out;
        });
      expect(await measure(target)).toEqual(await measure(conn(1)));
      expect((await measure(target))['nova.instances']).toMatch(/^3000\//);
    } finally {
      await fresh.stop();
      rmSync(backupDir, { recursive: true, force: true });
    }
  }, 120_000);
});
