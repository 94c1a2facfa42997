import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { delimiter, isAbsolute, join } from 'node:path';
import { DbMigrateError } from './errors.js';

/** The programs a backup and its verification run; MariaDB 10.0 and MySQL hosts have only the mysql-named ones. */
export interface DatabaseTools {
  dump: string;
  client: string;
  /** The throwaway verification server, when mariadb-server-core (or an older server package) is installed. */
  server?: { mariadbd: string; installDb: string };
}

/** What leap.yaml (`database.tools`) may pin; each is a name looked up on the search path or an absolute path. */
export interface ToolChoices {
  dump?: string;
  client?: string;
  server?: string;
  installDb?: string;
}

const candidates = {
  dump: ['mariadb-dump', 'mysqldump'],
  client: ['mariadb', 'mysql'],
  server: ['mariadbd', 'mysqld'],
  installDb: ['mariadb-install-db', 'mysql_install_db'],
} as const;

/** PATH, then the sbin folders a non-root PATH lacks (mariadbd lives in /usr/sbin). */
export function defaultSearchPath(): string[] {
  const path = (process.env.PATH ?? '').split(delimiter).filter(Boolean);
  return [...new Set([...path, '/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'])];
}

async function executable(path: string): Promise<boolean> {
  return access(path, constants.X_OK).then(
    () => true,
    () => false,
  );
}

async function locate(names: readonly string[], searchPath: readonly string[]): Promise<string | undefined> {
  for (const name of names) {
    if (isAbsolute(name)) {
      if (await executable(name)) return name;
      continue;
    }
    for (const dir of searchPath) {
      const candidate = join(dir, name);
      if (await executable(candidate)) return candidate;
    }
  }
  return undefined;
}

/** The dump and client programs found (a pinned one is used as given), or undefined for each that is not there. */
export async function findDatabaseTools(
  choices: ToolChoices = {},
  searchPath: readonly string[] = defaultSearchPath(),
): Promise<Partial<DatabaseTools>> {
  const pick = (kind: keyof typeof candidates) =>
    locate(choices[kind] === undefined ? candidates[kind] : [choices[kind]], searchPath);
  const [dump, client, mariadbd, installDb] = await Promise.all([
    pick('dump'),
    pick('client'),
    pick('server'),
    pick('installDb'),
  ]);
  return {
    ...(dump === undefined ? {} : { dump }),
    ...(client === undefined ? {} : { client }),
    ...(mariadbd !== undefined && installDb !== undefined ? { server: { mariadbd, installDb } } : {}),
  };
}

/** The programs a backup needs; throws LEAP_DB_CLIENT_MISSING naming the package when one is not installed. */
export async function requireClientTools(
  choices: ToolChoices = {},
  searchPath?: readonly string[],
): Promise<DatabaseTools> {
  const found = await findDatabaseTools(choices, searchPath);
  const missing = [
    ...(found.dump === undefined ? [choices.dump ?? candidates.dump.join(' or ')] : []),
    ...(found.client === undefined ? [choices.client ?? candidates.client.join(' or ')] : []),
  ];
  if (found.dump === undefined || found.client === undefined) {
    throw new DbMigrateError('LEAP_DB_CLIENT_MISSING', `no ${missing.join(', no ')} on this host`, {
      hint: clientHint,
    });
  }
  return { dump: found.dump, client: found.client, ...(found.server ? { server: found.server } : {}) };
}

export const clientHint =
  "run: apt-get install mariadb-client (mysql-client also works), or set database.tools.dump and database.tools.client in leap.yaml to the programs' paths";
