import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { LeapRuntime } from './runtime.js';

/**
 * The bin folder of a service's venv as OSA makes it, /openstack/venvs/<service>-<openstack_release>/bin, the
 * release read from the target checkout's group_vars/all.yml. `orElse` says what the operator can set instead.
 */
export async function serviceVenvBin(rt: LeapRuntime, service: string, orElse: string): Promise<string> {
  const file = join(rt.config.rpcoDir, 'openstack-ansible', 'playbooks', 'inventory', 'group_vars', 'all.yml');
  const { CliError, ExitCode } = await import('../errors.js');
  const unknown = (why: string) =>
    new CliError('LEAP_OPENSTACK_RELEASE_UNKNOWN', `cannot tell where the ${service} venv is: ${file} ${why}`, {
      file,
      exitCode: ExitCode.stepFailed,
      hint: `check that the rpc-openstack checkout is at the target tag, or ${orElse}`,
    });
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw unknown(`cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  const release = /^openstack_release:\s*["']?([\w.-]+)["']?\s*$/m.exec(text)?.[1];
  if (release === undefined) throw unknown('sets no openstack_release');
  return `/openstack/venvs/${service}-${release}/bin`;
}
