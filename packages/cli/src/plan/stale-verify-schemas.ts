import type { DbConnection } from './database-connection.js';

/** The scratch schemas a backup verification restores into (@leap/db-migrate's verifyBackup: leap_verify_<8 hex>). */
const SCRATCH = /^leap_verify_[0-9a-f]{8}$/;

/**
 * Drops the scratch schemas of a backup verification that was killed before it could drop them: left behind,
 * each holds a copy of a service database for good, and the next backup dumps it as one more database. Call it
 * under the run lock only, where no other verification can be at work. Returns the schemas dropped.
 */
export async function dropStaleVerifySchemas(connection: DbConnection): Promise<string[]> {
  const { withDb } = await import('@leap/db-migrate');
  return withDb(connection, async (db) => {
    const rows = await db.query<Array<{ name: string }>>(
      "SELECT SCHEMA_NAME AS name FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE 'leap\\\\_verify\\\\_%'",
    );
    const stale = rows.map((row) => row.name).filter((name) => SCRATCH.test(name));
    for (const name of stale) await db.query(`DROP DATABASE \`${name}\``);
    return stale;
  });
}
