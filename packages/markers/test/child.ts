// eslint-disable-next-line no-restricted-imports -- tests need the raw handle to SIGKILL a node child; argument arrays only, no shell
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { onTestFinished } from 'vitest';

const distIndex = fileURLToPath(new URL('../dist/index.js', import.meta.url));

/** A node child running one of test/fixtures/*.mjs against the built package. */
export interface Child {
  process: ChildProcess;
  pid: number;
  /** Resolves with the first stdout line matching `pattern`; rejects if the child exits first. */
  waitForLine(pattern: RegExp): Promise<string>;
  /** Resolves with the exit code (null when killed) and everything printed. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
  kill(): void;
}

export function startChild(fixture: string, args: string[], env: Record<string, string> = {}): Child {
  if (!existsSync(distIndex)) {
    throw new Error(
      `${distIndex} is missing: these tests run children against the built package; run 'npx tsc -b packages/markers' first`,
    );
  }
  const script = fileURLToPath(new URL(`./fixtures/${fixture}`, import.meta.url));
  const child = spawn(process.execPath, [script, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const waiters: Array<{ pattern: RegExp; resolve: (line: string) => void; reject: (e: Error) => void }> = [];
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    for (const waiter of [...waiters]) {
      const line = stdout.split('\n').find((l) => waiter.pattern.test(l));
      if (line !== undefined) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(line);
      }
    }
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>(
    (resolve) => {
      child.on('close', (code, signal) => {
        for (const waiter of waiters.splice(0))
          waiter.reject(
            new Error(`child exited (${code ?? signal}) before printing ${waiter.pattern}; stderr: ${stderr}`),
          );
        resolve({ code, signal, stdout, stderr });
      });
    },
  );
  const kill = (): void => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  onTestFinished(kill);
  return {
    process: child,
    pid: child.pid as number,
    exited,
    kill,
    waitForLine(pattern) {
      const line = stdout.split('\n').find((l) => pattern.test(l));
      if (line !== undefined) return Promise.resolve(line);
      return new Promise((resolve, reject) => waiters.push({ pattern, resolve, reject }));
    },
  };
}

/** SIGKILLs the child and waits until it is gone. */
export async function killHard(child: Child): Promise<void> {
  child.kill();
  await child.exited;
}
