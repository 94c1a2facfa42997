import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGaleraCluster, type GaleraCluster } from '@leap/test-fixtures';
import { assertHealthy, checkHealth, type DbConnectionOptions } from '../src/index.js';

/** The health gate against a real three-node Galera cluster on loopback (one cluster for the file). */
describe('health gate on a real Galera cluster', () => {
  let cluster: GaleraCluster;
  const conn = (i: number): DbConnectionOptions => ({ socketPath: cluster.nodes[i]!.socketPath, user: 'root', password: '' });
  const waitFor = async (what: string, ok: () => Promise<boolean>) => {
    for (let tries = 0; tries < 600; tries++) {
      if (await ok()) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`gave up waiting for ${what}`);
  };

  beforeAll(async () => { cluster = await startGaleraCluster(); }, 300_000);
  afterAll(async () => { await cluster?.destroy(); }, 60_000);

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
    expect(report.checks.filter((c) => !c.ok)).toEqual([expect.objectContaining({ name: 'wsrep_cluster_size', actual: '2', expected: '3' })]);
    expect(report.summary).toContain('wsrep_cluster_size is 2, expected 3');
    await expect(assertHealthy(conn(0), 3)).rejects.toMatchObject({
      code: 'LEAP_DB_UNHEALTHY', message: expect.stringContaining('wsrep_cluster_size is 2, expected 3'),
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
        code: 'LEAP_DB_UNHEALTHY', hint: expect.stringContaining('bootstrap the cluster from it'),
      });
      // The two others keep quorum: Primary, but the gate still sees a node missing.
      await waitFor('size 2', async () => (await cluster.status(0, 'wsrep_cluster_size')) === '2');
      const others = await checkHealth(conn(0), 3);
      expect(others.checks.filter((c) => !c.ok).map((c) => c.name)).toEqual(['wsrep_cluster_size']);
    } finally {
      await cluster.query(2, "SET GLOBAL wsrep_provider_options='gmcast.isolate=0'");
    }
    await cluster.waitSynced(2, 3);
    await cluster.waitSynced(0, 3);
    expect((await checkHealth(conn(2), 3)).ok).toBe(true);
  }, 90_000);
});
