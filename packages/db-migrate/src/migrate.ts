import { posix } from 'node:path';
import { batchOf, describeExit, type BatchingExec, type ExecResult } from '@leap/contract';
import { connect, type Db, type DbConnectionOptions } from './connection.js';
import { DbMigrateError } from './errors.js';
import { checkAborted, type OnProgress } from './progress.js';
import { releaseMigrations } from './releases/index.js';
import {
  releaseOrder,
  schemaOf,
  type MigrationRelease,
  type Release,
  type Service,
} from './releases/schema-versions.js';
import type { MigrationCommand, MigrationStep, ReleaseMigrations } from './releases/types.js';
import { readServiceVersion, type ServiceVersion } from './schema-version.js';
import { applySqlFix, type SqlFixOptions } from './sql-fixes.js';

export interface RunnerContext {
  release: MigrationRelease;
  service: Service;
  /** The user the command must run as, when not the runner's default (neutron-db-manage: `neutron`). */
  user?: string;
}

export interface MigrateOptions {
  db: DbConnectionOptions;
  /** The releases to migrate through, in order; default every release from Liberty to Newton. */
  releases?: readonly MigrationRelease[];
  /** The `bin` folder of a release's migration venv, on the host that runs the commands. */
  venvBin(release: MigrationRelease): string;
  /**
   * A runner on the first host of `group` (production: inside the service container, through Ansible). A service's
   * commands go to it as one batch (one round trip) where it has one.
   */
  runnerFor(group: string, context: RunnerContext): BatchingExec | Promise<BatchingExec>;
  databases?: Partial<Record<Service, string>>;
  /** `--config-file` for neutron's plugin (OSA neutron_plugin_type ml2 -> ml2_conf.ini). */
  neutronPluginConfig?: string;
  sqlFixes?: SqlFixOptions;
  /** Called before a service's commands run (the CLI stops neutron-server here). */
  beforeService?(release: MigrationRelease, service: Service): Promise<void>;
  commandTimeoutMs?: number;
  onProgress?: OnProgress;
  /**
   * Each service's or fix's report as soon as it is done: journal it then, so that a leap killed in the middle of a
   * release still records what it migrated (the resumed run finds those services already current).
   */
  onReport?: (report: StepReport) => void;
  /**
   * A service's version just before its commands run: journal it then, so that a leap killed after the commands
   * finished but before `onReport` still records that this run migrated the service (the resumed run finds it
   * current and reports it skipped).
   */
  onStart?: (start: StepStart) => void;
  signal?: AbortSignal;
}

export interface StepReport {
  release: MigrationRelease;
  id: string;
  status: 'migrated' | 'skipped' | 'absent' | 'applied';
  reason?: string;
  before?: ServiceVersion;
  after?: ServiceVersion;
  changed?: number;
  durationMs: number;
}

export interface StepStart {
  release: MigrationRelease;
  id: string;
  before: ServiceVersion;
}

const defaultPluginConfig = '/etc/neutron/plugins/ml2/ml2_conf.ini';

function expand(arg: string, options: MigrateOptions): string {
  return arg.replace('{neutronPluginConfig}', options.neutronPluginConfig ?? defaultPluginConfig);
}

/** Runs every release's migrations in order; a release is never skipped, services already there are. */
export async function runMigrations(options: MigrateOptions): Promise<StepReport[]> {
  const wanted = options.releases ?? releaseMigrations.map((r) => r.release);
  const order = releaseMigrations.map((r) => r.release);
  const indexes = wanted.map((r) => order.indexOf(r));
  if (indexes.some((i, n) => i < 0 || (n > 0 && i !== (indexes[n - 1] as number) + 1))) {
    throw new DbMigrateError(
      'LEAP_MIGRATE_RELEASE_ORDER',
      `releases must be consecutive and in order (liberty, mitaka, newton); got ${wanted.join(', ')}`,
      {
        hint: "a leap never skips a release: each release's code only knows the previous release's schema",
      },
    );
  }
  const reports: StepReport[] = [];
  for (const release of wanted) {
    const plan = releaseMigrations.find((r) => r.release === release) as ReleaseMigrations;
    reports.push(...(await runRelease(plan, options)));
  }
  return reports;
}

export async function runRelease(plan: ReleaseMigrations, options: MigrateOptions): Promise<StepReport[]> {
  const db = await connect(options.db);
  const reports: StepReport[] = [];
  const done = (report: StepReport): void => {
    reports.push(report);
    options.onReport?.(report);
  };
  try {
    for (const step of plan.steps) {
      checkAborted(options.signal, `${plan.release} migrations`);
      const started = Date.now();
      const id = stepId(plan.release, step);
      if (step.kind === 'sql') {
        await runSqlFixStep(db, plan.release, step, { id, started, options, done });
        continue;
      }
      await runServiceStep(db, plan.release, step, { id, started, options, done });
    }
  } finally {
    await db.close();
  }
  return reports;
}

/** One step's run: its id, when it started, the options, and where its report goes. */
interface StepRun {
  id: string;
  started: number;
  options: MigrateOptions;
  done: (report: StepReport) => void;
}

/** Applies one SQL fix and reports it. */
async function runSqlFixStep(
  db: Db,
  release: MigrationRelease,
  step: Extract<MigrationStep, { kind: 'sql' }>,
  run: StepRun,
): Promise<void> {
  const { id, started, options, done } = run;
  options.onProgress?.({
    kind: 'migrate',
    release,
    service: step.fix,
    step: id,
    status: 'started',
  });
  const result = await applySqlFix(db, step.fix, {
    ...options.sqlFixes,
    databases: { ...options.databases, ...options.sqlFixes?.databases },
  });
  done({
    release,
    id,
    status: 'applied',
    changed: result.changed,
    ...(result.note ? { reason: result.note } : {}),
    durationMs: Date.now() - started,
  });
  options.onProgress?.({ kind: 'migrate', release, service: step.fix, step: id, status: 'done' });
}

/**
 * Migrates one service: skipped (or absent) when its database already holds the release's versions, else its
 * commands run and the versions they must reach are checked.
 */
async function runServiceStep(
  db: Db,
  release: MigrationRelease,
  step: Extract<MigrationStep, { kind: 'service' }>,
  run: StepRun,
): Promise<void> {
  const { id, started, options, done } = run;
  const schema = schemaOf(step.service);
  const database = options.databases?.[step.service] ?? schema.database;
  const before = await readServiceVersion(db, schema, database);
  const skip = skipReason(release, step, before, schema.optional);
  if (skip) {
    done({
      release,
      id,
      status: skip.absent ? 'absent' : 'skipped',
      reason: skip.reason,
      before,
      durationMs: Date.now() - started,
    });
    options.onProgress?.({
      kind: 'migrate',
      release,
      service: step.service,
      step: id,
      status: 'skipped',
    });
    return;
  }
  options.onProgress?.({
    kind: 'migrate',
    release,
    service: step.service,
    step: id,
    status: 'started',
  });
  options.onStart?.({ release, id, before });
  await options.beforeService?.(release, step.service);
  for (const commands of sameUserRuns(step.commands)) await runMigrationCommands(release, step, commands, id, options);
  const after = await readServiceVersion(db, schema, database);
  assertReached(release, step, after, id);
  done({ release, id, status: 'migrated', before, after, durationMs: Date.now() - started });
  options.onProgress?.({ kind: 'migrate', release, service: step.service, step: id, status: 'done' });
}

/** The commands split where the user they run as changes: each run is one batch on one runner. */
function sameUserRuns(commands: readonly MigrationCommand[]): MigrationCommand[][] {
  const runs: MigrationCommand[][] = [];
  for (const command of commands) {
    const last = runs.at(-1);
    if (last !== undefined && last[0]?.user === command.user) last.push(command);
    else runs.push([command]);
  }
  return runs;
}

/**
 * Runs a service's commands (all as one user) from the release's venv, in order, as one batch that ends at the first
 * failure; throws LEAP_MIGRATE_COMMAND_FAILED naming the command that exited non-zero.
 */
async function runMigrationCommands(
  release: MigrationRelease,
  step: Extract<MigrationStep, { kind: 'service' }>,
  commands: readonly MigrationCommand[],
  id: string,
  options: MigrateOptions,
): Promise<void> {
  checkAborted(options.signal, `${release} migrations`);
  const argvs = commands.map((command) => command.argv.map((arg) => expand(arg, options)));
  const user = commands[0]?.user;
  const exec = await options.runnerFor(step.group, {
    release,
    service: step.service,
    ...(user ? { user } : {}),
  });
  const results = await batchOf(exec)(
    argvs.map(([tool, ...rest]) => ({
      argv: [posix.join(options.venvBin(release), tool as string), ...rest],
      options: { timeoutMs: options.commandTimeoutMs },
    })),
    { stopOnFailure: true, signal: options.signal },
  );
  results.forEach((result, at) => assertCommandSucceeded(release, step, argvs[at] as string[], result, id));
  if (results.length < commands.length) {
    const next = argvs[results.length] as string[];
    throw new DbMigrateError(
      'LEAP_MIGRATE_COMMAND_FAILED',
      `${release} ${step.service}: \`${next.join(' ')}\` did not run: the batch of ${step.service}'s commands ended before it`,
      {
        hint: `re-run the leap, which resumes at ${step.service}`,
        host: step.group,
        step: id,
      },
    );
  }
}

function assertCommandSucceeded(
  release: MigrationRelease,
  step: Extract<MigrationStep, { kind: 'service' }>,
  argv: readonly string[],
  result: ExecResult,
  id: string,
): void {
  if (result.exitCode === 0) return;
  throw new DbMigrateError(
    'LEAP_MIGRATE_COMMAND_FAILED',
    `${release} ${step.service}: \`${argv.join(' ')}\` ${describeExit(result)}: ${tail(result.stderr || result.stdout)}`,
    {
      hint: `read the ${step.service} migration output above; fix the cause and re-run the leap, which resumes at this service (restore the backups to go back)`,
      host: step.group,
      step: id,
    },
  );
}

export function stepId(release: MigrationRelease, step: MigrationStep): string {
  return `${release}/migrate/${step.kind === 'sql' ? step.fix : step.service}`;
}

function skipReason(
  release: MigrationRelease,
  step: Extract<MigrationStep, { kind: 'service' }>,
  before: ServiceVersion,
  optional: boolean,
): { reason: string; absent?: boolean } | undefined {
  if (!before.present) {
    if (optional) return { reason: `database ${before.database} is not present`, absent: true };
    throw new DbMigrateError(
      'LEAP_MIGRATE_DB_MISSING',
      `${release} ${step.service}: database ${before.database} does not exist`,
      {
        hint: 'restore it from the backup, or check the database names in leap.yaml',
        step: stepId(release, step),
      },
    );
  }
  if (before.unknown.length > 0 || before.beyond) {
    throw new DbMigrateError(
      'LEAP_MIGRATE_UNKNOWN_VERSION',
      `${release} ${step.service}: the database holds versions this leap does not know (${before.unknown.join(', ') || describe(before)})`,
      {
        hint: 'code newer than Newton, or an out-of-tree migration, has touched this database; restore the backup or migrate it by hand',
        step: stepId(release, step),
      },
    );
  }
  if (reached(release, step, before)) return { reason: `already at ${describe(before)}` };
  const previous = releaseOrder[releaseOrder.indexOf(release) - 1] as Release;
  if (before.release === null || releaseOrder.indexOf(before.release) < releaseOrder.indexOf(previous)) {
    throw new DbMigrateError(
      'LEAP_MIGRATE_RELEASE_SKIPPED',
      `${release} ${step.service}: the database is at ${before.release ?? 'a version older than kilo'} (${describe(before)}), but ${release}'s migrations need ${previous}`,
      {
        hint: `run ${previous}'s migrations first; ${release} code cannot migrate an older schema`,
        step: stepId(release, step),
      },
    );
  }
  return undefined;
}

function reached(
  release: MigrationRelease,
  step: Extract<MigrationStep, { kind: 'service' }>,
  version: ServiceVersion,
): boolean {
  return missing(release, step, version).length === 0;
}

function missing(
  release: MigrationRelease,
  step: Extract<MigrationStep, { kind: 'service' }>,
  version: ServiceVersion,
): string[] {
  const schema = schemaOf(step.service);
  const out: string[] = [];
  for (const [name, expected] of Object.entries(step.expect)) {
    const component = schema.components.find((c) => c.name === name);
    const actual = version.components.find((c) => c.component === name);
    if (component === undefined) throw new TypeError(`release data names unknown component ${name}`);
    const target = component.kind === 'migrate' ? Number(expected) : component.chain.indexOf(String(expected));
    const also = (component.alsoComplete?.[release] ?? []) as (number | string)[];
    const ok =
      actual !== undefined &&
      ((actual.ordinal !== null && actual.ordinal >= target) || also.some((a) => String(a) === String(actual.value)));
    if (!ok) out.push(`${name}: expected ${String(expected)}, found ${actual?.value ?? 'no version row'}`);
  }
  return out;
}

function assertReached(
  release: MigrationRelease,
  step: Extract<MigrationStep, { kind: 'service' }>,
  after: ServiceVersion,
  id: string,
): void {
  const gaps = missing(release, step, after);
  if (gaps.length === 0) return;
  throw new DbMigrateError(
    'LEAP_MIGRATE_VERSION_NOT_REACHED',
    `${release} ${step.service}: the commands succeeded but the schema did not reach ${release} (${gaps.join('; ')})`,
    {
      hint:
        hintFor(step.service, after) ??
        `check the ${step.service} migration output and its log; the database was left at ${describe(after)}, re-running the leap retries this service`,
      step: id,
    },
  );
}

function hintFor(service: Service, version: ServiceVersion): string | undefined {
  const nova = version.components.find((c) => c.component === 'nova')?.value;
  if (service === 'nova' && nova === 290)
    return 'nova stopped at 290: blocker 291 needs the Kilo flavor data migrated (`nova-manage db migrate_flavor_data` with Kilo code)';
  if (service === 'nova' && nova === 329)
    return "nova stopped at 329: blocker 330 needs Mitaka's `nova-manage db online_data_migrations` to finish";
  return undefined;
}

function describe(version: ServiceVersion): string {
  return version.components.map((c) => `${c.component}=${c.value ?? 'none'}`).join(', ') || 'no version rows';
}

function tail(text: string): string {
  const lines = text.trim().split('\n');
  return lines.slice(-5).join(' | ').slice(-800) || '(no output)';
}
