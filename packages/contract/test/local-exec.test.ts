import { realpathSync } from 'node:fs';
import { tempDir } from '@leap/test-fixtures';
import { describe, expect, it } from 'vitest';
import { describeExit, localExec } from '../src/index.js';

const python = (code: string, ...args: string[]): string[] => ['python3', '-c', code, ...args];

describe('localExec', () => {
  it('returns the exit code and stdout/stderr byte for byte, trailing newlines kept', async () => {
    const result = await localExec(
      python('import sys; sys.stdout.write("out\\n\\n"); sys.stderr.write(" err\\n"); sys.exit(3)'),
    );
    expect(result).toMatchObject({
      exitCode: 3,
      stdout: 'out\n\n',
      stderr: ' err\n',
      signal: undefined,
      timedOut: false,
      isCanceled: false,
    });
    expect(describeExit(result)).toBe('exited with 3');
  });

  it('names the command as the argv joined by spaces', async () => {
    expect((await localExec(['echo', 'a b', '$HOME'])).command).toBe('echo a b $HOME');
  });

  it('passes arguments unchanged, never through a shell', async () => {
    const tricky = ['$(echo no)', '`echo no`', '$HOME', 'a;b', '*', "it's", ''];
    const result = await localExec(python('import json, sys; sys.stdout.write(json.dumps(sys.argv[1:]))', ...tricky));
    expect(JSON.parse(result.stdout)).toEqual(tricky);
  });

  it('writes input to stdin unchanged, and gives an empty stdin without it', async () => {
    expect((await localExec(['cat'], { input: 'no newline added' })).stdout).toBe('no newline added');
    expect(await localExec(['cat'])).toMatchObject({ exitCode: 0, stdout: '' });
  });

  it('runs in cwd with env added to the environment', async () => {
    const dir = tempDir();
    const result = await localExec(
      python('import os; print(os.getcwd() + "|" + os.environ["LEAP_X"] + "|" + str("PATH" in os.environ))'),
      { cwd: dir, env: { LEAP_X: 'a b;c' } },
    );
    expect(result.stdout).toBe(`${realpathSync(dir)}|a b;c|True\n`);
  });

  it('reports a missing binary as exit 127 with the reason, without throwing', async () => {
    const result = await localExec(['/nonexistent/mysqldump', '--all']);
    expect(result).toMatchObject({ exitCode: 127, timedOut: false, isCanceled: false, signal: undefined });
    expect(result.stderr).toContain('ENOENT');
  });

  it('reports a binary that cannot be started, or a missing cwd, as exit 126', async () => {
    expect((await localExec([tempDir()])).exitCode).toBe(126);
    const result = await localExec(['true'], { cwd: '/nonexistent/folder' });
    expect(result.exitCode).toBe(126);
    expect(result.stderr).toContain('cwd');
  });

  it('stops a command at its timeout: timedOut and exit 124', async () => {
    const result = await localExec(
      python('import sys, time; sys.stdout.write("started\\n"); sys.stdout.flush(); time.sleep(30)'),
      // Room for Python to start and print on a loaded CI machine (at 2 s it once had not yet).
      { timeoutMs: 5_000 },
    );
    expect(result).toMatchObject({ exitCode: 124, timedOut: true, isCanceled: false, stdout: 'started\n' });
    expect(result.durationMs).toBeLessThan(10_000);
    expect(describeExit(result)).toBe('timed out (exit 124)');
  });

  it('stops a command when the signal aborts: isCanceled and exit 130, without throwing', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    const result = await localExec(['sleep', '30'], { signal: controller.signal });
    expect(result).toMatchObject({ exitCode: 130, isCanceled: true, timedOut: false });
    expect(result.durationMs).toBeLessThan(10_000);
  });

  it('reports a command killed by SIGKILL with its signal and exit 137', async () => {
    const result = await localExec(python('import os, signal; os.kill(os.getpid(), signal.SIGKILL)'));
    expect(result).toMatchObject({ exitCode: 137, signal: 'SIGKILL', timedOut: false, isCanceled: false });
    expect(describeExit(result)).toBe('was killed by SIGKILL (exit 137)');
  });

  it('measures how long the command ran', async () => {
    const result = await localExec(['sleep', '0.1']);
    expect(result.durationMs).toBeGreaterThan(50);
  });

  it('throws for an empty argv, which names no command', async () => {
    await expect(localExec([])).rejects.toThrow(TypeError);
  });
});
