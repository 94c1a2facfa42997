import type { Db } from './connection.js';

/** The wsrep status variables leap reads, as the server reports them (strings). */
export type WsrepStatus = Record<string, string>;

export async function readWsrepStatus(db: Db): Promise<WsrepStatus> {
  const rows = await db.query<{ Variable_name: string; Value: string }[]>("SHOW GLOBAL STATUS LIKE 'wsrep%'");
  return Object.fromEntries(rows.map((r) => [r.Variable_name.toLowerCase(), r.Value]));
}

export async function isGalera(db: Db): Promise<boolean> {
  const rows = await db.query<{ Value: string }[]>("SHOW GLOBAL VARIABLES LIKE 'wsrep_on'");
  return rows[0]?.Value === 'ON';
}

export interface ThrottleLimits {
  /** Pause while more write-sets than this wait to be applied on this node (default 10). */
  maxRecvQueue?: number;
}

/**
 * Why a purge should wait before its next chunk, or undefined to go on. Pure, so it is testable with any status.
 * Flow control is read live: `wsrep_flow_control_active` (Galera 4), else whether `wsrep_flow_control_paused_ns`
 * grew since the `previous` reading (Galera 3). `wsrep_flow_control_paused` is not used: it is a fraction since the
 * last FLUSH STATUS, so a cluster that was throttled once long ago would hold the purge back for ever.
 */
export function throttleReason(
  status: WsrepStatus,
  limits: ThrottleLimits = {},
  previous?: WsrepStatus,
): string | undefined {
  const queue = Number(status.wsrep_local_recv_queue ?? '0');
  if (queue > (limits.maxRecvQueue ?? 10)) return `wsrep_local_recv_queue is ${queue}`;
  if (status.wsrep_flow_control_active === 'true') return 'flow control is active (a node cannot keep up)';
  if (status.wsrep_flow_control_active === undefined && previous !== undefined) {
    const grew =
      Number(status.wsrep_flow_control_paused_ns ?? '0') - Number(previous.wsrep_flow_control_paused_ns ?? '0');
    if (grew > 0) return `flow control paused replication for ${Math.round(grew / 1e6)} ms since the last check`;
  }
  const state = status.wsrep_local_state_comment;
  if (state !== undefined && state !== 'Synced') return `the node is ${state}, not Synced`;
  return undefined;
}
