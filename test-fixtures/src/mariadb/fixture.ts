import { randomBytes } from 'node:crypto';
import { inject, test as base } from 'vitest';
import mysql from 'mysql2/promise';
import type { MariaDbConnection } from './server.js';

export interface TestDatabase extends MariaDbConnection {
  /** A database of its own for this test file, dropped after the file. */
  database: string;
  /** A connection to it, closed after the file. */
  query<T = unknown>(sql: string, values?: unknown[]): Promise<T>;
}

/**
 * `dbTest` is vitest's `test` with a per-file `db` fixture on the project's shared server
 * (needs `@leap/test-fixtures/mariadb-global-setup` as the project's globalSetup).
 */
// eslint-disable-next-line no-empty-pattern -- vitest requires a destructuring pattern as the first parameter
export const dbTest = base.extend('db', { scope: 'file' }, async ({}, { onCleanup }): Promise<TestDatabase> => {
  const server = inject('mariadb');
  const database = `leap_t_${process.env.VITEST_POOL_ID ?? '0'}_${randomBytes(4).toString('hex')}`;
  const admin = await mysql.createConnection({
    socketPath: server.socketPath,
    user: server.user,
    password: server.password,
  });
  await admin.query(`CREATE DATABASE \`${database}\``);
  const conn = await mysql.createConnection({
    socketPath: server.socketPath,
    user: server.user,
    password: server.password,
    database,
    multipleStatements: true,
  });
  onCleanup(async () => {
    await conn.end();
    await admin.query(`DROP DATABASE IF EXISTS \`${database}\``);
    await admin.end();
  });
  return {
    ...server,
    database,
    async query<T>(sql: string, values?: unknown[]) {
      const [rows] = await conn.query(sql, values);
      return rows as T;
    },
  };
});
