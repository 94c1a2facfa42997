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
  if (options.signal?.aborted) return cancelledBeforeStart();
  const child = spawnGroupLeader(file, args, options);
  const watchdog = child.pid === undefined ? undefined : startWatchdog(child.pid, options.killGraceMs);
  const group = groupStopper(child, options.killGraceMs);
  const interruptions = watchInterruptions(options, group.stop);
  forwardOutput(child, options);
  try {
    return collectResult(await child, interruptions, started);
  } finally {
    interruptions.release();
    group.clearKillTimer();
    // Workers that outlived their leader after an interruption must not keep acting on the cloud.
    if (interruptions.cancelled || interruptions.timedOut) group.killGroup('SIGKILL');
    watchdog?.dismiss();
  }
}

function cancelledBeforeStart(): SupervisedResult {
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

/** Starts argv detached, as the leader of a new process group, with exactly the given environment. */
function spawnGroupLeader(file: string, args: readonly string[], options: SupervisedOptions) {
  return execa(file, args, {
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
}

type SupervisedChild = ReturnType<typeof spawnGroupLeader>;

interface GroupStopper {
  /** Sends `signal` to the child's whole process group, if it is still there. */
  killGroup: (signal: NodeJS.Signals) => void;
  /** SIGINT to the group, then SIGKILL after the grace delay; only the first call does anything. */
  stop: () => void;
  /** Cancels the pending SIGKILL, if any. */
  clearKillTimer: () => void;
}

function groupStopper(child: SupervisedChild, killGraceMs: number): GroupStopper {
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
    killTimer = setTimeout(() => killGroup('SIGKILL'), killGraceMs);
  };
  const clearKillTimer = (): void => {
    if (killTimer !== undefined) clearTimeout(killTimer);
  };
  return { killGroup, stop, clearKillTimer };
}

interface Interruptions {
  /** The caller's signal aborted while the child ran. */
  cancelled: boolean;
  /** `timeoutMs` elapsed while the child ran. */
  timedOut: boolean;
  /** Removes the abort listener and clears the timeout. */
  release: () => void;
}

/** Stops the group when the caller's signal aborts or the timeout elapses, recording which happened. */
function watchInterruptions(options: SupervisedOptions, stop: () => void): Interruptions {
  const interruptions: Interruptions = {
    cancelled: false,
    timedOut: false,
    release: () => {
      options.signal?.removeEventListener('abort', onAbort);
      if (timeout !== undefined) clearTimeout(timeout);
    },
  };
  const onAbort = (): void => {
    interruptions.cancelled = true;
    stop();
  };
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const timeout =
    options.timeoutMs === undefined
      ? undefined
      : setTimeout(() => {
          interruptions.timedOut = true;
          stop();
        }, options.timeoutMs);
  return interruptions;
}

function forwardOutput(child: SupervisedChild, options: SupervisedOptions): void {
  if (options.onStdout) child.stdout?.on('data', (chunk: Buffer | string) => options.onStdout?.(chunk.toString()));
  if (options.onStderr) child.stderr?.on('data', (chunk: Buffer | string) => options.onStderr?.(chunk.toString()));
}

function collectResult(
  result: Awaited<SupervisedChild>,
  interruptions: Interruptions,
  started: number,
): SupervisedResult {
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
    cancelled: interruptions.cancelled,
    timedOut: interruptions.timedOut,
    spawnError,
    durationMs: Math.round(performance.now() - started),
  };
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
