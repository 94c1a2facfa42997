import { execa } from 'execa';

/** How a library asks for a command to run somewhere (DESIGN.md "The command runner"). */
export interface ExecOptions {
  cwd?: string;
  env?: Record<string, string>;
  input?: string;
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export type Exec = (argv: string[], opts?: ExecOptions) => Promise<ExecResult>;

/** Runs an argument array on this host (never through a shell); a non-zero exit is a result, not a throw. */
export function localExec(defaults: { env?: Record<string, string> } = {}): Exec {
  return async (argv, opts = {}) => {
    const [file, ...args] = argv;
    if (file === undefined) throw new TypeError('localExec: empty argv');
    const result = await execa(file, args, {
      reject: false,
      cwd: opts.cwd,
      env: { ...defaults.env, ...opts.env },
      input: opts.input,
      timeout: opts.timeoutMs,
      cancelSignal: opts.signal,
      stripFinalNewline: false,
    });
    const stdout = typeof result.stdout === 'string' ? result.stdout : '';
    const stderr = typeof result.stderr === 'string' ? result.stderr : '';
    // execa reports a missing binary, a timeout or an abort as failed without an exit code.
    if (result.exitCode === undefined) return { exitCode: 127, stdout, stderr: stderr || (result.shortMessage ?? '') };
    return { exitCode: result.exitCode, stdout, stderr };
  };
}
