import { CODECS } from './codec.js';
import type { F5Config, F5Kind, F5Object, Pool, VirtualServer } from './model.js';
import { EXISTENCE_ONLY, baseName, folderOf, kindRank, objectKey, referencesOf } from './model.js';
import { NAME_VARIANTS } from './profiles/index.js';

export interface FieldChange {
  field: string;
  from: unknown;
  to: unknown;
}

export interface F5Change {
  action: 'add' | 'modify' | 'remove';
  kind: F5Kind;
  name: string;
  /** add/modify: the target object; remove: the current one. */
  object: F5Object;
  /** modify: what differs. */
  fields?: FieldChange[];
  /**
   * pre: safe before the maintenance (additions that touch nothing in service);
   * post: after it (modifications, removals, and additions that take over a removed VS's address).
   */
  phase: 'pre' | 'post';
  /** add: the historical name of the object this one takes over from (removed in the same diff). */
  replaces?: string;
  /** add of a virtual server: it takes over the destination of this removed virtual server. */
  after?: string;
}

export interface MonitorSwap {
  pool: string;
  /** The monitor the pool ends with (the target's). */
  monitor: string | null;
}

export interface F5Diff {
  changes: F5Change[];
  /** Pools that run on a temporary TCP monitor during the maintenance because their monitor changes. */
  monitorSwaps: MonitorSwap[];
  /** Current objects leap does not know (not generated for the source release): never deleted. */
  kept: { kind: F5Kind; name: string }[];
  warnings: string[];
}

export interface DiffOptions {
  /**
   * The objects leap may delete when the target lacks them. Default: every current object. When the
   * current set was read from a device, pass the generated source-release configuration, so that
   * objects an operator added by hand are left alone.
   */
  known?: F5Config;
}

/** The monitor pools run on during the maintenance, when theirs is about to change. */
export const TEMPORARY_MONITOR = '/Common/tcp';

/** An identity that survives historical renames: `RPC_PUB_VS_NOVA_CONSOLE` ≡ `RPC_PUB_SSL_VS_NOVA_SPICE_CONSOLE`. */
export function historicalIdentity(object: Pick<F5Object, 'kind' | 'name'>): string {
  const folder = folderOf(object.name) ?? '';
  let name = baseName(object.name);
  for (const [old, current] of Object.entries(NAME_VARIANTS)) {
    if (name.endsWith(`_${old}`)) name = `${name.slice(0, -old.length)}${current}`;
  }
  if (object.kind === 'virtual') name = name.replace(/_PUB_VS_/, '_PUB_SSL_VS_');
  return `${object.kind} /${folder}/${name}`;
}

function canonical(kind: F5Kind, field: string, value: unknown): string {
  if (value === undefined || value === null) return JSON.stringify(value ?? null);
  if (kind === 'rule' && field === 'definition') return String(value).replace(/\s+/g, ' ').trim();
  // Order does not matter to the device for members, profiles, rules and SNAT addresses.
  if (Array.isArray(value))
    return JSON.stringify(value.map((item) => (typeof item === 'string' ? item : JSON.stringify(item))).sort());
  return JSON.stringify(value);
}

const COMPARED_FIELDS: Readonly<Record<F5Kind, readonly string[]>> = Object.fromEntries(
  (Object.keys(CODECS) as F5Kind[]).map((kind) => [
    kind,
    kind === 'rule' ? ['definition'] : [...new Set(CODECS[kind].map((codec) => codec.field))],
  ]),
) as unknown as Record<F5Kind, readonly string[]>;

/** What differs, field by field; a field the target leaves undefined is not compared. */
export function compareObjects(current: F5Object, target: F5Object): FieldChange[] {
  if (EXISTENCE_ONLY.has(target.kind)) return [];
  const from = current as unknown as Record<string, unknown>;
  const to = target as unknown as Record<string, unknown>;
  const changes: FieldChange[] = [];
  for (const field of COMPARED_FIELDS[target.kind]) {
    if (to[field] === undefined) continue;
    if (canonical(target.kind, field, from[field]) !== canonical(target.kind, field, to[field])) {
      changes.push({ field, from: from[field], to: to[field] });
    }
  }
  return changes;
}

/**
 * The changes that take `current` to `target`, keyed by (kind, name). Linear in the number of
 * objects. Removals are limited to objects leap knows and never take away an object that something
 * left in place still uses.
 */
export function diffConfigs(current: F5Config, target: F5Config, options: DiffOptions = {}): F5Diff {
  const warnings: string[] = [];
  const currentByKey = new Map(current.objects.map((object) => [objectKey(object), object]));
  const targetByKey = new Map(target.objects.map((object) => [objectKey(object), object]));
  const known = options.known === undefined ? undefined : new Set(options.known.objects.map(objectKey));

  const { adds, modifies, replaced } = addsAndModifies(current, currentByKey, targetByKey, warnings);
  const { removes, kept, staying } = removals(currentByKey, target, targetByKey, known, replaced, warnings);
  orderTakeovers(adds, removes, staying, targetByKey, warnings);

  const monitorSwaps = swapsFor(currentByKey, target, modifies);
  const changes = [...adds, ...modifies, ...removes].sort((a, b) => kindRank(a.kind) - kindRank(b.kind));
  return { changes, monitorSwaps, kept, warnings };
}

/**
 * Target objects missing on the device (pre; `replaces` the removed object of the same historical identity)
 * and those that differ (post). Changes tmsh cannot make in place are warnings.
 */
function addsAndModifies(
  current: F5Config,
  currentByKey: Map<string, F5Object>,
  targetByKey: Map<string, F5Object>,
  warnings: string[],
): { adds: F5Change[]; modifies: F5Change[]; replaced: Map<string, string> } {
  const currentFolders = new Set(
    current.objects.map((object) => (object.kind === 'partition' ? object.name : folderOf(object.name))),
  );
  const unmatchedCurrent = new Map<string, F5Object>();
  for (const [key, object] of currentByKey) {
    if (!targetByKey.has(key)) unmatchedCurrent.set(historicalIdentity(object), object);
  }

  const adds: F5Change[] = [];
  const modifies: F5Change[] = [];
  const replaced = new Map<string, string>();
  for (const [key, object] of targetByKey) {
    const existing = currentByKey.get(key);
    if (existing !== undefined) {
      if ('type' in existing && 'type' in object && existing.type !== object.type) {
        warnings.push(
          `${object.name} is a ${existing.type} ${object.kind} on the device but should be ${object.type}: tmsh cannot change the type in place; delete and re-create it by hand.`,
        );
        continue;
      }
      const fields = compareObjects(existing, object);
      if (object.kind === 'node' && fields.length > 0) {
        warnings.push(
          `${object.name} has the address ${(existing as { address: string }).address} on the device but ${object.address} in the inventory: tmsh cannot change a node's address; take the node out of its pools, delete it and let the runbook re-create it.`,
        );
        continue;
      }
      if (fields.length > 0)
        modifies.push({ action: 'modify', kind: object.kind, name: object.name, object, fields, phase: 'post' });
      continue;
    }
    if (object.kind === 'partition' && currentFolders.has(object.name)) continue;
    const change: F5Change = { action: 'add', kind: object.kind, name: object.name, object, phase: 'pre' };
    const previous = unmatchedCurrent.get(historicalIdentity(object));
    if (previous !== undefined && previous.kind === object.kind) {
      change.replaces = previous.name;
      replaced.set(objectKey(previous), object.name);
    }
    adds.push(change);
  }
  return { adds, modifies, replaced };
}

/**
 * Removal candidates, then a reference check in reverse creation order (virtual servers first),
 * so that keeping an object also keeps what it uses. `staying`: the target plus the unknown objects kept.
 */
function removals(
  currentByKey: Map<string, F5Object>,
  target: F5Config,
  targetByKey: Map<string, F5Object>,
  known: Set<string> | undefined,
  replaced: Map<string, string>,
  warnings: string[],
): { removes: F5Change[]; kept: { kind: F5Kind; name: string }[]; staying: F5Object[] } {
  const candidates: F5Object[] = [];
  const kept: { kind: F5Kind; name: string }[] = [];
  const staying: F5Object[] = [...target.objects];
  for (const [key, object] of currentByKey) {
    if (targetByKey.has(key)) continue;
    if (object.kind === 'partition') continue;
    const isKnown = known === undefined || known.has(key) || replaced.has(key);
    if (isKnown) candidates.push(object);
    else {
      kept.push({ kind: object.kind, name: object.name });
      staying.push(object);
    }
  }
  const used = new Map<string, string>();
  const use = (object: F5Object): void => {
    for (const reference of referencesOf(object)) if (!used.has(reference)) used.set(reference, object.name);
  };
  staying.forEach(use);
  const removes: F5Change[] = [];
  candidates.sort((a, b) => kindRank(b.kind) - kindRank(a.kind));
  for (const object of candidates) {
    const user = used.get(objectKey(object));
    if (user !== undefined) {
      warnings.push(`${object.name} is not deleted: ${user} still uses it.`);
      use(object);
      continue;
    }
    removes.push({ action: 'remove', kind: object.kind, name: object.name, object, phase: 'post' });
  }
  return { removes, kept, staying };
}

/** A new virtual server on the address of one being removed can only be created after that removal. */
function orderTakeovers(
  adds: F5Change[],
  removes: F5Change[],
  staying: F5Object[],
  targetByKey: Map<string, F5Object>,
  warnings: string[],
): void {
  const removedDestinations = new Map<string, string>();
  for (const change of removes) {
    if (change.object.kind === 'virtual') removedDestinations.set(change.object.destination, change.name);
  }
  const heldDestinations = new Map<string, string>();
  for (const object of staying) {
    if (object.kind === 'virtual' && !targetByKey.has(objectKey(object)))
      heldDestinations.set(object.destination, object.name);
  }
  for (const change of adds) {
    if (change.object.kind !== 'virtual') continue;
    const destination = change.object.destination;
    const previous = removedDestinations.get(destination);
    if (previous !== undefined) {
      change.phase = 'post';
      change.after = previous;
    }
    const holder = heldDestinations.get(destination);
    if (holder !== undefined) {
      warnings.push(
        `${change.name} needs ${destination}, which ${holder} (not created by leap) already uses: resolve this by hand before the post-maintenance part.`,
      );
    }
  }
}

/**
 * Pools that exist on both sides and whose monitor changes (another monitor, or the same monitor
 * with another check): they run on a plain TCP monitor between the two phases.
 */
function swapsFor(currentByKey: Map<string, F5Object>, target: F5Config, modifies: F5Change[]): MonitorSwap[] {
  const modifiedMonitors = new Set(modifies.filter((change) => change.kind === 'monitor').map((change) => change.name));
  const swaps: MonitorSwap[] = [];
  for (const object of target.objects) {
    if (object.kind !== 'pool') continue;
    const existing = currentByKey.get(objectKey(object)) as Pool | undefined;
    if (existing === undefined || object.members.length === 0) continue;
    const changed =
      existing.monitor !== object.monitor || (object.monitor !== null && modifiedMonitors.has(object.monitor));
    if (changed) swaps.push({ pool: object.name, monitor: object.monitor });
  }
  return swaps;
}

export function isVirtual(object: F5Object): object is VirtualServer {
  return object.kind === 'virtual';
}
