import { existsSync } from 'node:fs';
import { EXIT_NOT_EXECUTABLE, EXIT_NOT_FOUND, execResult, type Exec } from './exec.js';

/** Runs an argument array on this machine, never through a shell, following the rule of {@link Exec}. */
export const localExec: Exec = async (argv, options = {}) => {
  const [file, ...args] = argv;
  if (file === undefined) throw new TypeError('localExec: empty argv');
  // Loaded on first use: every package imports @leap/contract, and commands such as `leap status` start nothing.
  const { execa } = await import('execa');
  const result = await execa(file, args, {
    cwd: options.cwd,
    env: options.env,
    ...(options.input === undefined ? { stdin: 'ignore' as const } : { input: options.input }),
    timeout: options.timeoutMs,
    cancelSignal: options.signal,
    reject: false,
    stripFinalNewline: false,
    encoding: 'utf8',
  });
  const stdout = typeof result.stdout === 'string' ? result.stdout : '';
  const stderr = typeof result.stderr === 'string' ? result.stderr : '';
  const started = result.exitCode !== undefined || result.signal !== undefined || result.isCanceled || result.timedOut;
  if (!started) {
    const missing = result.code === 'ENOENT' && (options.cwd === undefined || existsSync(options.cwd));
    return execResult(argv, {
      exitCode: missing ? EXIT_NOT_FOUND : EXIT_NOT_EXECUTABLE,
      durationMs: result.durationMs,
      stdout,
      stderr: `${stderr}${result.shortMessage}\n`,
    });
  }
  return execResult(argv, {
    exitCode: result.exitCode,
    signal: result.signal,
    timedOut: result.timedOut,
    isCanceled: result.isCanceled,
    durationMs: result.durationMs,
    stdout,
    stderr,
  });
};
