import { describe, expect, it } from 'vitest';
import { OsaDeployError } from '../src/index.js';

describe('OsaDeployError', () => {
  it('carries a LEAP_ code, a hint and the file involved', () => {
    const error = new OsaDeployError('LEAP_EXAMPLE', 'something failed', { hint: 'do this next', file: '/etc/x.yml' });
    expect(error).toBeInstanceOf(Error);
    expect(error.code).toBe('LEAP_EXAMPLE');
    expect(error.hint).toBe('do this next');
    expect(error.file).toBe('/etc/x.yml');
  });
});
