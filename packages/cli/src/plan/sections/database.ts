import type { Step, StepContext } from '@leap/markers';
import type { TargetSeries } from '../../release.js';
import { databaseConnection } from '../database-connection.js';
import { venvBinOf } from '../migration-venvs.js';
import type { LeapRuntime } from '../runtime.js';

/** Galera health, a verified backup of every database, then housekeeping (which refuses without that backup): all before anything is migrated. */
export function databasePrepSteps(rt: LeapRuntime): Step[] {
  return [healthStep(rt), backupStep(rt), housekeepingStep(rt)];
}

/** db/health: the Galera cluster Primary, Synced and of the expected size. */
function healthStep(rt: LeapRuntime): Step {
  return {
    id: 'db/health',
    title: 'Galera cluster healthy: every node Synced and Primary in one cluster of the expected size',
    async run(ctx) {
      const { checkEveryGaleraNode } = await import('../galera-health.js');
      return checkEveryGaleraNode(rt, ctx, 'db/health');
    },
  };
}

/** db/backup: every database dumped, the dumps verified. */
function backupStep(rt: LeapRuntime): Step {
  return {
    id: 'db/backup',
    title:
      'every database dumped and the dumps verified (checksums, rows, restore into a throwaway server on this host)',
    legacyMarkers: ['db-backup.yml'],
    async run(ctx) {
      const { backupAndVerify } = await import('@leap/db-migrate');
      const db = await connectionFor(rt, ctx);
      const { dropStaleVerifySchemas } = await import('../stale-verify-schemas.js');
      const dropped = await dropStaleVerifySchemas(db);
      if (dropped.length > 0)
        ctx.log('scratch schemas of an interrupted verification dropped', {
          kind: 'backup-scratch',
          schemas: dropped,
        });
      const tools = rt.config.database.tools ?? {};
      // Each dump is loaded into a throwaway server on this host as it is written (never into the live cluster).
      const {
        dir,
        manifest,
        report: verified,
      } = await backupAndVerify({
        db,
        ...(tools.dump === undefined ? {} : { dumpCommand: tools.dump }),
        ...(tools.client === undefined ? {} : { clientCommand: tools.client }),
        ...(tools.server === undefined ? {} : { serverCommand: tools.server }),
        ...(tools.installDb === undefined ? {} : { installDbCommand: tools.installDb }),
        backupDir: rt.paths.databaseBackups,
        onProgress: (event) => {
          if (event.kind === 'dump' && event.done) ctx.progress(`${event.database} dumped`);
          if (event.kind === 'verify' && event.check === 'restore')
            ctx.progress(`${event.database} restored in the throwaway server`);
        },
        signal: ctx.signal,
      }).catch(async (error: unknown) => {
        throw await unwritableBackupFolder(error, rt.paths.databaseBackups);
      });
      ctx.log('backup', {
        kind: 'backup',
        dir,
        verified: verified.ok,
        verification: verified.verification,
        databases: manifest.databases.map((d) => ({ name: d.name, sha256: d.sha256, bytes: d.bytes })),
      });
      if (!verified.ok) {
        const { CliError, ExitCode } = await import('../../errors.js');
        throw new CliError(
          'LEAP_BACKUP_UNVERIFIED',
          `the backup in ${dir} failed verification: ${verified.databases.flatMap((d) => d.problems).join('; ')}`,
          {
            exitCode: ExitCode.stepFailed,
            file: dir,
            hint: 'check the disk and the database, then run `leap run` again: a new backup is taken',
          },
        );
      }
      return `${manifest.databases.length} databases backed up and verified (${verified.verification}) in ${dir}`;
    },
  };
}

/** db/housekeeping: expired and old soft-deleted rows purged, only with a verified backup of this leap. */
function housekeepingStep(rt: LeapRuntime): Step {
  return {
    id: 'db/housekeeping',
    title: 'expired tokens and old soft-deleted rows purged in short transactions',
    inputs: { olderThanDays: rt.config.housekeeping.deletedOlderThanDays },
    async run(ctx) {
      const { purge } = await import('@leap/db-migrate');
      const db = await connectionFor(rt, ctx);
      const backup = await requireBackupOfThisLeap(rt, db);
      ctx.log('verified backup found', {
        kind: 'housekeeping-backup',
        dir: backup.dir,
        verification: backup.manifest.verification,
      });
      const result = await purge({
        db,
        olderThanDays: rt.config.housekeeping.deletedOlderThanDays,
        onProgress: (event) => {
          if (event.kind === 'purge') ctx.progress(`${event.service}.${event.table}: ${event.totalRows} rows purged`);
        },
      });
      ctx.log('housekeeping', {
        kind: 'purge',
        purged: result.purged,
        tables: result.tables,
        longestTxnMs: result.longestTxnMs,
      });
      return `${result.purged} rows purged from ${result.tables.filter((t) => t.purged > 0).length} tables`;
    },
  };
}

/** One release's database migrations, each service checked to have reached its version. */
export function migrationSteps(rt: LeapRuntime, release: TargetSeries): Step[] {
  return [
    {
      id: `${release}/migrate`,
      title: `${release}: database migrations, each service verified at its ${release} schema version`,
      legacyMarkers: [`db-migrations-${release}.yml*`],
      async run(ctx) {
        const { runMigrations } = await import('@leap/db-migrate');
        const { readSqlFixSettings } = await import('../sql-fix-settings.js');
        const { runAs } = await import('../run-as.js');
        const reports = await runMigrations({
          db: await connectionFor(rt, ctx),
          releases: [release],
          venvBin: (r) => venvBinOf(rt.config, r),
          runnerFor: async (group, context) => runAs(await rt.execOn(group), rt.config.runAsCommand, context.user),
          sqlFixes: await readSqlFixSettings(rt.config.deployDir),
          onProgress: (event) => {
            if (event.kind === 'migrate') ctx.progress(`${event.step} ${event.status}`);
          },
          onStart: (start) => ctx.log(`${start.id} started`, { kind: 'migration-started', start }),
          onReport: (report) => ctx.log(`${report.id} ${report.status}`, { kind: 'migration', report }),
          signal: ctx.signal,
        });
        ctx.log(`${release} migrations`, { kind: 'migrations', release, reports });
        const migrated = reports.filter((r) => r.status === 'migrated').length;
        return `${migrated} services migrated, ${reports.length - migrated} already current or fixes applied`;
      },
    },
  ];
}

/** A file-system error about the backup folder itself (read-only, missing parent, permissions) as a leap error naming it. */
async function unwritableBackupFolder(error: unknown, folder: string): Promise<unknown> {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (!['EROFS', 'EACCES', 'EPERM', 'ENOENT', 'ENOTDIR'].includes(code ?? '')) return error;
  const { CliError, ExitCode } = await import('../../errors.js');
  return new CliError(
    'LEAP_BACKUP_DIR_UNWRITABLE',
    `cannot write the database backups to ${folder}: ${(error as Error).message}`,
    {
      exitCode: ExitCode.stepFailed,
      file: folder,
      cause: error,
      hint: 'make the backup folder writable, or point backupDir (--backup-dir) at a writable file system with room for the dumps, then run `leap run` again',
    },
  );
}

/** The verified backup this leap took (db/backup), holding every database housekeeping would delete rows from. */
async function requireBackupOfThisLeap(rt: LeapRuntime, connection: Awaited<ReturnType<typeof connectionFor>>) {
  const { purgeRules, requireVerifiedBackup, withDb } = await import('@leap/db-migrate');
  const { readPlanHeader } = await import('@leap/markers');
  const databases = await withDb(connection, async (db) => [...new Set((await purgeRules(db)).map((r) => r.database))]);
  const header = await readPlanHeader(rt.config.markerDir).catch(() => undefined);
  return requireVerifiedBackup(rt.paths.databaseBackups, databases, header ? new Date(header.startedAt) : undefined);
}

async function connectionFor(rt: LeapRuntime, ctx: StepContext) {
  const connection = await databaseConnection(rt.config);
  if (connection.password) ctx.addSecret(connection.password);
  return connection;
}
