import { DbMigrateError } from './errors.js';

/** A Galera position: the cluster state UUID and the last committed seqno (-1: unknown). */
export interface GaleraPosition {
  uuid: string;
  seqno: number;
}

/** The fields of `grastate.dat` that recovery reads. */
export interface Grastate extends GaleraPosition {
  safeToBootstrap: boolean;
}

/** What is known about one stopped node before recovery. */
export interface NodeState {
  name: string;
  /** `grastate.dat` as read from the node; undefined when the file is missing. */
  grastate?: Grastate;
  /** The position `mariadbd --wsrep-recover` printed (read when grastate.dat says seqno -1). */
  recovered?: GaleraPosition;
}

export interface NodePosition {
  name: string;
  /** Undefined when neither grastate.dat nor --wsrep-recover gave a seqno: the node can only join by full SST. */
  position: GaleraPosition | undefined;
  source: 'grastate.dat' | '--wsrep-recover' | 'unknown';
  safeToBootstrap: boolean;
}

/** Committed transactions a node has that the bootstrap node lacks: lost when the forced choice is carried out. */
export interface DiscardedTransactions {
  node: string;
  /** The node's cluster history. */
  uuid: string;
  /** The first discarded seqno; undefined when the histories cannot be compared (the whole history up to lastSeqno). */
  firstSeqno: number | undefined;
  lastSeqno: number;
  /** How many committed transactions; undefined when unknown. */
  count: number | undefined;
}

export interface RecoveryPlan {
  /** The node to bootstrap (`safe_to_bootstrap: 1`, `--wsrep-new-cluster --wsrep-start-position=<position>`). */
  bootstrap: NodePosition;
  /** The others, started one at a time in this order, each waited for until Synced. */
  join: NodePosition[];
  positions: NodePosition[];
  /** Why this node was chosen. */
  reason: string;
  /** True when `forceNode` made the choice. */
  forced: boolean;
  /**
   * What a forced choice throws away, per node (empty when the bootstrap node is the most advanced). These nodes
   * have their Galera state moved aside and rejoin by a full state transfer (SST).
   */
  discards: DiscardedTransactions[];
  /** Human-readable steps, for `--dry-run`. */
  steps: string[];
}

/** One line per node: which committed transactions the plan discards. */
export function describeDiscard(d: DiscardedTransactions): string {
  if (d.firstSeqno === undefined)
    return `${d.node}: every transaction of its history ${d.uuid} up to seqno ${d.lastSeqno} (not comparable with the bootstrap node's)`;
  return `${d.node}: seqnos ${d.firstSeqno}-${d.lastSeqno} (${d.count ?? '?'} committed transactions) of ${d.uuid}`;
}

/** The files of a datadir that make a node rejoin at its own position; moved aside (never deleted) to force an SST. */
export const galeraStateFiles = ['grastate.dat', 'galera.cache', 'gvwstate.dat'] as const;

export interface PlanOptions {
  /** Bootstrap this node whatever the positions say (the operator's choice when they are ambiguous). */
  forceNode?: string;
  /** The second, explicit consent a forced choice needs when it discards committed transactions of other nodes. */
  discardNewerTransactions?: boolean;
}

const uuidPattern = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';

/** Parses the text of `grastate.dat`. */
export function parseGrastate(text: string): Grastate {
  const field = (name: string) => new RegExp(`^\\s*${name}:\\s*(\\S+)\\s*$`, 'm').exec(text)?.[1];
  const uuid = field('uuid');
  const seqno = field('seqno');
  if (uuid === undefined || seqno === undefined || !/^-?\d+$/.test(seqno)) {
    throw new DbMigrateError('LEAP_GALERA_GRASTATE', 'grastate.dat has no uuid/seqno lines', {
      hint: 'the file is damaged; read the position with mariadbd --wsrep-recover instead, or pass --force-node',
    });
  }
  return { uuid, seqno: Number(seqno), safeToBootstrap: field('safe_to_bootstrap') === '1' };
}

/** `grastate.dat` with `safe_to_bootstrap` set (the line is added when missing); everything else unchanged. */
export function withSafeToBootstrap(text: string, value: boolean): string {
  const line = `safe_to_bootstrap: ${value ? 1 : 0}`;
  if (/^safe_to_bootstrap:.*$/m.test(text)) return text.replace(/^safe_to_bootstrap:.*$/m, line);
  return `${text.replace(/\n?$/, '\n')}${line}\n`;
}

/**
 * The position in the output (or error log) of `mariadbd --wsrep-recover`: the last
 * `WSREP: Recovered position: <uuid>:<seqno>`, or a bare `<uuid>:<seqno>`.
 */
export function parseRecoveredPosition(text: string): GaleraPosition | undefined {
  const all = [...text.matchAll(new RegExp(`(?:Recovered position:\\s*)?(${uuidPattern}):(-?\\d+)`, 'g'))];
  const last = all.at(-1);
  if (!last?.[1] || last[2] === undefined) return undefined;
  return { uuid: last[1].toLowerCase(), seqno: Number(last[2]) };
}

export function formatPosition(position: GaleraPosition): string {
  return `${position.uuid}:${position.seqno}`;
}

function positionOf(node: NodeState): NodePosition {
  const safeToBootstrap = node.grastate?.safeToBootstrap ?? false;
  if (node.grastate && node.grastate.seqno >= 0) {
    return {
      name: node.name,
      position: { uuid: node.grastate.uuid.toLowerCase(), seqno: node.grastate.seqno },
      source: 'grastate.dat',
      safeToBootstrap,
    };
  }
  if (node.recovered && node.recovered.seqno >= 0) {
    return {
      name: node.name,
      position: { ...node.recovered, uuid: node.recovered.uuid.toLowerCase() },
      source: '--wsrep-recover',
      safeToBootstrap,
    };
  }
  return { name: node.name, position: undefined, source: 'unknown', safeToBootstrap };
}

const describe = (p: NodePosition) =>
  p.position ? `${p.name} ${formatPosition(p.position)} (from ${p.source})` : `${p.name} position unknown`;

/**
 * Chooses the node to bootstrap a fully stopped cluster from: the most advanced seqno wins. Pure.
 * Refuses (LEAP_GALERA_AMBIGUOUS) when the nodes disagree on the cluster UUID (different histories), when no
 * node has a known position, or when equally advanced nodes disagree on which is safe to bootstrap, unless
 * `forceNode` names the node. Equal seqnos in the same cluster UUID are the same committed state, so any of
 * them will do: the one marked safe_to_bootstrap, else the first listed.
 */
export function planGaleraRecovery(nodes: NodeState[], options: PlanOptions = {}): RecoveryPlan {
  if (nodes.length === 0)
    throw new DbMigrateError('LEAP_GALERA_NO_NODES', 'no Galera nodes to recover', {
      hint: 'name the Galera nodes (galera.nodes in leap.yaml, or the galera group of openstack_inventory.json) and run again',
    });
  const names = new Set(nodes.map((n) => n.name));
  if (names.size !== nodes.length)
    throw new DbMigrateError('LEAP_GALERA_NO_NODES', 'the Galera node names are not unique', {
      hint: 'give every Galera node its own name (galera.nodes in leap.yaml, or the galera group of openstack_inventory.json) and run again',
    });
  const positions = nodes.map(positionOf);
  const table = positions.map(describe).join('; ');
  const forceHint = (candidates: string[]) =>
    `choose the node whose data you keep and run again with --force-node <name> (forceNode), e.g. --force-node ${candidates[0] ?? positions[0]!.name}; ` +
    'the other nodes then join it; a node with transactions the chosen one lacks (newer seqnos or another history) needs --discard-newer-transactions as well: ' +
    'leap moves its grastate.dat and galera.cache aside (kept, never deleted) and it rejoins by a full state transfer, losing those transactions';

  let chosen: NodePosition;
  let reason: string;
  const forced = options.forceNode !== undefined;
  if (options.forceNode !== undefined) {
    const found = positions.find((p) => p.name === options.forceNode);
    if (!found) {
      throw new DbMigrateError(
        'LEAP_GALERA_FORCE_NODE',
        `--force-node ${options.forceNode} is not one of the Galera nodes (${[...names].join(', ')})`,
        {
          hint: 'give the name of one of the galera containers',
          host: options.forceNode,
        },
      );
    }
    chosen = found;
    reason = `${found.name} was chosen with --force-node; positions: ${table}`;
  } else {
    const known = positions.filter((p): p is NodePosition & { position: GaleraPosition } => p.position !== undefined);
    if (known.length === 0) {
      throw new DbMigrateError(
        'LEAP_GALERA_AMBIGUOUS',
        `no Galera node has a known position (${table}); leap cannot tell which node is most advanced`,
        {
          hint: forceHint([]),
        },
      );
    }
    const uuids = [...new Set(known.map((p) => p.position.uuid))];
    if (uuids.length > 1) {
      const groups = uuids.map(
        (u) =>
          `${u}: ${known
            .filter((p) => p.position.uuid === u)
            .map((p) => `${p.name} seqno ${p.position.seqno}`)
            .join(', ')}`,
      );
      throw new DbMigrateError(
        'LEAP_GALERA_AMBIGUOUS',
        `the Galera nodes belong to different cluster histories (cluster UUIDs differ: ${groups.join(' | ')}); their seqnos cannot be compared, so leap will not choose a node to bootstrap`,
        { hint: forceHint(known.map((p) => p.name)) },
      );
    }
    const top = Math.max(...known.map((p) => p.position.seqno));
    const best = known.filter((p) => p.position.seqno === top);
    if (best.length === 1) {
      chosen = best[0]!;
      reason = `${chosen.name} is the most advanced node (seqno ${top}); positions: ${table}`;
    } else {
      const marked = best.filter((p) => p.safeToBootstrap);
      if (marked.length > 1) {
        throw new DbMigrateError(
          'LEAP_GALERA_AMBIGUOUS',
          `${marked.map((p) => p.name).join(' and ')} share the top seqno ${top} and all say safe_to_bootstrap: 1; leap will not guess which one to bootstrap (positions: ${table})`,
          { hint: forceHint(marked.map((p) => p.name)) },
        );
      }
      chosen = marked[0] ?? best[0]!;
      reason =
        `${best.map((p) => p.name).join(', ')} share the top position ${formatPosition(chosen.position!)} (the same committed state); ` +
        `${chosen.name} was chosen as ${marked.length === 1 ? 'the one marked safe_to_bootstrap' : 'the first listed'}; positions: ${table}`;
    }
  }

  const join = positions.filter((p) => p !== chosen);
  const discards = join.flatMap((p): DiscardedTransactions[] => discardedBy(chosen, p));
  const discarding = new Set(discards.map((d) => d.node));
  const startArg = (p: NodePosition) =>
    discarding.has(p.name)
      ? ' with no start position (Galera state moved aside: full state transfer)'
      : p.position
        ? ` --wsrep-start-position=${formatPosition(p.position)}`
        : ' (no known position: full state transfer)';
  const steps = [
    ...discards.map(
      (d) =>
        `move ${d.node}'s ${galeraStateFiles.join(', ')} aside (kept, never deleted); discards ${describeDiscard(d)}`,
    ),
    ...positions
      .filter((p) => p !== chosen && p.safeToBootstrap && !discarding.has(p.name))
      .map((p) => `set safe_to_bootstrap: 0 in ${p.name}'s grastate.dat`),
    `set safe_to_bootstrap: 1 in ${chosen.name}'s grastate.dat`,
    `bootstrap ${chosen.name}: mariadbd --wsrep-new-cluster${startArg(chosen)}; wait until Synced`,
    ...join.map(
      (p, i) =>
        `start ${p.name}:${startArg(p).replace(/^ --/, ' mariadbd --')}; wait until Synced (cluster size ${i + 2})`,
    ),
    `verify the cluster size is ${positions.length}`,
  ];
  return { bootstrap: chosen, join, positions, reason, forced, discards, steps };
}

/** The committed transactions of `other` that bootstrapping `chosen` loses. */
function discardedBy(chosen: NodePosition, other: NodePosition): DiscardedTransactions[] {
  const theirs = other.position;
  if (theirs === undefined || theirs.seqno < 0) return [];
  const ours = chosen.position;
  if (ours !== undefined && ours.uuid === theirs.uuid) {
    if (theirs.seqno <= ours.seqno) return [];
    return [
      {
        node: other.name,
        uuid: theirs.uuid,
        firstSeqno: ours.seqno + 1,
        lastSeqno: theirs.seqno,
        count: theirs.seqno - ours.seqno,
      },
    ];
  }
  return [{ node: other.name, uuid: theirs.uuid, firstSeqno: undefined, lastSeqno: theirs.seqno, count: undefined }];
}

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
  const plan = planGaleraRecovery(await readNodeStates(actions, signal), options);
  if (options.dryRun) return { plan, dryRun: true, started: [], clusterSize: undefined, movedAside: [] };
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
  await options.confirm?.(plan);

  // Before anything else changes: a node whose newer state stays would abort on joining ("Reversing history").
  const label = `leap-galera-state-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  const movedAside: RecoveryResult['movedAside'] = [];
  for (const d of plan.discards) {
    signal?.throwIfAborted();
    const folder = await actions.moveGaleraStateAside(d.node, label);
    log(`moved ${d.node}'s Galera state aside to ${folder} (kept)`);
    movedAside.push({ node: d.node, folder });
  }
  const discarding = new Set(plan.discards.map((d) => d.node));

  const started: string[] = [];
  const { bootstrap, join } = plan;
  for (const p of plan.positions) {
    // A moved-aside grastate.dat is kept as it was.
    if (p !== bootstrap && p.safeToBootstrap && !discarding.has(p.name))
      await actions.setSafeToBootstrap(p.name, false);
  }
  await actions.setSafeToBootstrap(bootstrap.name, true);
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
  log(`cluster recovered: ${size} nodes Synced`);
  return { plan, dryRun: false, started, clusterSize: size, movedAside };
}
