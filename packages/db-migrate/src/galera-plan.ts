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
  const names = assertNodesNamed(nodes);
  const positions = nodes.map(positionOf);
  const table = positions.map(describe).join('; ');
  const forceHint = (candidates: string[]) => forceNodeHint(candidates, positions);

  const forced = options.forceNode !== undefined;
  const { chosen, reason } =
    options.forceNode !== undefined
      ? chooseForcedNode(positions, options.forceNode, names, table)
      : chooseMostAdvancedNode(positions, table, forceHint);

  const join = positions.filter((p) => p !== chosen);
  const discards = join.flatMap((p): DiscardedTransactions[] => discardedBy(chosen, p));
  const steps = recoverySteps(chosen, join, positions, discards);
  return { bootstrap: chosen, join, positions, reason, forced, discards, steps };
}

/** Refuses (LEAP_GALERA_NO_NODES) no nodes or names that are not unique; returns the names. */
function assertNodesNamed(nodes: NodeState[]): Set<string> {
  if (nodes.length === 0)
    throw new DbMigrateError('LEAP_GALERA_NO_NODES', 'no Galera nodes to recover', {
      hint: 'name the Galera nodes (galera.nodes in leap.yaml, or the galera group of openstack_inventory.json) and run again',
    });
  const names = new Set(nodes.map((n) => n.name));
  if (names.size !== nodes.length)
    throw new DbMigrateError('LEAP_GALERA_NO_NODES', 'the Galera node names are not unique', {
      hint: 'give every Galera node its own name (galera.nodes in leap.yaml, or the galera group of openstack_inventory.json) and run again',
    });
  return names;
}

/** The hint of an ambiguous choice: how to make it with --force-node (and what --discard-newer-transactions does). */
function forceNodeHint(candidates: string[], positions: NodePosition[]): string {
  return (
    `choose the node whose data you keep and run again with --force-node <name> (forceNode), e.g. --force-node ${candidates[0] ?? positions[0]!.name}; ` +
    'the other nodes then join it; a node with transactions the chosen one lacks (newer seqnos or another history) needs --discard-newer-transactions as well: ' +
    'leap moves its grastate.dat and galera.cache aside (kept, never deleted) and it rejoins by a full state transfer, losing those transactions'
  );
}

interface Choice {
  chosen: NodePosition;
  reason: string;
}

/** The node --force-node names; LEAP_GALERA_FORCE_NODE when it is not one of them. */
function chooseForcedNode(positions: NodePosition[], forceNode: string, names: Set<string>, table: string): Choice {
  const found = positions.find((p) => p.name === forceNode);
  if (!found) {
    throw new DbMigrateError(
      'LEAP_GALERA_FORCE_NODE',
      `--force-node ${forceNode} is not one of the Galera nodes (${[...names].join(', ')})`,
      {
        hint: 'give the name of one of the galera containers',
        host: forceNode,
      },
    );
  }
  return { chosen: found, reason: `${found.name} was chosen with --force-node; positions: ${table}` };
}

type KnownPosition = NodePosition & { position: GaleraPosition };

/** The node with the top seqno; LEAP_GALERA_AMBIGUOUS when no position is known or the histories differ. */
function chooseMostAdvancedNode(
  positions: NodePosition[],
  table: string,
  forceHint: (candidates: string[]) => string,
): Choice {
  const known = positions.filter((p): p is KnownPosition => p.position !== undefined);
  if (known.length === 0) {
    throw new DbMigrateError(
      'LEAP_GALERA_AMBIGUOUS',
      `no Galera node has a known position (${table}); leap cannot tell which node is most advanced`,
      {
        hint: forceHint([]),
      },
    );
  }
  assertOneHistory(known, forceHint);
  const top = Math.max(...known.map((p) => p.position.seqno));
  const best = known.filter((p) => p.position.seqno === top);
  if (best.length === 1) {
    const chosen = best[0]!;
    return { chosen, reason: `${chosen.name} is the most advanced node (seqno ${top}); positions: ${table}` };
  }
  return chooseAmongEquals(best, top, table, forceHint);
}

/** Refuses (LEAP_GALERA_AMBIGUOUS) nodes of different cluster UUIDs: their seqnos cannot be compared. */
function assertOneHistory(known: KnownPosition[], forceHint: (candidates: string[]) => string): void {
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
}

/** Among nodes sharing the top seqno: the one marked safe_to_bootstrap, else the first; refuses when several are. */
function chooseAmongEquals(
  best: KnownPosition[],
  top: number,
  table: string,
  forceHint: (candidates: string[]) => string,
): Choice {
  const marked = best.filter((p) => p.safeToBootstrap);
  if (marked.length > 1) {
    throw new DbMigrateError(
      'LEAP_GALERA_AMBIGUOUS',
      `${marked.map((p) => p.name).join(' and ')} share the top seqno ${top} and all say safe_to_bootstrap: 1; leap will not guess which one to bootstrap (positions: ${table})`,
      { hint: forceHint(marked.map((p) => p.name)) },
    );
  }
  const chosen = marked[0] ?? best[0]!;
  const reason =
    `${best.map((p) => p.name).join(', ')} share the top position ${formatPosition(chosen.position!)} (the same committed state); ` +
    `${chosen.name} was chosen as ${marked.length === 1 ? 'the one marked safe_to_bootstrap' : 'the first listed'}; positions: ${table}`;
  return { chosen, reason };
}

/** The plan's human-readable steps, for `--dry-run`. */
function recoverySteps(
  chosen: NodePosition,
  join: NodePosition[],
  positions: NodePosition[],
  discards: DiscardedTransactions[],
): string[] {
  const discarding = new Set(discards.map((d) => d.node));
  const startArg = (p: NodePosition) =>
    discarding.has(p.name)
      ? ' with no start position (Galera state moved aside: full state transfer)'
      : p.position
        ? ` --wsrep-start-position=${formatPosition(p.position)}`
        : ' (no known position: full state transfer)';
  return [
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
