import type { F5Change, F5Diff } from './diff.js';
import { TEMPORARY_MONITOR } from './diff.js';
import type { F5Config, F5Kind } from './model.js';
import { KIND_ORDER, kindRank, sortForCreation } from './model.js';
import { createCommand, deleteCommand, modifyCommand, notesFor } from './tmsh-commands.js';

export interface EmitOptions {
  /** Device group for `run cm config-sync to-group …`; without it no config-sync is emitted. */
  configSyncGroup?: string;
  /** Where the external monitor script of the target release comes from (shown to the operator). */
  externalMonitorScript?: string;
  /** The first line's title. */
  title?: string;
}

export interface RunbookOptions extends EmitOptions {
  /** The UCS archive written before any change. Default `/var/local/ucs/leap-f5-before.ucs`. */
  ucsFile?: string;
}

function ending(options: EmitOptions): string[] {
  const lines = ['save sys config'];
  if (options.configSyncGroup !== undefined) lines.push(`run cm config-sync to-group ${options.configSyncGroup}`);
  return lines;
}

/** The complete configuration as tmsh commands, in creation order. `parseTmsh` reads it back. */
export function emitConfig(config: F5Config, options: EmitOptions = {}): string {
  const lines = [
    `# ${options.title ?? 'F5 BIG-IP configuration'} (${config.objects.length} objects), written by @leap/f5.`,
    '# Run these commands in tmsh on the active unit; lines starting with # are notes for the operator.',
  ];
  let kind: F5Kind | undefined;
  for (const object of sortForCreation(config.objects)) {
    if (object.kind !== kind) {
      kind = object.kind;
      lines.push(`### ${kind} ###`);
    }
    lines.push(...notesFor(object, options.externalMonitorScript), createCommand(object));
  }
  lines.push(...ending(options));
  return `${lines.join('\n')}\n`;
}

function section(lines: string[], title: string, body: string[]): void {
  if (body.length === 0) return;
  lines.push(`# --- ${title} ---`, ...body);
}

/**
 * The diff as a two-phase tmsh runbook. Pre-maintenance: UCS backup, temporary TCP monitors,
 * additions only. Post-maintenance: modifications, monitor switch-back, removals in dependency
 * order (virtual servers, pools, then monitors and nodes). Full object paths everywhere.
 */
export function emitRunbook(diff: F5Diff, options: RunbookOptions = {}): string {
  const byPhase = (phase: 'pre' | 'post', action: F5Change['action']): F5Change[] =>
    diff.changes.filter((change) => change.phase === phase && change.action === action);
  const swapped = new Set(diff.monitorSwaps.map((swap) => swap.pool));
  const ucs = options.ucsFile ?? '/var/local/ucs/leap-f5-before.ucs';

  const lines = [
    `# ${options.title ?? 'F5 BIG-IP changes'}, written by @leap/f5.`,
    '# Run these commands in tmsh on the active unit; lines starting with # are notes for the operator.',
  ];
  for (const warning of diff.warnings) lines.push(`# WARNING: ${warning}`);
  if (diff.changes.length === 0) {
    lines.push('# The device already matches the target: nothing to change.');
    return `${lines.join('\n')}\n`;
  }

  lines.push('', '######## PRE-MAINTENANCE: additions only, nothing in service changes ########');
  section(lines, 'UCS backup of the whole device: DO NOT SKIP', [`save sys ucs ${ucs}`]);
  section(
    lines,
    'temporary TCP monitors on the pools whose monitor changes, so they stay up during the maintenance',
    diff.monitorSwaps.map((swap) => `modify ltm pool ${swap.pool} { monitor ${TEMPORARY_MONITOR} }`),
  );
  const preAdds = sortForCreation(byPhase('pre', 'add'));
  const added: string[] = [];
  for (const change of preAdds)
    added.push(...notesFor(change.object, options.externalMonitorScript), createCommand(change.object));
  section(lines, 'new objects', added);
  lines.push(...ending(options));

  lines.push('', '######## POST-MAINTENANCE: once the new release is deployed and its services answer ########');
  const modifies = sortForCreation(byPhase('post', 'modify'));
  const modified: string[] = [];
  for (const change of modifies) {
    const fields = (change.fields ?? [])
      .map((field) => field.field)
      .filter((field) => !(change.kind === 'pool' && field === 'monitor' && swapped.has(change.name)));
    if (fields.length > 0) modified.push(modifyCommand(change.object, fields));
  }
  section(lines, 'changed objects', modified);
  section(
    lines,
    'monitor switch-back',
    diff.monitorSwaps.map((swap) => `modify ltm pool ${swap.pool} { monitor ${swap.monitor ?? 'none'} }`),
  );

  const removes = byPhase('post', 'remove').sort((a, b) => kindRank(b.kind) - kindRank(a.kind));
  const postAdds = sortForCreation(byPhase('post', 'add'));
  const removedVirtuals = removes.filter((change) => change.kind === 'virtual');
  section(
    lines,
    'removed virtual servers',
    removedVirtuals.map((change) => deleteCommand(change.object)),
  );
  section(
    lines,
    'new virtual servers on the addresses just freed',
    postAdds.flatMap((change) => [`# takes over ${change.after ?? 'a removed address'}`, createCommand(change.object)]),
  );
  const rest = removes.filter((change) => change.kind !== 'virtual');
  for (const kind of [...KIND_ORDER].reverse()) {
    section(
      lines,
      `removed ${kind} objects`,
      rest.filter((change) => change.kind === kind).map((change) => deleteCommand(change.object)),
    );
  }
  lines.push(...ending(options));
  return `${lines.join('\n')}\n`;
}
