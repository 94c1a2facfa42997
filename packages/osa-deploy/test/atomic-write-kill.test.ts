import { readdirSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { killMidWrite, tempDir } from '@leap/test-fixtures';
import { describe, expect, it } from 'vitest';
import { writeLeapfrogOverrides } from '../src/index.js';

const dist = pathToFileURL(new URL('../dist/index.js', import.meta.url).pathname).href;

describe('an osa-deploy write killed mid-write', () => {
  it('leaves no temp file once the same file is written again', async () => {
    const dir = tempDir();
    const script = `
      import { writeLeapfrogOverrides } from '${dist}';
      for (;;) await writeLeapfrogOverrides(process.argv[1]);
    `;
    const left = await killMidWrite({ dir, script, attempts: 50 });
    expect(left[0]).toMatch(/^\.leap-tmp-user_leapfrog_overrides\.yml\.\d+\./);
    await writeLeapfrogOverrides(dir);
    expect(readdirSync(dir)).toEqual(['user_leapfrog_overrides.yml']);
  });
});
