import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import mysql from 'mysql2/promise';
import { makeTempDir } from '../temp.js';
import { freePort } from '../ports.js';
import { requireCommand } from '../system.js';
import { requireFile } from './packages.js';
import { writeRootRsyncSst } from './sst-script.js';

const provider = '/usr/lib/galera/libgalera_smm.so';

export interface GaleraNode {
  index: number;
  name: string;
  host: string;
  port: number;
  socketPath: string;
  datadir: string;
  configFile: string;
  errorLog: string;
  /** The running mariadbd, if any. */
  process: ResultPromise | undefined;
}

export interface GaleraCluster {
  clusterName: string;
  baseDir: string;
  nodes: GaleraNode[];
  /** Starts a node; `bootstrap` starts a new primary component from it (`--wsrep-new-cluster`). */
  startNode(
    index: number,
    options?: { bootstrap?: boolean; extraArgs?: string[]; waitSynced?: boolean },
  ): Promise<void>;
  /** Clean shutdown (SIGTERM) of one node. */
  stopNode(index: number): Promise<void>;
  /** SIGKILL of one node: a crash. */
  killNode(index: number): Promise<void>;
  /** The argument array and environment that start a node (for a tool under test that starts nodes itself). */
  startCommand(index: number): { argv: string[]; env: Record<string, string> };
  /** SIGKILL of a node some other program started (found by its pid file); resolves once it is gone. */
  killByPidFile(index: number): Promise<void>;
  /** `mariadbd --wsrep-recover`: the node's last committed position `<uuid>:<seqno>`. */
  recoverPosition(index: number): Promise<string>;
  /** Runs SQL on a node (over its socket) and returns the rows. */
  query<T = Record<string, unknown>[]>(index: number, sql: string, values?: unknown[]): Promise<T>;
  /** A wsrep status variable of a node, e.g. `wsrep_cluster_size`. */
  status(index: number, name: string): Promise<string | undefined>;
  waitSynced(index: number, expectedSize?: number, timeoutMs?: number): Promise<void>;
  /** Stops every node (SIGKILL after a grace period) and removes the cluster's folder. */
  destroy(): Promise<void>;
}

export interface StartGaleraOptions {
  size?: number;
  baseDir?: string;
  /** Extra `[mysqld]` lines for every node, e.g. `wsrep_provider_options` additions are not merged: give whole lines. */
  extraConfig?: string[];
  /** `pc.recovery` (default true); tests of manual recovery set it false so nodes cannot reform the cluster alone. */
  pcRecovery?: boolean;
}

/**
 * A Galera cluster of `size` MariaDB nodes on 127.0.0.1 (every port below 32768, set explicitly), rsync SST
 * that works as root, node 1 bootstrapped and the others joined; resolves when all are Synced.
 */
export async function startGaleraCluster(options: StartGaleraOptions = {}): Promise<GaleraCluster> {
  const size = options.size ?? 3;
  const mariadbd = requireCommand('mariadbd');
  const installDb = requireCommand('mariadb-install-db');
  requireCommand('rsync');
  requireFile(provider, 'galera-4');
  const ownsBase = options.baseDir === undefined;
  const baseDir = options.baseDir ?? makeTempDir('leap-galera-');
  const sst = writeRootRsyncSst(join(baseDir, 'bin'));
  const clusterName = `leap_test_${Math.random().toString(16).slice(2, 8)}`;
  const asRoot = process.getuid?.() === 0;

  const ports = await distinctPorts(size * 4);
  const groupAddress = (i: number) => `127.0.0.1:${ports[i * 4 + 1]}`;
  const nodes: GaleraNode[] = [];
  for (let i = 0; i < size; i++) {
    const dir = join(baseDir, `node${i + 1}`);
    const datadir = join(dir, 'data');
    mkdirSync(datadir, { recursive: true });
    // Its own tmpdir: /tmp's temp table files are named by pid and a crashed server can leave one behind.
    mkdirSync(join(dir, 'tmp'), { recursive: true });
    const node: GaleraNode = {
      index: i,
      name: `node${i + 1}`,
      host: '127.0.0.1',
      port: ports[i * 4]!,
      socketPath: join(dir, 'mysqld.sock'),
      datadir,
      configFile: join(dir, 'my.cnf'),
      errorLog: join(dir, 'error.log'),
      process: undefined,
    };
    const providerOptions = [
      `gmcast.listen_addr=tcp://${groupAddress(i)}`,
      `ist.recv_addr=127.0.0.1:${ports[i * 4 + 2]}`,
      'gcache.size=32M',
      ...(options.pcRecovery === false ? ['pc.recovery=false'] : []),
    ];
    writeFileSync(
      node.configFile,
      [
        '[mysqld]',
        ...(asRoot ? ['user=root'] : []),
        `datadir=${datadir}`,
        `tmpdir=${join(dir, 'tmp')}`,
        `socket=${node.socketPath}`,
        `pid-file=${join(dir, 'mysqld.pid')}`,
        `log-error=${node.errorLog}`,
        `port=${node.port}`,
        'bind-address=127.0.0.1',
        'skip-name-resolve',
        'innodb_buffer_pool_size=32M',
        'innodb_log_file_size=8M',
        'binlog_format=ROW',
        'default_storage_engine=InnoDB',
        'innodb_autoinc_lock_mode=2',
        'wsrep_on=ON',
        `wsrep_provider=${provider}`,
        `wsrep_cluster_name=${clusterName}`,
        `wsrep_cluster_address=gcomm://${Array.from({ length: size }, (_, j) => groupAddress(j)).join(',')}`,
        `wsrep_node_name=${node.name}`,
        `wsrep_node_address=${groupAddress(i)}`,
        `wsrep_node_incoming_address=127.0.0.1:${node.port}`,
        `wsrep_provider_options="${providerOptions.join(';')}"`,
        `wsrep_sst_method=${sst.method}`,
        `wsrep_sst_receive_address=127.0.0.1:${ports[i * 4 + 3]}`,
        ...(options.extraConfig ?? []),
        '',
      ].join('\n'),
    );
    await execa(installDb, [
      '--no-defaults',
      '--auth-root-authentication-method=normal',
      '--skip-test-db',
      '--innodb-log-file-size=8M',
      `--datadir=${datadir}`,
      `--tmpdir=${join(dir, 'tmp')}`,
      ...(asRoot ? ['--user=root'] : []),
    ]);
    nodes.push(node);
  }

  const env = { PATH: `${sst.binDir}:${process.env.PATH ?? '/usr/bin:/bin'}` };
  const connect = (node: GaleraNode) =>
    mysql.createConnection({ socketPath: node.socketPath, user: 'root', password: '' });

  const cluster: GaleraCluster = {
    clusterName,
    baseDir,
    nodes,
    async startNode(index, startOptions = {}) {
      const node = nodeAt(nodes, index);
      if (node.process) throw new Error(`${node.name} is already running`);
      const args = [
        `--defaults-file=${node.configFile}`,
        ...(startOptions.bootstrap ? ['--wsrep-new-cluster'] : []),
        ...(startOptions.extraArgs ?? []),
      ];
      const child = execa(mariadbd, args, { env, reject: false, stdio: 'ignore', cleanup: true });
      node.process = child;
      void child.then(() => {
        if (node.process === child) node.process = undefined;
      });
      // A joiner accepts connections only after its state transfer: minutes on a loaded 2-core machine.
      await waitConnectable(node, connect, 180_000);
      if (startOptions.waitSynced !== false) await cluster.waitSynced(index);
    },
    async stopNode(index) {
      const node = nodeAt(nodes, index);
      const child = node.process;
      if (!child) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await child;
      clearTimeout(timer);
      node.process = undefined;
    },
    async killNode(index) {
      const node = nodeAt(nodes, index);
      const child = node.process;
      if (!child) return;
      child.kill('SIGKILL');
      await child;
      node.process = undefined;
    },
    startCommand(index) {
      return { argv: [mariadbd, `--defaults-file=${nodeAt(nodes, index).configFile}`], env };
    },
    async killByPidFile(index) {
      await killPidFileOwner(nodeAt(nodes, index));
    },
    async recoverPosition(index) {
      const node = nodeAt(nodes, index);
      if (node.process) throw new Error(`${node.name} is running; stop it before --wsrep-recover`);
      const recoverLog = join(baseDir, `${node.name}-recover.log`);
      // mariadbd appends to an existing log: start from an empty one, or an earlier run's position would be read.
      rmSync(recoverLog, { force: true });
      await execa(mariadbd, [`--defaults-file=${node.configFile}`, '--wsrep-recover', `--log-error=${recoverLog}`], {
        env,
        reject: false,
      });
      const match = /WSREP: Recovered position: ([0-9a-f-]+:-?\d+)/.exec(readFileSync(recoverLog, 'utf8'));
      if (!match?.[1]) throw new Error(`${node.name}: --wsrep-recover printed no position; see ${recoverLog}`);
      return match[1];
    },
    async query<T>(index: number, sql: string, values?: unknown[]) {
      const conn = await connect(nodeAt(nodes, index));
      try {
        const [rows] = await conn.query(sql, values);
        return rows as T;
      } finally {
        await conn.end();
      }
    },
    async status(index, name) {
      const rows = await cluster.query<{ Value: string }[]>(index, 'SHOW GLOBAL STATUS LIKE ?', [name]);
      return rows[0]?.Value;
    },
    async waitSynced(index, expectedSize, timeoutMs = 240_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const state = await cluster.status(index, 'wsrep_local_state_comment').catch(() => undefined);
        const clusterSize = Number(await cluster.status(index, 'wsrep_cluster_size').catch(() => 0));
        if (state === 'Synced' && (expectedSize === undefined || clusterSize === expectedSize)) return;
        if (Date.now() > deadline) {
          throw new Error(
            `${nodeAt(nodes, index).name} not Synced (state ${state}, size ${clusterSize}); see ${nodeAt(nodes, index).errorLog}`,
          );
        }
        await new Promise((r) => setTimeout(r, 200));
      }
    },
    async destroy() {
      await Promise.all(
        nodes.map(async (node) => {
          const child = node.process;
          if (!child) {
            await killPidFileOwner(node);
            return;
          }
          child.kill('SIGTERM');
          const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
          await child;
          clearTimeout(timer);
          node.process = undefined;
        }),
      );
      if (ownsBase) rmSync(baseDir, { recursive: true, force: true });
    },
  };

  try {
    await cluster.startNode(0, { bootstrap: true });
    for (let i = 1; i < size; i++) await cluster.startNode(i);
    await cluster.waitSynced(0, size);
  } catch (error) {
    await cluster.destroy();
    throw error;
  }
  return cluster;
}

/** A node started by another program (not tracked here) is found through its pid file. */
async function killPidFileOwner(node: GaleraNode): Promise<void> {
  let pid: number;
  try {
    pid = Number(readFileSync(join(node.datadir, '..', 'mysqld.pid'), 'utf8').trim());
  } catch {
    return;
  }
  if (!Number.isInteger(pid) || pid <= 0) return;
  // A stale pid file (after a crash) may name a pid some other process now has.
  const cmdline = (() => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    } catch {
      return '';
    }
  })();
  if (!cmdline.includes(node.configFile)) return;
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    return;
  }
  for (let i = 0; i < 100; i++) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

function nodeAt(nodes: GaleraNode[], index: number): GaleraNode {
  const node = nodes[index];
  if (!node) throw new Error(`no Galera node ${index}`);
  return node;
}

async function distinctPorts(count: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < count) ports.add(await freePort());
  return [...ports];
}

async function waitConnectable(
  node: GaleraNode,
  connect: (n: GaleraNode) => Promise<mysql.Connection>,
  timeoutMs: number,
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (!node.process) throw new Error(`${node.name} exited during start-up; see ${node.errorLog}`);
    try {
      const conn = await connect(node);
      await conn.end();
      return;
    } catch {
      if (Date.now() > deadline) throw new Error(`${node.name} did not accept connections; see ${node.errorLog}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
