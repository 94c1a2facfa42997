import { describe, expect, it } from 'vitest';
import { MissingSystemCommandError, requireCommand } from '../src/index.js';

describe('requireCommand', () => {
  it('finds an installed command', () => {
    expect(requireCommand('git')).toMatch(/git$/);
  });
  it('fails with the Debian package to install when a command is missing', () => {
    expect(() => requireCommand('mariadbd-not-there')).toThrow(MissingSystemCommandError);
    expect(() => requireCommand('mariadbd-not-there')).toThrow(/apt-get install -y mariadbd-not-there/);
  });
});
