import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { makeTempDir, startGaleraCluster, type GaleraCluster } from '@leap/test-fixtures';
import { main } from '../src/main.js';
import { ExitCode } from '../src/errors.js';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { stdout: (t: string) => void out.push(t), stderr: (t: string) => void err.push(t) }, out, err };
}

async function runLeap(config: string, args: string[]) {
  const { io, out, err } = capture();
  const code = await main(['--config', config, ...args], io, false);
  return { code, out: out.join(''), err: err.join('') };
}

/** A leap.yaml in `dir` for the cluster's nodes, runner local (the nodes run on this machine). */
function writeClusterConfig(dir: string, cluster: GaleraCluster): string {
  const config = join(dir, 'leap.yaml');
  writeFileSync(
    config,
    stringify({
      runner: 'local',
      deployDir: dir,
      database: { user: 'root', password: '' },
      galera: {
        nodes: cluster.nodes.map((n, i) => {
          const start = cluster.startCommand(i);
          return { name: n.name, socket: n.socketPath, datadir: n.datadir, start: start.argv, env: start.env };
        }),
      },
    }),
  );
  return config;
}

/** `leap galera status|recover` against a real three-node cluster, with runner local (the nodes run here). */
describe('leap galera on a real three-node cluster', () => {
  let cluster: GaleraCluster;
  let dir: string;
  let config: string;
  let nextId = 1;
  const committed: number[] = [];
  const leap = (...args: string[]) => runLeap(config, args);
  const write = async (i: number, count: number) => {
    const ids = Array.from({ length: count }, () => nextId++);
    await cluster.query(i, `INSERT INTO leap_cli.t (id) VALUES ${ids.map(() => '(?)').join(', ')}`, ids);
    committed.push(...ids);
  };
  /** After a crash no node may reform the cluster by itself (pc.recovery off, views forgotten). */
  const forgetViews = () => {
    for (const n of cluster.nodes) rmSync(join(n.datadir, 'gvwstate.dat'), { force: true });
  };

  beforeAll(async () => {
    cluster = await startGaleraCluster({ pcRecovery: false });
    dir = makeTempDir('leap-galera-cli-');
    config = writeClusterConfig(dir, cluster);
    await cluster.query(0, 'CREATE DATABASE leap_cli');
    await cluster.query(0, 'CREATE TABLE leap_cli.t (id INT PRIMARY KEY)');
  }, 300_000);
  afterAll(async () => {
    await cluster?.destroy();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('status: every node Synced in a cluster of 3, agreeing on UUID and conf id; --json', async () => {
    const plain = await leap('galera', 'status');
    expect(plain.code, plain.err).toBe(ExitCode.ok);
    expect(plain.out).toContain('the Galera cluster is healthy');
    const json = await leap('--json', 'galera', 'status');
    const report = JSON.parse(json.out) as {
      ok: boolean;
      nodes: Array<{ name: string; state: string; size: number; clusterStateUuid: string; confId: string }>;
    };
    expect(report.ok).toBe(true);
    expect(report.nodes.map((n) => [n.name, n.state, n.size])).toEqual([
      ['node1', 'Synced', 3],
      ['node2', 'Synced', 3],
      ['node3', 'Synced', 3],
    ]);
    expect(new Set(report.nodes.map((n) => n.clusterStateUuid)).size).toBe(1);
    expect(new Set(report.nodes.map((n) => n.confId)).size).toBe(1);
  });

  it('recover after SIGKILL of every node: --dry-run changes nothing, then the cluster is back at 3 with every row', async () => {
    for (const i of [0, 1, 2]) await write(i, 4);
    await Promise.all([0, 1, 2].map((i) => cluster.killNode(i)));
    forgetViews();

    const down = await leap('galera', 'status');
    expect(down.code).toBe(ExitCode.stepFailed);
    expect(down.out).toContain('node1 is unreachable');

    const grastateBefore = cluster.nodes.map((n) => readFileSync(join(n.datadir, 'grastate.dat'), 'utf8'));
    const dry = await leap('galera', 'recover', '--dry-run');
    expect(dry.code, dry.err).toBe(ExitCode.ok);
    expect(dry.out).toContain('dry run, nothing changed');
    expect(dry.out).toMatch(/bootstrap node\d: mariadbd --wsrep-new-cluster --wsrep-start-position=[0-9a-f-]+:\d+/);
    expect(cluster.nodes.map((n) => readFileSync(join(n.datadir, 'grastate.dat'), 'utf8'))).toEqual(grastateBefore);
    expect((await leap('galera', 'status')).code).toBe(ExitCode.stepFailed);

    // Not at a terminal and without --yes: the plan is shown, nothing is changed.
    const unconfirmed = await leap('galera', 'recover');
    expect(unconfirmed.code).toBe(ExitCode.usage);
    expect(unconfirmed.out).toMatch(/bootstrap node\d: mariadbd --wsrep-new-cluster/);
    expect(unconfirmed.err).toContain('LEAP_CONFIRMATION_NEEDED');
    expect(unconfirmed.err).toContain('leap galera recover --yes');
    expect(cluster.nodes.map((n) => readFileSync(join(n.datadir, 'grastate.dat'), 'utf8'))).toEqual(grastateBefore);
    expect((await leap('galera', 'status')).code).toBe(ExitCode.stepFailed);

    const recovered = await leap('galera', 'recover', '--yes');
    expect(recovered.code, recovered.err).toBe(ExitCode.ok);
    expect(recovered.out).toMatch(/the Galera cluster is back: 3 nodes Synced, bootstrapped from node\d/);
    const status = await leap('galera', 'status');
    expect(status.code, status.out).toBe(ExitCode.ok);
    for (const i of [0, 1, 2]) {
      const rows = await cluster.query<{ id: number }[]>(i, 'SELECT id FROM leap_cli.t ORDER BY id');
      expect(rows.map((r) => r.id)).toEqual(committed);
    }
  }, 600_000);

  it('refuses while a node runs, and on ambiguous positions: exit 2, nothing started, the choice explained', async () => {
    const running = await leap('galera', 'recover');
    expect(running.code).toBe(ExitCode.usage);
    expect(running.err).toContain('LEAP_GALERA_RUNNING');

    // The nodes now run under leap, not the fixture: stop them through their pid files.
    for (const i of [0, 1, 2]) await cluster.killByPidFile(i);
    forgetViews();
    const file = join(cluster.nodes[2]!.datadir, 'grastate.dat');
    // As if node3 had last run in another cluster: a clean shutdown there left a known position of another history.
    writeFileSync(
      file,
      readFileSync(file, 'utf8')
        .replace(/^uuid:.*$/m, 'uuid:    00000000-1111-2222-3333-444444444444')
        .replace(/^seqno:.*$/m, 'seqno:   7'),
    );
    const before = cluster.nodes.map((n) => readFileSync(join(n.datadir, 'grastate.dat'), 'utf8'));
    const refused = await leap('galera', 'recover');
    expect(refused.code).toBe(ExitCode.usage);
    expect(refused.err).toContain('LEAP_GALERA_AMBIGUOUS');
    expect(refused.err).toContain('different cluster histories');
    expect(refused.err).toContain('--force-node');
    expect(cluster.nodes.map((n) => readFileSync(join(n.datadir, 'grastate.dat'), 'utf8'))).toEqual(before);
    const status = JSON.parse((await leap('--json', 'galera', 'status')).out) as {
      nodes: Array<{ reachable: boolean }>;
    };
    expect(status.nodes.map((n) => n.reachable)).toEqual([false, false, false]);
  }, 120_000);
});

/** `--force-node` on the node furthest behind (issue 19, defect 11): the loss is listed, needs a second flag, and the newer nodes rejoin by SST. */
describe('leap galera recover --force-node on a node behind the others (real cluster)', () => {
  let cluster: GaleraCluster;
  let dir: string;
  let config: string;
  let nextId = 1;
  const leap = (...args: string[]) => runLeap(config, args);
  const write = async (i: number, count: number) => {
    const ids = Array.from({ length: count }, () => nextId++);
    for (const id of ids) await cluster.query(i, 'INSERT INTO leap_force.t (id) VALUES (?)', [id]);
    return ids;
  };
  /** Node i's last committed seqno once it has applied everything node1 committed (applying is asynchronous). */
  const lastCommitted = async (i: number) => {
    const target = Number(await cluster.status(0, 'wsrep_last_committed'));
    for (let attempt = 0; attempt < 300; attempt++) {
      const seqno = Number(await cluster.status(i, 'wsrep_last_committed'));
      if (seqno >= target) return seqno;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`node${i + 1} did not apply up to seqno ${target} in 30 s`);
  };

  beforeAll(async () => {
    cluster = await startGaleraCluster({ pcRecovery: false });
    dir = makeTempDir('leap-galera-force-');
    config = writeClusterConfig(dir, cluster);
    await cluster.query(0, 'CREATE DATABASE leap_force');
    await cluster.query(0, 'CREATE TABLE leap_force.t (id INT PRIMARY KEY)');
  }, 300_000);
  afterAll(async () => {
    await cluster?.destroy();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('lists the discarded seqnos per node, refuses without --discard-newer-transactions, then moves the newer state aside and all three rejoin', async () => {
    const kept = await write(0, 3);
    // Taken from the node before it leaves: a shutdown slower than the fixture's grace period ends in SIGKILL
    // and leaves seqno -1 in grastate.dat (leap then asks --wsrep-recover, as the dry run shows).
    const seq3 = await lastCommitted(2);
    await cluster.stopNode(2); // node3 leaves first: the oldest state
    await write(0, 4);
    const seq2 = await lastCommitted(1);
    await cluster.stopNode(1);
    await cluster.waitSynced(0, 1);
    await write(0, 5); // only node1 has these
    await cluster.killNode(0);
    for (const n of cluster.nodes) rmSync(join(n.datadir, 'gvwstate.dat'), { force: true });
    expect(seq2).toBeGreaterThan(seq3);

    const dry = await leap('galera', 'recover', '--dry-run', '--force-node', 'node3');
    expect(dry.code, dry.err).toBe(ExitCode.ok);
    expect(dry.out).toMatch(new RegExp(`node1: seqnos ${seq3 + 1}-\\d+ \\(\\d+ committed transactions\\)`));
    expect(dry.out).toContain(`node2: seqnos ${seq3 + 1}-${seq2} (${seq2 - seq3} committed transactions)`);

    const before = cluster.nodes.map((n) => readFileSync(join(n.datadir, 'grastate.dat'), 'utf8'));
    const refused = await leap('galera', 'recover', '--yes', '--force-node', 'node3');
    expect(refused.code).toBe(ExitCode.usage);
    expect(refused.err).toContain('LEAP_GALERA_DISCARD_REFUSED');
    expect(refused.err).toContain('--discard-newer-transactions');
    expect(cluster.nodes.map((n) => readFileSync(join(n.datadir, 'grastate.dat'), 'utf8'))).toEqual(before);
    expect(
      cluster.nodes.every((n) => readdirSync(join(n.datadir, '..')).every((f) => !f.includes('leap-galera-state'))),
    ).toBe(true);

    const done = await leap('galera', 'recover', '--yes', '--force-node', 'node3', '--discard-newer-transactions');
    expect(done.code, done.err + done.out).toBe(ExitCode.ok);
    const reason = done.out.split('\n').find((l) => l.startsWith('node3 was chosen with --force-node'))!;
    expect(reason).toBeDefined();
    expect(`${done.out}${done.err}`.split(reason).length - 1).toBe(1);
    for (const i of [0, 1]) {
      const parent = join(cluster.nodes[i]!.datadir, '..');
      const aside = readdirSync(parent).filter((f) => f.startsWith('data.leap-galera-state-'));
      expect(aside).toHaveLength(1);
      const folder = join(parent, aside[0]!);
      expect(done.out).toContain(folder);
      expect(existsSync(join(folder, 'galera.cache'))).toBe(true);
      const moved = readFileSync(join(folder, 'grastate.dat'), 'utf8');
      expect(moved).toBe(before[i]); // moved aside intact, never rewritten
    }
    for (const i of [0, 1, 2]) {
      await cluster.waitSynced(i, 3);
      const rows = await cluster.query<{ id: number }[]>(i, 'SELECT id FROM leap_force.t ORDER BY id');
      expect(rows.map((r) => r.id)).toEqual(kept);
    }
    const status = await leap('galera', 'status');
    expect(status.code, status.out).toBe(ExitCode.ok);
  }, 600_000);
});
