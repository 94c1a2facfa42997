import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '@leap/test-fixtures';
import { describe, expect, it } from 'vitest';
import { MarkerStore, readPlanState } from '@leap/markers';
import { collectReport } from '../src/report/collect.js';

const line = (fields: Record<string, unknown>) =>
  JSON.stringify({ level: 'info', time: '2026-12-03T00:00:00Z', event: 'step-log', ...fields });

describe('leap report: schema versions', () => {
  it('keeps a migration done by a run killed later in the same release, which the resumed run found current', async () => {
    const dir = tempDir();
    const keystone = { release: 'liberty', id: 'liberty/migrate/keystone' };
    writeFileSync(
      join(dir, 'leap-journal.jsonl'),
      [
        // The killed run journaled keystone as it finished, then died inside glance.
        line({
          kind: 'migration',
          report: { ...keystone, status: 'migrated', before: { version: 67 }, after: { version: 75 } },
        }),
        // The resumed run found keystone at Liberty already and migrated glance.
        line({ kind: 'migration', report: { ...keystone, status: 'skipped', before: { version: 75 } } }),
        line({
          kind: 'migration',
          report: {
            release: 'liberty',
            id: 'liberty/migrate/glance',
            status: 'migrated',
            before: { version: 39 },
            after: { version: 42 },
          },
        }),
        line({
          kind: 'migrations',
          release: 'liberty',
          reports: [
            { ...keystone, status: 'skipped', before: { version: 75 } },
            {
              release: 'liberty',
              id: 'liberty/migrate/glance',
              status: 'migrated',
              before: { version: 39 },
              after: { version: 42 },
            },
          ],
        }),
        '',
      ].join('\n'),
    );
    const report = collectReport(await readPlanState([], { store: new MarkerStore(dir) }));
    expect(report.schemaVersions).toEqual([
      {
        release: 'liberty',
        step: 'liberty/migrate/keystone',
        status: 'migrated',
        before: { version: 67 },
        after: { version: 75 },
      },
      {
        release: 'liberty',
        step: 'liberty/migrate/glance',
        status: 'migrated',
        before: { version: 39 },
        after: { version: 42 },
      },
    ]);
  });

  it('reports as migrated a service whose commands a killed run started and the resumed run found current', async () => {
    const dir = tempDir();
    const keystone = { release: 'newton', id: 'newton/migrate/keystone' };
    writeFileSync(
      join(dir, 'leap-journal.jsonl'),
      [
        // The killed run started keystone's commands; they finished, and the run died before journaling the result.
        line({ kind: 'migration-started', start: { ...keystone, before: { version: 97 } } }),
        // The resumed run found keystone at Newton already.
        line({ kind: 'migration', report: { ...keystone, status: 'skipped', before: { version: 109 } } }),
        line({
          kind: 'migrations',
          release: 'newton',
          reports: [{ ...keystone, status: 'skipped', before: { version: 109 } }],
        }),
        '',
      ].join('\n'),
    );
    const report = collectReport(await readPlanState([], { store: new MarkerStore(dir) }));
    expect(report.schemaVersions).toEqual([
      {
        release: 'newton',
        step: 'newton/migrate/keystone',
        status: 'migrated',
        before: { version: 97 },
        after: { version: 109 },
      },
    ]);
  });
});
