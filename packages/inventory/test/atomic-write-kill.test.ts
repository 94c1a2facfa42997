import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { killMidWrite, tempDir } from '@leap/test-fixtures';
import { describe, expect, it } from 'vitest';
import { replaceFile } from '../src/index.js';

const dist = pathToFileURL(new URL('../dist/index.js', import.meta.url).pathname).href;

describe('an inventory write killed mid-write', () => {
  it('leaves no temp file once the same file is replaced again (crash-resume seed 8b3d4460)', async () => {
    const root = tempDir();
    const dir = join(root, 'openstack_deploy');
    mkdirSync(dir);
    const backupDir = join(root, 'backup');
    writeFileSync(join(dir, 'openstack_inventory.json'), '{"original":true}\n');
    const script = `
      import { replaceFile } from '${dist}';
      const file = process.argv[1] + '/openstack_inventory.json';
      const big = 'x'.repeat(8 * 1024 * 1024);
      for (let i = 0; ; i += 1) await replaceFile(file, JSON.stringify({ i, big }), { backupDir: ${JSON.stringify(backupDir)} });
    `;
    const left = await killMidWrite({ dir, script });
    expect(left[0]).toMatch(/^\.leap-tmp-openstack_inventory\.json\.\d+\./);
    await replaceFile(join(dir, 'openstack_inventory.json'), '{"i":-1}\n', { backupDir });
    expect(readdirSync(dir)).toEqual(['openstack_inventory.json']);
    expect(readFileSync(join(dir, 'openstack_inventory.json'), 'utf8')).toBe('{"i":-1}\n');
    expect(readFileSync(join(backupDir, 'openstack_inventory.json'), 'utf8')).toBe('{"original":true}\n');
    expect(readdirSync(backupDir)).toEqual(['openstack_inventory.json']);
  });
});
