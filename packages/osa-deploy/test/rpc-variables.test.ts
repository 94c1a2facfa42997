import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '@leap/test-fixtures';
import { describe, expect, it } from 'vitest';
import { removeLeapfrogOverrides, writeLeapfrogOverrides } from '../src/index.js';
import { migrateOverrides } from '../src/rpc-variables.js';

describe('RPC variable migration', () => {
  it('copies new keys, drops defaults, keeps and reports the operator overrides, and keeps comments', async () => {
    const dir = tempDir();
    const overridesFile = join(dir, 'user_variables.yml');
    const defaultsFile = join(dir, 'user_osa_variables_defaults.yml');
    const outputFile = join(dir, 'user_osa_variables_overrides.yml');
    writeFileSync(defaultsFile, '---\nnova_cpu_allocation_ratio: 2.0\nhaproxy_use_keepalived: true\n');
    writeFileSync(
      overridesFile,
      '---\n# site tuning\nnova_cpu_allocation_ratio: 8.0 # overcommit\nhaproxy_use_keepalived: true\nsite_only: x\n',
    );
    const result = await migrateOverrides({ overridesFile, defaultsFile, outputFile, backupDir: join(dir, 'backup') });
    expect(result).toMatchObject({
      copied: ['site_only'],
      dropped: ['haproxy_use_keepalived'],
      conflicts: [{ key: 'nova_cpu_allocation_ratio', operator: 8, default: 2 }],
    });
    expect(readFileSync(outputFile, 'utf8')).toBe(
      '---\n# site tuning\nnova_cpu_allocation_ratio: 8.0 # overcommit\nsite_only: x\n',
    );
    expect(existsSync(overridesFile)).toBe(false);
    expect(existsSync(join(dir, 'backup', 'user_variables.yml.before-rpc-migration'))).toBe(true);
    const again = await migrateOverrides({ overridesFile, defaultsFile, outputFile, backupDir: join(dir, 'backup') });
    expect(again.alreadyMigrated).toBe(true);
  });

  it('writes the temporary throttle overrides and removes them', async () => {
    const dir = tempDir();
    const file = await writeLeapfrogOverrides(dir);
    expect(readFileSync(file, 'utf8')).toContain("nova_compute_serial: '100%'\n");
    expect(readFileSync(file, 'utf8')).toContain("glance_registry_rolling: '100%'\n");
    await removeLeapfrogOverrides(dir);
    await removeLeapfrogOverrides(dir);
    expect(existsSync(file)).toBe(false);
  });
});
