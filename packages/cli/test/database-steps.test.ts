import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect } from 'vitest';
import { dbTest, tempDir } from '@leap/test-fixtures';
import { loadConfig } from '../src/config.js';
import { createRuntime } from '../src/commands/shared.js';
import { databasePrepSteps } from '../src/plan/sections/database.js';
import { stepContext } from './step-context.js';

describe('db/housekeeping', () => {
  dbTest(
    'refuses to delete anything while this leap has no verified backup, and names the step that takes it',
    async ({ db }) => {
      const dir = tempDir();
      const config = await loadConfig({ backupDir: join(dir, 'backup'), markerDir: join(dir, 'markers') });
      config.database = { socket: db.socketPath, user: db.user, password: db.password };
      const rt = createRuntime(config, { stdout: () => undefined, stderr: () => undefined }, { interactive: false });
      const housekeeping = databasePrepSteps(rt).find((s) => s.id === 'db/housekeeping')!;
      await expect(housekeeping.run(stepContext('db/housekeeping'))).rejects.toMatchObject({
        code: 'LEAP_HOUSEKEEPING_NO_BACKUP',
        hint: expect.stringContaining('db/backup') as unknown,
      });

      // A backup folder whose verification did not complete does not count either.
      const unverified = join(rt.paths.databaseBackups, '20261203T000000Z');
      mkdirSync(unverified, { recursive: true });
      const manifest = {
        format: 'leap-db-backup/1',
        createdAt: new Date().toISOString(),
        completedAt: new Date().toISOString(),
        databases: [],
      };
      writeFileSync(join(unverified, 'manifest.json'), JSON.stringify(manifest));
      await expect(housekeeping.run(stepContext('db/housekeeping'))).rejects.toMatchObject({
        code: 'LEAP_HOUSEKEEPING_NO_BACKUP',
      });

      writeFileSync(
        join(unverified, 'manifest.json'),
        JSON.stringify({ ...manifest, verification: 'checksums-and-parse', verifiedAt: new Date().toISOString() }),
      );
      await expect(housekeeping.run(stepContext('db/housekeeping'))).resolves.toMatch(/rows purged/);
    },
  );
});
