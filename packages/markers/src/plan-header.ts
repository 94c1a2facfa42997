import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '@leap/contract';
import { digestOf } from './digest.js';
import { MarkersError } from './errors.js';

export const PLAN_HEADER_FILE = 'leap.json';
export const PLAN_HEADER_FORMAT = 'leap-plan/1';

/** A later tool version that changed the step list of a leap already under way. */
export interface PlanRevision {
  at: string;
  toolVersion: string;
  added: string[];
  removed: string[];
  planDigest: string;
}

/** `leap.json`: what the leap was when it first started. Its `source` is never re-detected. */
export interface PlanHeader {
  format: typeof PLAN_HEADER_FORMAT;
  source: string;
  target: string;
  /** The step ids of the plan, in order (as of the latest revision). */
  steps: string[];
  planDigest: string;
  startedAt: string;
  host: string;
  user: string;
  toolVersion: string;
  revisions: PlanRevision[];
}

/** How the plan in hand differs from the one recorded in `leap.json`. */
export interface PlanChange {
  added: string[];
  removed: string[];
  /**
   * Added steps placed before a step that is already complete: running them now would run them out of
   * order, so the runner refuses unless the caller accepts the change.
   */
  unsafe: string[];
}

export function planHeaderPath(dir: string): string {
  return join(dir, PLAN_HEADER_FILE);
}

export function planDigest(stepIds: readonly string[]): string {
  return digestOf(stepIds) as string;
}

function corruptHeader(file: string, reason: string): MarkersError {
  return new MarkersError('LEAP_PLAN_HEADER_CORRUPT', `plan header ${file} cannot be read: ${reason}`, {
    file,
    hint:
      'it records the source release of the leap under way, which cannot be re-detected once the leap has begun. ' +
      'Restore it from a copy, or rewrite it by hand with the release the leap started from (see the @leap/markers README)',
  });
}

/** The recorded plan header, or undefined when no leap has started in this folder. */
export async function readPlanHeader(dir: string): Promise<PlanHeader | undefined> {
  const file = planHeaderPath(dir);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new MarkersError(
      'LEAP_PLAN_HEADER_UNREADABLE',
      `plan header ${file} cannot be read: ${(error as Error).message}`,
      {
        file,
        cause: error,
        hint: 'run leap as the user that owns the marker folder (usually root), or fix its permissions',
      },
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw corruptHeader(file, `it is not valid JSON (${(error as Error).message})`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw corruptHeader(file, 'it does not hold a JSON object');
  const header = value as Record<string, unknown>;
  if (header['format'] !== PLAN_HEADER_FORMAT) {
    throw corruptHeader(file, `its format is ${JSON.stringify(header['format'])}, expected "${PLAN_HEADER_FORMAT}"`);
  }
  for (const field of ['source', 'target', 'planDigest', 'startedAt', 'host', 'user', 'toolVersion'] as const) {
    if (typeof header[field] !== 'string' || header[field] === '')
      throw corruptHeader(file, `field "${field}" is missing or not a string`);
  }
  if (!Array.isArray(header['steps']) || !header['steps'].every((s) => typeof s === 'string')) {
    throw corruptHeader(file, 'field "steps" is not a list of step ids');
  }
  if (header['revisions'] !== undefined && !Array.isArray(header['revisions']))
    throw corruptHeader(file, 'field "revisions" is not a list');
  return { revisions: [], ...header } as unknown as PlanHeader;
}

export async function writePlanHeader(dir: string, header: PlanHeader): Promise<void> {
  await writeFileAtomic(planHeaderPath(dir), `${JSON.stringify(header, null, 2)}\n`);
}

/** Compares the recorded step list with the plan in hand; `completed` are the ids whose marker says done. */
export function comparePlan(
  recorded: readonly string[],
  current: readonly string[],
  completed: ReadonlySet<string>,
): PlanChange {
  const before = new Set(recorded);
  const now = new Set(current);
  const added = current.filter((id) => !before.has(id));
  const removed = recorded.filter((id) => !now.has(id));
  const lastCompleted = current.reduce((last, id, i) => (completed.has(id) ? i : last), -1);
  const unsafe = added.filter((id) => current.indexOf(id) < lastCompleted && !completed.has(id));
  return { added, removed, unsafe };
}
