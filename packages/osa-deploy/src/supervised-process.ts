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
    return {
      exitCode: undefined,
      signal: undefined,
      stdout: '',
      stderr: '',
      cancelled: true,
      timedOut: false,
      spawnError: undefined,
      durationMs: 0,
    };
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
  const watchdog = child.pid === undefined ? undefined : startWatchdog(child.pid, options.killGraceMs);
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
  const timeout =
    options.timeoutMs === undefined
      ? undefined
      : setTimeout(() => {
          timedOut = true;
          stop();
        }, options.timeoutMs);
  if (options.onStdout) child.stdout?.on('data', (chunk: Buffer | string) => options.onStdout?.(chunk.toString()));
  if (options.onStderr) child.stderr?.on('data', (chunk: Buffer | string) => options.onStderr?.(chunk.toString()));
  try {
    const result = await child;
    const spawnError =
      result.exitCode === undefined && result.signal === undefined && result.failed
        ? result.cause instanceof Error
          ? result.cause
          : new Error(result.message)
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
    watchdog?.dismiss();
  }
}

/**
 * The process group's guard against leap dying without cleaning up (SIGKILL, a lost SSH session, the OOM
 * killer): the group is in a session of its own, so nothing else stops it, and Ansible would run on for minutes,
 * acting on the cloud while a resumed leap runs the same playbook again. The watchdog holds the read end of a
 * pipe from leap; when that closes without a goodbye, it stops the group as a cancellation does: SIGINT, then
 * SIGKILL after the grace delay.
 */
const WATCHDOG_SCRIPT = `
const [group, graceMs] = process.argv.slice(1).map(Number);
let said = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => { said += chunk; });
process.stdin.on('end', () => {
  if (said.includes('done')) return;
  const kill = (signal) => { try { process.kill(-group, signal); return true; } catch { return false; } };
  if (!kill('SIGINT')) return;
  const started = Date.now();
  const poll = setInterval(() => {
    if (!kill(0)) clearInterval(poll);
    else if (Date.now() - started >= graceMs) { kill('SIGKILL'); clearInterval(poll); }
  }, 100);
});
process.on('SIGINT', () => undefined);
process.on('SIGHUP', () => undefined);
`;

export interface Watchdog {
  /** The group ended under leap's eyes: the watchdog exits without touching it. */
  dismiss(): void;
  /** Closes leap's end of the pipe without a goodbye, as leap's death does (tests). */
  abandon(): void;
}

/** Starts the watchdog of process group `group` (detached, so whatever ends leap's session spares it). */
export function startWatchdog(group: number, graceMs: number): Watchdog {
  const watchdog = execa(process.execPath, ['-e', WATCHDOG_SCRIPT, String(group), String(graceMs)], {
    stdin: 'pipe',
    stdout: 'ignore',
    stderr: 'ignore',
    detached: true,
    cleanup: false,
    reject: false,
  });
  watchdog.catch(() => undefined);
  return {
    dismiss() {
      watchdog.stdin?.end('done\n');
    },
    abandon() {
      watchdog.stdin?.destroy();
    },
  };
}
