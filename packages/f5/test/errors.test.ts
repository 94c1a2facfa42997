import { describe, expect, it } from 'vitest';
import { F5Error } from '../src/index.js';

describe('F5Error', () => {
  it('carries a LEAP_ code, a hint and the file involved', () => {
    const error = new F5Error('LEAP_EXAMPLE', 'something failed', { hint: 'do this next', file: '/etc/x.yml' });
    expect(error).toBeInstanceOf(Error);
    expect(error.code).toBe('LEAP_EXAMPLE');
    expect(error.hint).toBe('do this next');
    expect(error.file).toBe('/etc/x.yml');
  });
});
