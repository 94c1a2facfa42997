import { posix } from 'node:path';
import { describeExit, type Exec } from '@leap/contract';
import type { Db } from './connection.js';
import { connect, type DbConnectionOptions } from './connection.js';
import { DbMigrateError } from './errors.js';
import { kiloFlavorMigration } from './releases/kilo.js';

const quoteId = (name: string): string => `\`${name.replace(/`/g, '``')}\``;

/**
 * Live instances whose flavor still lives in instance_system_metadata: the exact count Liberty's blocker
 * migration 291 (291_enforce_flavors_migrated.py) refuses to run with. 0 when nova has no such table.
 */
export async function countUnmigratedFlavors(db: Db, database = 'nova'): Promise<number> {
  const tables = await db.query<unknown[]>(
    "SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME IN ('instances', 'instance_system_metadata')",
    [database],
  );
  if (tables.length < 2) return 0;
  const nova = quoteId(database);
  const rows = await db.query<{ n: number | string }[]>(
    `SELECT COUNT(*) AS n FROM ${nova}.instance_system_metadata s JOIN ${nova}.instances i ON i.uuid = s.instance_uuid
      WHERE s.\`key\` = 'instance_type_id' AND s.deleted <> s.id AND i.deleted <> i.id`,
  );
  return Number(rows[0]?.n ?? 0);
}

export interface FlavorDataOptions {
  db: DbConnectionOptions;
  /** The folder holding Kilo's nova-manage on the nova host; default /usr/local/bin (OSA Kilo). */
  kiloBin?: string;
  /** A runner on the first host of `group` (production: the first nova API container). */
  runnerFor(group: string): Exec;
  database?: string;
  commandTimeoutMs?: number;
  signal?: AbortSignal;
}

export interface FlavorDataReport {
  before: number;
  after: number;
  ran: boolean;
}

/** Runs Kilo's `nova-manage db migrate_flavor_data --force` when instances need it, then checks none is left. */
export async function migrateKiloFlavorData(options: FlavorDataOptions): Promise<FlavorDataReport> {
  const count = async () => {
    const db = await connect(options.db);
    try {
      return await countUnmigratedFlavors(db, options.database);
    } finally {
      await db.close();
    }
  };
  const before = await count();
  if (before === 0) return { before, after: 0, ran: false };
  const { group, defaultBin, command } = kiloFlavorMigration;
  const [tool, ...rest] = command.argv;
  const argv = [posix.join(options.kiloBin ?? defaultBin, tool as string), ...rest];
  const result = await options.runnerFor(group)(argv, { timeoutMs: options.commandTimeoutMs, signal: options.signal });
  if (result.exitCode !== 0) {
    throw new DbMigrateError(
      'LEAP_MIGRATE_FLAVOR_DATA_FAILED',
      `\`${argv.join(' ')}\` ${describeExit(result)}: ${(result.stderr || result.stdout).trim().slice(-800) || '(no output)'}`,
      {
        hint: `run it by hand in the first ${group} container (Kilo's nova code, /etc/nova/nova.conf) and fix what it reports; nothing has been migrated to Liberty yet`,
        host: group,
      },
    );
  }
  const after = await count();
  if (after > 0) {
    throw new DbMigrateError(
      'LEAP_MIGRATE_FLAVOR_DATA_INCOMPLETE',
      `${after} of ${before} instances still have unmigrated flavor data after \`${argv.join(' ')}\``,
      {
        hint: "Liberty's nova migration 291 refuses to run until none is left: check the instances' flavors (a deleted flavor, a half-finished resize) and re-run the leap, which retries this step",
        host: group,
      },
    );
  }
  return { before, after, ran: true };
}
