import { DbMigrateError } from './errors.js';

/** What long-running operations report while they work; the CLI turns it into a task list. */
export type ProgressEvent =
  | {
      kind: 'purge';
      service: string;
      table: string;
      rows: number;
      totalRows: number;
      chunkSize: number;
      chunkMs: number;
    }
  | { kind: 'purge-paused'; reason: string; waitedMs: number }
  | { kind: 'dump'; database: string; bytes: number; done: boolean }
  | { kind: 'verify'; database: string; check: 'gzip' | 'sha256' | 'parse' | 'restore'; ok: boolean }
  | { kind: 'verify-server'; state: 'started'; dir: string; pid: number }
  | { kind: 'restore'; database: string; done: boolean }
  | { kind: 'venv-download'; url: string; attempt: number; bytes: number }
  | { kind: 'migrate'; release: string; service: string; step: string; status: 'started' | 'done' | 'skipped' };

export type OnProgress = (event: ProgressEvent) => void;

/** Stops between units of work when the caller aborts; a unit already started finishes or rolls back. */
export function checkAborted(signal: AbortSignal | undefined, what: string): void {
  if (signal?.aborted) {
    throw new DbMigrateError('LEAP_DB_ABORTED', `${what} was aborted`, {
      hint: 'nothing half-done was left behind; run the step again to continue',
      cause: signal.reason,
    });
  }
}
