import type { LeapConfig } from '../config.js';
import type { CheckResult } from './types.js';

/**
 * The dump and client programs the backup needs (mariadb-dump/mariadb, or mysqldump/mysql on MariaDB 10.0 and
 * MySQL hosts), and whether the backup can be verified in a throwaway server here. `searchPath` is for tests.
 */
export async function checkDatabaseClients(config: LeapConfig, searchPath?: readonly string[]): Promise<CheckResult> {
  const base = { id: 'database-clients', title: 'database dump and client programs installed' };
  const { findDatabaseTools, clientHint } = await import('@leap/db-migrate');
  const tools = await findDatabaseTools(config.database.tools ?? {}, searchPath);
  const pinned = config.database.tools ?? {};
  if (tools.dump === undefined || tools.client === undefined) {
    const missing = [
      ...(tools.dump === undefined ? [pinned.dump ?? 'mariadb-dump or mysqldump'] : []),
      ...(tools.client === undefined ? [pinned.client ?? 'mariadb or mysql'] : []),
    ];
    return {
      ...base,
      status: 'failed',
      message: `no ${missing.join(', no ')} on this host: the databases cannot be backed up`,
      hint: clientHint,
      ...(config.configFile ? { file: config.configFile } : {}),
    };
  }
  const found = `${tools.dump} and ${tools.client}`;
  if (tools.server === undefined) {
    return {
      ...base,
      status: 'warning',
      message: `${found}; no mariadbd here, so backups are verified by checksums-and-parse, not restored into a throwaway server`,
      hint: 'apt-get install mariadb-server-core lets leap restore each backup into a throwaway server (started on a temp folder, never as a service)',
    };
  }
  return {
    ...base,
    status: 'ok',
    message: `${found}; backups restored into a throwaway ${tools.server.mariadbd} to verify them`,
  };
}
