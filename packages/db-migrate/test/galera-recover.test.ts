import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startGaleraCluster, type GaleraCluster } from '@leap/test-fixtures';
import { checkHealth, recoverGalera, withSafeToBootstrap, type GaleraRecoveryActions } from '../src/index.js';

/** recoverGalera against a real three-node cluster, with its actions run locally (production runs them through Ansible). */
describe('recoverGalera on a real Galera cluster with every node down', () => {
  let cluster: GaleraCluster;
  let nextId = 1;
  const committed: number[] = [];

  const indexOf = (name: string) => {
    const i = cluster.nodes.findIndex((n) => n.name === name);
    if (i < 0) throw new Error(`no node ${name}`);
    return i;
  };
  const grastatePath = (name: string) => join(cluster.nodes[indexOf(name)]!.datadir, 'grastate.dat');
  const localActions = (): GaleraRecoveryActions => ({
    nodes: cluster.nodes.map((n) => n.name),
    readGrastate: async (name) =>
      existsSync(grastatePath(name)) ? readFileSync(grastatePath(name), 'utf8') : undefined,
    wsrepRecover: (name) => cluster.recoverPosition(indexOf(name)),
    setSafeToBootstrap: async (name, value) => {
      writeFileSync(grastatePath(name), withSafeToBootstrap(readFileSync(grastatePath(name), 'utf8'), value));
    },
    startNode: (name, { bootstrap, startPosition }) =>
      cluster.startNode(indexOf(name), {
        bootstrap,
        waitSynced: false,
        extraArgs: startPosition === undefined ? [] : [`--wsrep-start-position=${startPosition}`],
      }),
    waitSynced: (name, size) => cluster.waitSynced(indexOf(name), size),
    clusterSize: async (name) => Number(await cluster.status(indexOf(name), 'wsrep_cluster_size')),
    isRunning: async (name) => cluster.nodes[indexOf(name)]!.process !== undefined,
    moveGaleraStateAside: async (name) => {
      throw new Error(`no test here discards ${name}'s transactions`);
    },
  });
  /** Commits `count` rows through node `i` and remembers their ids. */
  const write = async (i: number, count: number) => {
    const ids = Array.from({ length: count }, () => nextId++);
    await cluster.query(
      i,
      `INSERT INTO leap_recover.t (id, node) VALUES ${ids.map(() => '(?, ?)').join(', ')}`,
      ids.flatMap((id) => [id, i]),
    );
    committed.push(...ids);
  };
  /** After a crash: no gvwstate.dat, so no node can reform the cluster by itself (runtime notes, pc.recovery). */
  const forgetViews = () => {
    for (const n of cluster.nodes) rmSync(join(n.datadir, 'gvwstate.dat'), { force: true });
  };
  const expectAllBack = async () => {
    for (const i of [0, 1, 2]) {
      await cluster.waitSynced(i, 3);
      const report = await checkHealth({ socketPath: cluster.nodes[i]!.socketPath, user: 'root', password: '' }, 3);
      expect(report.ok, report.summary).toBe(true);
      const rows = await cluster.query<{ id: number }[]>(i, 'SELECT id FROM leap_recover.t ORDER BY id');
      expect(rows.map((r) => r.id)).toEqual(committed);
    }
    expect(new Set(await Promise.all([0, 1, 2].map((i) => cluster.status(i, 'wsrep_cluster_state_uuid')))).size).toBe(
      1,
    );
  };

  beforeAll(async () => {
    cluster = await startGaleraCluster({ pcRecovery: false });
    await cluster.query(0, 'CREATE DATABASE leap_recover');
    await cluster.query(0, 'CREATE TABLE leap_recover.t (id INT PRIMARY KEY, node INT NOT NULL)');
  }, 300_000);
  afterAll(async () => {
    await cluster?.destroy();
  }, 60_000);

  it('SIGKILL of all three nodes: recovered to size 3, Synced, every committed row on every node', async () => {
    const uuidBefore = await cluster.status(0, 'wsrep_cluster_state_uuid');
    for (const i of [0, 1, 2]) await write(i, 5);
    await Promise.all([0, 1, 2].map((i) => cluster.killNode(i)));
    forgetViews();
    for (const n of cluster.nodes) expect(readFileSync(join(n.datadir, 'grastate.dat'), 'utf8')).toMatch(/seqno:\s+-1/);

    const result = await recoverGalera(localActions());
    expect(result.clusterSize).toBe(3);
    expect(result.plan.positions.map((p) => p.source)).toEqual([
      '--wsrep-recover',
      '--wsrep-recover',
      '--wsrep-recover',
    ]);
    expect(result.started).toHaveLength(3);
    await expectAllBack();
    // Recovered at its position, not a new cluster: the same cluster state UUID as before the crash.
    expect(await cluster.status(0, 'wsrep_cluster_state_uuid')).toBe(uuidBefore);
    await write(1, 2);
  }, 300_000);

  it('nodes going down one after another, with writes between: the last one standing is chosen', async () => {
    await cluster.killNode(0);
    await write(1, 3); // node1 and node3 carry on once node1 is dropped
    await cluster.stopNode(1); // a clean leave keeps node3 Primary on its own
    await cluster.waitSynced(2, 1);
    await write(2, 4); // only node3 has these
    await cluster.killNode(2);
    forgetViews();

    const result = await recoverGalera(localActions());
    expect(result.plan.bootstrap).toMatchObject({ name: 'node3', source: '--wsrep-recover' });
    const seqno = (name: string) => result.plan.positions.find((p) => p.name === name)!.position!.seqno;
    expect(result.plan.positions.find((p) => p.name === 'node2')!.source).toBe('grastate.dat');
    expect(seqno('node3')).toBeGreaterThan(seqno('node2'));
    expect(seqno('node2')).toBeGreaterThan(seqno('node1'));
    expect(result.plan.reason).toContain('node3 is the most advanced node');
    expect(result.started).toEqual(['node3', 'node1', 'node2']);
    await expectAllBack();
  }, 300_000);

  it('ambiguous positions (another cluster UUID in one grastate.dat): refused, nothing started, the choice explained', async () => {
    await write(0, 1);
    await Promise.all([0, 1, 2].map((i) => cluster.killNode(i)));
    forgetViews();
    const other = '0b6a1f2c-2e9b-11f1-9e8b-8b3c1d1ffee2';
    const original = readFileSync(grastatePath('node2'), 'utf8');
    writeFileSync(
      grastatePath('node2'),
      original.replace(/^uuid:.*$/m, `uuid:    ${other}`).replace(/^seqno:.*$/m, 'seqno:   1000'),
    );

    const actions = localActions();
    const startNode = vi.spyOn(actions, 'startNode');
    const setSafe = vi.spyOn(actions, 'setSafeToBootstrap');
    const error = await recoverGalera(actions).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({
      code: 'LEAP_GALERA_AMBIGUOUS',
      message: expect.stringMatching(new RegExp(`cluster UUIDs differ: .*${other}: node2 seqno 1000`)),
      hint: expect.stringContaining('--force-node'),
    });
    expect(startNode).not.toHaveBeenCalled();
    expect(setSafe).not.toHaveBeenCalled();
    expect(cluster.nodes.every((n) => n.process === undefined)).toBe(true);
    expect(readFileSync(grastatePath('node1'), 'utf8')).toMatch(/safe_to_bootstrap: 0/);

    // The operator's choice: --force-node, shown as a dry run (nothing started).
    const dry = await recoverGalera(localActions(), { forceNode: 'node1', dryRun: true });
    expect(dry.plan).toMatchObject({ forced: true, bootstrap: { name: 'node1' } });
    expect(cluster.nodes.every((n) => n.process === undefined)).toBe(true);
  }, 120_000);
});
