import { loadConfig } from '../config.js';
import { resolve } from 'node:path';
import type { Io } from '../output.js';
import { databaseConnection } from '../plan/database-connection.js';
import { leapPaths } from '../plan/runtime.js';
import type { GlobalOptions } from './shared.js';
import { keepYoungGenerationSmall } from '../young-generation.js';

/** `leap backup`: the verified database backup on its own. */
export async function runBackup(options: GlobalOptions, io: Io): Promise<number> {
  keepYoungGenerationSmall();
  const config = await loadConfig(options);
  const { backupAndVerify } = await import('@leap/db-migrate');
  const db = await databaseConnection(config);
  const tools = config.database.tools ?? {};
  // Each dump is loaded into a throwaway server on this host as it is written; never into the live cluster.
  const {
    dir,
    manifest,
    report: verified,
  } = await backupAndVerify({
    db,
    backupDir: leapPaths(config).databaseBackups,
    ...(tools.dump === undefined ? {} : { dumpCommand: tools.dump }),
    ...(tools.client === undefined ? {} : { clientCommand: tools.client }),
    ...(tools.server === undefined ? {} : { serverCommand: tools.server }),
    ...(tools.installDb === undefined ? {} : { installDbCommand: tools.installDb }),
    onProgress: (event) => {
      if (event.kind === 'dump' && event.done && !options.json) io.stdout(`dumped ${event.database}\n`);
    },
  });
  if (options.json)
    io.stdout(
      `${JSON.stringify({ dir, ok: verified.ok, verification: verified.verification, databases: verified.databases }, null, 2)}\n`,
    );
  else {
    io.stdout(
      `${manifest.databases.length} databases in ${dir}: ${verified.ok ? `verified (${verified.verification})` : 'VERIFICATION FAILED'}\n`,
    );
    for (const d of verified.databases.filter((x) => x.problems.length > 0))
      io.stdout(`  ${d.name}: ${d.problems.join('; ')}\n`);
    io.stdout(`restore with: leap restore ${dir}/manifest.json\n`);
  }
  return verified.ok ? 0 : 1;
}

export interface RestoreCommandOptions extends GlobalOptions {
  database?: string[];
  replace?: boolean;
}

/** `leap restore <manifest>`: the way back before the point of no return. */
export async function runRestore(manifest: string, options: RestoreCommandOptions, io: Io): Promise<number> {
  const config = await loadConfig(options);
  const dir = resolve(manifest).replace(/\/manifest\.json$/, '');
  const { restoreBackup } = await import('@leap/db-migrate');
  const result = await restoreBackup(dir, {
    db: await databaseConnection(config),
    ...(options.database === undefined ? {} : { databases: options.database }),
    replace: options.replace === true,
    onProgress: (event) => {
      if (event.kind === 'restore' && event.done && !options.json) io.stdout(`restored ${event.database}\n`);
    },
  });
  io.stdout(
    options.json ? `${JSON.stringify(result)}\n` : `${result.databases.length} databases restored from ${dir}\n`,
  );
  return 0;
}
