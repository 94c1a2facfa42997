import { mkdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic, type Exec } from '@leap/contract';
import type { GaleraRecoveryActions } from '@leap/db-migrate';
import { CliError, ExitCode } from '../errors.js';
import type { GaleraNodeSpec } from './nodes.js';
import { sqlProbe, type SqlProbeOptions } from './sql-probe.js';

type LocalNode = GaleraNodeSpec & { local: NonNullable<GaleraNodeSpec['local']> };

/**
 * Recovery's actions for nodes on this machine (runner local: the tests): grastate.dat read and
 * rewritten in place (atomically), `--wsrep-recover` and the server started from the node's `start` argv.
 * A started server is detached, so it outlives leap, as a service would.
 */
export function localGaleraActions(
  nodes: GaleraNodeSpec[],
  exec: Exec,
  probeOptions: SqlProbeOptions = {},
): GaleraRecoveryActions {
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const nodeOf = (name: string): LocalNode => {
    const node = byName.get(name);
    if (!node?.local)
      throw new CliError('LEAP_CLI_GALERA_NO_NODES', `galera node ${name} has no local datadir and start command`, {
        exitCode: ExitCode.usage,
        hint: `give galera node ${name} a datadir and a start command under galera.nodes in leap.yaml, or use runner: ansible`,
      });
    return node as LocalNode;
  };
  const grastate = (name: string) => join(nodeOf(name).local.datadir, 'grastate.dat');
  const exited = new Map<string, string>();
  const probe = sqlProbe(new Map(nodes.map((n) => [n.name, n.conn])), {
    ...probeOptions,
    stillStarting(name) {
      const why = exited.get(name);
      if (why !== undefined) {
        throw new CliError('LEAP_GALERA_START_FAILED', `mariadbd of ${name} ${why} before it was Synced`, {
          host: name,
          exitCode: ExitCode.stepFailed,
          hint: `read the node's error log (under ${nodeOf(name).local.datadir} or as its configuration says)`,
        });
      }
    },
  });
  return {
    nodes: nodes.map((n) => n.name),
    async readGrastate(name) {
      return readFile(grastate(name), 'utf8').catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return undefined;
        throw error;
      });
    },
    wsrepRecover: (name) => wsrepRecoverLocal(nodeOf, exec, name),
    async setSafeToBootstrap(name, value) {
      const { withSafeToBootstrap } = await import('@leap/db-migrate');
      const file = grastate(name);
      await writeFileAtomic(file, withSafeToBootstrap(await readFile(file, 'utf8'), value));
    },
    startNode: (name, options) => startLocalNode(nodeOf, exited, name, options),
    moveGaleraStateAside: (name, label) => moveLocalGaleraStateAside(nodeOf, name, label),
    waitSynced: probe.waitSynced,
    clusterSize: probe.clusterSize,
    isRunning: probe.answers,
  };
}

type NodeOf = (name: string) => LocalNode;

/** `--wsrep-recover` run from the node's `start` argv; its output and the log it wrote. */
async function wsrepRecoverLocal(nodeOf: NodeOf, exec: Exec, name: string): Promise<string> {
  const { local } = nodeOf(name);
  const log = join(local.datadir, 'leap-wsrep-recover.log');
  // mariadbd appends to an existing log: an earlier run's position must not be read.
  await rm(log, { force: true });
  const result = await exec([...local.start, '--wsrep-recover', `--log-error=${log}`], {
    env: { ...(process.env as Record<string, string>), ...local.env },
  });
  const text = await readFile(log, 'utf8').catch(() => '');
  return `${result.stdout}\n${result.stderr}\n${text}`;
}

/** mariadbd started detached from the node's `start` argv; `exited` learns why, should it stop. */
async function startLocalNode(
  nodeOf: NodeOf,
  exited: Map<string, string>,
  name: string,
  { bootstrap, startPosition }: Parameters<GaleraRecoveryActions['startNode']>[1],
): Promise<void> {
  const { local } = nodeOf(name);
  const [file, ...args] = local.start;
  const argv = [
    ...args,
    ...(bootstrap ? ['--wsrep-new-cluster'] : []),
    ...(startPosition === undefined ? [] : [`--wsrep-start-position=${startPosition}`]),
  ];
  exited.delete(name);
  const { execa } = await import('execa');
  const child = execa(file!, argv, {
    detached: true,
    cleanup: false,
    stdio: 'ignore',
    reject: false,
    env: { ...process.env, ...local.env },
  });
  void child.then((result) => {
    exited.set(
      name,
      result.failed && result.exitCode === undefined && !result.signal
        ? `could not start: ${result.shortMessage}`
        : `exited (${result.signal ?? `code ${result.exitCode}`})`,
    );
  });
  child.unref();
}

/** The node's galeraStateFiles moved into a new folder beside its datadir; returns that folder. */
async function moveLocalGaleraStateAside(nodeOf: NodeOf, name: string, label: string): Promise<string> {
  const { galeraStateFiles } = await import('@leap/db-migrate');
  const { datadir } = nodeOf(name).local;
  const folder = `${datadir.replace(/\/+$/, '')}.${label}`;
  // mkdir without recursive: an existing folder is an error, so nothing already there is ever overwritten.
  await mkdir(folder);
  for (const file of galeraStateFiles) {
    await rename(join(datadir, file), join(folder, file)).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
  }
  return folder;
}
