import { DbMigrateError } from './errors.js';
import {
  describeDiscard,
  formatPosition,
  parseGrastate,
  parseRecoveredPosition,
  planGaleraRecovery,
  type Grastate,
  type NodeState,
  type PlanOptions,
  type RecoveryPlan,
} from './galera-plan.js';

/**
 * The actions recovery needs on each node. Production runs them through Ansible on the galera containers;
 * tests run them locally against a fixture cluster.
 */
export interface GaleraRecoveryActions {
  /** The node names, in the order the others are started. */
  nodes: string[];
  /** The text of the node's grastate.dat, or undefined when it does not exist. */
  readGrastate(node: string): Promise<string | undefined>;
  /** Runs `mariadbd --wsrep-recover` on the stopped node; returns its output or log (or just `<uuid>:<seqno>`). */
  wsrepRecover(node: string): Promise<string>;
  /** Writes `safe_to_bootstrap` into the node's grastate.dat (see withSafeToBootstrap). */
  setSafeToBootstrap(node: string, value: boolean): Promise<void>;
  /**
   * Starts mariadbd on the node: with `--wsrep-new-cluster` when `bootstrap`, and with
   * `--wsrep-start-position=<startPosition>` when given. Resolves once the server has been started.
   */
  startNode(node: string, options: { bootstrap: boolean; startPosition: string | undefined }): Promise<void>;
  /** Resolves when the node is Synced in a cluster of `clusterSize` nodes; throws when it gives up. */
  waitSynced(node: string, clusterSize: number, signal?: AbortSignal): Promise<void>;
  /** `wsrep_cluster_size` as the node reports it. */
  clusterSize(node: string): Promise<number>;
  /**
   * Moves the stopped node's galeraStateFiles (those present) into a new folder named after `label` beside (not
   * inside: an SST would sync it away) its datadir; returns that folder. Never deletes anything.
   */
  moveGaleraStateAside(node: string, label: string): Promise<string>;
  /** Optional: whether mariadbd runs on the node; recovery refuses to touch a cluster with a running node. */
  isRunning?(node: string): Promise<boolean>;
  /** Progress lines. */
  log?(line: string): void;
}

export interface RecoverOptions extends PlanOptions {
  /** Read the positions and return the plan; change nothing. */
  dryRun?: boolean;
  /** Called with the plan before anything is changed (after a dry run, never); throw to stop there. */
  confirm?: (plan: RecoveryPlan) => Promise<void>;
  signal?: AbortSignal;
}

export interface RecoveryResult {
  plan: RecoveryPlan;
  dryRun: boolean;
  /** Nodes started, in order. */
  started: string[];
  /** The verified cluster size (undefined for a dry run). */
  clusterSize: number | undefined;
  /** Where each discarding node's Galera state was moved (kept for the operator; leap never deletes it). */
  movedAside: Array<{ node: string; folder: string }>;
}

/** Reads every node's position (grastate.dat, or --wsrep-recover when its seqno is -1). */
export async function readNodeStates(actions: GaleraRecoveryActions, signal?: AbortSignal): Promise<NodeState[]> {
  const states: NodeState[] = [];
  for (const name of actions.nodes) {
    signal?.throwIfAborted();
    const text = await actions.readGrastate(name);
    let grastate: Grastate | undefined;
    if (text !== undefined) {
      try {
        grastate = parseGrastate(text);
      } catch {
        grastate = undefined;
      }
    }
    const state: NodeState = { name, ...(grastate ? { grastate } : {}) };
    if (!grastate || grastate.seqno < 0) {
      signal?.throwIfAborted();
      const recovered = parseRecoveredPosition(await actions.wsrepRecover(name));
      if (recovered) state.recovered = recovered;
    }
    states.push(state);
  }
  return states;
}

/**
 * Brings a fully stopped Galera cluster back without losing a committed transaction: reads each node's
 * position, chooses the most advanced node (planGaleraRecovery), sets safe_to_bootstrap: 1 there only,
 * bootstraps it at its position, starts the others one at a time at theirs (IST), each waited for until
 * Synced, and verifies the cluster size. Refuses before changing anything when the positions are ambiguous.
 */
export async function recoverGalera(
  actions: GaleraRecoveryActions,
  options: RecoverOptions = {},
): Promise<RecoveryResult> {
  const { signal } = options;
  const log = actions.log ?? (() => undefined);
  await assertEveryNodeStopped(actions);
  const plan = planGaleraRecovery(await readNodeStates(actions, signal), options);
  if (options.dryRun) return { plan, dryRun: true, started: [], clusterSize: undefined, movedAside: [] };
  assertDiscardConsented(plan, options);
  await options.confirm?.(plan);

  // Before anything else changes: a node whose newer state stays would abort on joining ("Reversing history").
  const movedAside = await moveDiscardedStateAside(actions, plan, log, signal);
  const discarding = new Set(plan.discards.map((d) => d.node));

  await markBootstrapNode(actions, plan, discarding);
  const started = await startNodesInOrder(actions, plan, discarding, log, signal);
  const size = await verifyClusterSize(actions, plan);
  log(`cluster recovered: ${size} nodes Synced`);
  return { plan, dryRun: false, started, clusterSize: size, movedAside };
}

/** Refuses (LEAP_GALERA_RUNNING) when mariadbd runs on a node (only when actions.isRunning is given). */
async function assertEveryNodeStopped(actions: GaleraRecoveryActions): Promise<void> {
  if (actions.isRunning) {
    for (const name of actions.nodes) {
      if (await actions.isRunning(name)) {
        throw new DbMigrateError(
          'LEAP_GALERA_RUNNING',
          `mariadbd is running on ${name}; leap galera recover is for a cluster with every node down`,
          {
            hint: 'if the cluster has quorum, start the stopped nodes normally; otherwise stop every galera node first',
            host: name,
          },
        );
      }
    }
  }
}

/** Refuses (LEAP_GALERA_DISCARD_REFUSED) a plan that discards transactions without --discard-newer-transactions. */
function assertDiscardConsented(plan: RecoveryPlan, options: RecoverOptions): void {
  if (plan.discards.length > 0 && options.discardNewerTransactions !== true) {
    throw new DbMigrateError(
      'LEAP_GALERA_DISCARD_REFUSED',
      `bootstrapping ${plan.bootstrap.name} discards committed transactions of other nodes: ${plan.discards.map(describeDiscard).join('; ')}; nothing was changed`,
      {
        host: plan.bootstrap.name,
        hint:
          'bootstrap the most advanced node instead (run without --force-node), or, if these transactions must go, ' +
          `run again with --force-node ${plan.bootstrap.name} --discard-newer-transactions: their Galera state is moved aside and they rejoin by a full state transfer`,
      },
    );
  }
}

/** Moves the Galera state of every discarding node aside (kept), so that it rejoins by a full state transfer. */
async function moveDiscardedStateAside(
  actions: GaleraRecoveryActions,
  plan: RecoveryPlan,
  log: (line: string) => void,
  signal: AbortSignal | undefined,
): Promise<RecoveryResult['movedAside']> {
  const label = `leap-galera-state-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  const movedAside: RecoveryResult['movedAside'] = [];
  for (const d of plan.discards) {
    signal?.throwIfAborted();
    const folder = await actions.moveGaleraStateAside(d.node, label);
    log(`moved ${d.node}'s Galera state aside to ${folder} (kept)`);
    movedAside.push({ node: d.node, folder });
  }
  return movedAside;
}

/** safe_to_bootstrap: 0 on the other nodes that say 1 (a moved-aside grastate.dat is kept as it was), 1 on the bootstrap node. */
async function markBootstrapNode(
  actions: GaleraRecoveryActions,
  plan: RecoveryPlan,
  discarding: Set<string>,
): Promise<void> {
  const { bootstrap } = plan;
  for (const p of plan.positions) {
    // A moved-aside grastate.dat is kept as it was.
    if (p !== bootstrap && p.safeToBootstrap && !discarding.has(p.name))
      await actions.setSafeToBootstrap(p.name, false);
  }
  await actions.setSafeToBootstrap(bootstrap.name, true);
}

/** Bootstraps the chosen node, then starts the others one at a time, each waited for until Synced; returns them in order. */
async function startNodesInOrder(
  actions: GaleraRecoveryActions,
  plan: RecoveryPlan,
  discarding: Set<string>,
  log: (line: string) => void,
  signal: AbortSignal | undefined,
): Promise<string[]> {
  const started: string[] = [];
  const { bootstrap, join } = plan;
  signal?.throwIfAborted();
  log(`bootstrapping ${bootstrap.name}`);
  await actions.startNode(bootstrap.name, {
    bootstrap: true,
    startPosition: bootstrap.position && formatPosition(bootstrap.position),
  });
  started.push(bootstrap.name);
  await actions.waitSynced(bootstrap.name, 1, signal);
  for (const [i, p] of join.entries()) {
    signal?.throwIfAborted();
    log(`starting ${p.name}`);
    await actions.startNode(p.name, {
      bootstrap: false,
      startPosition: discarding.has(p.name) ? undefined : p.position && formatPosition(p.position),
    });
    started.push(p.name);
    await actions.waitSynced(p.name, i + 2, signal);
  }
  return started;
}

/** The cluster size the bootstrap node reports; LEAP_GALERA_SIZE when a node is missing. */
async function verifyClusterSize(actions: GaleraRecoveryActions, plan: RecoveryPlan): Promise<number> {
  const { bootstrap } = plan;
  const size = await actions.clusterSize(bootstrap.name);
  if (size !== plan.positions.length) {
    throw new DbMigrateError(
      'LEAP_GALERA_SIZE',
      `after recovery the Galera cluster has ${size} nodes, expected ${plan.positions.length}`,
      {
        hint: 'check the error log of the missing nodes',
        host: bootstrap.name,
      },
    );
  }
  return size;
}
