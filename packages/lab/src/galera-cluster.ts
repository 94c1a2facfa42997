import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { execa } from 'execa';
import { labAsset } from './assets.js';
import { requireLabCommand } from './commands.js';
import { isFree, labSql } from './database.js';
import { LabError } from './errors.js';
import { membersOf, type InventoryView } from './inventory-view.js';
import type { LabDatabase, LabGaleraNode } from './types.js';

const PROVIDER = '/usr/lib/galera/libgalera_smm.so';
const RSYNC_SST = '/usr/bin/wsrep_sst_rsync';

/** What <lab>/galera/nodes.json holds for lab-galera.cjs: how to start a node, how to ask it, and the nodes. */
interface ClusterFile {
  start: string;
  client: string;
  nodes: LabGaleraNode[];
}

/**
 * The lab's Galera nodes, one per galera container of the inventory: each node's data is its container's
 * /openstack/<container> folder on the physical host (production bind-mounts it as /var/lib/mysql, here a symlink
 * in the container's folder), its my.cnf, socket and pid file under <lab>/galera/nodeN, its ports on loopback.
 */
export async function planLabGalera(dir: string, hostsRoot: string, view: InventoryView): Promise<LabGaleraNode[]> {
  const containers = membersOf(view, 'galera_all').sort();
  if (containers.length === 0) {
    throw new LabError('LEAP_LAB_DATABASE', 'the lab inventory has no galera container', {
      hint: 'create the lab with --single-db, or give the deployment a galera container (shared-infra_hosts)',
    });
  }
  const ports = await freePorts(containers.length * 4);
  return containers.map((name, i): LabGaleraNode => {
    const physical = view.hosts.find((h) => h.name === name)?.physicalHost ?? name;
    const nodeDir = join(dir, 'galera', `node${i + 1}`);
    return {
      name,
      dir: nodeDir,
      rootfs: join(hostsRoot, physical, 'var/lib/lxc', name, 'rootfs'),
      datadir: join(hostsRoot, physical, 'openstack', name),
      config: join(nodeDir, 'my.cnf'),
      pidFile: join(nodeDir, 'mysqld.pid'),
      socket: join(nodeDir, 'mysqld.sock'),
      errorLog: join(nodeDir, 'error.log'),
      host: '127.0.0.1',
      port: ports[i * 4] as number,
      groupPort: ports[i * 4 + 1] as number,
      istPort: ports[i * 4 + 2] as number,
      sstPort: ports[i * 4 + 3] as number,
    };
  });
}

/**
 * Initialises every node's datadir and starts the cluster: the first node starts it, the others join, each
 * detached (lab destroy stops them). Returns the first node as the lab's database (leap.yaml's `database`).
 */
export async function startLabGalera(dir: string, nodes: readonly LabGaleraNode[]): Promise<LabDatabase> {
  const mariadbd = requireLabCommand('mariadbd');
  const installDb = requireLabCommand('mariadb-install-db');
  const client = requireLabCommand('mariadb');
  requireLabFile(PROVIDER, 'galera-4');
  requireLabFile(RSYNC_SST, 'mariadb-server');
  requireLabCommand('rsync');
  const sstBin = writeRsyncSst(join(dir, 'galera', 'bin'));
  const start = writeStartWrapper(dir, mariadbd, sstBin);
  const clusterName = `leap_lab_${Math.random().toString(16).slice(2, 8)}`;
  const group = nodes.map((n) => `127.0.0.1:${n.groupPort}`);
  await Promise.all(
    nodes.map(async (node) => {
      mkdirSync(join(node.dir, 'tmp'), { recursive: true });
      mkdirSync(node.datadir, { recursive: true });
      linkDatadir(node);
      writeFileSync(node.config, myCnf(node, clusterName, group));
      await execa(installDb, [
        '--no-defaults',
        '--auth-root-authentication-method=normal',
        '--skip-test-db',
        '--innodb-log-file-size=8M',
        `--datadir=${node.datadir}`,
        `--tmpdir=${join(node.dir, 'tmp')}`,
        ...(process.getuid?.() === 0 ? ['--user=root'] : []),
      ]);
    }),
  );
  const clusterFile: ClusterFile = { start, client, nodes: [...nodes] };
  writeFileSync(join(dir, 'galera', 'nodes.json'), `${JSON.stringify(clusterFile, null, 2)}\n`);
  const script = writeGaleraScript(dir);
  const first = nodes[0] as LabGaleraNode;
  const started = await execa(script, ['cluster-start', '--bootstrap', first.name], { reject: false, all: true });
  if (started.exitCode !== 0) {
    throw new LabError('LEAP_LAB_DATABASE', `the lab's Galera cluster did not start: ${String(started.all).trim()}`, {
      file: first.errorLog,
      hint: `read the nodes' error logs under ${join(dir, 'galera')}, then run leap lab destroy and leap lab create again`,
    });
  }
  return {
    pid: nodePid(first) ?? 0,
    socket: first.socket,
    host: first.host,
    port: first.port,
    user: 'root',
    password: '',
    datadir: first.datadir,
    client,
  };
}

/**
 * Runs `seed` with the first node numbering new rows 1, 2, 3...: the seed's history counts on it (nova soft-deletes
 * with deleted = id, rows picked by id), and a Galera node steps by the cluster size. Restored afterwards.
 */
export async function withSerialAutoIncrement<T>(database: LabDatabase, seed: () => Promise<T>): Promise<T> {
  const [[increment, offset] = []] = await labSql(
    database,
    'SELECT @@global.auto_increment_increment, @@global.auto_increment_offset',
  );
  await labSql(
    database,
    'SET GLOBAL wsrep_auto_increment_control = OFF; SET GLOBAL auto_increment_increment = 1; SET GLOBAL auto_increment_offset = 1;',
  );
  try {
    return await seed();
  } finally {
    await labSql(
      database,
      `SET GLOBAL auto_increment_increment = ${Number(increment)}; SET GLOBAL auto_increment_offset = ${Number(offset)}; SET GLOBAL wsrep_auto_increment_control = ON;`,
    );
  }
}

/** Kills every node of the lab's cluster (the lab is being removed: no clean shutdown needed). */
export async function stopLabGalera(nodes: readonly LabGaleraNode[]): Promise<void> {
  await Promise.all(
    nodes.map(async (node) => {
      const pid = nodePid(node);
      if (pid === undefined) return;
      process.kill(pid, 'SIGKILL');
      for (let i = 0; i < 100 && nodePid(node) === pid; i++) await sleep(100);
    }),
  );
}

/** The running mariadbd of `node`, by its pid file; a stale pid file (its pid now another process's) gives none. */
export function nodePid(node: Pick<LabGaleraNode, 'pidFile' | 'config'>): number | undefined {
  try {
    const pid = Number(readFileSync(node.pidFile, 'utf8').trim());
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(node.config) ? pid : undefined;
  } catch {
    return undefined;
  }
}

function myCnf(node: LabGaleraNode, clusterName: string, group: readonly string[]): string {
  const asRoot = process.getuid?.() === 0;
  const self = `127.0.0.1:${node.groupPort}`;
  return [
    '[mysqld]',
    ...(asRoot ? ['user=root'] : []),
    `datadir=${node.datadir}`,
    `tmpdir=${join(node.dir, 'tmp')}`,
    `socket=${node.socket}`,
    `pid-file=${node.pidFile}`,
    `log-error=${node.errorLog}`,
    `port=${node.port}`,
    'bind-address=127.0.0.1',
    'skip-name-resolve',
    'character-set-server=utf8',
    'collation-server=utf8_general_ci',
    'innodb_buffer_pool_size=32M',
    'innodb_log_file_size=8M',
    'binlog_format=ROW',
    'default_storage_engine=InnoDB',
    'innodb_autoinc_lock_mode=2',
    'wsrep_on=ON',
    `wsrep_provider=${PROVIDER}`,
    `wsrep_cluster_name=${clusterName}`,
    `wsrep_cluster_address=gcomm://${group.join(',')}`,
    `wsrep_node_name=${node.name}`,
    `wsrep_node_address=${self}`,
    `wsrep_node_incoming_address=127.0.0.1:${node.port}`,
    `wsrep_provider_options="gmcast.listen_addr=tcp://${self};ist.recv_addr=127.0.0.1:${node.istPort};gcache.size=32M"`,
    'wsrep_sst_method=rsync_lab',
    `wsrep_sst_receive_address=127.0.0.1:${node.sstPort}`,
    '',
  ].join('\n');
}

/** The container's /var/lib/mysql: production bind-mounts /openstack/<container> there; the lab links it. */
function linkDatadir(node: LabGaleraNode): void {
  const link = join(node.rootfs, 'var/lib/mysql');
  mkdirSync(dirname(link), { recursive: true });
  if (!existsSync(link)) symlinkSync(node.datadir, link);
}

/**
 * rsync SST as Debian ships it drops its rsync daemon to `nobody` when run as root, which cannot write a
 * root-owned datadir: the lab's copy (method rsync_lab) keeps the current user.
 */
function writeRsyncSst(binDir: string): string {
  const uid = process.getuid?.() ?? 0;
  const gid = process.getgid?.() ?? 0;
  const script = readFileSync(RSYNC_SST, 'utf8')
    .replace('. $(dirname "$0")/wsrep_sst_common', '. /usr/bin/wsrep_sst_common')
    .replace('use chroot = no\n', `use chroot = no\nuid = ${uid}\ngid = ${gid}\n`);
  if (!script.includes(`uid = ${uid}`)) {
    throw new LabError('LEAP_LAB_DATABASE', `${RSYNC_SST} changed shape: the lab cannot make its rsync SST from it`, {
      file: RSYNC_SST,
      hint: 'create the lab with --single-db',
    });
  }
  mkdirSync(binDir, { recursive: true });
  const target = join(binDir, 'wsrep_sst_rsync_lab');
  writeFileSync(target, script);
  chmodSync(target, 0o755);
  return binDir;
}

/** <lab>/bin/lab-mariadbd: mariadbd with the lab's SST script on its PATH (what a node's start command runs). */
function writeStartWrapper(dir: string, mariadbd: string, sstBin: string): string {
  const file = join(dir, 'bin', 'lab-mariadbd');
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(
    file,
    `#!/bin/sh\n# A lab galera node's mariadbd, with the lab's rsync SST (rsync_lab) found on its PATH.\n` +
      `PATH=${shellQuote(sstBin)}:$PATH\nexport PATH\nexec ${shellQuote(mariadbd)} "$@"\n`,
  );
  chmodSync(file, 0o755);
  return file;
}

/** <lab>/galera/lab-galera.cjs and <lab>/bin/lab-galera, which runs it with this node. */
function writeGaleraScript(dir: string): string {
  copyFileSync(labAsset('galera/lab-galera.cjs'), join(dir, 'galera', 'lab-galera.cjs'));
  const file = join(dir, 'bin', 'lab-galera');
  writeFileSync(
    file,
    `#!/bin/sh\n# The lab's Galera nodes; see ../galera/lab-galera.cjs.\n` +
      `exec ${shellQuote(process.execPath)} "$(dirname -- "$0")/../galera/lab-galera.cjs" "$@"\n`,
  );
  chmodSync(file, 0o755);
  return file;
}

function requireLabFile(path: string, pkg: string): void {
  if (!existsSync(path)) {
    throw new LabError('LEAP_LAB_MISSING_COMMAND', `the lab's Galera cluster needs ${path}, which is not installed`, {
      hint: `apt-get install -y ${pkg} (or create the lab with --single-db)`,
    });
  }
}

/** `count` distinct free ports on 127.0.0.1 from 20000 to 32000 (below the ephemeral range outgoing connections use). */
async function freePorts(count: number): Promise<number[]> {
  const ports = new Set<number>();
  for (let attempt = 0; ports.size < count; attempt++) {
    if (attempt > 50 * count) {
      throw new LabError('LEAP_LAB_DATABASE', 'not enough free TCP ports between 20000 and 32000 on 127.0.0.1', {
        hint: 'stop servers you no longer need (`leap lab destroy` removes a lab and its database), then create the lab again',
      });
    }
    const port = 20000 + Math.floor(Math.random() * 12000);
    if (!ports.has(port) && (await isFree(port))) ports.add(port);
  }
  return [...ports];
}

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
