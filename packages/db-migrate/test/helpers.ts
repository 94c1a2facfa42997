import { afterAll, beforeAll } from 'vitest';
import { localExec, type Exec } from '@leap/contract';
import mysql from 'mysql2/promise';
import { startMariaDb, type MariaDbServer } from '@leap/test-fixtures';
import { seedKilo } from './fixtures/kilo-seed.js';
import type { DbConnectionOptions } from '../src/index.js';

export interface SeededServer {
  server: MariaDbServer;
  conn: DbConnectionOptions;
}

/**
 * One server of its own for the test file (service databases need their real names, and a server start
 * costs seconds on a busy machine); `fresh()` drops every non-system database and seeds Kilo again.
 */
export function serverPerFile(): {
  fresh(options?: { housekeeping?: boolean; seed?: boolean }): Promise<SeededServer>;
} {
  let server: MariaDbServer | undefined;
  beforeAll(async () => {
    server = await startMariaDb();
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
  });
  return {
    async fresh(options = {}) {
      if (!server) throw new Error('server not started');
      const conn = await mysql.createConnection({ socketPath: server.socketPath, user: 'root', password: '' });
      try {
        const [rows] = await conn.query<mysql.RowDataPacket[]>(
          'SELECT SCHEMA_NAME AS name FROM information_schema.SCHEMATA',
        );
        for (const { name } of rows) {
          if (!['mysql', 'information_schema', 'performance_schema', 'sys'].includes(name as string))
            await conn.query(`DROP DATABASE \`${name as string}\``);
        }
        await conn.query("DROP USER IF EXISTS 'limited'@'%', 'limited'@'localhost'");
      } finally {
        await conn.end();
      }
      if (options.seed !== false) await seedKilo(server, options);
      return { server, conn: { socketPath: server.socketPath, user: server.user, password: server.password } };
    },
  };
}

/** localExec with `env` added to every command's environment (the stand-in tools read their socket and log from it). */
export function localExecWith(env: Record<string, string>): Exec {
  return (argv, options = {}) => localExec(argv, { ...options, env: { ...env, ...options.env } });
}
