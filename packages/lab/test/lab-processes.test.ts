import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '@leap/test-fixtures';
import { labAsset } from '../src/index.js';

const labProcesses = (args: string[]) => execa(labAsset('bin/lab-processes'), args, { reject: false });

let base: string;
let root: string;

beforeAll(() => {
  base = makeTempDir('leap-lab-processes-');
  root = join(base, 'hosts/compute1');
  mkdirSync(join(root, 'var/run/leap-lab'), { recursive: true });
  writeFileSync(
    join(root, 'var/run/leap-lab/processes'),
    [
      '1 /sbin/init',
      '1101 /usr/bin/python /usr/local/bin/nova-compute --config-file /etc/nova/nova.conf',
      '',
      '1188 /usr/bin/python /usr/bin/nova-agent -q',
      '2001 tail -F /var/log/nova/nova-compute.log',
      '',
    ].join('\n'),
  );
});

afterAll(async () => {
  await execa('rm', ['-rf', base]);
});

describe('lab-processes, the lab hosts’ pgrep -a -f', () => {
  it('prints the lines whose command line matches the extended regex, as pgrep -a does, and exits 0', async () => {
    const nova = await labProcesses([root, 'nova-']);
    expect([nova.exitCode, nova.stdout.split('\n')]).toEqual([
      0,
      [
        '1101 /usr/bin/python /usr/local/bin/nova-compute --config-file /etc/nova/nova.conf',
        '1188 /usr/bin/python /usr/bin/nova-agent -q',
        '2001 tail -F /var/log/nova/nova-compute.log',
      ],
    ]);
    const anchored = await labProcesses([root, '^/usr/bin/(python|perl) /usr/local/bin/nova-[a-z]+ ']);
    expect([anchored.exitCode, anchored.stdout]).toEqual([
      0,
      '1101 /usr/bin/python /usr/local/bin/nova-compute --config-file /etc/nova/nova.conf',
    ]);
    // The pid is not part of the command line.
    const pid = await labProcesses([root, '^1101']);
    expect([pid.exitCode, pid.stdout]).toEqual([1, '']);
  });

  it('exits 1 when nothing matches or the host has no process list, 2 on a usage or regex error', async () => {
    expect((await labProcesses([root, 'neutron-'])).exitCode).toBe(1);
    const bare = join(base, 'hosts/infra1');
    mkdirSync(bare, { recursive: true });
    expect((await labProcesses([bare, 'nova-'])).exitCode).toBe(1);
    for (const args of [[root], [root, 'nova-', 'extra'], [join(base, 'hosts/missing'), 'nova-']]) {
      const usage = await labProcesses(args);
      expect([usage.exitCode, usage.stderr], args.join(' ')).toEqual([
        2,
        expect.stringContaining('usage: lab-processes'),
      ]);
    }
    expect((await labProcesses([root, 'nova-(compute'])).exitCode).toBe(2);
  });
});
