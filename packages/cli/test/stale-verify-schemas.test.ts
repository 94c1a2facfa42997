import { describe, expect } from 'vitest';
import { dbTest } from '@leap/test-fixtures';
import { dropStaleVerifySchemas } from '../src/plan/stale-verify-schemas.js';

describe('dropStaleVerifySchemas', () => {
  dbTest('drops the scratch schemas a killed backup verification left, and nothing else', async ({ db }) => {
    await db.query('CREATE DATABASE IF NOT EXISTS `leap_verify_0badc0de`');
    await db.query('CREATE TABLE `leap_verify_0badc0de`.`t` (id INT)');
    await db.query('CREATE DATABASE IF NOT EXISTS `leap_verify_keep_me`');
    try {
      const connection = { socketPath: db.socketPath, user: db.user, password: db.password };
      expect(await dropStaleVerifySchemas(connection)).toEqual(['leap_verify_0badc0de']);
      const left = await db.query<Array<{ name: string }>>(
        "SELECT SCHEMA_NAME AS name FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE 'leap%verify%'",
      );
      expect(left.map((row) => row.name)).toEqual(['leap_verify_keep_me']);
      expect(await dropStaleVerifySchemas(connection)).toEqual([]);
    } finally {
      await db.query('DROP DATABASE IF EXISTS `leap_verify_0badc0de`');
      await db.query('DROP DATABASE IF EXISTS `leap_verify_keep_me`');
    }
  });
});
