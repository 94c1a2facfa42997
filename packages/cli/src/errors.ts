/** Exit codes documented in the README; every path out of `leap` uses one of them. */
export const ExitCode = {
  ok: 0,
  stepFailed: 1,
  usage: 2,
  locked: 3,
  declined: 4,
  interrupted: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export interface CliErrorOptions {
  hint?: string;
  file?: string;
  host?: string;
  step?: string;
  exitCode?: ExitCode;
  cause?: unknown;
}

export class CliError extends Error {
  override readonly name = 'CliError';
  readonly code: `LEAP_${string}`;
  readonly hint: string | undefined;
  readonly file: string | undefined;
  readonly host: string | undefined;
  readonly step: string | undefined;
  readonly exitCode: ExitCode;

  constructor(code: `LEAP_${string}`, message: string, options: CliErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.hint = options.hint;
    this.file = options.file;
    this.host = options.host;
    this.step = options.step;
    this.exitCode = options.exitCode ?? ExitCode.usage;
  }
}

/**
 * Every library error follows the same shape (a `LEAP_` code and a hint) without sharing a class,
 * because the libraries do not import each other; the CLI recognises them structurally.
 */
export interface LeapErrorLike extends Error {
  code: `LEAP_${string}`;
  hint?: string | undefined;
  file?: string | undefined;
  host?: string | undefined;
  step?: string | undefined;
  exitCode?: number;
}

export function isLeapError(error: unknown): error is LeapErrorLike {
  const code: unknown = error instanceof Error ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' && code.startsWith('LEAP_');
}
