import type { Step, StepContext } from '@leap/markers';
import type { CleanupAction } from '@leap/osa-deploy';
import type { LeapRuntime } from '../runtime.js';

type CleanupName = 'cleanupCinderServices' | 'cleanupNovaServices' | 'cleanupNeutronAgents' | 'cleanupDhcpPorts';

/**
 * Upstream's post-redeploy-cleanup.yml, one step per kind of debris the Kilo host names left in the APIs. Each
 * action is journaled as it is done (a leap killed in the middle still reports it); each step lists again when
 * it runs, so a resumed one only does what is left. Cinder goes first: its volumes are moved before their old
 * service is removed.
 */
export function oldHostnameCleanupSteps(rt: LeapRuntime): Step[] {
  const step = (id: string, title: string, name: CleanupName): Step => ({
    id,
    title,
    async run(ctx) {
      const cleanup = (await import('@leap/osa-deploy'))[name];
      const { openstackClientsFor } = await import('../openstack-clients.js');
      const actions: CleanupAction[] = [];
      await cleanup(await openstackClientsFor(rt, ctx), (action) => {
        actions.push(action);
        logAction(ctx, action);
      });
      return summarise(actions);
    },
  });
  return [
    step(
      'newton/cleanup/cinder-services',
      "cinder: the Kilo hosts' volumes moved to their Newton host names, then the Kilo services removed",
      'cleanupCinderServices',
    ),
    step(
      'newton/cleanup/nova-services',
      'nova: the services of Kilo host names, down since the re-deploy, disabled and deleted',
      'cleanupNovaServices',
    ),
    step(
      'newton/cleanup/neutron-agents',
      'neutron: the dead agents of Kilo host names set down and deleted',
      'cleanupNeutronAgents',
    ),
    step(
      'newton/cleanup/dhcp-ports',
      "neutron: the Kilo DHCP agents' ports deleted where they block a network's new DHCP port (BUILD)",
      'cleanupDhcpPorts',
    ),
  ];
}

function logAction(ctx: StepContext, action: CleanupAction): void {
  const what = `${action.action} ${action.name}${action.id === undefined ? '' : ` (${action.id})`}`;
  if (action.action === 'kept')
    // A thing left in place is the operator's to look at: a warning in the report.
    ctx.log(`warning: ${what}: ${action.reason ?? ''}`, { kind: 'cleanup', action, level: 'warn' });
  else ctx.log(action.reason === undefined ? what : `${what}: ${action.reason}`, { kind: 'cleanup', action });
}

function summarise(actions: readonly CleanupAction[]): string {
  const count = (a: CleanupAction['action']) => actions.filter((x) => x.action === a).length;
  const parts = [`${count('deleted')} deleted`];
  if (count('moved') > 0) parts.push(`${count('moved')} volume hosts moved`);
  if (count('kept') > 0) parts.push(`${count('kept')} kept (see the report)`);
  return parts.join(', ');
}
