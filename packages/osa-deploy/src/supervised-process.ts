import { execa } from 'execa';

export interface SupervisedOptions {
  cwd?: string;
  env: Record<string, string>;
  input?: string;
  signal?: AbortSignal;
  timeoutMs?: number;
  /** After SIGINT, how long Ansible gets to stop its workers before the whole process group is killed. */
  killGraceMs: number;
  /** Keep the output in memory for the result (off for playbooks, whose output goes to the log). */
  buffer: boolean;
  /** Each chunk of output, as it arrives. */
  onStdout?: (chunk: string) => void;
  onStderr?: (chunk: string) => void;
}

export interface SupervisedResult {
  /** Undefined when the process ended by a signal or could not start. */
  exitCode: number | undefined;
  signal: string | undefined;
  stdout: string;
  stderr: string;
  cancelled: boolean;
  timedOut: boolean;
  /** Set when the command could not be started at all (ENOENT, EACCES...). */
  spawnError: Error | undefined;
  durationMs: number;
}

/**
 * Runs argv as the leader of its own process group, so that a cancellation reaches every process Ansible
 * forked (workers, modules, their children): SIGINT first, which Ansible handles by stopping its workers and
 * printing what it did, then SIGKILL to the whole group after the grace delay, and a final sweep of the group.
 */
export async function runSupervised(argv: readonly string[], options: SupervisedOptions): Promise<SupervisedResult> {
  const [file, ...args] = argv;
  if (file === undefined) throw new TypeError('empty argv');
  const started = performance.now();
  if (options.signal?.aborted) {
    return { exitCode: undefined, signal: undefined, stdout: '', stderr: '', cancelled: true, timedOut: false, spawnError: undefined, durationMs: 0 };
  }
  const child = execa(file, args, {
    cwd: options.cwd,
    env: options.env,
    extendEnv: false,
    detached: true,
    reject: false,
    stripFinalNewline: false,
    encoding: 'utf8',
    buffer: options.buffer,
    ...(options.input === undefined ? { stdin: 'ignore' as const } : { input: options.input }),
  });
  let cancelled = false;
  let timedOut = false;
  let killTimer: NodeJS.Timeout | undefined;
  const killGroup = (signal: NodeJS.Signals): void => {
    if (child.pid === undefined) return;
    try {
      process.kill(-child.pid, signal);
    } catch {
      // ESRCH: the group is already gone.
    }
  };
  const stop = (): void => {
    if (killTimer !== undefined) return;
    killGroup('SIGINT');
    killTimer = setTimeout(() => killGroup('SIGKILL'), options.killGraceMs);
  };
  const onAbort = (): void => {
    cancelled = true;
    stop();
  };
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const timeout = options.timeoutMs === undefined ? undefined : setTimeout(() => {
    timedOut = true;
    stop();
  }, options.timeoutMs);
  if (options.onStdout) child.stdout?.on('data', (chunk: Buffer | string) => options.onStdout?.(chunk.toString()));
  if (options.onStderr) child.stderr?.on('data', (chunk: Buffer | string) => options.onStderr?.(chunk.toString()));
  try {
    const result = await child;
    const spawnError = result.exitCode === undefined && result.signal === undefined && result.failed
      ? (result.cause instanceof Error ? result.cause : new Error(result.message))
      : undefined;
    return {
      exitCode: result.exitCode,
      signal: result.signal,
      stdout: typeof result.stdout === 'string' ? result.stdout : '',
      stderr: typeof result.stderr === 'string' ? result.stderr : '',
      cancelled,
      timedOut,
      spawnError,
      durationMs: Math.round(performance.now() - started),
    };
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    if (timeout !== undefined) clearTimeout(timeout);
    if (killTimer !== undefined) clearTimeout(killTimer);
    // Workers that outlived their leader after an interruption must not keep acting on the cloud.
    if (cancelled || timedOut) killGroup('SIGKILL');
  }
}
