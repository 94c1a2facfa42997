import {
  parseComputeServices,
  parseNeutronAgents,
  parseVolumeServices,
  type ComputeService,
  type NeutronAgent,
  type VolumeService,
} from './client-lists.js';
import { runClient, runClientCommands, type OpenstackClients } from './openstack-clients.js';

/** A list command of the openstack or neutron client, and the parser of its `-f json` rows. */
export interface ListQuery<T> {
  client: 'openstack' | 'neutron';
  args: readonly string[];
  parse: (stdout: string, command: string) => T[];
}

const commandOf = (query: ListQuery<unknown>): string => `${query.client} ${query.args.join(' ')}`;

/** Runs a list command of the openstack or neutron client and parses its `-f json` rows, naming it on bad output. */
export async function listRows<T>(
  clients: OpenstackClients,
  client: 'openstack' | 'neutron',
  args: readonly string[],
  parse: (stdout: string, command: string) => T[],
): Promise<T[]> {
  return parse(await runClient(clients, client, args), `${client} ${args.join(' ')}`);
}

type RowsOf<Queries extends readonly ListQuery<unknown>[]> = {
  [K in keyof Queries]: Queries[K] extends ListQuery<infer Row> ? Row[] : never;
};

/** Several list commands in one batch (one round trip), each parsed; the first failing one throws. */
export async function listAll<Queries extends readonly ListQuery<unknown>[]>(
  clients: OpenstackClients,
  queries: Queries,
): Promise<RowsOf<Queries>> {
  const stdouts = await runClientCommands(clients, queries);
  return queries.map((query, at) => query.parse(stdouts[at] ?? '', commandOf(query))) as RowsOf<Queries>;
}

export const COMPUTE_SERVICES: ListQuery<ComputeService> = {
  client: 'openstack',
  args: ['compute', 'service', 'list', '-f', 'json'],
  parse: parseComputeServices,
};

export const VOLUME_SERVICES: ListQuery<VolumeService> = {
  client: 'openstack',
  args: ['volume', 'service', 'list', '-f', 'json'],
  parse: parseVolumeServices,
};

export const NEUTRON_AGENTS: ListQuery<NeutronAgent> = {
  client: 'neutron',
  args: ['agent-list', '-f', 'json'],
  parse: parseNeutronAgents,
};

const listOne = <T>(clients: OpenstackClients, query: ListQuery<T>): Promise<T[]> =>
  listRows(clients, query.client, query.args, query.parse);

export const listComputeServices = (clients: OpenstackClients): Promise<ComputeService[]> =>
  listOne(clients, COMPUTE_SERVICES);

export const listVolumeServices = (clients: OpenstackClients): Promise<VolumeService[]> =>
  listOne(clients, VOLUME_SERVICES);

export const listNeutronAgents = (clients: OpenstackClients): Promise<NeutronAgent[]> =>
  listOne(clients, NEUTRON_AGENTS);
