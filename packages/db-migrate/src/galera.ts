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
  /** Pause while flow control has paused replication for more than this fraction since the last check (default 0.1). */
  maxFlowControlPaused?: number;
}

/** Why a purge should wait before its next chunk, or undefined to go on. Pure, so it is testable with any status. */
export function throttleReason(status: WsrepStatus, limits: ThrottleLimits = {}): string | undefined {
  const queue = Number(status.wsrep_local_recv_queue ?? '0');
  if (queue > (limits.maxRecvQueue ?? 10)) return `wsrep_local_recv_queue is ${queue}`;
  const paused = Number(status.wsrep_flow_control_paused ?? '0');
  if (paused > (limits.maxFlowControlPaused ?? 0.1)) return `wsrep_flow_control_paused is ${paused}`;
  const state = status.wsrep_local_state_comment;
  if (state !== undefined && state !== 'Synced') return `the node is ${state}, not Synced`;
  return undefined;
}
