import type { LeapConfig } from '../config.js';
import { CliError, ExitCode } from '../errors.js';

/** leap.yaml's pipUnify, which a leap to Newton cannot do without (preflight's pip-unify check says so first). */
export function pipUnifyConfig(config: LeapConfig): NonNullable<LeapConfig['pipUnify']> {
  if (config.pipUnify !== undefined) return config.pipUnify;
  const file = config.configFile ?? 'leap.yaml';
  throw new CliError('LEAP_PIP_UNIFY_NOT_CONFIGURED', `${file} sets no pipUnify.getPip`, {
    file,
    hint: `download get-pip.py once (leap preflight names the URL) and set pipUnify.getPip.file and .sha256 in ${file}`,
    exitCode: ExitCode.usage,
  });
}
