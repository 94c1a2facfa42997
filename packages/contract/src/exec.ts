import { constants } from 'node:os';

/** What a caller may ask of any command runner, local or remote. */
export interface ExecOptions {
  cwd?: string | undefined;
  /** Added to the command's environment. */
  env?: Record<string, string> | undefined;
  /** Written to the command's standard input, unchanged; without it the command reads an empty input. */
  input?: string | undefined;
  timeoutMs?: number | undefined;
  /** Aborting it stops the command; the result then has `isCanceled: true`. */
  signal?: AbortSignal | undefined;
}

/** How a command ended, shaped like execa's result. */
export interface ExecResult {
  /** The argv joined by spaces, for messages (like execa's `command`); not for a shell. */
  command: string;
  /** Always a number: see {@link Exec} for the codes of a command that did not exit by itself. */
  exitCode: number;
  /** The signal that ended the command, if one did (`SIGTERM`, `SIGKILL`…). */
  signal: string | undefined;
  timedOut: boolean;
  isCanceled: boolean;
  durationMs: number;
  /** Byte for byte, the final newline kept. */
  stdout: string;
  stderr: string;
}

/**
 * Runs an argument array (never through a shell) and resolves with how it ended. The one rule every runner follows:
 * it never throws for a command that ran or could not start. A missing binary is exit 127 (126 when it exists but
 * cannot be started); a timeout is `timedOut` and exit 124 (as coreutils `timeout`); a cancellation through
 * `signal` is `isCanceled` and exit 130; a command killed by a signal otherwise has `signal` set and exit 128+n.
 * A runner throws only when it cannot try at all: an empty argv, or its own transport failing (a host that cannot
 * be reached), with an error naming the host.
 */
export type Exec = (argv: string[], options?: ExecOptions) => Promise<ExecResult>;

export const EXIT_NOT_EXECUTABLE = 126;
export const EXIT_NOT_FOUND = 127;
export const EXIT_TIMED_OUT = 124;
export const EXIT_CANCELED = 130;

/** 128 + the signal's number, as a shell reports a command killed by it. */
export function exitCodeOfSignal(signal: string): number {
  return 128 + (constants.signals[signal as NodeJS.Signals] ?? 0);
}

export interface ExecOutcome {
  exitCode?: number;
  signal?: string | undefined;
  timedOut?: boolean;
  isCanceled?: boolean;
  durationMs?: number;
  stdout?: string;
  stderr?: string;
}

/**
 * An ExecResult for `argv` that follows the rule: a cancellation, a timeout or a signal decides the exit code,
 * otherwise `exitCode` (default 0). Runners build their results with it; so do the fake runners of tests.
 */
export function execResult(argv: readonly string[], outcome: ExecOutcome = {}): ExecResult {
  const timedOut = outcome.timedOut ?? false;
  const isCanceled = outcome.isCanceled ?? false;
  const signal = outcome.signal;
  let exitCode = outcome.exitCode ?? 0;
  if (isCanceled) exitCode = EXIT_CANCELED;
  else if (timedOut) exitCode = EXIT_TIMED_OUT;
  else if (signal !== undefined) exitCode = exitCodeOfSignal(signal);
  return {
    command: argv.join(' '),
    exitCode,
    signal,
    timedOut,
    isCanceled,
    durationMs: outcome.durationMs ?? 0,
    stdout: outcome.stdout ?? '',
    stderr: outcome.stderr ?? '',
  };
}

/** How the command ended, for messages: "exited with 3", "timed out (exit 124)", "was killed by SIGKILL (exit 137)"… */
export function describeExit(result: ExecResult): string {
  if (result.isCanceled) return `was cancelled (exit ${result.exitCode})`;
  if (result.timedOut) return `timed out (exit ${result.exitCode})`;
  if (result.signal !== undefined) return `was killed by ${result.signal} (exit ${result.exitCode})`;
  return `exited with ${result.exitCode}`;
}
