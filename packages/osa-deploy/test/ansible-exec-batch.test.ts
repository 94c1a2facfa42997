import { existsSync } from 'node:fs';
import { requireCommand, tempDir } from '@leap/test-fixtures';
import { beforeAll, describe, expect, it } from 'vitest';
import { ansibleExec, OsaDeployError } from '../src/index.js';
import { writeInventory } from './helpers.js';

beforeAll(() => {
  requireCommand('ansible-playbook');
});

function inventoryIn(dir: string): string[] {
  return [writeInventory(dir, { galera_all: ['galera1', 'galera2'], utility_all: ['utility1'] })];
}

describe('ansibleExec batch: several commands on one host in one play', () => {
  it('runs each command with its own options, in order, byte for byte, and goes on past a failure', async () => {
    const dir = tempDir();
    const exec = ansibleExec({ pattern: 'utility_all[0]', inventory: inventoryIn(dir) });
    const results = await exec.batch([
      {
        argv: [
          'python3',
          '-c',
          'import os, sys; sys.stdout.write(os.getcwd() + "|" + os.environ["LEAP_X"] + "|" + sys.stdin.read())',
        ],
        options: { cwd: dir, env: { LEAP_X: '{{ x }} $HOME' }, input: 'in\n' },
      },
      { argv: ['python3', '-c', 'import os, sys; sys.stdout.write(os.environ.get("LEAP_X", "unset")); sys.exit(4)'] },
      { argv: ['/nonexistent/tool'] },
      { argv: ['printf', '%s', "it's; $(no)"] },
    ]);
    expect(results.map((r) => [r.command.split(' ')[0], r.exitCode, r.stdout])).toEqual([
      ['python3', 0, `${dir}|{{ x }} $HOME|in\n`],
      ['python3', 4, 'unset'],
      ['/nonexistent/tool', 127, ''],
      ['printf', 0, "it's; $(no)"],
    ]);
    expect(results[2]?.stderr).toContain('No such file or directory');
  });

  it('ends at the first failing command when asked, and returns only the commands that ran', async () => {
    const dir = tempDir();
    const exec = ansibleExec({ pattern: 'utility_all[0]', inventory: inventoryIn(dir) });
    const results = await exec.batch(
      [
        { argv: ['true'] },
        { argv: ['python3', '-c', 'import sys; sys.stderr.write("no\\n"); sys.exit(2)'] },
        { argv: ['touch', `${dir}/ran`] },
      ],
      { stopOnFailure: true },
    );
    expect(results.map((r) => [r.exitCode, r.stderr])).toEqual([
      [0, ''],
      [2, 'no\n'],
    ]);
  });

  it('kills a command at its own timeout and ends the batch there', async () => {
    const exec = ansibleExec({ pattern: 'utility1', inventory: inventoryIn(tempDir()) });
    const results = await exec.batch([{ argv: ['sleep', '30'], options: { timeoutMs: 1000 } }, { argv: ['true'] }]);
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ timedOut: true, exitCode: 124 });
    expect(results[0]?.stderr).toContain("'sleep 30' on utility1 did not finish within 1000 ms");
  });

  it('refuses a pattern that matches several hosts, and runs nothing for an empty batch', async () => {
    const exec = ansibleExec({ pattern: 'galera_all', inventory: inventoryIn(tempDir()) });
    expect(await exec.batch([])).toEqual([]);
    const error = await exec.batch([{ argv: ['true'] }]).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(OsaDeployError);
    expect(error).toMatchObject({ code: 'LEAP_EXEC_BATCH_HOSTS', host: 'galera_all' });
  });

  // Trusty containers run Python 2.7: the batch trampoline must too. This machine's image has it under pyenv.
  const python27 = '/root/.pyenv/versions/2.7.18/bin/python2.7';
  it.skipIf(!existsSync(python27))('runs a batch on a host whose Python is 2.7', async () => {
    const dir = tempDir();
    const inventory = writeInventory(
      dir,
      { trusty: ['container1'] },
      { hostVars: { container1: { ansible_python_interpreter: python27 } } },
    );
    const exec = ansibleExec({ pattern: 'container1', inventory: [inventory], python: [python27] });
    const results = await exec.batch(
      [{ argv: ['printf', '%s', 'ünïcode $HOME'], options: { cwd: dir } }, { argv: ['false'] }, { argv: ['true'] }],
      { stopOnFailure: true },
    );
    expect(results.map((r) => [r.exitCode, r.stdout])).toEqual([
      [0, 'ünïcode $HOME'],
      [1, ''],
    ]);
  });
});
