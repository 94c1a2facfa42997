import {
  parseComputeServices,
  parseNeutronAgents,
  parseVolumeServices,
  type ComputeService,
  type NeutronAgent,
  type VolumeService,
} from './client-lists.js';
import { runClient, type OpenstackClients } from './openstack-clients.js';

/** Runs a list command of the openstack or neutron client and parses its `-f json` rows, naming it on bad output. */
export async function listRows<T>(
  clients: OpenstackClients,
  client: 'openstack' | 'neutron',
  args: readonly string[],
  parse: (stdout: string, command: string) => T[],
): Promise<T[]> {
  return parse(await runClient(clients, client, args), `${client} ${args.join(' ')}`);
}

export const listComputeServices = (clients: OpenstackClients): Promise<ComputeService[]> =>
  listRows(clients, 'openstack', ['compute', 'service', 'list', '-f', 'json'], parseComputeServices);

export const listVolumeServices = (clients: OpenstackClients): Promise<VolumeService[]> =>
  listRows(clients, 'openstack', ['volume', 'service', 'list', '-f', 'json'], parseVolumeServices);

export const listNeutronAgents = (clients: OpenstackClients): Promise<NeutronAgent[]> =>
  listRows(clients, 'neutron', ['agent-list', '-f', 'json'], parseNeutronAgents);
