import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  makeTempDir,
  scalars,
  startLeap,
  type LeapExit,
  type LeapProcess,
  digestTree,
  type TreeDigest,
} from '@leap/test-fixtures';
import {
  describeOutcome,
  interruptAt,
  resumeToEnd,
  type InterruptionOutcome,
  type ResumeState,
} from './support/crash-loop.js';
import { collectFinalState, compareFinalStates } from './support/final-state.js';
import { describeInterruption, planInterruptions } from './support/interruptions.js';
import { journalSince } from './support/journal.js';
import { createLab, databaseCount, destroyLab, markerDirOf, planStepIds, runArgs, type Lab } from './support/lab.js';
import { tornMarkers } from './support/markers.js';
import { originalsWithoutBackup } from './support/originals.js';
import { createRng } from './support/rng.js';
import { findSecrets, leapOutputsOf, mergeSecrets, secretValuesOf, type SecretValues } from './support/secrets.js';
import { interruptCount, killCount, seed, withSeed } from './support/settings.js';
import { kindOf } from './support/step-kinds.js';

describe(`crash and resume: a lab leap SIGKILLed ${killCount} times and Ctrl-Ced ${interruptCount} times ends as an uninterrupted one (seed ${seed})`, () => {
  let base: string;
  let crash: Lab;
  let reference: Lab;
  let referenceRun: LeapProcess;
  let referenceExit: Promise<LeapExit>;
  let pristine: TreeDigest;
  let pristineSecrets: SecretValues;
  let secretsBefore: Map<string, string>;
  const outcomes: InterruptionOutcome[] = [];
  const outputs: Array<{ name: string; text: string }> = [];
  let finalRefusals: LeapExit[] = [];
  let completed = false;
  const requireCompleted = () => {
    if (!completed) throw new Error(withSeed('the interrupted leap did not complete (see the first test)'));
  };

  beforeAll(async () => {
    console.log(withSeed('crash and resume'));
    base = makeTempDir('leap-reliability-crash-');
    [crash, reference] = await Promise.all([createLab(join(base, 'crash')), createLab(join(base, 'reference'))]);
    pristine = digestTree(crash.paths.deployDir, ['.']);
    pristineSecrets = secretValuesOf(crash.paths.deployDir);
    secretsBefore = secretScalars(crash);
    // The uninterrupted leap runs alongside the interrupted one: the suite waits for the slower of the two.
    referenceRun = startLeap(runArgs(reference));
    referenceExit = referenceRun.exited;
  });

  afterAll(async () => {
    referenceRun?.signalGroup('SIGKILL');
    await Promise.all([destroyLab(crash), destroyLab(reference)]);
    if (base) rmSync(base, { recursive: true, force: true });
  });

  it("resumes after every interruption, the operator's way, and completes the leap", async () => {
    const interruptions = planInterruptions(
      await planStepIds(crash),
      createRng(seed),
      killCount,
      interruptCount,
      await databaseCount(crash),
    );
    console.log(`interruptions (seed ${seed}):\n  ${interruptions.map(describeInterruption).join('\n  ')}`);
    const state: ResumeState = { lockLeftBy: undefined };
    for (const target of interruptions) {
      const outcome = await interruptAt(crash, target, state);
      outcomes.push(outcome);
      outputs.push({
        name: `output of the run interrupted by ${describeInterruption(target)}`,
        text: outcome.exit.all,
      });
      for (const refusal of outcome.staleRefusals) outputs.push({ name: 'a refused run', text: refusal.all });
    }
    const end = await resumeToEnd(crash, state);
    finalRefusals = end.staleRefusals;
    outputs.push({ name: 'output of the final run', text: end.exit.all });
    console.log(`where each interruption landed:\n  ${outcomes.map(describeOutcome).join('\n  ')}`);
    expect(end.exit.exitCode, withSeed(end.exit.all)).toBe(0);
    expect(end.exit.stdout, withSeed(end.exit.all)).toMatch(
      /leap: kilo -> r14\.1\.0 complete|every step was already done/,
    );
    completed = true;
  });

  it("refuses the run after each kill with the dead owner's details, and takes the lock over only with --force-unlock", () => {
    requireCompleted();
    expect(outcomes.some((o) => o.staleRefusals.length > 0) || killCount === 0).toBe(true);
    outcomes.forEach((outcome, i) => {
      const previous = outcomes[i - 1];
      const refusals = outcome.staleRefusals;
      // A kill that lands inside a step leaves the lock; one that lands after leap released it (the end) may not.
      if (outcome.planned.signal === 'SIGKILL' && outcome.exit.signal === 'SIGKILL' && outcome.stopped.during) {
        expect(outcome.lockLeft, withSeed(`lock after ${describeInterruption(outcome.planned)}`)).toBe(true);
      }
      if (outcome.planned.signal === 'SIGINT') expect(outcome.lockLeft, withSeed('lock after Ctrl-C')).toBe(false);
      if (previous?.lockLeft) {
        expect(refusals.length, withSeed(`run after ${describeInterruption(previous.planned)}`)).toBe(1);
        const text = refusals[0]!.all;
        expect(text, withSeed(text)).toContain('LEAP_LOCK_STALE');
        expect(text, withSeed(text)).toContain(`pid ${previous.pid} on `);
        expect(text, withSeed(text)).toContain('--force-unlock');
        expect(refusals[0]!.exitCode).toBe(3);
      } else {
        expect(refusals, withSeed(`run after ${previous ? describeInterruption(previous.planned) : 'none'}`)).toEqual(
          [],
        );
      }
    });
    expect(finalRefusals.length, withSeed('the final run')).toBe(outcomes.at(-1)?.lockLeft ? 1 : 0);
  });

  it('covers every kind of step with a kill, and every kill left no torn marker and no torn journal line', () => {
    requireCompleted();
    const kills = outcomes.filter((o) => o.planned.signal === 'SIGKILL');
    expect(kills.length).toBe(killCount);
    const kindOfKill = (o: InterruptionOutcome, step: string): string =>
      o.planned.at === 'completed' ? 'marker' : kindOf(step);
    const planned = new Set(kills.map((o) => kindOfKill(o, o.planned.step)));
    for (const kind of [
      'git',
      'config',
      'inventory',
      'housekeeping',
      'backup',
      'migration',
      'playbook',
      'api',
      'marker',
    ].slice(0, killCount)) {
      expect(planned.has(kind), withSeed(`no kill aimed at a ${kind} step`)).toBe(true);
    }
    // A kill lands a little after it is sent, so one aimed at a quick step may fire in the next; long steps are hit.
    const fired = new Set(kills.map((o) => kindOfKill(o, o.reached ?? o.planned.step)));
    console.log(`kills fired in: ${[...fired].sort().join(', ')}`);
    for (const kind of ['git', 'backup', 'migration', 'playbook', 'marker'].filter((k) => planned.has(k))) {
      expect(fired.has(kind), withSeed(`no kill fired in a ${kind} step`)).toBe(true);
    }
    const landed = new Set(kills.filter((o) => o.stopped.during).map((o) => kindOf(o.stopped.during!)));
    console.log(`kills landed inside: ${[...landed].sort().join(', ')}`);
    for (const kind of ['git', 'backup', 'migration', 'playbook'] as const) {
      if (kills.some((o) => o.planned.kind === kind && o.planned.at === 'during')) {
        expect(landed.has(kind), withSeed(`no kill landed inside a ${kind} step`)).toBe(true);
      }
    }
    for (const outcome of outcomes)
      expect(outcome.tornMarkers, withSeed(describeInterruption(outcome.planned))).toEqual([]);
    expect(tornMarkers(markerDirOf(crash))).toEqual([]);
    expect(journalSince(markerDirOf(crash)).torn).toEqual([]);
  });

  it('stops cleanly on Ctrl-C: exit 130, the step recorded as interrupted, no ansible or dump process left, the lock released', () => {
    requireCompleted();
    const interrupts = outcomes.filter((o) => o.planned.signal === 'SIGINT');
    expect(interrupts.length).toBe(interruptCount);
    for (const outcome of interrupts) {
      const what = withSeed(`${describeInterruption(outcome.planned)}:\n${outcome.exit.all.slice(-3000)}`);
      expect(outcome.exit.exitCode, what).toBe(130);
      expect(outcome.exit.stderr, what).toMatch(/resume with: leap --config \S+ run/);
      expect(outcome.leftAtExit, what).toEqual([]);
      const interrupted = outcome.entries.filter((e) => e.event === 'step-interrupted').map((e) => e.step);
      // A signal meant for a short step may arrive after it finished: then no step had started, none is interrupted.
      const during = outcome.stopped.during;
      expect(interrupted, what).toEqual(during ? [during] : []);
      expect(outcome.exit.stderr, what).toMatch(
        during ? `interrupted during step ${during} ` : /interrupted before step /,
      );
      expect(
        outcome.entries.some((e) => e.event === 'run-finished' && e.outcome === 'interrupted'),
        what,
      ).toBe(true);
    }
  });

  it('ends in the same state as the uninterrupted leap: files, inventory, schema versions, rows, markers', async () => {
    requireCompleted();
    const exit = await referenceExit;
    expect(exit.exitCode, exit.all).toBe(0);
    outputs.push({ name: 'output of the uninterrupted leap', text: exit.all });
    const keys = new Set(secretsBefore.keys());
    const [actual, expected] = await Promise.all([collectFinalState(crash, keys), collectFinalState(reference, keys)]);
    expect(compareFinalStates(actual, expected), withSeed('the interrupted leap ended differently')).toEqual([]);
    const report = async (lab: Lab) =>
      (
        JSON.parse((await startLeap(['--config', lab.paths.leapYaml, '--json', 'report']).exited).stdout) as {
          schemaVersions: Array<{ release: string; step: string; status: string; service?: string; version?: unknown }>;
        }
      ).schemaVersions.map(({ release, step, status, service, version }) => ({
        release,
        step,
        status,
        service,
        version,
      }));
    expect(await report(crash), withSeed('schema versions in the report')).toEqual(await report(reference));
  });

  it('lost nothing: every edited file has a backup of its original, no existing secret changed', () => {
    requireCompleted();
    const lost = originalsWithoutBackup(
      crash.paths.deployDir,
      join(crash.paths.backupDir, 'leap', 'config'),
      pristine,
      // Cached facts are removed by design (regenerated by Ansible); the marker folder is leap's own.
      (rel) => rel.startsWith('ansible_facts/') || rel.startsWith('upgrade-leap/'),
    );
    expect(lost, withSeed('edited files without a backup of their original')).toEqual([]);
    const after = secretScalars(crash);
    for (const [key, value] of secretsBefore)
      expect(after.get(key) === value, withSeed(`secret ${key} changed`)).toBe(true);
  });

  it('leaked no secret: outputs, journal, Ansible logs and report of both labs', () => {
    requireCompleted();
    const secrets = mergeSecrets(
      pristineSecrets,
      secretValuesOf(crash.paths.deployDir),
      secretValuesOf(reference.paths.deployDir),
    );
    expect(secrets.size).toBeGreaterThan(40);
    const sources = [...outputs, ...leapOutputsOf(markerDirOf(crash)), ...leapOutputsOf(markerDirOf(reference))];
    expect(findSecrets(secrets, sources), withSeed('secret values found')).toEqual([]);
  });
});

/** Every key: value of the secrets files, by key: the leap moves them to the Newton layout (user_osa_secrets.yml, user_rpco_secrets.yml). */
function secretScalars(lab: Lab): Map<string, string> {
  const values = new Map<string, string>();
  for (const name of readdirSync(lab.paths.deployDir)
    .filter((n) => /^user_.*secrets\.yml$/.test(n))
    .sort()) {
    for (const [key, value] of scalars(join(lab.paths.deployDir, name))) values.set(key, value);
  }
  return values;
}
