'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS script run by node directly */
// The lab's Galera nodes as their containers' service manager and OSA's galera_server role would run them:
// installed by `leap lab create` as <lab>/galera/lab-galera.cjs beside nodes.json, which lists every node.
//
//   lab-galera service <container rootfs> <start|stop|restart|status> [--wsrep-new-cluster]
//       `service mysql <action>` in a galera container (lab-service hands mysql over to this). A start without
//       a position in grastate.dat first recovers it with --wsrep-recover, as Debian's mysqld_safe does.
//   lab-galera wsrep-recover <container rootfs> [mariadbd option...]
//       `mysqld --wsrep-recover` in a galera container: the node's mariadbd with its my.cnf and the options given.
//   lab-galera cluster-start [--bootstrap <node>]
//       the galera_server role's start: with no node running, the most advanced node (its position from
//       grastate.dat, else from --wsrep-recover) starts a new cluster from its position and the others join;
//       with some running, the stopped ones join. Every node Synced in one cluster before it returns.
//   lab-galera crash-if-armed
//       the fault galera-down-after-redeploy, when armed: every node killed at once, once.
//
// A node runs detached (as a service would) and is found again through its pid file.

const { existsSync, readFileSync, renameSync, rmSync } = require('node:fs');
const { join, resolve } = require('node:path');
const { spawn, spawnSync } = require('node:child_process');

const GALERA_DIR = __dirname;
const LAB_ROOT = resolve(GALERA_DIR, '..');
const START_TIMEOUT_MS = 300_000;

class Refusal extends Error {
  constructor(message, exitCode = 1) {
    super(message);
    this.exitCode = exitCode;
  }
}

function readCluster() {
  const file = join(GALERA_DIR, 'nodes.json');
  if (!existsSync(file))
    throw new Refusal(`${file} is missing; this stand-in only runs inside a leap lab with a Galera cluster (not --single-db)`);
  return JSON.parse(readFileSync(file, 'utf8'));
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The pid in the node's pid file when that process is this node's mariadbd, else undefined. */
function runningPid(node) {
  let pid;
  try {
    pid = Number(readFileSync(node.pidFile, 'utf8').trim());
  } catch {
    return undefined;
  }
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  try {
    // A stale pid file (after a crash) may name a pid another process has now.
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(node.config) ? pid : undefined;
  } catch {
    return undefined;
  }
}

function status(cluster, node, name) {
  const result = spawnSync(
    cluster.client,
    ['--no-defaults', '-S', node.socket, '-u', 'root', '-N', '-B', '-e', `SHOW GLOBAL STATUS LIKE '${name}'`],
    { encoding: 'utf8' },
  );
  if (result.status !== 0) return undefined;
  return result.stdout.trim().split('\t')[1];
}

/** Starts the node's mariadbd detached and waits until it is Synced (a bootstrap: Synced and Primary). */
async function startNode(cluster, node, { bootstrap = false, position } = {}) {
  if (runningPid(node) !== undefined) return;
  rmSync(node.socket, { force: true });
  const args = [
    `--defaults-file=${node.config}`,
    ...(bootstrap ? ['--wsrep-new-cluster'] : []),
    ...(position === undefined ? [] : [`--wsrep-start-position=${position}`]),
  ];
  const child = spawn(cluster.start, args, { detached: true, stdio: 'ignore' });
  let exited;
  child.on('exit', (code, signal) => {
    exited = signal ?? `code ${code}`;
  });
  child.unref();
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (exited !== undefined) throw new Refusal(`${node.name}: mariadbd exited (${exited}) while starting; see ${node.errorLog}`);
    if (status(cluster, node, 'wsrep_local_state_comment') === 'Synced') return;
    if (Date.now() > deadline) throw new Refusal(`${node.name}: not Synced within ${START_TIMEOUT_MS / 1000} s; see ${node.errorLog}`);
    await sleep(200);
  }
}

/** SIGTERM (a clean shutdown that writes grastate.dat), SIGKILL after 60 s; `crash` sends SIGKILL at once. */
async function stopNode(node, { crash = false } = {}) {
  const pid = runningPid(node);
  if (pid === undefined) return;
  process.kill(pid, crash ? 'SIGKILL' : 'SIGTERM');
  const deadline = Date.now() + 60_000;
  while (runningPid(node) === pid) {
    if (Date.now() > deadline) process.kill(pid, 'SIGKILL');
    await sleep(100);
  }
}

/** The node's last committed position `uuid:seqno`: grastate.dat's after a clean shutdown, else --wsrep-recover's. */
function position(cluster, node) {
  const saved = savedPosition(node);
  return saved ?? recoveredPosition(cluster, node);
}

/** grastate.dat's position, when a clean shutdown wrote one. */
function savedPosition(node) {
  const grastate = join(node.datadir, 'grastate.dat');
  const text = existsSync(grastate) ? readFileSync(grastate, 'utf8') : '';
  const uuid = /^uuid:\s*(\S+)/m.exec(text)?.[1];
  const seqno = /^seqno:\s*(-?\d+)/m.exec(text)?.[1];
  return uuid !== undefined && seqno !== undefined && seqno !== '-1' ? { uuid, seqno: Number(seqno) } : undefined;
}

/** grastate.dat's safe_to_bootstrap; a file without the field (written by an older Galera) counts as safe. */
function safeToBootstrap(node) {
  const grastate = join(node.datadir, 'grastate.dat');
  const text = existsSync(grastate) ? readFileSync(grastate, 'utf8') : '';
  return !/^safe_to_bootstrap:\s*0/m.test(text);
}

function recoveredPosition(cluster, node) {
  const log = join(node.dir, 'wsrep-recover.log');
  rmSync(log, { force: true });
  spawnSync(cluster.start, [`--defaults-file=${node.config}`, '--wsrep-recover', `--log-error=${log}`], { stdio: 'ignore' });
  const found = /WSREP: Recovered position: ([0-9a-f-]+):(-?\d+)/.exec(existsSync(log) ? readFileSync(log, 'utf8') : '');
  if (!found) throw new Refusal(`${node.name}: --wsrep-recover printed no position; see ${log}`);
  return { uuid: found[1], seqno: Number(found[2]) };
}

async function clusterStart(cluster, bootstrapName) {
  const running = cluster.nodes.filter((n) => runningPid(n) !== undefined);
  if (running.length === 0) {
    let first = cluster.nodes.find((n) => n.name === bootstrapName);
    let start;
    if (first === undefined) {
      const positions = cluster.nodes.map((n) => ({ node: n, safe: safeToBootstrap(n), ...position(cluster, n) }));
      // Among the most advanced, the node Galera marked safe to bootstrap (the last to stop), as OSA's role expects.
      const best = positions.reduce((a, b) => (b.seqno > a.seqno || (b.seqno === a.seqno && b.safe && !a.safe) ? b : a));
      first = best.node;
      if (best.seqno >= 0) start = `${best.uuid}:${best.seqno}`;
      console.log(`positions: ${positions.map((p) => `${p.node.name} ${p.uuid}:${p.seqno}`).join(', ')}`);
    }
    console.log(`${first.name}: starting a new cluster${start ? ` from ${start}` : ''}`);
    await startNode(cluster, first, { bootstrap: true, position: start });
  }
  for (const node of cluster.nodes) {
    if (runningPid(node) !== undefined) continue;
    console.log(`${node.name}: joining`);
    await startNode(cluster, node);
  }
}

/**
 * `leap lab fault galera-down-after-redeploy` armed: every node killed at once (a power loss), once. The leap's
 * last playbook (the stand-in verify-maas.yml) calls this, so the leap finds the cluster down at post/galera-health.
 */
async function crashIfArmed(cluster) {
  const fault = join(LAB_ROOT, 'faults', 'galera-down-after-redeploy');
  if (!existsSync(fault)) return;
  renameSync(fault, `${fault}.fired`);
  await Promise.all(cluster.nodes.map((node) => stopNode(node, { crash: true })));
  console.log('fault galera-down-after-redeploy: every galera node killed');
}

async function service(cluster, rootfs, action, extra) {
  const node = nodeAt(cluster, rootfs);
  if (action === 'stop') return stopNode(node);
  if (action === 'start') {
    if (runningPid(node) !== undefined) return;
    // mysqld_safe starts without a position when the recovery finds none; so does this.
    let recovered;
    if (savedPosition(node) === undefined) {
      try {
        recovered = recoveredPosition(cluster, node);
      } catch {
        recovered = undefined;
      }
    }
    return startNode(cluster, node, {
      bootstrap: extra.includes('--wsrep-new-cluster'),
      ...(recovered && recovered.seqno >= 0 ? { position: `${recovered.uuid}:${recovered.seqno}` } : {}),
    });
  }
  if (action === 'restart') {
    await stopNode(node);
    return startNode(cluster, node);
  }
  if (action === 'status') {
    if (runningPid(node) === undefined) throw new Refusal(`${node.name}: mariadbd is not running`, 3);
    return console.log(`${node.name}: running`);
  }
  throw new Refusal(`unknown action '${action}' (start, stop, restart, status)`, 2);
}

function nodeAt(cluster, rootfs) {
  const node = cluster.nodes.find((n) => resolve(n.rootfs) === resolve(rootfs ?? ''));
  if (node === undefined) throw new Refusal(`no lab galera node has its container at ${rootfs}`);
  return node;
}

/** The node's mariadbd with --wsrep-recover: prints (or logs, with --log-error) the recovered position. */
function wsrepRecover(cluster, rootfs, options) {
  const node = nodeAt(cluster, rootfs);
  if (runningPid(node) !== undefined) throw new Refusal(`${node.name}: mariadbd is running; stop it first`);
  const result = spawnSync(cluster.start, [`--defaults-file=${node.config}`, '--wsrep-recover', ...options], {
    stdio: 'inherit',
  });
  if (result.status !== 0) throw new Refusal(`${node.name}: mariadbd --wsrep-recover exited ${result.status ?? result.signal}`);
}

async function main(argv) {
  const cluster = readCluster();
  const [command, ...rest] = argv;
  if (command === 'service') return service(cluster, rest[0], rest[1], rest.slice(2));
  if (command === 'cluster-start') return clusterStart(cluster, rest[0] === '--bootstrap' ? rest[1] : undefined);
  if (command === 'wsrep-recover') return wsrepRecover(cluster, rest[0], rest.slice(1));
  if (command === 'crash-if-armed') return crashIfArmed(cluster);
  throw new Refusal(
    'usage: lab-galera service <rootfs> <action> | wsrep-recover <rootfs> [option...] | cluster-start [--bootstrap <node>] | crash-if-armed',
    2,
  );
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`lab-galera: ${error.message}\n`);
    process.exit(error instanceof Refusal ? error.exitCode : 1);
  },
);
