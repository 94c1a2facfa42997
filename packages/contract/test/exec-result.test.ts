import { describe, expect, it } from 'vitest';
import { execResult } from '../src/index.js';

describe('execResult', () => {
  it('fills a successful result from the argv alone', () => {
    expect(execResult(['nova-manage', 'db', 'sync'])).toEqual({
      command: 'nova-manage db sync',
      exitCode: 0,
      signal: undefined,
      timedOut: false,
      isCanceled: false,
      durationMs: 0,
      stdout: '',
      stderr: '',
    });
  });

  it('keeps the exit code and output given', () => {
    expect(execResult(['false'], { exitCode: 1, stderr: 'no\n' })).toMatchObject({ exitCode: 1, stderr: 'no\n' });
  });

  it('derives the exit code of a cancellation, a timeout and a signal from the rule', () => {
    expect(execResult(['sleep'], { isCanceled: true, signal: 'SIGTERM' }).exitCode).toBe(130);
    expect(execResult(['sleep'], { timedOut: true, signal: 'SIGTERM', exitCode: 0 }).exitCode).toBe(124);
    expect(execResult(['sleep'], { signal: 'SIGKILL' }).exitCode).toBe(137);
    expect(execResult(['sleep'], { signal: 'SIGTERM' }).exitCode).toBe(143);
  });
});
