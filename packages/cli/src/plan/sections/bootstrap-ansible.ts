import { constants } from 'node:fs';
import { access, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Step } from '@leap/markers';
import { CliError, ExitCode } from '../../errors.js';
import type { LeapRuntime } from '../runtime.js';

/** r14.1.0's bootstrap: RPC-O's script, which runs OSA's and installs the Ansible 2.1 Newton's playbooks need. */
export const BOOTSTRAP_SCRIPT = 'scripts/bootstrap-ansible.sh';
/** pip installs from the repo server or the internet: minutes on a good day. */
const BOOTSTRAP_TIMEOUT_MS = 60 * 60_000;

/**
 * Upstream's R3 (`rebootstrap-ansible-for-rpc`): right after the checkout, the target's own bootstrap replaces
 * Kilo's Ansible 1.9 with the target's Ansible and openstack-ansible wrapper; every playbook after it runs on them.
 */
export function bootstrapAnsibleStep(rt: LeapRuntime): Step {
  const { config } = rt;
  const script = join(config.rpcoDir, BOOTSTRAP_SCRIPT);
  return {
    id: 'git/bootstrap-ansible',
    title: `the target's Ansible installed by ${BOOTSTRAP_SCRIPT}`,
    legacyMarkers: ['rebootstrap-ansible-for-rpc'],
    inputs: { script },
    async run(ctx) {
      await access(script, constants.X_OK).catch((error: unknown) => {
        throw new CliError('LEAP_BOOTSTRAP_MISSING', `${script} is missing or not executable`, {
          file: script,
          step: 'git/bootstrap-ansible',
          exitCode: ExitCode.stepFailed,
          cause: error,
          hint: `check that ${config.rpcoDir} is on ${config.target} (git/checkout), then resume`,
        });
      });
      const started = Date.now();
      const result = await rt.localExec([script], {
        cwd: config.rpcoDir,
        timeoutMs: BOOTSTRAP_TIMEOUT_MS,
        signal: ctx.signal,
      });
      const log = join(rt.paths.logs, `bootstrap-ansible-${new Date(started).toISOString().replace(/[:.]/g, '-')}.log`);
      await mkdir(rt.paths.logs, { recursive: true });
      await writeFile(
        log,
        `$ ${script}\n${result.stdout}\n--- stderr ---\n${result.stderr}\n--- exit ${result.exitCode} ---\n`,
        { mode: 0o600 },
      );
      ctx.log('bootstrap-ansible finished', {
        exitCode: result.exitCode,
        log,
        seconds: Math.round((Date.now() - started) / 1000),
      });
      if (result.exitCode !== 0) {
        throw new CliError(
          'LEAP_BOOTSTRAP_FAILED',
          `${script} failed (exit ${result.exitCode}); its output is in ${log}`,
          {
            file: log,
            step: 'git/bootstrap-ansible',
            exitCode: ExitCode.stepFailed,
            hint: `read ${log}, fix the cause (often the pip index or the repo server) and resume; the script is safe to run again`,
          },
        );
      }
      const version = await ansibleVersion(rt);
      return `${BOOTSTRAP_SCRIPT} done; ${config.ansible.execCommand.join(' ')} is ${version}; log ${log}`;
    },
  };
}

async function ansibleVersion(rt: LeapRuntime): Promise<string> {
  const [file, ...args] = rt.config.ansible.execCommand;
  const result = await rt.localExec([file!, ...args, '--version']);
  return /(\d+\.\d+(?:\.\d+)*)/.exec(result.stdout.split('\n')[0] ?? '')?.[1] ?? 'unknown';
}
