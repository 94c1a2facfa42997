import { OsaDeployError } from '../errors.js';

/** A row of `openstack compute service list -f json`. */
export interface ComputeService {
  id: string;
  binary: string;
  host: string;
  enabled: boolean;
  up: boolean;
}

/** A row of `openstack volume service list -f json` (cinder services have no id in the API). */
export interface VolumeService {
  binary: string;
  /** `host` for most binaries, `host@backend` for cinder-volume. */
  host: string;
  enabled: boolean;
  up: boolean;
}

/** A row of `neutron agent-list -f json`. */
export interface NeutronAgent {
  id: string;
  type: string;
  binary: string;
  host: string;
  alive: boolean;
  adminUp: boolean;
}

/** A row of `neutron port-list -c id -c network_id -c status [-c binding:host_id] [-c device_owner] -f json`. */
export interface NeutronPort {
  id: string;
  networkId: string;
  status: string;
  host: string | undefined;
  deviceOwner: string | undefined;
}

/** A row of `neutron router-list -f json`. */
export interface NeutronRouter {
  id: string;
  name: string;
}

/** A row of `neutron l3-agent-list-hosting-router <router> -f json`. */
export interface HostingAgent {
  id: string;
  host: string;
  alive: boolean;
}

type Row = Record<string, unknown>;

/** neutronclient prints ":-)" and "xxx"; later clients print booleans. */
const ALIVE: Record<string, boolean> = { ':-)': true, xxx: false, XXX: false, true: true, false: false };

export function parseComputeServices(stdout: string, command: string): ComputeService[] {
  return rowsOf(stdout, command).map((row, i) => ({
    id: String(fieldOf(row, i, command)('ID', ['number', 'string'])),
    ...serviceFields(row, i, command),
  }));
}

export function parseVolumeServices(stdout: string, command: string): VolumeService[] {
  return rowsOf(stdout, command).map((row, i) => serviceFields(row, i, command));
}

/** The columns nova's and cinder's service lists share. */
function serviceFields(row: Row, index: number, command: string): VolumeService {
  const field = fieldOf(row, index, command);
  return {
    binary: field('Binary', ['string']) as string,
    host: field('Host', ['string']) as string,
    enabled: oneOf(field('Status', ['string']), { enabled: true, disabled: false }, index, command, 'Status'),
    up: oneOf(field('State', ['string']), { up: true, down: false }, index, command, 'State'),
  };
}

export function parseNeutronAgents(stdout: string, command: string): NeutronAgent[] {
  return rowsOf(stdout, command).map((row, i) => {
    const field = fieldOf(row, i, command);
    return {
      id: field('id', ['string']) as string,
      type: field('agent_type', ['string']) as string,
      binary: field('binary', ['string']) as string,
      host: field('host', ['string']) as string,
      alive: oneOf(field('alive', ['string', 'boolean']), ALIVE, i, command, 'alive'),
      adminUp: oneOf(
        field('admin_state_up', ['boolean', 'string']),
        { true: true, false: false, True: true, False: false, UP: true, DOWN: false },
        i,
        command,
        'admin_state_up',
      ),
    };
  });
}

export function parseNeutronPorts(stdout: string, command: string): NeutronPort[] {
  return rowsOf(stdout, command).map((row, i) => {
    const field = fieldOf(row, i, command);
    const host = row['binding:host_id'];
    const owner = row['device_owner'];
    return {
      id: field('id', ['string']) as string,
      networkId: field('network_id', ['string']) as string,
      status: field('status', ['string']) as string,
      host: typeof host === 'string' && host !== '' ? host : undefined,
      deviceOwner: typeof owner === 'string' ? owner : undefined,
    };
  });
}

export function parseRouters(stdout: string, command: string): NeutronRouter[] {
  return rowsOf(stdout, command).map((row, i) => {
    const field = fieldOf(row, i, command);
    const name = row['name'];
    return { id: field('id', ['string']) as string, name: typeof name === 'string' ? name : '' };
  });
}

export function parseHostingAgents(stdout: string, command: string): HostingAgent[] {
  return rowsOf(stdout, command).map((row, i) => {
    const field = fieldOf(row, i, command);
    return {
      id: field('id', ['string']) as string,
      host: field('host', ['string']) as string,
      alive: oneOf(field('alive', ['string', 'boolean']), ALIVE, i, command, 'alive'),
    };
  });
}

function rowsOf(stdout: string, command: string): Row[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(stdout.trim() === '' ? '[]' : stdout);
  } catch {
    throw invalidOutput(command, `printed something other than JSON: ${stdout.trim().slice(0, 120)}`);
  }
  if (!Array.isArray(parsed) || parsed.some((row) => row === null || typeof row !== 'object' || Array.isArray(row)))
    throw invalidOutput(command, 'printed JSON that is not a list of rows');
  return parsed as Row[];
}

function fieldOf(row: Row, index: number, command: string) {
  return (name: string, types: ReadonlyArray<'string' | 'number' | 'boolean'>): unknown => {
    const value = row[name];
    if (!types.includes(typeof value as 'string')) throw invalidOutput(command, `row ${index + 1} has no ${name}`);
    return value;
  };
}

function oneOf(value: unknown, meanings: Record<string, boolean>, index: number, command: string, name: string) {
  const meaning = meanings[String(value)];
  if (meaning === undefined)
    throw invalidOutput(command, `row ${index + 1} has ${name} ${JSON.stringify(value)}, which leap does not know`);
  return meaning;
}

function invalidOutput(command: string, what: string): OsaDeployError {
  return new OsaDeployError('LEAP_OPENSTACK_OUTPUT_INVALID', `\`${command}\` ${what}`, {
    hint: 'run the command by hand on the utility container with the openrc sourced; leap expects the Newton clients (python-openstackclient 3, python-neutronclient 6) and their -f json output',
  });
}
