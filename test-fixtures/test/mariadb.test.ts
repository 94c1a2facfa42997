import { describe, expect, it } from 'vitest';
import mysql from 'mysql2/promise';
import { dbTest, startMariaDb } from '../src/index.js';

describe('startMariaDb', () => {
  it('starts a throwaway mariadbd, answers a query over TCP and the socket, and stops', async () => {
    const server = await startMariaDb();
    try {
      const tcp = await mysql.createConnection({ host: server.host, port: server.port, user: 'root', password: '' });
      const [rows] = await tcp.query('SELECT VERSION() AS v, 6 * 7 AS answer');
      expect((rows as { v: string; answer: number }[])[0]).toMatchObject({
        answer: 42,
        v: expect.stringContaining('MariaDB'),
      });
      await tcp.end();
      const sock = await mysql.createConnection({ socketPath: server.socketPath, user: 'root', password: '' });
      const [viaSocket] = await sock.query('SELECT 1 AS one');
      expect(viaSocket).toEqual([{ one: 1 }]);
      await sock.end();
    } finally {
      await server.stop();
    }
    await expect(
      mysql.createConnection({ host: server.host, port: server.port, user: 'root', password: '' }),
    ).rejects.toThrow(/ECONNREFUSED/);
  });
});

describe('dbTest', () => {
  dbTest('gives each file a database of its own on the shared server', async ({ db }) => {
    await db.query('CREATE TABLE tokens (id INT PRIMARY KEY, expires DATETIME)');
    await db.query('INSERT INTO tokens VALUES (1, NOW()), (2, NOW())');
    const rows = await db.query<{ n: number }[]>('SELECT COUNT(*) AS n FROM tokens');
    expect(rows[0]?.n).toBe(2);
    expect(db.database).toMatch(/^leap_t_/);
  });
});
