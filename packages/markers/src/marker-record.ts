import { MarkersError } from './errors.js';

export const MARKER_FORMAT = 'leap-marker/1';

/** What a `<step>.complete` file written by leap holds. */
export interface MarkerRecord {
  format: typeof MARKER_FORMAT;
  step: string;
  title: string;
  /** ISO 8601 times of the run that completed the step. */
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  toolVersion: string;
  /** `sha256:<hex>` of the step's declared inputs, or null when it declares none. */
  inputsDigest: string | null;
  /** A short summary returned by the step, or null. */
  result: string | null;
  runId: string;
  host: string;
  user: string;
}

/** How a marker file reads: empty (left by the upstream bash tooling) or a leap record. */
export type ParsedMarker = { kind: 'legacy' } | { kind: 'leap'; record: MarkerRecord };

const STRING_FIELDS = ['step', 'title', 'startedAt', 'finishedAt', 'toolVersion', 'runId', 'host', 'user'] as const;

export function corruptMarkerError(file: string, step: string, reason: string): MarkersError {
  return new MarkersError('LEAP_MARKER_CORRUPT', `marker ${file} of step "${step}" cannot be read: ${reason}`, {
    file,
    step,
    hint:
      `leap cannot tell whether step "${step}" finished, so it stops here. If the step did finish, empty the file ` +
      `(: > '${file}') to mark it complete; if it did not or you are unsure, delete it (rm '${file}') so the step runs again.`,
  });
}

/**
 * Reads the content of a marker file. `expectedStep` is the step whose own file this is: a record naming
 * another step there means the file was copied or renamed by hand and is not trusted.
 */
export function parseMarker(text: string, file: string, step: string, expectedStep?: string): ParsedMarker {
  if (text.trim() === '') return { kind: 'legacy' };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw corruptMarkerError(file, step, `it is neither empty nor valid JSON (${(error as Error).message})`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw corruptMarkerError(file, step, 'it does not hold a JSON object');
  }
  const record = value as Record<string, unknown>;
  if (record['format'] !== MARKER_FORMAT) {
    throw corruptMarkerError(
      file,
      step,
      `its format is ${JSON.stringify(record['format'])}, expected "${MARKER_FORMAT}"`,
    );
  }
  for (const field of STRING_FIELDS) {
    if (typeof record[field] !== 'string')
      throw corruptMarkerError(file, step, `field "${field}" is missing or not a string`);
  }
  if (typeof record['durationMs'] !== 'number')
    throw corruptMarkerError(file, step, 'field "durationMs" is missing or not a number');
  for (const field of ['inputsDigest', 'result'] as const) {
    if (record[field] !== null && typeof record[field] !== 'string') {
      throw corruptMarkerError(file, step, `field "${field}" is neither a string nor null`);
    }
  }
  if (expectedStep !== undefined && record['step'] !== expectedStep) {
    throw corruptMarkerError(file, step, `it records step "${String(record['step'])}", not "${expectedStep}"`);
  }
  return { kind: 'leap', record: record as unknown as MarkerRecord };
}
