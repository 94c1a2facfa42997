import type { StepContext } from '@leap/markers';

/** The logger shape the libraries take (info/warn with fields), writing to the step's journal lines. */
export function stepLogger(ctx: StepContext) {
  return {
    info(message: string, fields?: Record<string, unknown>) {
      ctx.log(message, fields);
    },
    warn(message: string, fields?: Record<string, unknown>) {
      ctx.log(`warning: ${message}`, { ...fields, level: 'warn' });
    },
    debug(message: string, fields?: Record<string, unknown>) {
      ctx.log(message, { ...fields, level: 'debug' });
    },
  };
}

/** A change summary for a marker: counts per action, never values. */
export function summariseChanges(changes: ReadonlyArray<{ action: string }>): string {
  if (changes.length === 0) return 'nothing to change';
  const counts = new Map<string, number>();
  for (const change of changes) counts.set(change.action, (counts.get(change.action) ?? 0) + 1);
  return [...counts].map(([action, n]) => `${n} ${action}`).join(', ');
}
