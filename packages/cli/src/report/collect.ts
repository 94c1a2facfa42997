import type { JournalEntry, PlanState } from '@leap/markers';
import { attemptsOf, downtimeOf, type Downtime, type StepAttempt } from './attempts.js';

/** The shape of the plan the report draws: its sections, the point of no return and the API downtime window. */
export interface ReportLayout {
  sections: Array<{ name: string; stepIds: string[] }>;
  pointOfNoReturn: string | null;
  /** The step that stops the services and the last step of the re-deploy. */
  downtime: { first: string; last: string } | null;
}

/** What `leap report` shows, gathered from the journal's structured step lines and the markers. */
export interface LeapReport {
  source: string | null;
  target: string | null;
  startedAt: string | null;
  steps: Array<{ id: string; status: string; durationMs: number | null; result: string | null }>;
  schemaVersions: Array<{ release: string; step: string; status: string; before: unknown; after: unknown }>;
  backups: Array<{
    dir: string;
    verified: boolean;
    verification: string | null;
    databases: Array<{ name: string; sha256: string; bytes: number }>;
  }>;
  purged: { rows: number; tables: Array<{ table: string; purged: number }> } | null;
  /** What changed: a key, or (a file created or rewritten as a whole) the step's words for it; never a value. */
  filesChanged: Array<{ file: string; action: string; key: string | null; detail: string | null }>;
  neutronKept: unknown[];
  /** The host pattern the re-deploy destroyed with their data (null before it ran), and the containers kept. */
  containers: { destroyed: string | null; destroyedOn: string[]; kept: unknown[] };
  /** What the cleanup after the re-deploy deleted, moved or kept on purpose, the latest word on each thing. */
  cleanup: CleanupRow[];
  /** The last post-leap health check (post/verify), if it ran. */
  health: { ok: boolean; at: string; findings: HealthRow[] } | null;
  warnings: string[];
  layout: ReportLayout | null;
  /** Every try at every step, failed and interrupted ones included. */
  attempts: StepAttempt[];
  downtime: Downtime | null;
  /** What the operator was shown and confirmed at each confirmation (names only, never a value). */
  reviews: Array<{ confirmation: string; at: string; text: string }>;
}

export interface CleanupRow {
  kind: string;
  action: string;
  id: string | null;
  name: string;
  reason: string | null;
}

export interface HealthRow {
  check: string;
  ok: boolean;
  looked: string;
  problems: string[];
}

type Fields = JournalEntry & Record<string, unknown>;

/** The report of the leap whose state (and the journal read with it) is `state`. */
export function collectReport(state: PlanState, layout: ReportLayout | null = null): LeapReport {
  const entries = state.journal;
  const lines = entries as Fields[];
  const of = (kind: string) => lines.filter((e) => e.kind === kind);
  const purges = of('purge');
  const attempts = attemptsOf(entries, new Set(state.steps.filter((s) => s.status === 'running').map((s) => s.id)));
  const neutronKept = of('neutron-keep').flatMap((e) => (e.kept as unknown[] | undefined) ?? []);
  return {
    source: state.header?.source ?? null,
    target: state.header?.target ?? null,
    startedAt: state.header?.startedAt ?? null,
    steps: state.steps.map((s) => ({
      id: s.id,
      status: s.status,
      durationMs: s.marker?.kind === 'leap' ? s.marker.record.durationMs : null,
      result: s.marker?.kind === 'leap' ? s.marker.record.result : null,
    })),
    schemaVersions: schemaVersionsOf(lines),
    backups: of('backup').map((e) => ({
      dir: String(e.dir),
      verified: e.verified === true,
      verification: typeof e.verification === 'string' ? e.verification : null,
      databases: (e.databases as Array<{ name: string; sha256: string; bytes: number }> | undefined) ?? [],
    })),
    purged:
      purges.length === 0
        ? null
        : {
            rows: purges.reduce((n, e) => n + Number(e.purged ?? 0), 0),
            tables: purges.flatMap((e) =>
              ((e.tables as Array<{ database: string; table: string; purged: number }> | undefined) ?? [])
                .filter((t) => t.purged > 0)
                .map((t) => ({ table: `${t.database}.${t.table}`, purged: t.purged })),
            ),
          },
    filesChanged: of('config-changes').flatMap((e) =>
      ((e.changes as Array<{ file: string; action: string; key?: string; detail?: string }> | undefined) ?? []).map(
        (c) => ({ file: c.file, action: c.action, key: c.key ?? null, detail: c.detail ?? null }),
      ),
    ),
    neutronKept,
    containers: { ...destroyedContainers(of('playbook')), kept: neutronKept },
    cleanup: cleanupOf(of('cleanup')),
    health: healthOf(of('verify').at(-1)),
    warnings: lines.filter((e) => e.level === 'warn').map((e) => e.msg),
    layout,
    attempts,
    downtime: layout?.downtime ? downtimeOf(attempts, layout.downtime) : null,
    reviews: of('review').map((e) => ({ confirmation: String(e.confirmation), at: e.time, text: String(e.text) })),
  };
}

/** The host pattern the last destroy play was given (`leap_destroy_hosts`) and the hosts its run reported. */
function destroyedContainers(playbooks: Fields[]): { destroyed: string | null; destroyedOn: string[] } {
  const destroy = playbooks
    .filter((e) => typeof (e.extraVars as Record<string, unknown> | undefined)?.leap_destroy_hosts === 'string')
    .at(-1);
  if (destroy === undefined) return { destroyed: null, destroyedOn: [] };
  return {
    destroyed: (destroy.extraVars as Record<string, string>).leap_destroy_hosts!,
    destroyedOn: Array.isArray(destroy.hosts) ? destroy.hosts.map(String) : [],
  };
}

function healthOf(entry: Fields | undefined): LeapReport['health'] {
  if (entry === undefined) return null;
  return { ok: entry.ok === true, at: entry.time, findings: (entry.findings as HealthRow[] | undefined) ?? [] };
}

/** One row per thing the cleanup acted on; a resumed run's word on a thing replaces the earlier run's. */
function cleanupOf(entries: Fields[]): CleanupRow[] {
  const rows = new Map<string, CleanupRow>();
  for (const e of entries) {
    const a = e.action as Record<string, unknown> | undefined;
    if (a === undefined) continue;
    const row: CleanupRow = {
      kind: String(a.kind),
      action: String(a.action),
      id: typeof a.id === 'string' ? a.id : null,
      name: String(a.name),
      reason: typeof a.reason === 'string' ? a.reason : null,
    };
    const key = `${row.kind} ${row.name}`;
    rows.delete(key);
    rows.set(key, row);
  }
  return [...rows.values()];
}

type SchemaVersion = LeapReport['schemaVersions'][number];

/**
 * One row per migration step, from the per-service `migration` entries and the per-release `migrations` summaries.
 * A step migrated by a run that was killed later in the same release is found current by the resumed run
 * ("skipped"): the row keeps the migration, with the versions it went from and to. So does a step whose commands
 * a killed run started (`migration-started`) and that the resumed run found current: that run's commands took it
 * there, from the version journaled at the start to the version the resumed run found.
 */
function schemaVersionsOf(lines: Fields[]): SchemaVersion[] {
  const rows = new Map<string, SchemaVersion>();
  const started = new Map<string, unknown>();
  for (const e of lines) {
    if (e.kind === 'migration-started' && e.start !== undefined) {
      const start = e.start as Record<string, unknown>;
      if (!started.has(String(start.id))) started.set(String(start.id), start.before ?? null);
      continue;
    }
    const reports =
      e.kind === 'migration' && e.report !== undefined
        ? [e.report as Record<string, unknown>]
        : e.kind === 'migrations'
          ? ((e.reports as Array<Record<string, unknown>> | undefined) ?? [])
          : [];
    for (const r of reports) {
      const row = {
        release: String(r.release),
        step: String(r.id),
        status: String(r.status),
        before: r.before ?? null,
        after: r.after ?? null,
      };
      if (rows.get(row.step)?.status === 'migrated' && row.status !== 'migrated') continue;
      if (row.status === 'skipped' && started.has(row.step))
        Object.assign(row, { status: 'migrated', before: started.get(row.step), after: row.before });
      rows.set(row.step, row);
    }
  }
  return [...rows.values()];
}
