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
  const { serviceVenvBin } = await import('./openstack-release.js');
  return [`${await serviceVenvBin(rt, 'cinder', 'set openstackClients.cinderManage in leap.yaml')}/cinder-manage`];
}
