import { posix } from 'node:path';
import type { LeapRuntime } from '../plan/runtime.js';
import { databaseConnection } from '../plan/database-connection.js';
import { venvBinOf } from '../plan/migration-venvs.js';
import type { CheckResult } from './types.js';

/**
 * Counts the live instances whose flavor is not yet in instance_extra (what Liberty's nova migration 291 refuses),
 * and, when there are some, that Kilo's nova-manage is where step kilo/flavor-data will run it: a cloud the leap
 * cannot fix stops here instead of at migration 291, after the point of no return.
 */
export async function checkFlavorData(rt: LeapRuntime): Promise<CheckResult> {
  const base = { id: 'flavor-data', title: "instance flavor data migrated, or Kilo's nova-manage there to migrate it" };
  const { withDb, countUnmigratedFlavors, kiloFlavorMigration } = await import('@leap/db-migrate');
  let count: number;
  try {
    count = await withDb(await databaseConnection(rt.config), (db) => countUnmigratedFlavors(db));
  } catch (error) {
    // An unreachable database is db/health's to report, with its own code and hint; kilo/flavor-data counts again.
    const code = (error as { code?: unknown }).code;
    if (typeof code !== 'string' || !code.startsWith('LEAP_DB_')) throw error;
    return {
      ...base,
      status: 'warning',
      message: `not counted: ${(error as Error).message} (db/health checks the database; step kilo/flavor-data counts before Liberty)`,
    };
  }
  if (count === 0) return { ...base, status: 'ok', message: "every live instance's flavor data is migrated" };
  const { group, command } = kiloFlavorMigration;
  const tool = posix.join(venvBinOf(rt.config, 'kilo'), command.argv[0] as string);
  const found = await (await rt.execOn(group))(['test', '-x', tool]);
  if (found.exitCode !== 0) {
    return {
      ...base,
      status: 'failed',
      host: `${group}[0]`,
      message: `${count} live instances have flavor data not migrated, and Kilo's ${tool} is not on ${group}[0] to migrate it`,
      hint:
        "Liberty's nova migration 291 would stop the leap after the point of no return: set migrationVenvs.kilo in leap.yaml to the folder " +
        "whose bin/ holds Kilo's nova-manage, or run `nova-manage db migrate_flavor_data --force` in a Kilo nova container first",
    };
  }
  return {
    ...base,
    status: 'ok',
    message: `${count} live instances have flavor data not migrated; step kilo/flavor-data migrates them with ${tool}`,
  };
}
