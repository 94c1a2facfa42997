/** Everything @leap/lab throws on purpose: a stable code, what failed, where, and what to do next. */
export interface LabErrorOptions {
  /** What the operator should do next. */
  hint?: string;
  /** The file involved, if any. */
  file?: string;
  /** The inventory host or container involved, if any. */
  host?: string;
  /** The plan step involved, if any. */
  step?: string;
  cause?: unknown;
}

export class LabError extends Error {
  override readonly name = 'LabError';
  readonly code: `LEAP_${string}`;
  readonly hint: string | undefined;
  readonly file: string | undefined;
  readonly host: string | undefined;
  readonly step: string | undefined;

  constructor(code: `LEAP_${string}`, message: string, options: LabErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.hint = options.hint;
    this.file = options.file;
    this.host = options.host;
    this.step = options.step;
  }
}
