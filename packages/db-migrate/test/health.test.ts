import { describe, expect, inject, it } from 'vitest';
import { assertHealthy, checkHealth, evaluateWsrep, throttleReason } from '../src/index.js';

const shared = inject('mariadb');
const healthy = {
  wsrep_cluster_status: 'Primary',
  wsrep_ready: 'ON',
  wsrep_connected: 'ON',
  wsrep_local_state_comment: 'Synced',
  wsrep_cluster_size: '3',
};

describe('health gate', () => {
  it('says a plain MariaDB server is not a Galera node and passes', async () => {
    const report = await assertHealthy(
      { socketPath: shared.socketPath, user: shared.user, password: shared.password },
      3,
    );
    expect(report).toMatchObject({ galera: false, ok: true, checks: [] });
    expect(report.summary).toMatch(/not a Galera node/);
    expect((await checkHealth({ socketPath: shared.socketPath, user: shared.user })).serverVersion).toMatch(/MariaDB/);
  });

  it('passes a healthy Galera node and names each failing check with what to do', () => {
    expect(evaluateWsrep(healthy, 3).every((c) => c.ok)).toBe(true);
    const failed = evaluateWsrep(
      {
        ...healthy,
        wsrep_cluster_status: 'non-Primary',
        wsrep_local_state_comment: 'Donor/Desynced',
        wsrep_cluster_size: '2',
      },
      3,
    ).filter((c) => !c.ok);
    expect(failed.map((c) => [c.name, c.actual, c.expected])).toEqual([
      ['wsrep_cluster_status', 'non-Primary', 'Primary'],
      ['wsrep_local_state_comment', 'Donor/Desynced', 'Synced'],
      ['wsrep_cluster_size', '2', '3'],
    ]);
    expect(failed[0]?.hint).toMatch(/bootstrap/);
    expect(
      evaluateWsrep({ ...healthy, wsrep_ready: 'OFF', wsrep_connected: 'OFF' })
        .filter((c) => !c.ok)
        .map((c) => c.name),
    ).toEqual(['wsrep_ready', 'wsrep_connected']);
  });

  it('pauses a purge while the receive queue or flow control grows or the node is not Synced', () => {
    expect(
      throttleReason({ ...healthy, wsrep_local_recv_queue: '0', wsrep_flow_control_paused: '0.0' }),
    ).toBeUndefined();
    expect(throttleReason({ ...healthy, wsrep_local_recv_queue: '25' })).toBe('wsrep_local_recv_queue is 25');
    // A cumulative fraction from long ago does not hold the purge back; live flow control does.
    expect(
      throttleReason({ ...healthy, wsrep_flow_control_paused: '0.5', wsrep_flow_control_active: 'false' }),
    ).toBeUndefined();
    expect(throttleReason({ ...healthy, wsrep_flow_control_active: 'true' })).toBe(
      'flow control is active (a node cannot keep up)',
    );
    // Galera 3 has no wsrep_flow_control_active: the paused time growing between two checks is the signal.
    const before = { ...healthy, wsrep_flow_control_paused_ns: '1000000' };
    expect(throttleReason({ ...healthy, wsrep_flow_control_paused_ns: '1000000' }, {}, before)).toBeUndefined();
    expect(throttleReason({ ...healthy, wsrep_flow_control_paused_ns: '251000000' }, {}, before)).toBe(
      'flow control paused replication for 250 ms since the last check',
    );
    expect(throttleReason({ ...healthy, wsrep_local_state_comment: 'Joined' })).toBe('the node is Joined, not Synced');
  });
});
