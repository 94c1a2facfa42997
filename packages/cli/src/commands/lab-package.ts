import type * as Lab from '@leap/lab';
import { CliError, ExitCode } from '../errors.js';
import { cliVersion } from '../version.js';

export type LabPackage = typeof Lab;

/**
 * @leap/lab, loaded only for `leap lab …`: operators do not get the lab (528 KB of stand-ins and seeds) unless they
 * install it next to the CLI, so a missing package is a usage error with the command that installs the matching one.
 */
export async function loadLabPackage(): Promise<LabPackage> {
  try {
    return await import('@leap/lab');
  } catch (error) {
    if (!isLabNotFound(error)) throw error;
    throw new CliError('LEAP_LAB_NOT_INSTALLED', '`leap lab` needs the @leap/lab package, which is not installed', {
      exitCode: ExitCode.usage,
      hint: `npm install -g @leap/lab@${cliVersion()}`,
      cause: error,
    });
  }
}

/** Node's "Cannot find package '@leap/lab'" (not a missing dependency of an installed @leap/lab). */
function isLabNotFound(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'ERR_MODULE_NOT_FOUND' && error instanceof Error && error.message.includes("'@leap/lab'");
}
