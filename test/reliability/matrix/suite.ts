import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, leap, compareDigests, describeChanges } from '@leap/test-fixtures';
import { createLab, destroyLab, markerDirOf, runArgs, type Lab } from '../support/lab.js';
import { verbose } from '../support/settings.js';
import {
  addSecret,
  findSecrets,
  leapOutputsOf,
  mergeSecrets,
  secretValuesOf,
  type SecretValues,
} from '../support/secrets.js';
import type { CaseContext, MatrixCase } from './case.js';
import { isRunRecord, labDigest, restoreLab, saveLab } from './lab-state.js';

/** Cases run so far in this worker, for the summary line. */
export const tally = { run: 0, skipped: 0 };

/**
 * One lab for a group of cases: built, brought to the group's stage by `prepare`, saved; before every case the
 * lab's files are put back. Each case checks exit code, error codes, what the message names, the hint, that
 * nothing outside its documented changes moved, and that no secret reached the output, journal, logs or report.
 */
export interface GroupEnvironment {
  /** The group's lab and scratch folder (set once the group's beforeAll ran). */
  ctx(): CaseContext;
  /** Puts the lab's files back as the group saved them. */
  restore(): void;
}

export function matrixSuite(
  title: string,
  cases: readonly MatrixCase[],
  prepare?: (ctx: CaseContext) => Promise<void>,
  more?: (group: GroupEnvironment) => void,
): void {
  describe(title, () => {
    let base: string;
    let lab: Lab | undefined;
    let ctx: CaseContext;
    let secrets: SecretValues;

    beforeAll(async () => {
      base = makeTempDir('leap-reliability-matrix-');
      lab = await createLab(join(base, 'lab'));
      ctx = { lab, scratch: join(base, 'scratch') };
      mkdirSync(ctx.scratch);
      secrets = secretValuesOf(lab.paths.deployDir);
      if (prepare) await prepare(ctx);
      saveLab(lab, join(base, 'saved'));
    });

    afterAll(async () => {
      await destroyLab(lab);
      if (base) rmSync(base, { recursive: true, force: true });
      console.log(`${title}: ${tally.run} cases run, ${tally.skipped} skipped`);
    });

    for (const matrixCase of cases) {
      const skip = matrixCase.skipReason?.();
      if (skip !== undefined) {
        it.skip(`${matrixCase.name} — skipped: ${skip}`, () => undefined);
        tally.skipped += 1;
        continue;
      }
      it(matrixCase.name, async () => {
        restoreLab(ctx.lab, join(base, 'saved'));
        await runCase(matrixCase, ctx, secrets);
        tally.run += 1;
      });
    }
    more?.({ ctx: () => ctx, restore: () => restoreLab(ctx.lab, join(base, 'saved')) });
  });
}

async function runCase(matrixCase: MatrixCase, ctx: CaseContext, labSecrets: SecretValues): Promise<void> {
  const { lab } = ctx;
  try {
    await matrixCase.arrange(ctx);
    const before = await labDigest(lab);
    const result = await leap(matrixCase.args?.(ctx) ?? runArgs(lab));
    const output = result.all ?? '';
    const shown = `leap ${(matrixCase.args?.(ctx) ?? runArgs(lab)).join(' ')}\n${output}`;
    if (verbose) console.log(`${matrixCase.name}: exit ${result.exitCode}\n${result.stderr}`);
    expect(result.exitCode, shown).toBe(matrixCase.exitCode);
    for (const code of matrixCase.codes) expect(output, shown).toContain(code);
    for (const name of matrixCase.names) expect(output, shown).toContain(name.split('<lab>').join(lab.dir));
    expect(result.stderr, shown).toMatch(/^\s*hint:? \S/m);
    expect(result.stderr, shown).toMatch(matrixCase.hint);

    const changes = describeChanges(compareDigests(before, await labDigest(lab)));
    const allowed = matrixCase.changes?.paths ?? [];
    expect(
      changes.filter((c) => !isRunRecord(c.slice(1)) && !allowed.some((p) => p.test(c.slice(1)))),
      `changes not documented by the case\n${shown}`,
    ).toEqual([]);

    const extra: SecretValues = new Map();
    for (const value of matrixCase.secrets?.(ctx) ?? []) addSecret(extra, value, 'a secret of the case');
    const secrets = mergeSecrets(labSecrets, secretValuesOf(lab.paths.deployDir), extra);
    const sources = [
      { name: 'stdout', text: result.stdout },
      { name: 'stderr', text: result.stderr },
      ...leapOutputsOf(markerDirOf(lab)),
    ];
    expect(findSecrets(secrets, sources), 'secret values in the output, journal, Ansible logs or report').toEqual([]);
    await matrixCase.verify?.(ctx, output);
  } finally {
    await matrixCase.undo?.(ctx);
  }
}
