import { describe, expect, it } from 'vitest';
import { createConfirmations } from '../src/confirmations.js';

const io = { stdout: () => undefined, stderr: () => undefined };

describe('confirmations', () => {
  it('accepts the detected source given by --confirm-source', async () => {
    await expect(
      createConfirmations({ confirmSource: 'kilo', interactive: false, io }).source('kilo', 'r14.1.0'),
    ).resolves.toBeUndefined();
  });

  it('declines with exit 4 when the typed source differs from the detected one', async () => {
    await expect(
      createConfirmations({ confirmSource: 'liberty', interactive: false, io }).source('kilo', 'r14.1.0'),
    ).rejects.toMatchObject({ code: 'LEAP_CONFIRMATION_DECLINED', exitCode: 4 });
  });

  it('stops with exit 2 and names the flag when there is no TTY and no answer', async () => {
    await expect(createConfirmations({ interactive: false, io }).source('kilo', 'r14.1.0')).rejects.toMatchObject({
      code: 'LEAP_CONFIRMATION_NEEDED',
      exitCode: 2,
      hint: expect.stringContaining('--confirm-source kilo'),
    });
    await expect(createConfirmations({ interactive: false, io }).redeploy('summary')).rejects.toMatchObject({
      exitCode: 2,
      hint: expect.stringContaining('--confirm-redeploy'),
    });
  });

  it('goes on past the re-deploy with --confirm-redeploy', async () => {
    await expect(
      createConfirmations({ confirmRedeploy: true, interactive: false, io }).redeploy('summary'),
    ).resolves.toBeUndefined();
  });
});
