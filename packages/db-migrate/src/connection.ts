import mysql from 'mysql2/promise';
import type { Connection, ConnectionOptions } from 'mysql2/promise';
import { DbMigrateError } from './errors.js';

/** How to reach the database server. The password never appears in errors, logs or argv. */
export interface DbConnectionOptions {
  host?: string;
  port?: number;
  /** A unix socket; used instead of host/port when set. */
  socketPath?: string;
  user: string;
  password?: string;
  ssl?: { ca?: string; cert?: string; key?: string; rejectUnauthorized?: boolean };
  /** Default 10 s. */
  connectTimeoutMs?: number;
}

/** A connection with errors turned into DbMigrateError (unreachable, refused, credentials, privilege, timeout). */
export interface Db {
  query<T = mysql.RowDataPacket[]>(sql: string, values?: unknown[]): Promise<T>;
  /** The server we are talking to, for messages ("127.0.0.1:3306" or the socket path). */
  readonly where: string;
  readonly raw: Connection;
  close(): Promise<void>;
}

export function describeServer(options: DbConnectionOptions): string {
  return options.socketPath ?? `${options.host ?? '127.0.0.1'}:${options.port ?? 3306}`;
}

export async function connect(options: DbConnectionOptions, database?: string): Promise<Db> {
  const where = describeServer(options);
  const config: ConnectionOptions = {
    user: options.user,
    password: options.password ?? '',
    connectTimeout: options.connectTimeoutMs ?? 10_000,
    multipleStatements: false,
    dateStrings: true,
    supportBigNumbers: true,
    bigNumberStrings: true,
    ...(database === undefined ? {} : { database }),
    ...(options.socketPath
      ? { socketPath: options.socketPath }
      : { host: options.host ?? '127.0.0.1', port: options.port ?? 3306 }),
    ...(options.ssl ? { ssl: options.ssl } : {}),
  };
  let raw: Connection;
  try {
    raw = await mysql.createConnection(config);
  } catch (error) {
    throw classifyDbError(error, where, options.user);
  }
  // A dropped connection emits 'error' on the connection; without a listener that would crash the process.
  raw.on('error', () => undefined);
  return {
    where,
    raw,
    async query<T>(sql: string, values?: unknown[]): Promise<T> {
      try {
        const [rows] = await raw.query(sql, values);
        return rows as T;
      } catch (error) {
        throw classifyDbError(error, where, options.user);
      }
    },
    async close() {
      await raw.end().catch(() => raw.destroy());
    },
  };
}

/** Connects, runs `fn` and always closes. */
export async function withDb<T>(
  options: DbConnectionOptions,
  fn: (db: Db) => Promise<T>,
  database?: string,
): Promise<T> {
  const db = await connect(options, database);
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

interface DriverError {
  code?: string;
  errno?: number;
  message?: string;
  sqlMessage?: string;
}

/** Turns a mysql2/socket error into an error that says what failed and what to do; other errors pass through. */
export function classifyDbError(error: unknown, where: string, user: string): unknown {
  if (error instanceof DbMigrateError || typeof error !== 'object' || error === null) return error;
  const e = error as DriverError;
  const detail = e.sqlMessage ?? e.message ?? String(error);
  switch (e.code) {
    case 'ECONNREFUSED':
      return new DbMigrateError('LEAP_DB_REFUSED', `the database server at ${where} refused the connection`, {
        hint: 'check that MariaDB is running and listening on that address/port (or socket), and that no firewall rejects it',
        host: where,
        cause: error,
      });
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'ENOENT':
      return new DbMigrateError(
        'LEAP_DB_UNREACHABLE',
        `the database server at ${where} cannot be reached (${e.code})`,
        {
          hint: 'check the host name or address (internal_lb_vip_address or the first galera container), the route, or the socket path',
          host: where,
          cause: error,
        },
      );
    case 'ETIMEDOUT':
    case 'PROTOCOL_SEQUENCE_TIMEOUT':
      return new DbMigrateError('LEAP_DB_TIMEOUT', `the database server at ${where} did not answer in time`, {
        hint: 'the server or the network path is overloaded or filtered; check that MariaDB is healthy, or raise the connect timeout',
        host: where,
        cause: error,
      });
    case 'ER_ACCESS_DENIED_ERROR':
    case 'ER_ACCESS_DENIED_NO_PASSWORD_ERROR':
    case 'ER_NOT_SUPPORTED_AUTH_MODE':
      return new DbMigrateError(
        'LEAP_DB_CREDENTIALS',
        `the database server at ${where} rejected the credentials of user '${user}'`,
        {
          hint: 'check galera_root_password in user_secrets.yml (or the password in leap.yaml) and the user name',
          host: where,
          cause: error,
        },
      );
    case 'ER_DBACCESS_DENIED_ERROR':
    case 'ER_TABLEACCESS_DENIED_ERROR':
    case 'ER_COLUMNACCESS_DENIED_ERROR':
    case 'ER_SPECIFIC_ACCESS_DENIED_ERROR':
    case 'ER_PROCACCESS_DENIED_ERROR':
      return new DbMigrateError('LEAP_DB_PRIVILEGE', `user '${user}' lacks a privilege on ${where}: ${detail}`, {
        hint: 'leap needs the galera root user (ALL PRIVILEGES WITH GRANT OPTION); use it or grant the missing privilege',
        host: where,
        cause: error,
      });
    case 'ER_LOCK_WAIT_TIMEOUT':
    case 'ER_STATEMENT_TIMEOUT':
      return new DbMigrateError('LEAP_DB_TIMEOUT', `a statement on ${where} timed out: ${detail}`, {
        hint: 'another session holds locks on these rows; stop the OpenStack services that write to this database and retry',
        host: where,
        cause: error,
      });
    case 'PROTOCOL_CONNECTION_LOST':
    case 'ECONNRESET':
    case 'EPIPE':
      return new DbMigrateError('LEAP_DB_CONNECTION_LOST', `the connection to ${where} was lost: ${detail}`, {
        hint: 'the server restarted or dropped the connection; check its error log and the Galera state, then re-run the step',
        host: where,
        cause: error,
      });
    default:
      return error;
  }
}

const requiredGlobalPrivileges = [
  'SELECT',
  'INSERT',
  'UPDATE',
  'DELETE',
  'CREATE',
  'DROP',
  'ALTER',
  'INDEX',
  'LOCK TABLES',
  'SHOW VIEW',
  'TRIGGER',
  'EVENT',
  'PROCESS',
  'RELOAD',
  'CREATE ROUTINE',
  'ALTER ROUTINE',
] as const;

/** Fails with LEAP_DB_PRIVILEGE naming every global privilege the connected user lacks for backups and migrations. */
export async function checkPrivileges(db: Db, required: readonly string[] = requiredGlobalPrivileges): Promise<void> {
  const rows = await db.query<{ PRIVILEGE_TYPE: string }[]>(
    'SELECT PRIVILEGE_TYPE FROM information_schema.USER_PRIVILEGES WHERE GRANTEE = CONCAT("\'", SUBSTRING_INDEX(CURRENT_USER(), "@", 1), "\'@\'", SUBSTRING_INDEX(CURRENT_USER(), "@", -1), "\'")',
  );
  const held = new Set(rows.map((r) => r.PRIVILEGE_TYPE));
  const missing = required.filter((p) => !held.has(p));
  if (missing.length > 0) {
    throw new DbMigrateError(
      'LEAP_DB_PRIVILEGE',
      `the database user on ${db.where} lacks global privileges: ${missing.join(', ')}`,
      {
        hint: 'use the galera root user (ALL PRIVILEGES ON *.* WITH GRANT OPTION) for leap',
        host: db.where,
      },
    );
  }
}
