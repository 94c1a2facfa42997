import type { DbConnectionOptions } from '@leap/db-migrate';
import { CliError, ExitCode } from '../errors.js';

/** What recovery asks a node's server, over SQL: the same on this machine and in production. */
export interface SqlProbe {
  waitSynced(node: string, clusterSize: number, signal?: AbortSignal): Promise<void>;
  clusterSize(node: string): Promise<number>;
  /** True when the node's server answers. */
  answers(node: string): Promise<boolean>;
}

export interface SqlProbeOptions {
  /** How long a node may take to become Synced (a joiner may need a full state transfer). Default 15 min. */
  syncTimeoutMs?: number;
  /** Called between polls; throwing stops the wait (e.g. the node's process has exited). */
  stillStarting?(node: string): void;
}

export function sqlProbe(conns: Map<string, DbConnectionOptions>, options: SqlProbeOptions = {}): SqlProbe {
  const connOf = (node: string) => {
    const conn = conns.get(node);
    if (!conn)
      throw new CliError('LEAP_CLI_GALERA_NO_NODES', `no galera node ${node}`, {
        exitCode: ExitCode.usage,
        hint: 'name one of the nodes `leap galera status` lists, or add it under galera.nodes in leap.yaml',
      });
    return conn;
  };
  const status = async (node: string) => {
    const { withDb, readWsrepStatus } = await import('@leap/db-migrate');
    return withDb({ ...connOf(node), connectTimeoutMs: 5_000 }, (db) => readWsrepStatus(db));
  };
  return {
    async waitSynced(node, clusterSize, signal) {
      const deadline = Date.now() + (options.syncTimeoutMs ?? 15 * 60_000);
      let last = 'not answering';
      for (;;) {
        signal?.throwIfAborted();
        options.stillStarting?.(node);
        const s = await status(node).catch(() => undefined);
        if (s) {
          const size = Number(s.wsrep_cluster_size ?? 0);
          if (s.wsrep_local_state_comment === 'Synced' && size === clusterSize) return;
          last = `${s.wsrep_local_state_comment ?? '?'}, cluster size ${size}`;
        }
        if (Date.now() > deadline) {
          throw new CliError(
            'LEAP_GALERA_NOT_SYNCED',
            `${node} did not become Synced in a cluster of ${clusterSize} (last seen: ${last})`,
            {
              host: node,
              exitCode: ExitCode.stepFailed,
              hint: `read ${node}'s MariaDB error log; run leap galera status to see where the cluster stands`,
            },
          );
        }
        await new Promise((r) => setTimeout(r, 500));
      }
    },
    async clusterSize(node) {
      return Number((await status(node)).wsrep_cluster_size ?? 0);
    },
    async answers(node) {
      return status(node).then(
        () => true,
        () => false,
      );
    },
  };
}
