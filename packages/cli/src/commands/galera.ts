import { localExec } from '@leap/contract';
import type { DbConnectionOptions, GaleraRecoveryActions, RecoveryPlan } from '@leap/db-migrate';
import { loadConfig } from '../config.js';
import { CliError, ExitCode } from '../errors.js';
import type { Io } from '../output.js';
import { interruptOnSignals } from '../interrupt.js';
import type { GlobalOptions } from './shared.js';

/** One galera node as `leap galera status` reads it. */
export interface GaleraNodeStatus {
  name: string;
  reachable: boolean;
  error?: string;
  state?: string;
  clusterStatus?: string;
  size?: number;
  clusterStateUuid?: string;
  confId?: string;
  lastCommitted?: string;
}

export interface GaleraStatusReport {
  nodes: GaleraNodeStatus[];
  /** Every reachable node agrees on the cluster state UUID and conf id, and all are Synced and Primary. */
  ok: boolean;
  problems: string[];
}

/** Reads wsrep status from each node (by name); unreachable nodes are reported, not thrown. */
export async function readGaleraStatus(
  nodes: Array<{ name: string; conn: DbConnectionOptions }>,
): Promise<GaleraStatusReport> {
  const { withDb, readWsrepStatus } = await import('@leap/db-migrate');
  const statuses: GaleraNodeStatus[] = [];
  for (const node of nodes) {
    try {
      const s = await withDb({ connectTimeoutMs: 5_000, ...node.conn }, (db) => readWsrepStatus(db));
      statuses.push({
        name: node.name,
        reachable: true,
        state: s.wsrep_local_state_comment,
        clusterStatus: s.wsrep_cluster_status,
        size: s.wsrep_cluster_size === undefined ? undefined : Number(s.wsrep_cluster_size),
        clusterStateUuid: s.wsrep_cluster_state_uuid,
        confId: s.wsrep_cluster_conf_id,
        lastCommitted: s.wsrep_last_committed,
      });
    } catch (error) {
      statuses.push({
        name: node.name,
        reachable: false,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }
  const up = statuses.filter((s) => s.reachable);
  const problems = [
    ...statuses.filter((s) => !s.reachable).map((s) => `${s.name} is unreachable: ${s.error ?? ''}`),
    ...up.filter((s) => s.state !== 'Synced').map((s) => `${s.name} is ${s.state ?? '(unknown)'}, not Synced`),
    ...up
      .filter((s) => s.clusterStatus !== 'Primary')
      .map((s) => `${s.name} is ${s.clusterStatus ?? '(unknown)'}, not Primary`),
    ...up
      .filter((s) => s.size !== nodes.length)
      .map((s) => `${s.name} sees a cluster of ${s.size ?? '?'} nodes, expected ${nodes.length}`),
  ];
  if (new Set(up.map((s) => s.clusterStateUuid)).size > 1)
    problems.push('the nodes disagree on the cluster state UUID');
  if (new Set(up.map((s) => s.confId)).size > 1) problems.push('the nodes disagree on the cluster conf id');
  return { nodes: statuses, ok: problems.length === 0, problems };
}

/** `leap galera status`: per node state, size, cluster state UUID, conf id and last committed seqno; exit 1 when unhealthy. */
export async function showGaleraStatus(
  nodes: Array<{ name: string; conn: DbConnectionOptions }>,
  options: GlobalOptions,
  io: Io,
): Promise<number> {
  const report = await readGaleraStatus(nodes);
  if (options.json) io.stdout(`${JSON.stringify(report, null, 2)}\n`);
  else {
    for (const s of report.nodes) {
      io.stdout(
        s.reachable
          ? `${s.name}: ${s.state ?? '?'} ${s.clusterStatus ?? '?'} size ${s.size ?? '?'} uuid ${s.clusterStateUuid ?? '?'} conf ${s.confId ?? '?'} last committed ${s.lastCommitted ?? '?'}\n`
          : `${s.name}: unreachable (${s.error ?? ''})\n`,
      );
    }
    io.stdout(report.ok ? 'the Galera cluster is healthy\n' : `${report.problems.join('\n')}\n`);
  }
  return report.ok ? 0 : 1;
}

export interface GaleraRecoverCommandOptions extends GlobalOptions {
  dryRun?: boolean;
  forceNode?: string;
  /** The second consent a --force-node choice needs when it discards other nodes' committed transactions. */
  discardNewerTransactions?: boolean;
  /** Go on without asking, after the plan is printed. */
  yes?: boolean;
}

export function formatPlan(plan: RecoveryPlan): string {
  const discards =
    plan.discards.length === 0
      ? []
      : [
          `committed transactions this choice DISCARDS (needs --discard-newer-transactions):`,
          ...plan.discards.map((d) => `  - ${describeDiscard(d)}`),
        ];
  return [`${plan.reason}`, ...discards, ...plan.steps.map((s, i) => `  ${i + 1}. ${s}`)].join('\n');
}

/** The per-node lines of formatPlan, without the package loaded (the type import is erased). */
function describeDiscard(d: RecoveryPlan['discards'][number]): string {
  return d.firstSeqno === undefined
    ? `${d.node}: every transaction of its history ${d.uuid} up to seqno ${d.lastSeqno}`
    : `${d.node}: seqnos ${d.firstSeqno}-${d.lastSeqno} (${d.count ?? '?'} committed transactions)`;
}

/**
 * `leap galera recover [--dry-run] [--force-node <name>]`: brings a cluster with every node down back. The actions
 * (grastate.dat, --wsrep-recover, starting mariadbd) come from the caller: the Ansible runner on the galera
 * containers in production. A refusal (ambiguous positions) is a DbMigrateError that reportError prints with its hint.
 */
export async function runGaleraRecover(
  actions: GaleraRecoveryActions,
  options: GaleraRecoverCommandOptions,
  io: Io,
  interactive: boolean,
  signal?: AbortSignal,
): Promise<number> {
  const { recoverGalera } = await import('@leap/db-migrate');
  const result = await recoverGalera(
    {
      ...actions,
      log: (line) => {
        if (!options.json) io.stderr(`${line}\n`);
      },
    },
    {
      ...(options.dryRun === undefined ? {} : { dryRun: options.dryRun }),
      ...(options.forceNode === undefined ? {} : { forceNode: options.forceNode }),
      ...(options.discardNewerTransactions === undefined
        ? {}
        : { discardNewerTransactions: options.discardNewerTransactions }),
      ...(signal === undefined ? {} : { signal }),
      confirm: (plan) => confirmRecovery(plan, options, io, interactive, signal),
    },
  );
  if (options.json) io.stdout(`${JSON.stringify(result, null, 2)}\n`);
  else if (result.dryRun) io.stdout(`dry run, nothing changed:\n${formatPlan(result.plan)}\n`);
  else {
    io.stdout(
      `the Galera cluster is back: ${result.clusterSize ?? '?'} nodes Synced, bootstrapped from ${result.plan.bootstrap.name}\n`,
    );
    for (const m of result.movedAside)
      io.stdout(`  ${m.node}'s previous Galera state is kept in ${m.folder} (leap never deletes it)\n`);
  }
  return 0;
}

/** Bootstrapping decides whose data survives: the operator sees the plan and agrees (or passed --yes) first. */
async function confirmRecovery(
  plan: RecoveryPlan,
  options: GaleraRecoverCommandOptions,
  io: Io,
  interactive: boolean,
  signal?: AbortSignal,
): Promise<void> {
  if (!options.json) io.stdout(`${formatPlan(plan)}\n`);
  if (options.yes) return;
  if (!interactive) {
    throw new CliError(
      'LEAP_CONFIRMATION_NEEDED',
      'leap galera recover rewrites grastate.dat and bootstraps the cluster, and this is not an interactive terminal; nothing was changed',
      {
        exitCode: ExitCode.usage,
        hint: 'review the plan above, then run `leap galera recover --yes` to carry it out',
      },
    );
  }
  const { confirm } = await import('@inquirer/prompts');
  const yes = await confirm(
    { message: `Bootstrap the cluster from ${plan.bootstrap.name} and start the other nodes now?`, default: false },
    signal ? { signal } : {},
  );
  if (!yes) {
    throw new CliError('LEAP_CONFIRMATION_DECLINED', 'the recovery was declined; nothing was changed', {
      exitCode: ExitCode.declined,
      hint: 'run `leap galera recover --dry-run` to review the plan again',
    });
  }
}

/** `leap galera status`: the nodes from leap.yaml (runner local) or the inventory. */
export async function galeraStatusCommand(options: GlobalOptions, io: Io): Promise<number> {
  const config = await loadConfig(options);
  const { galeraNodes } = await import('../galera/nodes.js');
  return showGaleraStatus(await galeraNodes(config), options, io);
}

/** `leap galera recover`: local actions with runner local, Ansible on each galera container otherwise. */
export async function galeraRecoverCommand(
  options: GaleraRecoverCommandOptions,
  io: Io,
  isTty: boolean,
): Promise<number> {
  const config = await loadConfig(options);
  const { galeraNodes } = await import('../galera/nodes.js');
  const nodes = await galeraNodes(config);
  let actions: GaleraRecoveryActions;
  if (config.runner === 'local') {
    const { localGaleraActions } = await import('../galera/local-actions.js');
    actions = localGaleraActions(nodes, localExec);
  } else {
    const [{ ansibleGaleraActions }, { ansibleExec }] = await Promise.all([
      import('../galera/ansible-actions.js'),
      import('../exec/ansible-exec.js'),
    ]);
    actions = ansibleGaleraActions(nodes, config, (node) => ansibleExec(config, node, { firstHost: false }));
  }
  const interrupt = interruptOnSignals();
  try {
    return await runGaleraRecover(actions, options, io, isTty && !options.json, interrupt.signal);
  } finally {
    interrupt.dispose();
  }
}
