import { describe, expect, it } from 'vitest';
import { MarkersError } from '../src/index.js';

describe('MarkersError', () => {
  it('carries a LEAP_ code, a hint and the file involved', () => {
    const error = new MarkersError('LEAP_EXAMPLE', 'something failed', { hint: 'do this next', file: '/etc/x.yml' });
    expect(error).toBeInstanceOf(Error);
    expect(error.code).toBe('LEAP_EXAMPLE');
    expect(error.hint).toBe('do this next');
    expect(error.file).toBe('/etc/x.yml');
  });
});
