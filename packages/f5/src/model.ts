/**
 * The F5 BIG-IP objects leap manages. Every object is keyed by (kind, name); `name` is the full
 * folder path (`/RPC/RPC_POOL_GALERA`) except for a partition, whose name is the bare partition.
 * Fields hold the device's canonical values (full paths, numeric ports) so that a generated object
 * and one parsed from `tmsh list` compare equal when the device matches.
 */

export type MonitorType = 'mysql' | 'http' | 'https' | 'tcp' | 'external';

export interface Partition {
  kind: 'partition';
  name: string;
}

export interface Monitor {
  kind: 'monitor';
  name: string;
  type: MonitorType;
  defaultsFrom: string;
  /** `*:*` or `*:<port>`; absent for external monitors. */
  destination?: string;
  interval?: number;
  timeout?: number;
  /** As written between the quotes in tmsh: `\r\n` stays a backslash escape. */
  send?: string;
  recv?: string;
  /** External monitors: the sys file that runs. */
  run?: string;
  /** mysql monitors. */
  database?: string;
  username?: string;
  recvRow?: number;
  recvColumn?: number;
  count?: number;
  debug?: string;
  timeUntilUp?: number;
}

export interface ExternalMonitorFile {
  kind: 'external-monitor-file';
  name: string;
  sourcePath?: string;
}

export interface Node {
  kind: 'node';
  name: string;
  address: string;
}

export interface PoolMember {
  /** Full path of the node. */
  node: string;
  port: number;
  /** Absent means no priority group (the device's 0). */
  priorityGroup?: number;
}

export interface Pool {
  kind: 'pool';
  name: string;
  loadBalancingMode: string;
  members: PoolMember[];
  minActiveMembers: number;
  /** Full path of the monitor, or null for none. */
  monitor: string | null;
  serviceDownAction: string;
  slowRampTime: number;
}

export interface VirtualProfile {
  name: string;
  /** Absent means `all`. */
  context?: 'clientside' | 'serverside';
}

export interface VirtualServer {
  kind: 'virtual';
  name: string;
  /** `<ip>:<port>`, without the folder the device prints in front of it. */
  destination: string;
  mask: string;
  ipProtocol: string;
  pool: string | null;
  profiles: VirtualProfile[];
  persist: string | null;
  mirror: boolean;
  source: string;
  /** `none`, `automap`, or the full path of a SNAT pool. */
  snat: string;
  rules: string[];
}

export interface SnatPool {
  kind: 'snatpool';
  name: string;
  /** IPv4 addresses. */
  members: string[];
}

export interface SnatTranslation {
  kind: 'snat-translation';
  name: string;
  ipIdleTimeout?: number;
}

export type ProfileType = 'client-ssl' | 'server-ssl' | 'http';

export interface Profile {
  kind: 'profile';
  name: string;
  type: ProfileType;
  defaultsFrom: string;
  cert?: string;
  key?: string;
  headerInsert?: string;
}

export type PersistenceType = 'source-addr' | 'cookie';

export interface Persistence {
  kind: 'persistence';
  name: string;
  type: PersistenceType;
  defaultsFrom: string;
  timeout?: number;
  matchAcrossServices?: string;
  cookieName?: string;
}

export interface Rule {
  kind: 'rule';
  name: string;
  definition: string;
}

export interface SslKey {
  kind: 'ssl-key';
  name: string;
  keySize?: number;
}

export interface SslCert {
  kind: 'ssl-cert';
  name: string;
  key?: string;
  commonName?: string;
  lifetime?: number;
}

export type F5Object =
  | Partition
  | Monitor
  | ExternalMonitorFile
  | Node
  | Pool
  | VirtualServer
  | SnatPool
  | SnatTranslation
  | Profile
  | Persistence
  | Rule
  | SslKey
  | SslCert;

export type F5Kind = F5Object['kind'];

/** A set of objects: what a release profile generates, or what a device holds. */
export interface F5Config {
  objects: F5Object[];
}

/**
 * Creation order: an object only references objects of kinds before it. Deletions run in the
 * reverse order, so a virtual server goes before its pool, a pool before its monitor and nodes.
 */
export const KIND_ORDER: readonly F5Kind[] = [
  'partition',
  'snatpool',
  'snat-translation',
  'external-monitor-file',
  'monitor',
  'rule',
  'ssl-key',
  'ssl-cert',
  'profile',
  'persistence',
  'node',
  'pool',
  'virtual',
];

/** Kinds whose content the device does not show back (key material, uploaded files): compared by existence only. */
export const EXISTENCE_ONLY: ReadonlySet<F5Kind> = new Set([
  'partition',
  'external-monitor-file',
  'ssl-key',
  'ssl-cert',
]);

export function objectKey(object: Pick<F5Object, 'kind' | 'name'>): string {
  return `${object.kind} ${object.name}`;
}

export function kindRank(kind: F5Kind): number {
  return KIND_ORDER.indexOf(kind);
}

/** Objects in creation order; stable within a kind. */
export function sortForCreation<T extends Pick<F5Object, 'kind'>>(objects: readonly T[]): T[] {
  return objects
    .map((object, index) => ({ object, index }))
    .sort((a, b) => kindRank(a.object.kind) - kindRank(b.object.kind) || a.index - b.index)
    .map(({ object }) => object);
}

/** The folder of a full path: `/RPC/RPC_POOL_X` → `RPC`. */
export function folderOf(path: string): string | undefined {
  const match = /^\/([^/]+)\//.exec(path);
  return match?.[1];
}

/** The last part of a full path: `/RPC/RPC_POOL_X` → `RPC_POOL_X`. */
export function baseName(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash === -1 ? path : path.slice(slash + 1);
}

/** Every object this one needs to exist, by object key. */
export function referencesOf(object: F5Object): string[] {
  switch (object.kind) {
    case 'monitor':
      return object.run === undefined ? [] : [objectKey({ kind: 'external-monitor-file', name: object.run })];
    case 'pool':
      return [
        ...(object.monitor === null ? [] : [objectKey({ kind: 'monitor', name: object.monitor })]),
        ...object.members.map((member) => objectKey({ kind: 'node', name: member.node })),
      ];
    case 'virtual':
      return [
        ...(object.pool === null ? [] : [objectKey({ kind: 'pool', name: object.pool })]),
        ...object.profiles.map((profile) => objectKey({ kind: 'profile', name: profile.name })),
        ...(object.persist === null ? [] : [objectKey({ kind: 'persistence', name: object.persist })]),
        ...(object.snat.startsWith('/') ? [objectKey({ kind: 'snatpool', name: object.snat })] : []),
        ...object.rules.map((rule) => objectKey({ kind: 'rule', name: rule })),
      ];
    case 'profile':
      return [
        ...(object.cert === undefined ? [] : [objectKey({ kind: 'ssl-cert', name: object.cert })]),
        ...(object.key === undefined ? [] : [objectKey({ kind: 'ssl-key', name: object.key })]),
      ];
    case 'ssl-cert':
      return object.key === undefined ? [] : [objectKey({ kind: 'ssl-key', name: object.key })];
    default:
      return [];
  }
}
