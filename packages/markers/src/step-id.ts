import { MarkersError } from './errors.js';

/** One id segment: lower-case letters, digits, `.`, `_`, `-`; starts with a letter or digit. */
const SEGMENT = /^[a-z0-9][a-z0-9._-]*$/;
/** Step ids become file names; leave room for the `.complete` suffix under the 255-byte limit. */
const MAX_ID_LENGTH = 200;
/** `/` in an id becomes `+` in the file name; `+` is never allowed in an id, so the mapping reverses. */
const SEPARATOR_IN_FILE = '+';
export const MARKER_SUFFIX = '.complete';

/**
 * Throws unless `id` is a valid step id such as `newton/migrate/nova`: segments separated by `/`, no empty,
 * `.` or `..` segment, nothing that could make its marker file land outside the marker folder.
 */
export function assertStepId(id: string): void {
  const problem = stepIdProblem(id);
  if (problem !== undefined) {
    throw new MarkersError('LEAP_STEP_ID_INVALID', `step id ${JSON.stringify(id)} is invalid: ${problem}`, {
      step: id,
      hint: 'use lower-case segments of [a-z0-9._-] separated by "/", e.g. "newton/migrate/nova"',
    });
  }
}

function stepIdProblem(id: string): string | undefined {
  if (typeof id !== 'string' || id.length === 0) return 'it is empty';
  if (id.length > MAX_ID_LENGTH) return `it is longer than ${MAX_ID_LENGTH} characters`;
  for (const segment of id.split('/')) {
    if (segment === '') return 'it has an empty segment (leading, trailing or doubled "/")';
    if (segment === '.' || segment === '..') return `segment "${segment}" could escape the marker folder`;
    if (!SEGMENT.test(segment))
      return `segment "${segment}" has characters outside [a-z0-9._-] or does not start with a letter or digit`;
  }
  return undefined;
}

/** The marker file name of a step: `newton/migrate/nova` -> `newton+migrate+nova.complete`. */
export function markerFileName(id: string): string {
  assertStepId(id);
  return id.split('/').join(SEPARATOR_IN_FILE) + MARKER_SUFFIX;
}

/** The step id a marker file name stands for, or undefined if the name is not a leap marker name. */
export function stepIdFromFileName(fileName: string): string | undefined {
  if (!fileName.endsWith(MARKER_SUFFIX)) return undefined;
  const id = fileName.slice(0, -MARKER_SUFFIX.length).split(SEPARATOR_IN_FILE).join('/');
  return stepIdProblem(id) === undefined ? id : undefined;
}

/**
 * Upstream bash marker names (`osa-leap`, `db-migrations-newton.yml-e--venv…`) are file names, not step ids.
 * A trailing `*` matches any suffix, as the upstream tooling itself globbed `db-migrations-newton.yml*`.
 */
export function assertLegacyMarkerName(name: string): void {
  const base = name.endsWith('*') ? name.slice(0, -1) : name;
  if (base === '' || base === '.' || base === '..' || base.includes('/') || base.includes('\0') || base.includes('*')) {
    throw new MarkersError('LEAP_LEGACY_MARKER_INVALID', `legacy marker name ${JSON.stringify(name)} is invalid`, {
      hint: 'give the upstream file name without its folder (".complete" optional), with at most one trailing "*"',
    });
  }
}

/** The legacy name without its `.complete` suffix, so `osa-leap` and `osa-leap.complete` mean the same. */
export function legacyMarkerStem(name: string): string {
  assertLegacyMarkerName(name);
  const glob = name.endsWith('*');
  const base = glob ? name.slice(0, -1) : name;
  const stem = !glob && base.endsWith(MARKER_SUFFIX) ? base.slice(0, -MARKER_SUFFIX.length) : base;
  return glob ? `${stem}*` : stem;
}
