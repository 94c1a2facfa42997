import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '@leap/test-fixtures';
import { MarkerStore, readPlanHeader, stepIdFromFileName } from '../src/index.js';
import { killHard, startChild } from './child.js';

const KILLS = 30;

describe('atomic marker and leap.json writes', () => {
  it(`never leave a torn marker or leap.json when the writer is SIGKILLed mid-write (${KILLS} kills)`, async () => {
    const dir = tempDir('leap-markers-kill-');
    let markersChecked = 0;
    let killsMidWrite = 0;
    for (let i = 0; i < KILLS; i += 1) {
      const child = startChild('write-markers-forever.mjs', [dir]);
      await child.waitForLine(/^ready$/);
      // Spread the kills over the write loop, so some land inside write, fsync or rename.
      await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 25)));
      await killHard(child);

      const temps = readdirSync(dir).filter((n) => n.startsWith('.leap-tmp-')).length;
      if (temps > killsMidWrite) killsMidWrite = temps;
      const names = readdirSync(dir).filter((n) => n.endsWith('.complete'));
      expect(names.length).toBeGreaterThan(0);
      const steps = names.map((n) => ({ id: stepIdFromFileName(n) as string }));
      // Throws LEAP_MARKER_CORRUPT on any torn file.
      const states = await new MarkerStore(dir).readMany(steps);
      for (const state of states.values()) {
        expect(state.status).toBe('complete');
        if (state.status === 'complete') expect(state.kind).toBe('leap');
        markersChecked += 1;
      }
      const header = await readPlanHeader(dir);
      expect(header?.source).toBe('kilo');
      expect(() => JSON.parse(readFileSync(join(dir, 'leap.json'), 'utf8')) as unknown).not.toThrow();
    }
    expect(markersChecked).toBeGreaterThanOrEqual(KILLS);
    // Temp files left behind prove that some kills landed between open and rename, not only between writes.
    expect(killsMidWrite, 'no kill landed inside a write; the test did not exercise torn writes').toBeGreaterThan(0);
  }, 180_000);
});
