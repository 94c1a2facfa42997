import { describe, expect, it } from 'vitest';
import { main } from '../src/main.js';
import { CliError, ExitCode } from '../src/errors.js';
import { reportError } from '../src/output.js';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { stdout: (t: string) => void out.push(t), stderr: (t: string) => void err.push(t) }, out, err };
}

describe('leap', () => {
  it('prints its version', async () => {
    const { io, out } = capture();
    expect(await main(['--version'], io)).toBe(ExitCode.ok);
    expect(out.join('')).toMatch(/^\d+\.\d+\.\d+\n$/);
  });

  it('prints help', async () => {
    const { io, out } = capture();
    expect(await main(['--help'], io)).toBe(ExitCode.ok);
    expect(out.join('')).toContain('Usage: leap');
  });

  it('exits 2 on an unknown option and says so', async () => {
    const { io, err } = capture();
    expect(await main(['--no-such-option'], io)).toBe(ExitCode.usage);
    expect(err.join('')).toContain("unknown option '--no-such-option'");
  });
});

describe('reportError', () => {
  it('prints message, code, where and hint of a leap error without a stack', () => {
    const { io, err } = capture();
    const code = reportError(
      io,
      new CliError('LEAP_CLI_CONFIG_INVALID', 'leap.yaml is not valid', {
        file: '/etc/leap.yaml',
        hint: 'fix the key',
      }),
      false,
    );
    const text = err.join('');
    expect(code).toBe(ExitCode.usage);
    expect(text).toContain('leap.yaml is not valid');
    expect(text).toContain('LEAP_CLI_CONFIG_INVALID');
    expect(text).toContain('file: /etc/leap.yaml');
    expect(text).toContain('hint');
    expect(text).not.toContain('at ');
  });

  it('shows the stack only with --debug', () => {
    const { io, err } = capture();
    reportError(io, new CliError('LEAP_PREFLIGHT_FAILED', 'boom'), true);
    expect(err.join('')).toContain('CliError: boom');
  });

  it('treats any error with a LEAP_ code as a leap error, whichever library threw it', () => {
    const { io, err } = capture();
    const foreign = Object.assign(new Error('marker is corrupt'), { code: 'LEAP_MARKER_CORRUPT', hint: 'remove it' });
    expect(reportError(io, foreign, false)).toBe(ExitCode.usage);
    expect(err.join('')).toContain('remove it');
  });
});
