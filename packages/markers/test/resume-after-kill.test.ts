import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '@leap/test-fixtures';
import { MarkerStore, readJournal, readPlanHeader, readPlanState } from '../src/index.js';
import { killHard, startChild } from './child.js';

const STEP_IDS = ['preflight/check', 'kilo/backup', 'newton/hosts-setup', 'newton/migrate/nova', 'newton/redeploy'];

function lab(): { markerDir: string; workDir: string; log: () => string[] } {
  const workDir = tempDir('leap-resume-');
  const markerDir = join(workDir, 'upgrade-leap');
  writeFileSync(join(workDir, 'openstack-release'), 'DISTRIB_ID="OSA"\nDISTRIB_RELEASE="11.2.17"\n');
  writeFileSync(join(workDir, 'runs.log'), '');
  return { markerDir, workDir, log: () => readFileSync(join(workDir, 'runs.log'), 'utf8').trim().split('\n') };
}

describe('a plan SIGKILLed during step k', () => {
  it('resumes at step k: earlier steps are skipped, nothing before k runs again, the recorded source release is kept', async () => {
    const { markerDir, workDir, log } = lab();
    const first = startChild('run-plan.mjs', [markerDir, workDir], { HANG_AT: 'newton/migrate/nova' });
    await first.waitForLine(/^hanging newton\/migrate\/nova$/);
    await killHard(first);

    // The killed step has no marker; the ones before it do.
    const store = new MarkerStore(markerDir);
    expect(existsSync(store.fileOf('newton/migrate/nova'))).toBe(false);
    const state = await readPlanState(
      STEP_IDS.map((id) => ({ id, title: id })),
      { store },
    );
    expect(state.steps.map((s) => s.status)).toEqual(['done', 'done', 'done', 'interrupted', 'pending']);
    expect(state.next).toBe('newton/migrate/nova');
    // The release file now names the target, as openstack-hosts-setup.yml leaves it.
    expect(readFileSync(join(workDir, 'openstack-release'), 'utf8')).toContain('r14.1.0');

    // The dead run's lock is reported, not taken.
    const refused = startChild('run-plan.mjs', [markerDir, workDir]);
    expect((await refused.exited).stdout).toMatch(new RegExp(`^error LEAP_LOCK_STALE .*pid ${first.pid}\\b`, 'm'));

    const second = startChild('run-plan.mjs', [markerDir, workDir], { FORCE_UNLOCK: '1' });
    const done = await second.exited;
    expect(done.stdout).toMatch(/^done /m);
    const report = JSON.parse(
      done.stdout
        .split('\n')
        .find((l) => l.startsWith('done '))!
        .slice(5),
    ) as {
      source: string;
      resumed: boolean;
      steps: Array<{ id: string; outcome: string }>;
    };
    expect(report.resumed).toBe(true);
    expect(report.source).toBe('kilo');
    expect(report.steps.map((s) => `${s.id}:${s.outcome}`)).toEqual([
      'preflight/check:skipped',
      'kilo/backup:skipped',
      'newton/hosts-setup:skipped',
      'newton/migrate/nova:ran',
      'newton/redeploy:ran',
    ]);
    // Source detected once, on the first run; every step ran exactly once except the interrupted one.
    expect(log()).toEqual([
      'detect kilo',
      'run preflight/check source=kilo',
      'run kilo/backup source=kilo',
      'run newton/hosts-setup source=kilo',
      'run newton/migrate/nova source=kilo',
      'run newton/migrate/nova source=kilo',
      'run newton/redeploy source=kilo',
    ]);
    expect((await readPlanHeader(markerDir))?.source).toBe('kilo');
    const journal = await readJournal(join(markerDir, 'leap-journal.jsonl'));
    expect(journal.entries.filter((e) => e.event === 'lock-taken-over')).toHaveLength(1);
    expect(journal.entries.at(-1)).toMatchObject({ event: 'run-finished', outcome: 'completed' });
  });
});
