import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { removeLeapfrogOverrides, writeLeapfrogOverrides } from '../src/index.js';

describe('temp files a killed write left behind', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('are removed by the next write of that file and by its removal; other files are left alone', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'leap-stale-'));
    dirs.push(dir);
    const stale = join(dir, '.leap-tmp-user_leapfrog_overrides.yml.999999.0badc0de');
    const other = join(dir, '.leap-tmp-user_variables.yml.999999.0badc0de');
    writeFileSync(stale, 'half');
    writeFileSync(other, 'half');
    await writeLeapfrogOverrides(dir);
    expect(existsSync(stale)).toBe(false);
    writeFileSync(stale, 'half');
    await removeLeapfrogOverrides(dir);
    expect(readdirSync(dir)).toEqual(['.leap-tmp-user_variables.yml.999999.0badc0de']);
  });
});
