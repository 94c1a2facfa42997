import { describe, expect, it } from 'vitest';
import { batchOf, localExec, type BatchingExec, type ExecBatch } from '../src/index.js';

describe('batchOf', () => {
  it('runs a runner without its own batch one command after the other, each with its options', async () => {
    const results = await batchOf(localExec)([
      { argv: ['sh', '-c', 'printf "%s" "$X"'], options: { env: { X: 'one' } } },
      { argv: ['cat'], options: { input: 'two' } },
      { argv: ['sh', '-c', 'exit 3'] },
      { argv: ['true'] },
    ]);
    expect(results.map((r) => [r.exitCode, r.stdout])).toEqual([
      [0, 'one'],
      [0, 'two'],
      [3, ''],
      [0, ''],
    ]);
  });

  it('stops at the first failing command when asked', async () => {
    const results = await batchOf(localExec)([{ argv: ['true'] }, { argv: ['false'] }, { argv: ['true'] }], {
      stopOnFailure: true,
    });
    expect(results.map((r) => r.exitCode)).toEqual([0, 1]);
  });

  it("uses the runner's own batch when it has one", async () => {
    const own: ExecBatch = async () => [];
    const exec: BatchingExec = Object.assign(localExec.bind(null), { batch: own });
    expect(batchOf(exec)).toBe(own);
  });
});
