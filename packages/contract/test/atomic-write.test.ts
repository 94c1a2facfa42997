import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { killMidWrite, tempDir } from '@leap/test-fixtures';
import { describe, expect, it } from 'vitest';
import { copyFileAtomic, removeStaleTemps, writeFileAtomic } from '../src/index.js';

const dist = pathToFileURL(new URL('../dist/index.js', import.meta.url).pathname).href;

/** A child that rewrites `state.json` forever, 8 MB at a time, so a kill lands inside a write. */
const WRITE_FOREVER = `
import { writeFileAtomic } from '${dist}';
const big = 'x'.repeat(8 * 1024 * 1024);
for (let i = 0; ; i += 1) await writeFileAtomic(process.argv[1] + '/state.json', JSON.stringify({ i, big }));
`;

describe('writeFileAtomic', () => {
  it('leaves no temp file of a SIGKILLed write after the next write of the same file', async () => {
    const dir = tempDir();
    const left = await killMidWrite({ dir, script: WRITE_FOREVER });
    expect(left[0]).toMatch(/^\.leap-tmp-state\.json\.\d+\.[0-9a-f]{8}$/);
    await writeFileAtomic(join(dir, 'state.json'), '{"i":-1}');
    expect(readdirSync(dir)).toEqual(['state.json']);
    expect(readFileSync(join(dir, 'state.json'), 'utf8')).toBe('{"i":-1}');
  });

  it('keeps the mode of the file it replaces, and sets the mode asked for', async () => {
    const dir = tempDir();
    const file = join(dir, 'user_secrets.yml');
    writeFileSync(file, 'a: 1\n', { mode: 0o600 });
    await writeFileAtomic(file, 'a: 2\n');
    expect(statSync(file).mode & 0o7777).toBe(0o600);
    await writeFileAtomic(join(dir, 'new.yml'), 'b: 1\n', { mode: 0o640 });
    expect(statSync(join(dir, 'new.yml')).mode & 0o7777).toBe(0o640);
    await writeFileAtomic(join(dir, 'plain.yml'), 'c: 1\n');
    expect(statSync(join(dir, 'plain.yml')).mode & 0o7777).toBe(0o644);
  });

  it('leaves the temp file of a live writer and the temps of other files alone', async () => {
    const dir = tempDir();
    const live = `.leap-tmp-state.json.${process.pid}.0badc0de`;
    const otherFile = '.leap-tmp-other.json.999999999.0badc0de';
    const dead = '.leap-tmp-state.json.999999999.0badc0de';
    for (const name of [live, otherFile, dead]) writeFileSync(join(dir, name), 'half');
    expect(await removeStaleTemps(join(dir, 'state.json'))).toEqual([dead]);
    expect(readdirSync(dir).sort()).toEqual([live, otherFile].sort());
  });

  it('removes its temp file when the rename fails (the target is a folder)', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'state.json', 'inside'), { recursive: true });
    await expect(writeFileAtomic(join(dir, 'state.json'), 'new')).rejects.toThrow();
    expect(readdirSync(dir)).toEqual(['state.json']);
  });
});

describe('copyFileAtomic', () => {
  it('copies the whole file, and removes the temp of a killed copy at the next copy to the same target', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'source'), 'data');
    writeFileSync(join(dir, '.leap-tmp-backup.999999999.0badc0de'), 'da');
    await copyFileAtomic(join(dir, 'source'), join(dir, 'backup'));
    expect(readFileSync(join(dir, 'backup'), 'utf8')).toBe('data');
    expect(readdirSync(dir).sort()).toEqual(['backup', 'source']);
  });

  it('leaves no target when the source is missing', async () => {
    const dir = tempDir();
    await expect(copyFileAtomic(join(dir, 'missing'), join(dir, 'backup'))).rejects.toThrow(/ENOENT/);
    expect(existsSync(join(dir, 'backup'))).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  });
});
