import { readdirSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { killMidWrite, tempDir } from '@leap/test-fixtures';
import { describe, expect, it } from 'vitest';
import { MarkerStore } from '../src/index.js';

const storeModule = pathToFileURL(new URL('../dist/marker-store.js', import.meta.url).pathname).href;

function record(result: string) {
  const now = new Date().toISOString();
  return {
    format: 'leap-marker/1' as const,
    step: 'kilo/backup',
    title: 'backup',
    startedAt: now,
    finishedAt: now,
    durationMs: 1,
    toolVersion: 'test',
    inputsDigest: null,
    result,
    runId: 'r',
    host: 'h',
    user: 'u',
  };
}

describe('a marker write killed mid-write', () => {
  it('leaves no temp file once the same marker is written again', async () => {
    const dir = tempDir();
    const script = `
      import { MarkerStore } from '${storeModule}';
      const store = new MarkerStore(process.argv[1]);
      const big = 'x'.repeat(4 * 1024 * 1024);
      for (let i = 0; ; i += 1) await store.write(${JSON.stringify(record('')).replace('"result":""', '"result":big + i')});
    `;
    const left = await killMidWrite({ dir, script });
    expect(left[0]).toMatch(/^\.leap-tmp-kilo\+backup\.complete\.\d+\./);
    await new MarkerStore(dir).write(record('done'));
    expect(readdirSync(dir)).toEqual(['kilo+backup.complete']);
  });
});
