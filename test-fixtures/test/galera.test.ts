import { describe, expect, it } from 'vitest';
import { startGaleraCluster } from '../src/index.js';

describe('startGaleraCluster', () => {
  it('starts three Synced nodes on loopback that replicate a write, and recovers positions after a crash', async () => {
    const cluster = await startGaleraCluster();
    try {
      expect(await cluster.status(0, 'wsrep_cluster_size')).toBe('3');
      await cluster.query(0, 'CREATE DATABASE leap_check');
      await cluster.query(0, 'CREATE TABLE leap_check.t (id INT PRIMARY KEY)');
      await cluster.query(0, 'INSERT INTO leap_check.t VALUES (1), (2)');
      for (const i of [1, 2]) {
        // A commit is certified everywhere at once but applied on the other nodes a moment later: a read there
        // waits for it (wsrep_sync_wait), as a loaded CI machine can be that moment behind.
        expect(
          await cluster.query(i, 'SET STATEMENT wsrep_sync_wait = 1 FOR SELECT COUNT(*) AS n FROM leap_check.t'),
        ).toEqual([{ n: 2 }]);
        expect(await cluster.status(i, 'wsrep_local_state_comment')).toBe('Synced');
      }

      await cluster.killNode(2);
      await cluster.query(0, 'INSERT INTO leap_check.t VALUES (3)');
      await cluster.waitSynced(0, 2);
      expect(await cluster.status(0, 'wsrep_cluster_size')).toBe('2');
      expect(await cluster.recoverPosition(2)).toMatch(/^[0-9a-f-]{36}:\d+$/);
    } finally {
      await cluster.destroy();
    }
  }, 180_000);
});
