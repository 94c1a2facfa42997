import type { F5Diff } from './diff.js';
import type { F5Kind } from './model.js';
import { KIND_ORDER } from './model.js';

export interface SummaryRow {
  kind: F5Kind;
  added: number;
  modified: number;
  removed: number;
}

/** Counts per object type, in creation order; types without changes are left out. */
export function summarizeDiff(diff: F5Diff): SummaryRow[] {
  const rows = new Map<F5Kind, SummaryRow>();
  for (const change of diff.changes) {
    const row = rows.get(change.kind) ?? { kind: change.kind, added: 0, modified: 0, removed: 0 };
    if (change.action === 'add') row.added += 1;
    else if (change.action === 'modify') row.modified += 1;
    else row.removed += 1;
    rows.set(change.kind, row);
  }
  return KIND_ORDER.flatMap((kind) => {
    const row = rows.get(kind);
    return row === undefined ? [] : [row];
  });
}

/** The human summary: a table of counts, then every change by name. */
export function formatTable(diff: F5Diff, title = 'F5 changes'): string {
  const rows = summarizeDiff(diff);
  const width = Math.max(5, ...rows.map((row) => row.kind.length));
  const line = (kind: string, a: string, m: string, r: string): string =>
    `${kind.padEnd(width)}  ${a.padStart(5)}  ${m.padStart(8)}  ${r.padStart(7)}`;
  const out = [title, '', line('type', 'added', 'modified', 'removed')];
  for (const row of rows) out.push(line(row.kind, String(row.added), String(row.modified), String(row.removed)));
  const total = rows.reduce((sum, row) => ({ a: sum.a + row.added, m: sum.m + row.modified, r: sum.r + row.removed }), {
    a: 0,
    m: 0,
    r: 0,
  });
  out.push(line('total', String(total.a), String(total.m), String(total.r)), '');
  for (const change of diff.changes) {
    const sign = change.action === 'add' ? '+' : change.action === 'modify' ? '~' : '-';
    const detail =
      change.action === 'modify'
        ? ` (${(change.fields ?? []).map((field) => field.field).join(', ')})`
        : change.replaces !== undefined
          ? ` (replaces ${change.replaces})`
          : '';
    out.push(`${sign} ${change.kind} ${change.name}${detail} [${change.phase}-maintenance]`);
  }
  if (diff.monitorSwaps.length > 0)
    out.push('', `${diff.monitorSwaps.length} pools run on a temporary TCP monitor during the maintenance.`);
  if (diff.kept.length > 0)
    out.push('', `${diff.kept.length} objects on the device were not created by leap and are left alone.`);
  for (const warning of diff.warnings) out.push(`warning: ${warning}`);
  return `${out.join('\n')}\n`;
}
