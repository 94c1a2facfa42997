import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { requireCommand, tempDir } from '@leap/test-fixtures';
import { beforeAll, describe, expect, it } from 'vitest';
import { ansibleExec, OsaDeployError, type Exec } from '../src/index.js';
import { processesWithEnv, writeInventory } from './helpers.js';

beforeAll(() => {
  requireCommand('ansible');
});

const PRINT_ARGV = ['python3', '-c', 'import json, sys; sys.stdout.write(json.dumps(sys.argv[1:]))'];

function inventoryIn(dir: string): string[] {
  return [
    writeInventory(
      dir,
      { galera_all: ['galera1', 'galera2'], utility_all: ['utility1'], lost: ['gone'] },
      { unreachable: ['gone'] },
    ),
  ];
}

async function rejection(promise: Promise<unknown>): Promise<OsaDeployError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(OsaDeployError);
  return error as OsaDeployError;
}

describe('ansibleExec', () => {
  it('passes an argument containing spaces, quotes and ; unchanged (and $VARS, ~ and {{ }} too)', async () => {
    const exec: Exec = ansibleExec({ pattern: 'utility1', inventory: inventoryIn(tempDir()) });
    const tricky = [
      `it's "quoted"; rm -rf /tmp/nothing`,
      'a  b',
      '$(echo no) `echo no` $HOME ${PATH}',
      '~root',
      '{{ inventory_hostname }}',
      '{% raw %}',
      'back\\slash',
      'ünïcode',
      'line\nbreak',
      '*',
      '',
    ];
    const result = await exec([...PRINT_ARGV, ...tricky]);
    expect(result.exitCode).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual(tricky);
  });

  it('returns the exit code, stdout and stderr byte for byte, with input, cwd and env', async () => {
    const dir = tempDir();
    const exec = ansibleExec({ pattern: 'utility1', inventory: inventoryIn(dir) });
    const script =
      'import os, sys; data = sys.stdin.read(); sys.stdout.write(os.getcwd() + "|" + os.environ["LEAP_X"] + "|" + data + "\\n\\n"); sys.stderr.write("warn\\n"); sys.exit(3)';
    const result = await exec(['python3', '-c', script], {
      cwd: dir,
      env: { LEAP_X: 'a b;c' },
      input: 'no newline added {{ x }} $HOME',
    });
    expect(result).toMatchObject({
      exitCode: 3,
      stdout: `${dir}|a b;c|no newline added {{ x }} $HOME\n\n`,
      stderr: 'warn\n',
    });
  });

  it('reports a command that does not exist as a failed exit with the reason', async () => {
    const exec = ansibleExec({ pattern: 'utility1', inventory: inventoryIn(tempDir()) });
    const result = await exec(['/nonexistent/mysqldump', '--all']);
    expect(result.exitCode).toBe(127);
    expect(result.stderr).toContain('No such file or directory');
  });

  it('returns each host of a group pattern, with the first failing exit code', async () => {
    const exec = ansibleExec({ pattern: 'galera_all', inventory: inventoryIn(tempDir()) });
    const result = await exec(['python3', '-c', 'import socket; print(1)']);
    expect(result.hosts.map((host) => [host.host, host.exitCode, host.stdout])).toEqual([
      ['galera1', 0, '1\n'],
      ['galera2', 0, '1\n'],
    ]);
    expect(result.stdout).toBe('==> galera1 <==\n1\n\n==> galera2 <==\n1\n');
  });

  it('throws naming the host when it cannot be reached', async () => {
    const exec = ansibleExec({ pattern: 'gone', inventory: inventoryIn(tempDir()) });
    const error = await rejection(exec(['true']));
    expect(error.code).toBe('LEAP_HOST_UNREACHABLE');
    expect(error.host).toBe('gone');
    expect(error.message).toContain('could not reach gone');
  });

  it('throws when the pattern matches no inventory host', async () => {
    const exec = ansibleExec({ pattern: 'neutron_agent', inventory: inventoryIn(tempDir()) });
    const error = await rejection(exec(['true']));
    expect(error.code).toBe('LEAP_NO_HOSTS_MATCHED');
  });

  it('stops the remote command and every ansible process when the call is cancelled, and says so in the result', async () => {
    const mark = randomUUID();
    const exec = ansibleExec({
      pattern: 'utility1',
      inventory: inventoryIn(tempDir()),
      env: { LEAP_TEST_MARK: mark },
      killGraceMs: 1_000,
    });
    const controller = new AbortController();
    const run = exec(['sleep', '293'], { signal: controller.signal, env: { LEAP_TEST_MARK: mark } });
    // Cancel only once the remote `sleep` runs, so the check below is not vacuous.
    let runningBeforeCancel: string[] = [];
    for (
      let waited = 0;
      waited < 30_000 && !runningBeforeCancel.some((cmdline) => cmdline.startsWith('sleep 293'));
      waited += 100
    ) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      runningBeforeCancel = processesWithEnv('LEAP_TEST_MARK', mark).map((p) => p.cmdline);
    }
    controller.abort();
    const result = await run;
    expect(result).toMatchObject({ exitCode: 130, isCanceled: true, timedOut: false, command: 'sleep 293' });
    expect(result.stderr).toContain("cancelled 'sleep 293' on utility1");
    expect(runningBeforeCancel.some((cmdline) => cmdline.startsWith('sleep 293'))).toBe(true);
    expect(runningBeforeCancel.some((cmdline) => cmdline.includes('bin/ansible'))).toBe(true);
    expect(processesWithEnv('LEAP_TEST_MARK', mark)).toEqual([]);
  });

  it('stops a command that outlives its timeout, on the host (Ansible 2.1 has no task timeout)', async () => {
    const mark = randomUUID();
    const exec = ansibleExec({ pattern: 'utility1', inventory: inventoryIn(tempDir()) });
    const result = await exec(['sleep', '271'], { timeoutMs: 1_000, env: { LEAP_TEST_MARK: mark } });
    expect(result).toMatchObject({ exitCode: 124, timedOut: true, isCanceled: false });
    expect(result.stderr).toContain("leap: 'sleep 271' on utility1 did not finish within 1000 ms");
    expect(processesWithEnv('LEAP_TEST_MARK', mark)).toEqual([]);
  });

  it('reports a command killed by a signal on the host with the signal and exit 128+n', async () => {
    const exec = ansibleExec({ pattern: 'utility1', inventory: inventoryIn(tempDir()) });
    const result = await exec(['python3', '-c', 'import os, signal; os.kill(os.getpid(), signal.SIGKILL)']);
    expect(result).toMatchObject({ exitCode: 137, signal: 'SIGKILL', timedOut: false, isCanceled: false });
  });

  it('refuses input too large for a remote command line before running anything', async () => {
    const exec = ansibleExec({ pattern: 'utility1', inventory: inventoryIn(tempDir()) });
    const error = await rejection(exec(['cat'], { input: 'x'.repeat(2 * 1024 * 1024) }));
    expect(error.code).toBe('LEAP_EXEC_TOO_LARGE');
    expect(error.hint).toContain('file');
  });

  it('refuses a remote python command that Ansible would rewrite', async () => {
    const exec = ansibleExec({
      pattern: 'utility1',
      inventory: inventoryIn(tempDir()),
      python: ['/opt/my python/bin/python'],
    });
    expect((await rejection(exec(['true']))).code).toBe('LEAP_EXEC_BAD_PYTHON');
  });

  // Trusty containers run Python 2.7: the trampoline must too. This machine's image has it under pyenv.
  const python27 = '/root/.pyenv/versions/2.7.18/bin/python2.7';
  it.skipIf(!existsSync(python27))('runs the command byte for byte on a host whose Python is 2.7', async () => {
    const dir = tempDir();
    const inventory = writeInventory(
      dir,
      { trusty: ['container1'] },
      { hostVars: { container1: { ansible_python_interpreter: python27 } } },
    );
    const exec = ansibleExec({ pattern: 'container1', inventory: [inventory], python: [python27] });
    const tricky = [
      `it's "quoted"; rm -rf /tmp/nothing`,
      '$(echo no) $HOME',
      '{{ inventory_hostname }}',
      'ünïcode',
      'line\nbreak',
      '',
      'chdir=/',
    ];
    const result = await exec(
      [
        python27,
        '-c',
        'import json, sys; sys.stdout.write(json.dumps([a.decode("utf-8") for a in sys.argv[1:]]) + "\\n\\n")',
        ...tricky,
      ],
      { input: 'x', cwd: dir },
    );
    expect(result.exitCode).toBe(0);
    expect(result.stdout.endsWith('\n\n')).toBe(true);
    expect(JSON.parse(result.stdout)).toEqual(tricky);
  });
});
