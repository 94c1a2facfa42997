import { parseNeutronPorts, type VolumeService } from './client-lists.js';
import { listComputeServices, listNeutronAgents, listRows, listVolumeServices } from './client-queries.js';
import { isKiloHostName, newtonHostName } from './host-names.js';
import { runClient, runClientSequences, type ClientSequence, type OpenstackClients } from './openstack-clients.js';

/** One thing the cleanup did, or left in place on purpose; reported as soon as it is done. */
export interface CleanupAction {
  kind: 'nova-service' | 'cinder-service' | 'cinder-volumes' | 'neutron-agent' | 'dhcp-port';
  action: 'deleted' | 'moved' | 'kept';
  /** The API id (nova service, neutron agent, port), when the thing has one. */
  id?: string;
  /** What it is: `nova-conductor on infra1_nova_conductor_container-4dd9f3a2`. */
  name: string;
  /** Why it was kept, or where volumes went. */
  reason?: string;
}

export type OnCleanupAction = (action: CleanupAction) => void;

const upUnderKiloName = 'still up under its Kilo host name (is its Kilo container still running?): not deleted';

/**
 * The nova services Kilo registered under container names with underscores, down since the re-deploy: disabled,
 * then deleted (upstream post-redeploy-cleanup.yml). One still up is left alone and reported.
 */
export async function cleanupNovaServices(clients: OpenstackClients, onAction: OnCleanupAction): Promise<void> {
  const services = await listComputeServices(clients);
  const deletions: ClientSequence[] = [];
  for (const service of services.filter((s) => isKiloHostName(s.host))) {
    const name = `${service.binary} on ${service.host}`;
    if (service.up) {
      onAction({ kind: 'nova-service', action: 'kept', id: service.id, name, reason: upUnderKiloName });
      continue;
    }
    deletions.push({
      commands: [
        ...(service.enabled ? [['compute', 'service', 'set', '--disable', service.host, service.binary]] : []),
        ['compute', 'service', 'delete', service.id],
      ],
      done: () => onAction({ kind: 'nova-service', action: 'deleted', id: service.id, name }),
    });
  }
  await runClientSequences(clients, 'openstack', deletions);
}

/**
 * Cinder's Kilo-named services: the volumes of each old cinder-volume host moved to its Newton name first (so no
 * volume is left on a host nothing serves, even if leap is killed in between), then the old services removed.
 * An old cinder-volume host whose Newton name has no cinder-volume service up keeps its volumes and its service.
 */
export async function cleanupCinderServices(clients: OpenstackClients, onAction: OnCleanupAction): Promise<void> {
  const services = await listVolumeServices(clients);
  const upVolumeHosts = new Set(services.filter((s) => s.binary === 'cinder-volume' && s.up).map((s) => s.host));
  for (const service of services.filter((s) => isKiloHostName(s.host))) {
    const name = `${service.binary} on ${service.host}`;
    if (service.up) {
      onAction({ kind: 'cinder-service', action: 'kept', name, reason: upUnderKiloName });
      continue;
    }
    if (service.binary === 'cinder-volume' && !(await moveVolumes(clients, service, upVolumeHosts, onAction))) continue;
    if (service.enabled)
      await runClient(clients, 'openstack', ['volume', 'service', 'set', '--disable', service.host, service.binary]);
    await runClient(clients, 'cinderManage', ['service', 'remove', service.binary, service.host]);
    onAction({ kind: 'cinder-service', action: 'deleted', name });
  }
}

async function moveVolumes(
  clients: OpenstackClients,
  service: VolumeService,
  upVolumeHosts: ReadonlySet<string>,
  onAction: OnCleanupAction,
): Promise<boolean> {
  const newHost = newtonHostName(service.host);
  const name = `volumes on ${service.host}`;
  if (!upVolumeHosts.has(newHost)) {
    onAction({
      kind: 'cinder-volumes',
      action: 'kept',
      name,
      reason: `no cinder-volume service is up on ${newHost}: the volumes and the old service stay until it is, then run \`leap run\` again`,
    });
    return false;
  }
  await runClient(clients, 'cinderManage', [
    'volume',
    'update_host',
    '--currenthost',
    service.host,
    '--newhost',
    newHost,
  ]);
  onAction({ kind: 'cinder-volumes', action: 'moved', name, reason: `moved to ${newHost}` });
  return true;
}

/** The Kilo-named neutron agents, dead since their containers went: set admin-down, then deleted. */
export async function cleanupNeutronAgents(clients: OpenstackClients, onAction: OnCleanupAction): Promise<void> {
  const agents = await listNeutronAgents(clients);
  const deletions: ClientSequence[] = [];
  for (const agent of agents.filter((a) => isKiloHostName(a.host))) {
    const name = `${agent.type} on ${agent.host}`;
    if (agent.alive) {
      onAction({ kind: 'neutron-agent', action: 'kept', id: agent.id, name, reason: upUnderKiloName });
      continue;
    }
    deletions.push({
      commands: [
        ...(agent.adminUp ? [['agent-update', '--admin-state-down', agent.id]] : []),
        ['agent-delete', agent.id],
      ],
      done: () => onAction({ kind: 'neutron-agent', action: 'deleted', id: agent.id, name }),
    });
  }
  await runClientSequences(clients, 'neutron', deletions);
}

/**
 * A network whose new DHCP port is stuck in BUILD still has the ACTIVE port of a Kilo DHCP agent holding its
 * address: that old port is set down and deleted. Upstream deleted every ACTIVE DHCP port of such a network, the
 * new agents' too; leap deletes only those bound to a Kilo host name.
 */
export async function cleanupDhcpPorts(clients: OpenstackClients, onAction: OnCleanupAction): Promise<void> {
  const list = [
    'port-list',
    '--device_owner',
    'network:dhcp',
    '-c',
    'id',
    '-c',
    'network_id',
    '-c',
    'status',
    '-c',
    'binding:host_id',
    '-f',
    'json',
  ];
  const ports = await listRows(clients, 'neutron', list, parseNeutronPorts);
  const building = new Set(ports.filter((p) => p.status === 'BUILD').map((p) => p.networkId));
  const deletions: ClientSequence[] = [];
  for (const port of ports.filter((p) => p.host !== undefined && isKiloHostName(p.host))) {
    const name = `DHCP port of network ${port.networkId} on ${port.host as string}`;
    if (!building.has(port.networkId)) {
      onAction({
        kind: 'dhcp-port',
        action: 'kept',
        id: port.id,
        name,
        reason: `${port.status}, and no DHCP port of its network is stuck in BUILD`,
      });
      continue;
    }
    deletions.push({
      commands: [
        ['port-update', '--admin-state-up', 'False', port.id],
        ['port-delete', port.id],
      ],
      done: () => onAction({ kind: 'dhcp-port', action: 'deleted', id: port.id, name }),
    });
  }
  await runClientSequences(clients, 'neutron', deletions);
}
