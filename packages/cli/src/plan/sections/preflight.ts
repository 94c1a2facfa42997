import type { Step } from '@leap/markers';
import { CliError, ExitCode } from '../../errors.js';
import type { LeapRuntime } from '../runtime.js';

/** The read-only checks of `leap preflight`, as the first step of the leap: a failed check stops it. */
export function preflightSteps(rt: LeapRuntime): Step[] {
  return [
    {
      id: 'preflight/checks',
      title: 'deployment healthy and at the latest release of its series; room for backups',
      legacyMarkers: ['rpc-preflight-check'],
      async run(ctx) {
        const { runPreflightChecks, formatChecks } = await import('../../preflight/run-checks.js');
        // Until this step completes nothing has changed the release file, so it still names the source.
        const results = await runPreflightChecks(rt, undefined);
        ctx.log('preflight', { kind: 'preflight', results });
        const failed = results.filter((r) => r.status === 'failed');
        if (failed.length > 0) {
          throw new CliError(
            'LEAP_PREFLIGHT_FAILED',
            `${failed.length} preflight check${failed.length > 1 ? 's' : ''} failed:\n${formatChecks(failed)}`,
            {
              exitCode: ExitCode.stepFailed,
              step: ctx.stepId,
              file: failed[0]?.file,
              host: failed[0]?.host,
              hint: failed[0]?.hint ?? 'fix what the checks report, then run `leap run` again',
            },
          );
        }
        return `${results.filter((r) => r.status === 'ok').length} checks passed`;
      },
    },
  ];
}
