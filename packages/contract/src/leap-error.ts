/** Every error code leap throws on purpose: stable, greppable, documented in the README of the package that throws it. */
export type LeapErrorCode = `LEAP_${string}`;

export interface LeapErrorOptions extends ErrorOptions {
  /** What the operator should do next, naming the file where one is involved. */
  hint?: string;
  /** The file involved, if any. */
  file?: string;
  /** The inventory host or container involved, if any. */
  host?: string;
  /** The plan step involved, if any. */
  step?: string;
}

/**
 * The one error class of every leap package: a stable `code`, what failed (`message`), where (`file`, `host`,
 * `step`) and what to do next (`hint`). Each package subclasses it with the union of the codes it throws.
 */
export class LeapError<Code extends LeapErrorCode = LeapErrorCode> extends Error {
  override name = 'LeapError';
  readonly code: Code;
  readonly hint: string | undefined;
  readonly file: string | undefined;
  readonly host: string | undefined;
  readonly step: string | undefined;

  constructor(code: Code, message: string, options: LeapErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.hint = options.hint;
    this.file = options.file;
    this.host = options.host;
    this.step = options.step;
  }
}

/** What `isLeapError` promises: the shape, not the class. */
export interface LeapErrorLike extends Error {
  code: LeapErrorCode;
  hint?: string | undefined;
  file?: string | undefined;
  host?: string | undefined;
  step?: string | undefined;
  exitCode?: number;
}

/**
 * Whether `error` is a leap error, told by its `LEAP_` code rather than `instanceof`: two copies of
 * @leap/contract may be installed side by side, and each has its own LeapError class.
 */
export function isLeapError(error: unknown): error is LeapErrorLike {
  const code: unknown = error instanceof Error ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' && code.startsWith('LEAP_');
}
