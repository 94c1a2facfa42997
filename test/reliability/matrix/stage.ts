import { readFileSync, writeFileSync } from 'node:fs';
import { runArgs, type Lab } from '../support/lab.js';
import type { CaseContext } from './case.js';
import { leap } from '@leap/test-fixtures';

/**
 * Brings a group's lab to its stage: a first leap run with leap.yaml broken by `fault` must stop at `step`
 * (every step before it done), then leap.yaml is put back.
 */
export function stopAt(step: string, fault: (lab: Lab) => void): (ctx: CaseContext) => Promise<void> {
  return async ({ lab }) => {
    const saved = readFileSync(lab.paths.leapYaml, 'utf8');
    fault(lab);
    const result = await leap(runArgs(lab));
    if (result.exitCode !== 1 || !result.all?.includes(`failed at step ${step}`)) {
      throw new Error(`the group's lab did not stop at ${step}:\n${result.all}`);
    }
    writeFileSync(lab.paths.leapYaml, saved);
  };
}
