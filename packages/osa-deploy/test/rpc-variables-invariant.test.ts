import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '@leap/test-fixtures';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { migrateRpcVariables } from '../src/index.js';

/** The oracle, independent of the code under test: every user_*.yml in name order, later files win per key. */
function effective(dir: string): Map<string, unknown> {
  const values = new Map<string, unknown>();
  for (const name of readdirSync(dir)
    .filter((n) => /^user_.*\.yml$/.test(n))
    .sort()) {
    const doc = parse(readFileSync(join(dir, name), 'utf8')) as Record<string, unknown> | null;
    for (const [key, value] of Object.entries(doc ?? {})) values.set(key, value);
  }
  return values;
}

function operatorKeys(dir: string, files: string[]): string[] {
  return files.flatMap((f) =>
    Object.keys((parse(readFileSync(join(dir, f), 'utf8')) as Record<string, unknown> | null) ?? {}),
  );
}

const yamlLine = (key: string, value: unknown) => `${key}: ${JSON.stringify(value)}\n`;

/** 48 operator keys: equal to the new defaults, conflicting with them, unknown to them, and one set in both files. */
function richFixture(): { configDir: string; rpcDefaultsDir: string; backupDir: string; keys: string[] } {
  const root = tempDir();
  const configDir = join(root, 'etc');
  const rpcDefaultsDir = join(root, 'rpcd');
  mkdirSync(configDir);
  mkdirSync(rpcDefaultsDir);
  const osaDefaults: Record<string, unknown> = {};
  const rpcoDefaults: Record<string, unknown> = { rpco_shadowing_key: 'rpco-default' };
  let userVariables = '---\n# site overrides\n';
  let extras = '---\n';
  for (let i = 0; i < 16; i += 1) {
    osaDefaults[`osa_same_${i}`] = i % 2 === 0 ? true : `v${i}`;
    userVariables += yamlLine(`osa_same_${i}`, osaDefaults[`osa_same_${i}`]);
  }
  for (let i = 0; i < 10; i += 1) {
    osaDefaults[`osa_conflict_${i}`] = i;
    userVariables += yamlLine(`osa_conflict_${i}`, i + 100);
  }
  for (let i = 0; i < 10; i += 1) userVariables += yamlLine(`osa_unknown_${i}`, { nested: [i, `x${i}`] });
  for (let i = 0; i < 4; i += 1) {
    rpcoDefaults[`rpco_same_${i}`] = `r${i}`;
    extras += yamlLine(`rpco_same_${i}`, `r${i}`);
  }
  for (let i = 0; i < 3; i += 1) {
    rpcoDefaults[`rpco_conflict_${i}`] = 'default';
    extras += yamlLine(`rpco_conflict_${i}`, 'operator');
  }
  for (let i = 0; i < 3; i += 1) extras += yamlLine(`rpco_unknown_${i}`, i);
  // Set in both old files: user_variables.yml (loaded last before) won; after, user_rpco_variables_overrides.yml loads last.
  extras += yamlLine('both_files', 'from-extras');
  userVariables += yamlLine('both_files', 'from-user-variables');
  // Kept in user_osa_variables_overrides.yml, but the rpco defaults (loaded after it) set it too.
  userVariables += yamlLine('rpco_shadowing_key', 'operator');
  writeFileSync(join(configDir, 'user_variables.yml'), userVariables);
  writeFileSync(join(configDir, 'user_extras_variables.yml'), extras);
  writeFileSync(join(configDir, 'user_secrets.yml'), '---\nkeystone_auth_admin_password: s3cret\n');
  writeFileSync(
    join(rpcDefaultsDir, 'user_osa_variables_defaults.yml'),
    `---\n${Object.entries(osaDefaults)
      .map(([k, v]) => yamlLine(k, v))
      .join('')}`,
  );
  writeFileSync(
    join(rpcDefaultsDir, 'user_rpco_variables_defaults.yml'),
    `---\n${Object.entries(rpcoDefaults)
      .map(([k, v]) => yamlLine(k, v))
      .join('')}`,
  );
  const keys = [...new Set(operatorKeys(configDir, ['user_variables.yml', 'user_extras_variables.yml']))];
  return { configDir, rpcDefaultsDir, backupDir: join(root, 'backup'), keys };
}

describe('RPC variable migration: the effective value of every operator variable is kept', () => {
  it('on a fixture with 48 operator keys (equal to the new defaults, conflicting, unknown, duplicated, shadowed)', async () => {
    const { configDir, rpcDefaultsDir, backupDir, keys } = richFixture();
    expect(keys.length).toBeGreaterThanOrEqual(40);
    const before = effective(configDir);
    const result = await migrateRpcVariables({ configDir, rpcDefaultsDir, backupDir });
    const after = effective(configDir);
    for (const key of keys) expect({ key, value: after.get(key) }).toEqual({ key, value: before.get(key) });
    expect(readdirSync(configDir).sort()).toEqual([
      'user_osa_variables_defaults.yml',
      'user_osa_variables_overrides.yml',
      'user_rpco_variables_defaults.yml',
      'user_rpco_variables_overrides.yml',
      'user_secrets.yml',
    ]);
    expect(result.conflicts.map((c) => c.key).sort()).toEqual(
      [
        ...Array.from({ length: 10 }, (_, i) => `osa_conflict_${i}`),
        ...Array.from({ length: 3 }, (_, i) => `rpco_conflict_${i}`),
      ].sort(),
    );
    expect(result.pinned.sort()).toEqual(['both_files', 'rpco_shadowing_key']);
    expect(result.dropped).toHaveLength(20);
    // A second run (resume) changes nothing.
    const again = await migrateRpcVariables({ configDir, rpcDefaultsDir, backupDir });
    expect(again.alreadyMigrated).toBe(true);
    expect(effective(configDir)).toEqual(after);
  });

  it('removes the variables that name the source release, and reports it as the one intended change', async () => {
    const { configDir, rpcDefaultsDir, backupDir, keys } = richFixture();
    writeFileSync(
      join(configDir, 'user_extras_variables.yml'),
      `${readFileSync(join(configDir, 'user_extras_variables.yml'), 'utf8')}rpc_release: "r11.1.18"\n`,
    );
    const before = effective(configDir);
    const result = await migrateRpcVariables({ configDir, rpcDefaultsDir, backupDir });
    const after = effective(configDir);
    // Carried over, the Kilo tag would name the venvs and apt lines of the Newton re-deploy.
    expect(after.has('rpc_release')).toBe(false);
    expect(result.releaseKeysRemoved).toEqual([
      { key: 'rpc_release', file: join(configDir, 'user_extras_variables.yml') },
    ]);
    expect(result.pinned).not.toContain('rpc_release');
    for (const key of keys) expect({ key, value: after.get(key) }).toEqual({ key, value: before.get(key) });
    expect(readFileSync(join(backupDir, 'user_extras_variables.yml.before-rpc-migration'), 'utf8')).toContain(
      'rpc_release: "r11.1.18"',
    );
  });
});
