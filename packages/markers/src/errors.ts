/** Everything @leap/markers throws on purpose: a stable code, what failed, where, and what to do next. */
export interface MarkersErrorOptions {
  /** What the operator should do next. */
  hint?: string;
  /** The file involved, if any. */
  file?: string;
  /** The inventory host or container involved, if any. */
  host?: string;
  /** The plan step involved, if any. */
  step?: string;
  /** For a failed or interrupted run: the steps still to do, in plan order, starting with `step`. */
  remaining?: readonly string[];
  cause?: unknown;
}

export class MarkersError extends Error {
  override readonly name = 'MarkersError';
  readonly code: `LEAP_${string}`;
  readonly hint: string | undefined;
  readonly file: string | undefined;
  readonly host: string | undefined;
  readonly step: string | undefined;
  readonly remaining: readonly string[] | undefined;

  constructor(code: `LEAP_${string}`, message: string, options: MarkersErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.hint = options.hint;
    this.file = options.file;
    this.host = options.host;
    this.step = options.step;
    this.remaining = options.remaining;
  }
}
