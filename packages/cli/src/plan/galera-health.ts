import type { StepContext } from '@leap/markers';
import { CliError, ExitCode } from '../errors.js';
import { databaseConnection } from './database-connection.js';
import { galeraClusterSize } from './galera-cluster-size.js';
import type { LeapRuntime } from './runtime.js';

/**
 * db/health and post/galera-health: every node of the cluster answers, Synced and Primary, in one cluster of the expected size
 * (one state UUID, one conf id), then the gate db/health passes too. The nodes are the inventory's galera
 * containers (leap.yaml's galera.nodes with runner local); without any, or when the database leap.yaml names is
 * not a Galera node (wsrep_on OFF), only that database.
 * A cluster that did not come back (upstream: "occasionally the galera cluster may be in a non-functional state
 * after the leapfrog") fails with the way back: leap galera recover, then leap run again.
 */
export async function checkEveryGaleraNode(
  rt: LeapRuntime,
  ctx: StepContext,
  step: 'db/health' | 'post/galera-health',
): Promise<string> {
  const { assertHealthy, checkHealth } = await import('@leap/db-migrate');
  const db = await databaseConnection(rt.config);
  if (db.password) ctx.addSecret(db.password);
  const expected = await galeraClusterSize(rt);
  if (rt.config.runner === 'local' && (rt.config.galera.nodes ?? []).length === 0)
    return (await assertHealthy(db, expected)).summary;
  // A server that answers with wsrep_on OFF is a single MariaDB, not a cluster: it has no nodes to check.
  // Before the leap, one that does not answer fails with its own error (refused, wrong password: leap.yaml's
  // database); after the re-deploy a cluster that did not come back is the expected failure: the nodes say which.
  const single = await checkHealth(db, expected).catch((error: unknown) => {
    if (step === 'db/health') throw error;
    return undefined;
  });
  if (single !== undefined && !single.galera) return single.summary;
  const [{ galeraNodes }, { readGaleraStatus }] = await Promise.all([
    import('../galera/nodes.js'),
    import('../commands/galera.js'),
  ]);
  const nodes = await galeraNodes(rt.config);
  for (const node of nodes) if (node.conn.password) ctx.addSecret(node.conn.password);
  const report = await readGaleraStatus(nodes);
  const problems = [
    ...report.problems,
    ...(expected !== undefined && nodes.length !== expected
      ? [`leap reaches ${nodes.length} nodes, the inventory has ${expected} galera containers`]
      : []),
  ];
  if (problems.length > 0 && step === 'post/galera-health') {
    throw new CliError(
      'LEAP_GALERA_NOT_RECOVERED',
      `the Galera cluster is not healthy after the re-deploy:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
      {
        exitCode: ExitCode.stepFailed,
        step,
        hint: 'run `leap galera recover` (it starts the most advanced node and joins the others, losing no committed transaction; --dry-run shows its plan), then `leap run` again; `leap galera status` shows each node',
      },
    );
  }
  if (problems.length > 0) {
    throw new CliError(
      'LEAP_GALERA_UNHEALTHY',
      `the Galera cluster is not healthy, nothing was changed:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
      {
        exitCode: ExitCode.stepFailed,
        step,
        hint: 'bring every node back into the cluster before the leap (`leap galera status` shows each node; with every node down, `leap galera recover`), then `leap run` again',
      },
    );
  }
  await assertHealthy(db, expected);
  const uuid = report.nodes[0]?.clusterStateUuid ?? '?';
  return `${nodes.length} nodes Synced and Primary in one cluster (state UUID ${uuid})`;
}
