import { execa } from 'execa';
import type { Exec } from './types.js';

/**
 * Runs an argument array on this machine (never through a shell). A non-zero exit is a result, not an
 * exception, so callers decide what failure means; cancellation kills the child and its group.
 */
export const localExec: Exec = async (argv, options = {}) => {
  const [file, ...args] = argv;
  if (file === undefined) throw new Error('localExec needs a command');
  const result = await execa(file, args, {
    cwd: options.cwd,
    env: options.env,
    input: options.input,
    timeout: options.timeoutMs,
    cancelSignal: options.signal,
    forceKillAfterDelay: 5_000,
    reject: false,
    stripFinalNewline: false,
  });
  if (result.isCanceled) throw options.signal?.reason ?? new Error('interrupted');
  const exitCode = result.exitCode ?? (result.signal ? 128 : 1);
  const stderr = result.failed && result.exitCode === undefined ? `${result.stderr}${result.shortMessage}` : result.stderr;
  return { exitCode, stdout: String(result.stdout), stderr: String(stderr) };
};
