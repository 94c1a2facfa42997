import { describe, expect, it } from 'vitest';
import { execResult, type BatchCommand, type BatchingExec } from '@leap/contract';
import { runAs } from '../src/plan/run-as.js';

const ok = execResult([]);

function recorder() {
  const single: string[][] = [];
  const batches: string[][][] = [];
  const exec: BatchingExec = async (argv) => {
    single.push([...argv]);
    return ok;
  };
  exec.batch = async (commands: readonly BatchCommand[]) => {
    batches.push(commands.map((c) => [...c.argv]));
    return commands.map(() => ok);
  };
  return { exec, single, batches };
}

describe('runAs', () => {
  const prefix = ['sudo', '-H', '-u', '{user}', '--'];

  it('prefixes each command of a batch and keeps it one batch', async () => {
    const { exec, batches, single } = recorder();
    const asNeutron = runAs(exec, prefix, 'neutron');
    await asNeutron.batch?.([{ argv: ['neutron-db-manage', 'upgrade', 'heads'] }, { argv: ['true'] }]);
    await asNeutron(['id', '-u']);
    expect(batches).toEqual([
      [
        ['sudo', '-H', '-u', 'neutron', '--', 'neutron-db-manage', 'upgrade', 'heads'],
        ['sudo', '-H', '-u', 'neutron', '--', 'true'],
      ],
    ]);
    expect(single).toEqual([['sudo', '-H', '-u', 'neutron', '--', 'id', '-u']]);
  });

  it('is the runner itself without a user, and has no batch when the runner has none', () => {
    const { exec } = recorder();
    expect(runAs(exec, prefix, undefined)).toBe(exec);
    const plain: BatchingExec = async () => ok;
    expect(runAs(plain, prefix, 'neutron').batch).toBeUndefined();
  });
});
