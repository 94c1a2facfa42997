import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '@leap/test-fixtures';
import { LeapError } from '@leap/contract';
import {
  type MarkersError,
  MarkerStore,
  openJournal,
  readJournal,
  readPlanHeader,
  readPlanState,
  runPlan,
  type Plan,
  type RunEvent,
  type RunPlanOptions,
  type Step,
} from '../src/index.js';

/** A folder with a marker store and journal, and a log of what the steps really did. */
function setup() {
  const dir = join(tempDir('leap-runner-'), 'upgrade-leap');
  const store = new MarkerStore(dir);
  const did: string[] = [];
  const events: RunEvent[] = [];
  const options = (extra: Partial<RunPlanOptions> = {}): RunPlanOptions => {
    const journal = openJournal(dir);
    return { store, journal, onEvent: (e) => events.push(e), command: 'leap run (test)', ...extra };
  };
  const step = (id: string, extra: Partial<Step> = {}): Step => ({
    id,
    title: `Title ${id}`,
    run: () => {
      did.push(id);
      return `ok ${id}`;
    },
    ...extra,
  });
  const plan = (steps: Step[], source = 'kilo'): Plan => ({ target: 'r14.1.0', detectSource: () => source, steps });
  const journal = async () => (await readJournal(join(dir, 'leap-journal.jsonl'))).entries;
  return { dir, store, did, events, options, step, plan, journal };
}

async function rejection(promise: Promise<unknown>): Promise<MarkersError> {
  try {
    await promise;
  } catch (error) {
    return error as MarkersError;
  }
  throw new Error('expected runPlan to fail');
}

describe('runPlan', () => {
  it('runs the steps in order and writes each marker with its record after the step succeeded', async () => {
    const t = setup();
    const seenMarker: boolean[] = [];
    const steps = [
      t.step('preflight'),
      t.step('kilo/backup', {
        inputs: { databases: ['nova', 'glance'] },
        run: () => {
          seenMarker.push(existsSync(t.store.fileOf('kilo/backup')));
          t.did.push('kilo/backup');
        },
      }),
      t.step('newton/migrate/nova'),
    ];
    const report = await runPlan(t.plan(steps), t.options());
    expect(t.did).toEqual(['preflight', 'kilo/backup', 'newton/migrate/nova']);
    expect(seenMarker).toEqual([false]);
    expect(report).toMatchObject({ dryRun: false, source: 'kilo', target: 'r14.1.0', resumed: false });
    expect(report.steps.map((s) => s.outcome)).toEqual(['ran', 'ran', 'ran']);
    const marker = await t.store.read({ id: 'kilo/backup' });
    expect(marker).toMatchObject({
      status: 'complete',
      kind: 'leap',
      record: { step: 'kilo/backup', title: 'Title kilo/backup', result: null },
    });
    if (marker.status === 'complete' && marker.kind === 'leap') {
      expect(marker.record.inputsDigest).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect(marker.record.runId).toBe(report.runId);
      expect(Date.parse(marker.record.finishedAt)).toBeGreaterThanOrEqual(Date.parse(marker.record.startedAt));
    }
    expect(await t.store.read({ id: 'newton/migrate/nova' })).toMatchObject({
      record: { result: 'ok newton/migrate/nova' },
    });
    expect(t.events.map((e) => e.type)).toEqual([
      'run-started',
      'step-started',
      'step-completed',
      'step-started',
      'step-completed',
      'step-started',
      'step-completed',
      'run-finished',
    ]);
    const journal = await t.journal();
    expect(journal.map((e) => `${e.event}${e.step === undefined ? '' : ` ${e.step}`}`)).toEqual([
      'run-started',
      'step-started preflight',
      'step-completed preflight',
      'step-started kilo/backup',
      'step-completed kilo/backup',
      'step-started newton/migrate/nova',
      'step-completed newton/migrate/nova',
      'run-finished',
    ]);
    expect(journal.every((e) => e.runId === report.runId)).toBe(true);
    expect(journal.filter((e) => e.event === 'step-completed').every((e) => typeof e.durationMs === 'number')).toBe(
      true,
    );
    // The lock is released when the run ends.
    expect(existsSync(join(t.dir, 'leap.lock'))).toBe(false);
  });

  it('uses the run id given by the caller, so prompts journaled before the run share it', async () => {
    const t = setup();
    const options = t.options({ runId: 'run-42' });
    options.journal?.record('prompt-answered', 'confirmation 1 answered', {
      runId: 'run-42',
      prompt: 'intent',
      answer: 'YES',
    });
    const report = await runPlan(t.plan([t.step('a')]), options);
    expect(report.runId).toBe('run-42');
    expect((await t.journal()).map((e) => `${e.event}:${e.runId}`)).toEqual([
      'prompt-answered:run-42',
      'run-started:run-42',
      'step-started:run-42',
      'step-completed:run-42',
      'run-finished:run-42',
    ]);
  });

  it('skips completed steps on a second run and runs nothing again', async () => {
    const t = setup();
    const steps = [t.step('a'), t.step('b')];
    await runPlan(t.plan(steps), t.options());
    t.events.length = 0;
    const report = await runPlan(t.plan(steps), t.options());
    expect(t.did).toEqual(['a', 'b']);
    expect(report.resumed).toBe(true);
    expect(report.steps.map((s) => `${s.id}:${s.outcome}:${s.skipReason}`)).toEqual([
      'a:skipped:complete',
      'b:skipped:complete',
    ]);
    expect(t.events.filter((e) => e.type === 'step-skipped')).toHaveLength(2);
  });

  it('on failure journals the error, writes no marker and throws the failed step with the remaining steps; a re-run resumes there', async () => {
    const t = setup();
    let broken = true;
    const cause = new LeapError('LEAP_DB_DOWN', 'galera is not synced', { hint: 'start galera' });
    const steps = [
      t.step('a'),
      t.step('b', {
        run: () => {
          t.did.push('b');
          if (broken) throw cause;
        },
      }),
      t.step('c'),
      t.step('d'),
    ];
    const error = await rejection(runPlan(t.plan(steps), t.options()));
    expect(error.code).toBe('LEAP_STEP_FAILED');
    expect(error.step).toBe('b');
    expect(error.remaining).toEqual(['b', 'c', 'd']);
    expect(error.cause).toBe(cause);
    expect(error.message).toBe('step "b" (Title b) failed: galera is not synced');
    expect(error.hint).toBe('start galera; then run leap again: it resumes at "b". Remaining steps: b, c, d');
    expect(existsSync(t.store.fileOf('b'))).toBe(false);
    expect(t.events.find((e) => e.type === 'step-failed')).toMatchObject({ step: 'b', title: 'Title b' });
    expect(t.events.at(-1)).toMatchObject({ type: 'run-finished', outcome: 'failed', remaining: ['b', 'c', 'd'] });

    const state = await readPlanState(steps, { store: t.store });
    expect(state.steps.map((s) => s.status)).toEqual(['done', 'failed', 'pending', 'pending']);
    expect(state.steps[1]?.lastError).toMatchObject({
      code: 'LEAP_DB_DOWN',
      message: 'galera is not synced',
      hint: 'start galera',
    });
    expect(state.next).toBe('b');

    broken = false;
    await runPlan(t.plan(steps), t.options());
    expect(t.did).toEqual(['a', 'b', 'b', 'c', 'd']);
    expect((await readPlanState(steps, { store: t.store })).steps.map((s) => s.status)).toEqual([
      'done',
      'done',
      'done',
      'done',
    ]);
  });

  it('passes the abort signal to the running step, records it as interrupted and writes no marker for it', async () => {
    const t = setup();
    const controller = new AbortController();
    const steps = [
      t.step('a'),
      t.step('b', {
        run: (ctx) =>
          new Promise<void>((_resolve, reject) => {
            t.did.push('b');
            ctx.signal.addEventListener('abort', () => reject(new Error('playbook stopped')), { once: true });
            controller.abort();
          }),
      }),
      t.step('c'),
    ];
    const error = await rejection(runPlan(t.plan(steps), t.options({ signal: controller.signal })));
    expect(error.code).toBe('LEAP_RUN_INTERRUPTED');
    expect(error.step).toBe('b');
    expect(error.remaining).toEqual(['b', 'c']);
    expect(error.message).toContain('no marker was written');
    expect(error.interruptedDuring).toBe(true);
    expect(t.did).toEqual(['a', 'b']);
    expect(existsSync(t.store.fileOf('b'))).toBe(false);
    expect(t.events.find((e) => e.type === 'step-interrupted')).toMatchObject({ step: 'b' });
    const journal = await t.journal();
    expect(journal.find((e) => e.event === 'step-interrupted')).toMatchObject({ step: 'b', level: 'warn' });
    expect(journal.at(-1)).toMatchObject({ event: 'run-finished', outcome: 'interrupted' });
    expect((await readPlanState(steps, { store: t.store })).steps.map((s) => s.status)).toEqual([
      'done',
      'interrupted',
      'pending',
    ]);
    expect(existsSync(join(t.dir, 'leap.lock'))).toBe(false);
  });

  it('runs nothing when the signal is already aborted', async () => {
    const t = setup();
    const error = await rejection(runPlan(t.plan([t.step('a')]), t.options({ signal: AbortSignal.abort() })));
    expect(error.code).toBe('LEAP_RUN_INTERRUPTED');
    expect(error.message).toContain('before step "a"');
    expect(error.interruptedDuring).toBe(false);
    expect(t.did).toEqual([]);
  });

  it('dryRun reports what would run and what would be skipped, and touches nothing', async () => {
    const t = setup();
    const steps = [t.step('a', { legacyMarkers: ['osa-leap'] }), t.step('b'), t.step('c')];
    await runPlan(t.plan([steps[1] as Step]), t.options());
    writeFileSync(join(t.dir, 'osa-leap.complete'), '');
    const before = readdirSync(t.dir)
      .map((n) => `${n}:${readFileSync(join(t.dir, n)).length}`)
      .sort();
    t.did.length = 0;
    const report = await runPlan(t.plan(steps, 'newton'), { store: t.store, dryRun: true });
    expect(report.dryRun).toBe(true);
    expect(report.source).toBe('kilo');
    // "a" lands before the completed "b", but its legacy marker says it is complete too: nothing unsafe.
    expect(report.planChange).toEqual({ added: ['a', 'c'], removed: [], unsafe: [] });
    expect(report.steps.map((s) => `${s.id}:${s.outcome}`)).toEqual(['a:would-skip', 'b:would-skip', 'c:would-run']);
    expect(report.steps[0]?.skipReason).toBe('legacy');
    expect(t.did).toEqual([]);
    expect(
      readdirSync(t.dir)
        .map((n) => `${n}:${readFileSync(join(t.dir, n)).length}`)
        .sort(),
    ).toEqual(before);
  });

  it('dryRun on a fresh host creates no folder at all', async () => {
    const t = setup();
    const report = await runPlan(t.plan([t.step('a')]), { store: t.store, dryRun: true });
    expect(report.steps).toEqual([{ id: 'a', title: 'Title a', outcome: 'would-run' }]);
    expect(existsSync(t.dir)).toBe(false);
  });

  it('honours legacy empty markers and declared upstream marker names', async () => {
    const t = setup();
    await t.store.ensureDir();
    writeFileSync(join(t.dir, 'rpc-preflight-check.complete'), '');
    writeFileSync(join(t.dir, 'osa-leap.complete'), '');
    const steps = [
      t.step('rpc-preflight-check'),
      t.step('leap/osa-pipeline', { legacyMarkers: ['osa-leap'] }),
      t.step('newton/redeploy'),
    ];
    const report = await runPlan(t.plan(steps), t.options());
    expect(t.did).toEqual(['newton/redeploy']);
    expect(report.steps.map((s) => `${s.id}:${s.outcome}:${s.skipReason ?? ''}`)).toEqual([
      'rpc-preflight-check:skipped:legacy',
      'leap/osa-pipeline:skipped:legacy',
      'newton/redeploy:ran:',
    ]);
    expect(t.events.find((e) => e.type === 'step-skipped' && e.step === 'leap/osa-pipeline')).toMatchObject({
      reason: 'legacy',
      markerFile: join(t.dir, 'osa-leap.complete'),
    });
  });

  it('stops on a corrupt marker before running anything, naming the file and the fix', async () => {
    const t = setup();
    await t.store.ensureDir();
    writeFileSync(t.store.fileOf('b'), '{"format":"leap-marker/1","st');
    const error = await rejection(runPlan(t.plan([t.step('a'), t.step('b'), t.step('c')]), t.options()));
    expect(error.code).toBe('LEAP_MARKER_CORRUPT');
    expect(error.file).toBe(t.store.fileOf('b'));
    expect(error.message).toContain(t.store.fileOf('b'));
    expect(error.hint).toContain(`rm '${t.store.fileOf('b')}'`);
    expect(t.did).toEqual([]);
    expect((await t.journal()).at(-1)).toMatchObject({
      event: 'run-finished',
      outcome: 'failed',
      error: { code: 'LEAP_MARKER_CORRUPT' },
    });
    expect(existsSync(join(t.dir, 'leap.lock'))).toBe(false);
  });

  it('uses the source release recorded on the first run after resume, even when the release file now names the target', async () => {
    const t = setup();
    const releaseFile = join(tempDir(), 'openstack-release');
    writeFileSync(releaseFile, 'DISTRIB_RELEASE="11.2.17"\n');
    let detections = 0;
    const detectSource = () => {
      detections += 1;
      return readFileSync(releaseFile, 'utf8').includes('"11.') ? 'kilo' : 'newton';
    };
    const sources: string[] = [];
    let fail = true;
    const steps: Step[] = [
      t.step('newton/hosts-setup', { run: () => writeFileSync(releaseFile, 'DISTRIB_RELEASE="r14.1.0"\n') }),
      t.step('newton/rpc-vars', {
        run: (ctx) => {
          sources.push(ctx.source);
          if (fail) throw new Error('interrupted');
        },
      }),
    ];
    await rejection(runPlan({ target: 'r14.1.0', detectSource, steps }, t.options()));
    fail = false;
    const report = await runPlan({ target: 'r14.1.0', detectSource, steps }, t.options());
    expect(detections).toBe(1);
    expect(sources).toEqual(['kilo', 'kilo']);
    expect(report.source).toBe('kilo');
    expect(await readPlanHeader(t.dir)).toMatchObject({
      source: 'kilo',
      target: 'r14.1.0',
      steps: ['newton/hosts-setup', 'newton/rpc-vars'],
    });
    expect((await runPlan({ target: 'r14.1.0', detectSource, steps }, { store: t.store, dryRun: true })).source).toBe(
      'kilo',
    );
  });

  it('stops on an unreadable leap.json instead of re-detecting the source release', async () => {
    const t = setup();
    let detections = 0;
    await runPlan(
      {
        ...t.plan([t.step('a'), t.step('b')]),
        detectSource: () => {
          detections += 1;
          return 'kilo';
        },
      },
      t.options(),
    );
    writeFileSync(join(t.dir, 'leap.json'), '{"format":"leap-plan/1","sou');
    const error = await rejection(
      runPlan(
        {
          ...t.plan([t.step('a'), t.step('b'), t.step('c')]),
          detectSource: () => {
            detections += 1;
            return 'newton';
          },
        },
        t.options(),
      ),
    );
    expect(error.code).toBe('LEAP_PLAN_HEADER_CORRUPT');
    expect(error.file).toBe(join(t.dir, 'leap.json'));
    expect(error.hint).toContain('source release');
    expect(detections).toBe(1);
    expect(t.did).toEqual(['a', 'b']);
  });

  it('refuses a run whose target differs from the leap under way', async () => {
    const t = setup();
    await runPlan(t.plan([t.step('a')]), t.options());
    const error = await rejection(runPlan({ ...t.plan([t.step('a')]), target: 'r15.0.0' }, t.options()));
    expect(error.code).toBe('LEAP_PLAN_TARGET_CHANGED');
    expect(error.message).toContain('targets r14.1.0');
  });

  it('reports steps added or removed by a newer plan and runs added steps that come after the completed ones', async () => {
    const t = setup();
    await runPlan(t.plan([t.step('a'), t.step('old')]), t.options());
    const report = await runPlan(t.plan([t.step('a'), t.step('new')]), t.options());
    expect(report.planChange).toEqual({ added: ['new'], removed: ['old'], unsafe: [] });
    expect(t.did).toEqual(['a', 'old', 'new']);
    const header = await readPlanHeader(t.dir);
    expect(header?.steps).toEqual(['a', 'new']);
    expect(header?.revisions).toMatchObject([{ added: ['new'], removed: ['old'] }]);
    expect((await t.journal()).find((e) => e.event === 'plan-changed')).toMatchObject({
      added: ['new'],
      removed: ['old'],
    });
  });

  it('refuses a newer plan that adds steps before completed ones unless the change is accepted', async () => {
    const t = setup();
    await runPlan(t.plan([t.step('a'), t.step('c')]), t.options());
    const changed = t.plan([t.step('a'), t.step('b'), t.step('c'), t.step('d')]);
    const error = await rejection(runPlan(changed, t.options()));
    expect(error.code).toBe('LEAP_PLAN_CHANGED_UNSAFE');
    expect(error.message).toContain(': b');
    expect(error.hint).toContain('--accept-plan-change');
    expect(t.did).toEqual(['a', 'c']);
    expect((await readPlanHeader(t.dir))?.steps).toEqual(['a', 'c']);
    await runPlan(changed, t.options({ acceptPlanChange: true }));
    expect(t.did).toEqual(['a', 'c', 'b', 'd']);
  });

  it('re-verifies completed steps when asked, and stops when a postcondition no longer holds', async () => {
    const t = setup();
    let holds = true;
    const steps = [t.step('a', { verify: () => holds }), t.step('b')];
    await runPlan(t.plan([steps[0] as Step]), t.options());
    holds = false;
    const dry = await runPlan(t.plan(steps), { store: t.store, dryRun: true, verifyCompleted: true });
    expect(dry.steps[0]).toMatchObject({ id: 'a', outcome: 'would-skip', verified: false });
    const error = await rejection(runPlan(t.plan(steps), t.options({ verifyCompleted: true })));
    expect(error.code).toBe('LEAP_VERIFY_FAILED');
    expect(error.step).toBe('a');
    expect(error.hint).toContain(`rm '${t.store.fileOf('a')}'`);
    expect(t.did).toEqual(['a']);
    holds = true;
    const report = await runPlan(t.plan(steps), t.options({ verifyCompleted: true }));
    expect(report.steps[0]).toMatchObject({ outcome: 'skipped', verified: true });
    expect(t.events.filter((e) => e.type === 'step-verified').map((e) => e.type === 'step-verified' && e.ok)).toEqual([
      false,
      true,
    ]);
  });

  it('flags a completed step whose inputs changed, and still skips it', async () => {
    const t = setup();
    await runPlan(t.plan([t.step('a', { inputs: { hosts: ['infra1'] } })]), t.options());
    const report = await runPlan(t.plan([t.step('a', { inputs: { hosts: ['infra1', 'infra2'] } })]), t.options());
    expect(report.steps[0]).toMatchObject({ outcome: 'skipped', inputsChanged: true });
    const same = await runPlan(t.plan([t.step('a', { inputs: { hosts: ['infra1'] } })]), t.options());
    expect(same.steps[0]).toMatchObject({ inputsChanged: false });
    expect(t.did).toEqual(['a']);
  });

  it('refuses a second concurrent run in the same process, naming the owner', async () => {
    const t = setup();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let started!: () => void;
    const running = new Promise<void>((resolve) => {
      started = resolve;
    });
    const first = runPlan(
      t.plan([
        t.step('a', {
          run: async () => {
            started();
            await gate;
          },
        }),
      ]),
      t.options(),
    );
    await running;
    const error = await rejection(runPlan(t.plan([t.step('a')]), t.options()));
    expect(error.code).toBe('LEAP_LOCK_HELD');
    const state = await readPlanState([t.step('a')], { store: t.store });
    expect(state.steps[0]?.status).toBe('running');
    expect(state.lock).toMatchObject({
      state: 'held',
      alive: true,
      owner: { pid: process.pid, command: 'leap run (test)' },
    });
    expect(error.message).toContain(`pid ${process.pid}`);
    expect(error.message).toContain('leap run (test)');
    release();
    await first;
  });

  it('keeps running when an onEvent listener throws, and journals the listener error', async () => {
    const t = setup();
    await runPlan(
      t.plan([t.step('a')]),
      t.options({
        onEvent: () => {
          throw new Error('render failed');
        },
      }),
    );
    expect(t.did).toEqual(['a']);
    expect((await t.journal()).some((e) => e.level === 'warn' && e.msg.includes('onEvent listener threw'))).toBe(true);
  });

  it('gives the step a context to log (journaled, secrets scrubbed) and report progress', async () => {
    const t = setup();
    await runPlan(
      t.plan([
        t.step('a', {
          run: (ctx) => {
            ctx.addSecret('hunter2');
            ctx.log('connected with hunter2', { host: 'infra1_galera_container' });
            ctx.progress('3 of 4 tables', 0.75);
          },
        }),
      ]),
      t.options(),
    );
    expect(t.events.find((e) => e.type === 'step-progress')).toMatchObject({
      step: 'a',
      message: '3 of 4 tables',
      fraction: 0.75,
    });
    const log = (await t.journal()).find((e) => e.event === 'step-log');
    expect(log).toMatchObject({ step: 'a', msg: 'connected with [redacted]', host: 'infra1_galera_container' });
  });

  it('rejects a plan with duplicate or invalid step ids before touching anything', async () => {
    const t = setup();
    expect((await rejection(runPlan(t.plan([t.step('a'), t.step('a')]), t.options()))).code).toBe('LEAP_PLAN_INVALID');
    expect((await rejection(runPlan(t.plan([t.step('../x')]), t.options()))).code).toBe('LEAP_STEP_ID_INVALID');
    expect(readdirSync(t.dir)).toEqual(['leap-journal.jsonl']);
    expect(await t.journal()).toEqual([]);
  });
});
