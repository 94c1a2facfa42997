import { describe, expect, it } from 'vitest';
import { leap, startLeap } from '../src/index.js';

describe('the built leap binary', () => {
  it('runs leap to completion with its output', async () => {
    const result = await leap(['--version']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('waits for an output line of a started leap, and rejects once leap has exited without it', async () => {
    const started = startLeap(['--help']);
    expect(await started.waitForLine(/^Usage: leap/, { timeoutMs: 30_000 })).toMatch(/^Usage: leap/);
    await expect(started.waitForLine(/no such line/, { timeoutMs: 30_000 })).rejects.toThrow(
      /leap exited before a line matched/,
    );
    expect((await started.exited).exitCode).toBe(0);
  });
});
