import { describe, expect, it } from 'vitest';
import { isLeapError, LeapError } from '../src/index.js';

class ExampleError extends LeapError<'LEAP_EXAMPLE_BROKEN'> {
  override readonly name = 'ExampleError';
}

describe('LeapError', () => {
  it('carries the code, message, hint, where it happened and the cause', () => {
    const cause = new Error('EACCES');
    const error = new ExampleError('LEAP_EXAMPLE_BROKEN', 'cannot read /etc/x.yml', {
      hint: 'fix the permissions of /etc/x.yml',
      file: '/etc/x.yml',
      host: 'infra1',
      step: 'inventory/upgrade',
      cause,
    });
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({
      name: 'ExampleError',
      code: 'LEAP_EXAMPLE_BROKEN',
      message: 'cannot read /etc/x.yml',
      hint: 'fix the permissions of /etc/x.yml',
      file: '/etc/x.yml',
      host: 'infra1',
      step: 'inventory/upgrade',
    });
    expect(error.cause).toBe(cause);
    expect(String(error.stack)).toContain('ExampleError: cannot read /etc/x.yml');
  });

  it('leaves what was not given undefined, and has no cause property without one', () => {
    const error = new LeapError('LEAP_EXAMPLE_BROKEN', 'boom');
    expect([error.hint, error.file, error.host, error.step]).toEqual([undefined, undefined, undefined, undefined]);
    expect('cause' in error).toBe(false);
  });
});

describe('isLeapError', () => {
  it('recognises any Error with a LEAP_ code, from whichever copy of @leap/contract', () => {
    expect(isLeapError(new LeapError('LEAP_EXAMPLE_BROKEN', 'boom'))).toBe(true);
    expect(isLeapError(Object.assign(new Error('from another copy'), { code: 'LEAP_ELSEWHERE' }))).toBe(true);
  });

  it('refuses other errors and non-errors', () => {
    expect(isLeapError(Object.assign(new Error('ENOENT'), { code: 'ENOENT' }))).toBe(false);
    expect(isLeapError(new Error('plain'))).toBe(false);
    expect(isLeapError({ code: 'LEAP_NOT_AN_ERROR', message: 'plain object' })).toBe(false);
    expect(isLeapError(undefined)).toBe(false);
  });
});
