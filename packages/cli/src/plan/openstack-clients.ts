import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { OpenstackClients } from '@leap/osa-deploy';
import type { LeapRuntime } from './runtime.js';

/**
 * The OpenStack clients on the first utility container, with the admin openrc's variables (the password is
 * registered as a secret before anything can print it), and cinder-manage in the Newton cinder venv.
 */
export async function openstackClientsFor(
  rt: LeapRuntime,
  ctx: { signal?: AbortSignal; addSecret(value: string): void },
): Promise<OpenstackClients> {
  const { readOpenrc } = await import('@leap/osa-deploy');
  const settings = rt.config.openstackClients;
  const utility = await rt.execOn('utility_all');
  const env = await readOpenrc(utility, settings.openrc, ctx.signal);
  if (env.OS_PASSWORD) ctx.addSecret(env.OS_PASSWORD);
  return {
    utility,
    cinder: await rt.execOn('cinder_all'),
    openstack: settings.openstack,
    neutron: settings.neutron,
    cinderManage: settings.cinderManage ?? (await defaultCinderManage(rt)),
    env,
    signal: ctx.signal,
  };
}

/** OSA puts each service's venv at /openstack/venvs/<service>-<openstack_release>; the release is the checkout's. */
async function defaultCinderManage(rt: LeapRuntime): Promise<string[]> {
  const file = join(rt.config.rpcoDir, 'openstack-ansible', 'playbooks', 'inventory', 'group_vars', 'all.yml');
  const { CliError, ExitCode } = await import('../errors.js');
  const unknown = (why: string) =>
    new CliError('LEAP_OPENSTACK_RELEASE_UNKNOWN', `cannot tell where cinder-manage is: ${file} ${why}`, {
      file,
      exitCode: ExitCode.stepFailed,
      hint: 'check that the rpc-openstack checkout is at the target tag, or set openstackClients.cinderManage in leap.yaml',
    });
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw unknown(`cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  const release = /^openstack_release:\s*["']?([\w.-]+)["']?\s*$/m.exec(text)?.[1];
  if (release === undefined) throw unknown('sets no openstack_release');
  return [`/openstack/venvs/cinder-${release}/bin/cinder-manage`];
}
