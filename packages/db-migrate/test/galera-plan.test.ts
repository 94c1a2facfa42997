import { describe, expect, it, vi } from 'vitest';
import {
  DbMigrateError,
  parseGrastate,
  parseRecoveredPosition,
  planGaleraRecovery,
  recoverGalera,
  withSafeToBootstrap,
  type GaleraRecoveryActions,
  type NodeState,
} from '../src/index.js';

const A = '6f1c0e4e-1d8a-11f1-8d7a-7a2b0c0ffee1';
const B = '0b6a1f2c-2e9b-11f1-9e8b-8b3c1d1ffee2';
const grastate = (uuid: string, seqno: number, safe = 0) =>
  `# GALERA saved state\nversion: 2.1\nuuid:    ${uuid}\nseqno:   ${seqno}\nsafe_to_bootstrap: ${safe}\n`;

describe('grastate.dat and --wsrep-recover parsing', () => {
  it('reads uuid, seqno and safe_to_bootstrap, and rewrites only safe_to_bootstrap', () => {
    expect(parseGrastate(grastate(A, 42, 1))).toEqual({ uuid: A, seqno: 42, safeToBootstrap: true });
    expect(parseGrastate(grastate(A, -1))).toEqual({ uuid: A, seqno: -1, safeToBootstrap: false });
    expect(withSafeToBootstrap(grastate(A, 7), true)).toBe(grastate(A, 7, 1));
    expect(withSafeToBootstrap('uuid: x\nseqno: 1', true)).toBe('uuid: x\nseqno: 1\nsafe_to_bootstrap: 1\n');
    expect(() => parseGrastate('garbage')).toThrow(DbMigrateError);
  });

  it('finds the last recovered position in a log, or a bare position', () => {
    const log = `2026-11-27 0 [Note] InnoDB: ...\n2026-11-27 0 [Note] WSREP: Recovered position: ${A}:17\n`;
    expect(parseRecoveredPosition(log)).toEqual({ uuid: A, seqno: 17 });
    expect(parseRecoveredPosition(`${A}:-1`)).toEqual({ uuid: A, seqno: -1 });
    expect(parseRecoveredPosition('nothing here')).toBeUndefined();
  });
});

describe('planGaleraRecovery', () => {
  const node = (name: string, uuid: string, seqno: number, extra: Partial<NodeState> = {}): NodeState => ({
    name,
    grastate: { uuid, seqno, safeToBootstrap: false },
    ...extra,
  });

  it('chooses the most advanced seqno, reading --wsrep-recover when grastate.dat says -1', () => {
    const plan = planGaleraRecovery([
      node('g1', A, 10),
      node('g2', A, -1, { recovered: { uuid: A, seqno: 12 } }),
      node('g3', A, 11),
    ]);
    expect(plan.bootstrap).toMatchObject({ name: 'g2', source: '--wsrep-recover', position: { uuid: A, seqno: 12 } });
    expect(plan.join.map((p) => p.name)).toEqual(['g1', 'g3']);
    expect(plan.forced).toBe(false);
    expect(plan.reason).toContain('g2 is the most advanced node (seqno 12)');
    expect(plan.steps).toContain(
      `bootstrap g2: mariadbd --wsrep-new-cluster --wsrep-start-position=${A}:12; wait until Synced`,
    );
  });

  it('refuses when the cluster UUIDs differ, naming both histories and --force-node', () => {
    const nodes = [node('g1', A, 10), node('g2', B, 30), node('g3', A, 10)];
    let error: unknown;
    try {
      planGaleraRecovery(nodes);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DbMigrateError);
    expect(error).toMatchObject({
      code: 'LEAP_GALERA_AMBIGUOUS',
      message: expect.stringContaining('cluster UUIDs differ'),
    });
    expect((error as DbMigrateError).message).toContain(`${B}: g2 seqno 30`);
    expect((error as DbMigrateError).hint).toContain('--force-node');
    expect(planGaleraRecovery(nodes, { forceNode: 'g1' })).toMatchObject({ forced: true, bootstrap: { name: 'g1' } });
    expect(() => planGaleraRecovery(nodes, { forceNode: 'g9' })).toThrow(/not one of the Galera nodes/);
  });

  it('treats equal seqnos in one cluster UUID as the same state; refuses when two of them claim safe_to_bootstrap', () => {
    const tie = planGaleraRecovery([node('g1', A, 5), node('g2', A, 9), node('g3', A, 9)]);
    expect(tie.bootstrap.name).toBe('g2');
    expect(tie.reason).toContain('g2, g3 share the top position');
    const marked = planGaleraRecovery([
      node('g1', A, 9),
      node('g2', A, 9, { grastate: { uuid: A, seqno: 9, safeToBootstrap: true } }),
    ]);
    expect(marked.bootstrap.name).toBe('g2');
    const both = [true, true].map((safe, i) => ({
      name: `g${i + 1}`,
      grastate: { uuid: A, seqno: 9, safeToBootstrap: safe },
    }));
    expect(() => planGaleraRecovery(both)).toThrow(expect.objectContaining({ code: 'LEAP_GALERA_AMBIGUOUS' }));
  });

  it('refuses when no node has a known position', () => {
    expect(() => planGaleraRecovery([node('g1', A, -1), { name: 'g2' }])).toThrow(
      /no Galera node has a known position/,
    );
  });
});

describe('recoverGalera with recorded actions', () => {
  const fake = (files: Record<string, string>, recovered: Record<string, string> = {}) => {
    const calls: string[] = [];
    let size = 0;
    const actions: GaleraRecoveryActions = {
      nodes: Object.keys(files),
      readGrastate: async (n) => files[n],
      wsrepRecover: async (n) => {
        calls.push(`recover ${n}`);
        return recovered[n] ?? '';
      },
      setSafeToBootstrap: async (n, v) => {
        calls.push(`safe ${n} ${v ? 1 : 0}`);
      },
      startNode: async (n, o) => {
        size++;
        calls.push(`start ${n}${o.bootstrap ? ' bootstrap' : ''} ${o.startPosition ?? '-'}`);
      },
      waitSynced: vi.fn(async () => undefined),
      clusterSize: async () => size,
      moveGaleraStateAside: async (n, label) => {
        calls.push(`aside ${n} ${label}`);
        return `/data/${n}.${label}`;
      },
    };
    return { actions, calls };
  };

  it('bootstraps the most advanced node at its position, then starts the others one at a time', async () => {
    const { actions, calls } = fake(
      { g1: grastate(A, 3, 1), g2: grastate(A, -1), g3: grastate(A, 4) },
      { g2: `WSREP: Recovered position: ${A}:5` },
    );
    const result = await recoverGalera(actions);
    expect(calls).toEqual([
      'recover g2',
      'safe g1 0',
      'safe g2 1',
      `start g2 bootstrap ${A}:5`,
      `start g1 ${A}:3`,
      `start g3 ${A}:4`,
    ]);
    expect(result).toMatchObject({ clusterSize: 3, started: ['g2', 'g1', 'g3'], dryRun: false });
    expect(actions.waitSynced).toHaveBeenNthCalledWith(3, 'g3', 3, undefined);
  });

  it('changes nothing on a dry run or when refused', async () => {
    const dry = fake({ g1: grastate(A, 3), g2: grastate(A, 4) });
    expect((await recoverGalera(dry.actions, { dryRun: true })).plan.bootstrap.name).toBe('g2');
    expect(dry.calls).toEqual([]);
    const refused = fake({ g1: grastate(A, 3), g2: grastate(B, 4) });
    await expect(recoverGalera(refused.actions)).rejects.toMatchObject({ code: 'LEAP_GALERA_AMBIGUOUS' });
    expect(refused.calls).toEqual([]);
  });

  it('--force-node on the node furthest behind: lists the discarded seqnos per node, refuses without the second flag, then the newer nodes rejoin by SST', async () => {
    const files = { node1: grastate(A, 1209), node2: grastate(A, 1008), node3: grastate(A, 607) };
    const dry = fake(files);
    const { plan } = await recoverGalera(dry.actions, { forceNode: 'node3', dryRun: true });
    expect(plan.discards).toEqual([
      { node: 'node1', uuid: A, firstSeqno: 608, lastSeqno: 1209, count: 602 },
      { node: 'node2', uuid: A, firstSeqno: 608, lastSeqno: 1008, count: 401 },
    ]);
    expect(plan.steps.join('\n')).toMatch(/node1.*608-1209/);
    expect(dry.calls).toEqual([]);

    const refused = fake(files);
    const error = await recoverGalera(refused.actions, { forceNode: 'node3' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({
      code: 'LEAP_GALERA_DISCARD_REFUSED',
      message: expect.stringMatching(
        /node1: seqnos 608-1209 \(602 committed transactions\).*node2: seqnos 608-1008 \(401/,
      ),
      hint: expect.stringContaining('--discard-newer-transactions'),
    });
    expect(refused.calls).toEqual([]);

    const { actions, calls } = fake(files);
    const result = await recoverGalera(actions, { forceNode: 'node3', discardNewerTransactions: true });
    const label = result.movedAside[0]!.folder.replace('/data/node1.', '');
    expect(label).toMatch(/^leap-galera-state-/);
    expect(calls).toEqual([
      `aside node1 ${label}`,
      `aside node2 ${label}`,
      'safe node3 1',
      `start node3 bootstrap ${A}:607`,
      'start node1 -',
      'start node2 -',
    ]);
    expect(result.movedAside).toEqual([
      { node: 'node1', folder: `/data/node1.${label}` },
      { node: 'node2', folder: `/data/node2.${label}` },
    ]);
    expect(result.clusterSize).toBe(3);
  });
});
