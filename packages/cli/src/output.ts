import pc from 'picocolors';
import { isLeapError, ExitCode } from './errors.js';

/** Where a command writes; tests pass buffers, the bin passes the process streams. */
export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

export const processIo: Io = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

/** Prints an error the way operators read it: message, where, hint; a stack only with --debug. */
export function reportError(io: Io, error: unknown, debug: boolean): number {
  if (isLeapError(error)) {
    io.stderr(`${pc.red('error')} ${error.message} ${pc.dim(`[${error.code}]`)}\n`);
    const where = [
      error.step && `step: ${error.step}`,
      error.file && `file: ${error.file}`,
      error.host && `host: ${error.host}`,
    ].filter(Boolean);
    if (where.length > 0) io.stderr(`  ${where.join(', ')}\n`);
    if (error.hint) io.stderr(`${pc.yellow('hint')} ${error.hint}\n`);
    if (debug && error.stack) io.stderr(`${error.stack}\n`);
    // A library error that reaches here (outside a plan step) is about the input the command was given.
    return typeof error.exitCode === 'number' ? error.exitCode : ExitCode.usage;
  }
  const message = error instanceof Error ? error.message : String(error);
  io.stderr(`${pc.red('internal error')} ${message}\n`);
  io.stderr(`${pc.yellow('hint')} this is a bug in leap; re-run with --debug and report the output.\n`);
  if (debug && error instanceof Error && error.stack) io.stderr(`${error.stack}\n`);
  return ExitCode.stepFailed;
}
