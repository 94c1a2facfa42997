// The built `leap` of this checkout, run as an operator would: `leap()` to completion, `startLeap()` watched line by line.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa, type ResultPromise } from 'execa';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const leapBin = join(repoRoot, 'packages/cli/bin/leap.js');

function requireBuild(): void {
  if (!existsSync(join(repoRoot, 'packages/cli/dist/main.js'))) throw new Error('build first: npm run build');
}

/** Runs the built `leap` through its committed shim, as an operator would. */
export function leap(
  args: string[],
  options: { cwd?: string } = {},
): ResultPromise<{ reject: false; all: true; env: Record<string, string> }> {
  requireBuild();
  return execa(process.execPath, [leapBin, ...args], {
    reject: false,
    all: true,
    cwd: options.cwd ?? repoRoot,
    env: { NO_COLOR: '1' },
  });
}

export interface LeapExit {
  exitCode: number | undefined;
  signal: string | undefined;
  stdout: string;
  stderr: string;
  /** stdout and stderr interleaved as they arrived. */
  all: string;
}

/** A `leap` started as the leader of its own process group, as a login shell's job is; output watched line by line. */
export interface LeapProcess {
  readonly pid: number;
  /** Every complete output line so far (stdout and stderr). */
  readonly lines: readonly string[];
  /** Resolves with the first line (from line `from` on) matching `pattern`; rejects if leap exits first or on timeout. */
  waitForLine(
    pattern: RegExp | ((line: string) => boolean),
    options?: { from?: number; timeoutMs?: number },
  ): Promise<string>;
  /** Sends `signal` to the whole process group (leap and every child that stayed in it). */
  signalGroup(signal: NodeJS.Signals): void;
  readonly exited: Promise<LeapExit>;
}

export function startLeap(args: readonly string[]): LeapProcess {
  requireBuild();
  const child = execa(process.execPath, [leapBin, ...args], {
    detached: true,
    cleanup: false,
    reject: false,
    buffer: false,
    stdin: 'ignore',
    cwd: repoRoot,
    env: { NO_COLOR: '1' },
  });
  if (child.pid === undefined) throw new Error('leap did not start');
  const pid = child.pid;
  const lines: string[] = [];
  const text = { stdout: '', stderr: '', all: '' };
  const partial = { stdout: '', stderr: '' };
  const waiters = new Set<() => void>();
  let ended = false;
  const onData = (stream: 'stdout' | 'stderr') => (chunk: Buffer | string) => {
    const piece = chunk.toString();
    text[stream] += piece;
    text.all += piece;
    const parts = (partial[stream] + piece).split('\n');
    partial[stream] = parts.pop() ?? '';
    lines.push(...parts);
    for (const wake of waiters) wake();
  };
  child.stdout?.on('data', onData('stdout'));
  child.stderr?.on('data', onData('stderr'));
  const exited = child.then((result) => {
    for (const stream of ['stdout', 'stderr'] as const) {
      if (partial[stream] !== '') lines.push(partial[stream]);
      partial[stream] = '';
    }
    ended = true;
    for (const wake of waiters) wake();
    return {
      exitCode: result.exitCode,
      signal: result.signal,
      stdout: text.stdout,
      stderr: text.stderr,
      all: text.all,
    };
  });

  return {
    pid,
    lines,
    exited,
    signalGroup(signal) {
      try {
        process.kill(-pid, signal);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
      }
    },
    waitForLine(pattern, options = {}) {
      const { from = 0, timeoutMs = 10 * 60_000 } = options;
      return new Promise<string>((resolve, reject) => {
        let checked = from;
        const timer = setTimeout(
          () => finish(new Error(`no line matching ${String(pattern)} within ${timeoutMs} ms`)),
          timeoutMs,
        );
        const finish = (outcome: string | Error) => {
          clearTimeout(timer);
          waiters.delete(check);
          if (outcome instanceof Error) reject(outcome);
          else resolve(outcome);
        };
        function check() {
          for (; checked < lines.length; checked++) {
            const line = lines[checked] as string;
            if (typeof pattern === 'function' ? pattern(line) : pattern.test(line)) return finish(line);
          }
          if (ended)
            finish(new Error(`leap exited before a line matched ${String(pattern)}:\n${text.all.slice(-3000)}`));
        }
        waiters.add(check);
        check();
      });
    },
  };
}
