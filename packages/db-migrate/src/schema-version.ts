import type { Db } from './connection.js';
import {
  releaseOrder,
  schemaTable,
  type Release,
  type SchemaComponent,
  type Service,
  type ServiceSchema,
} from './releases/schema-versions.js';

export interface ComponentVersion {
  component: string;
  /** What the database holds: a number (migrate), a revision (alembic), or null when there is no row. */
  value: number | string | null;
  /** Position in the component's history; null when the revision is not in the table (newer or foreign code). */
  ordinal: number | null;
}

export interface ServiceVersion {
  service: Service;
  database: string;
  present: boolean;
  components: ComponentVersion[];
  /**
   * The newest release whose migrations are complete; null when older than Kilo, unversioned, or unknown.
   * When several releases share the same final value (glance mitaka = newton), this is the newest of them.
   */
  release: Release | null;
  /** Releases whose final values this database matches exactly (more than one when ambiguous). */
  matches: Release[];
  /** Migrations of the next release have started but not finished (an interrupted sync or a blocker migration). */
  partial: boolean;
  /** Revisions or numbers the table does not know (newer code has run, or out-of-tree migrations). */
  unknown: string[];
  /** Beyond Newton: code newer than the target has touched the database. */
  beyond: boolean;
}

const quoteId = (name: string): string => `\`${name.replace(/`/g, '``')}\``;

function ordinalOf(component: SchemaComponent, value: number | string): number | null {
  if (component.kind === 'migrate') return typeof value === 'number' ? value : Number(value);
  const index = component.chain.indexOf(String(value));
  return index < 0 ? null : index;
}

function lastOrdinal(component: SchemaComponent, release: Release): number | undefined {
  const last = component.last[release];
  return last === undefined ? undefined : (ordinalOf(component, last) ?? undefined);
}

/** Whether a component holds `release`'s final version or later (a component absent in that release counts as reached). */
export function componentReached(component: SchemaComponent, version: ComponentVersion, release: Release): boolean {
  const target = lastOrdinal(component, release);
  if (target === undefined) return true;
  const also = (component.alsoComplete?.[release] ?? []) as (number | string)[];
  if (version.value !== null && also.some((v) => String(v) === String(version.value))) return true;
  return version.ordinal !== null && version.ordinal >= target;
}

export function classify(schema: ServiceSchema, database: string, components: ComponentVersion[]): ServiceVersion {
  const byName = new Map(components.map((c) => [c.component, c]));
  const versionOf = (c: SchemaComponent): ComponentVersion =>
    byName.get(c.name) ?? { component: c.name, value: null, ordinal: null };
  const unknown = components
    .filter((c) => c.value !== null && c.ordinal === null)
    .map((c) => `${c.component}=${String(c.value)}`);
  const anyRow = components.some((c) => c.value !== null);
  let release: Release | null = null;
  if (anyRow && unknown.length === 0) {
    for (const r of releaseOrder) {
      if (schema.components.every((c) => componentReached(c, versionOf(c), r))) release = r;
      else break;
    }
  }
  const matches =
    release === null
      ? []
      : releaseOrder.filter((r) =>
          schema.components.every((c) => {
            const target = lastOrdinal(c, r);
            const v = versionOf(c);
            if (target === undefined) return v.value === null;
            return (
              v.ordinal === target ||
              ((c.alsoComplete?.[r] ?? []) as (number | string)[]).some((a) => String(a) === String(v.value))
            );
          }),
        );
  const newest = releaseOrder[releaseOrder.length - 1] as Release;
  const beyond =
    unknown.length > 0 ||
    schema.components.some((c) => {
      const top = lastOrdinal(c, newest);
      const v = versionOf(c);
      return top !== undefined && v.ordinal !== null && v.ordinal > top;
    });
  // Past the last complete release but not at its exact final value: the next release's sync started and stopped.
  const partial = release !== null && !beyond && !matches.includes(release);
  return { service: schema.service, database, present: true, components, release, matches, partial, unknown, beyond };
}

/** Whether `version` still needs `release`'s migrations. */
export function isBehind(version: ServiceVersion, release: Release): boolean {
  const schema = schemaTable.find((s) => s.service === version.service);
  if (!schema || !version.present) return false;
  const byName = new Map(version.components.map((c) => [c.component, c]));
  return !schema.components.every((c) =>
    componentReached(c, byName.get(c.name) ?? { component: c.name, value: null, ordinal: null }, release),
  );
}

/** Reads the version rows of one service database straight from its tables. */
export async function readServiceVersion(
  db: Db,
  schema: ServiceSchema,
  database = schema.database,
): Promise<ServiceVersion> {
  const tables = await db.query<{ TABLE_NAME: string }[]>(
    'SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?',
    [database],
  );
  const schemaRows = await db.query<unknown[]>('SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?', [
    database,
  ]);
  if (schemaRows.length === 0) {
    return {
      service: schema.service,
      database,
      present: false,
      components: [],
      release: null,
      matches: [],
      partial: false,
      unknown: [],
      beyond: false,
    };
  }
  const names = new Set(tables.map((t) => t.TABLE_NAME));
  const components: ComponentVersion[] = [];
  if (schema.components.some((c) => c.kind === 'migrate') && names.has('migrate_version')) {
    const rows = await db.query<{ repository_id: string; version: string | number }[]>(
      `SELECT repository_id, version FROM ${quoteId(database)}.migrate_version`,
    );
    for (const c of schema.components) {
      if (c.kind !== 'migrate') continue;
      const row = rows.find((r) => r.repository_id === c.repositoryId);
      const value = row === undefined ? null : Number(row.version);
      components.push({ component: c.name, value, ordinal: value === null ? null : ordinalOf(c, value) });
    }
  }
  const alembic = schema.components.filter((c) => c.kind === 'alembic');
  const alembicTables = [...new Set(alembic.map((c) => c.table))];
  for (const table of alembicTables) {
    if (!names.has(table)) continue;
    const rows = (
      await db.query<{ version_num: string }[]>(`SELECT version_num FROM ${quoteId(database)}.${quoteId(table)}`)
    ).map((r) => r.version_num);
    const branches = alembic.filter((c) => c.table === table);
    const placed = new Set<string>();
    for (const c of branches) {
      const row = rows.find((r) => c.chain.includes(r));
      if (row !== undefined) placed.add(row);
      // alembic keeps no row for a branch that has not started; it is then at the branch point, the chain's first entry.
      const value = row ?? (rows.length > 0 && branches.length > 1 ? (c.chain[0] ?? null) : null);
      components.push({ component: c.name, value, ordinal: value === null ? null : ordinalOf(c, value) });
    }
    for (const r of rows)
      if (!placed.has(r)) components.push({ component: `${schema.service}:${table}`, value: r, ordinal: null });
  }
  return classify(schema, database, components);
}

export interface DetectOptions {
  /** Database names that differ from OSA's defaults. */
  databases?: Partial<Record<Service, string>>;
  services?: readonly Service[];
}

/** Versions of every service database present (absent optional ones are reported with present: false). */
export async function detectSchemaVersions(db: Db, options: DetectOptions = {}): Promise<ServiceVersion[]> {
  const out: ServiceVersion[] = [];
  for (const schema of schemaTable) {
    if (options.services && !options.services.includes(schema.service)) continue;
    out.push(await readServiceVersion(db, schema, options.databases?.[schema.service] ?? schema.database));
  }
  return out;
}
