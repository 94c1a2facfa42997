import {
  parseHostingAgents,
  parseNeutronPorts,
  parseRouters,
  type ComputeService,
  type HostingAgent,
  type NeutronAgent,
  type NeutronPort,
  type NeutronRouter,
  type VolumeService,
} from '../cleanup/client-lists.js';
import {
  COMPUTE_SERVICES,
  listAll,
  NEUTRON_AGENTS,
  VOLUME_SERVICES,
  type ListQuery,
} from '../cleanup/client-queries.js';
import { isKiloHostName } from '../cleanup/host-names.js';
import type { OpenstackClients } from '../cleanup/openstack-clients.js';

/** One check of the post-leap health report: what it looked at, and each thing wrong, named. */
export interface HealthFinding {
  check: string;
  ok: boolean;
  /** What was looked at, e.g. `12 services`. */
  looked: string;
  problems: string[];
}

/** Each router's alive hosting L3 agents, by router id (what `leap` records before the services stop). */
export type RouterMap = Record<string, { name: string; hosts: string[] }>;

const finding = (check: string, looked: string, problems: string[]): HealthFinding => ({
  check,
  ok: problems.length === 0,
  looked,
  problems,
});

const kiloUp = (what: string) => `${what}: a Kilo host name, still up (a Kilo service outlived the re-deploy)`;

const PORTS: ListQuery<NeutronPort> = {
  client: 'neutron',
  args: ['port-list', '-c', 'id', '-c', 'network_id', '-c', 'status', '-c', 'device_owner', '-f', 'json'],
  parse: parseNeutronPorts,
};

const ROUTERS: ListQuery<NeutronRouter> = {
  client: 'neutron',
  args: ['router-list', '-f', 'json'],
  parse: parseRouters,
};

/** What upstream's operator-run rpc-post-upgrades.yml checked through the APIs, as findings: two batches of lists. */
export async function checkOpenstackHealth(
  clients: OpenstackClients,
  routersBefore: RouterMap | undefined,
): Promise<HealthFinding[]> {
  const [compute, volume, agents, ports, routers] = await listAll(clients, [
    COMPUTE_SERVICES,
    VOLUME_SERVICES,
    NEUTRON_AGENTS,
    PORTS,
    ROUTERS,
  ] as const);
  return [
    novaServices(compute),
    cinderServices(volume),
    neutronAgents(agents),
    portsInBuild(ports),
    routersFinding(await hostingMap(clients, routers), routersBefore),
  ];
}

/** One row of a service or agent list: named as the problem lines name it, up or not, and on which host. */
interface Running {
  what: string;
  host: string;
  up: boolean;
}

/** None down (or dead), none still up under a Kilo host name. */
function runningFinding(check: string, looked: string, rows: readonly Running[], down: string): HealthFinding {
  const problems = rows.flatMap((r) => {
    if (!r.up) return [`${r.what} is ${down}`];
    return isKiloHostName(r.host) ? [kiloUp(r.what)] : [];
  });
  return finding(check, looked, problems);
}

function novaServices(services: readonly ComputeService[]): HealthFinding {
  const rows = services.map((s) => ({ what: `${s.binary} on ${s.host} (id ${s.id})`, host: s.host, up: s.up }));
  return runningFinding('nova services', `${services.length} services`, rows, 'down');
}

function cinderServices(services: readonly VolumeService[]): HealthFinding {
  const rows = services.map((s) => ({ what: `${s.binary} on ${s.host}`, host: s.host, up: s.up }));
  return runningFinding('cinder services', `${services.length} services`, rows, 'down');
}

function neutronAgents(agents: readonly NeutronAgent[]): HealthFinding {
  const rows = agents.map((a) => ({ what: `${a.type} on ${a.host} (id ${a.id})`, host: a.host, up: a.alive }));
  return runningFinding('neutron agents', `${agents.length} agents`, rows, 'dead');
}

function portsInBuild(ports: readonly NeutronPort[]): HealthFinding {
  const problems = ports
    .filter((p) => p.status === 'BUILD')
    .map((p) => `port ${p.id} (${p.deviceOwner ?? 'no owner'}) of network ${p.networkId} is stuck in BUILD`);
  return finding('ports in BUILD', `${ports.length} ports`, problems);
}

/** Every router that had an alive L3 agent before the leap has one after it, and none went missing. */
function routersFinding(after: RouterMap, before: RouterMap | undefined): HealthFinding {
  const problems: string[] = [];
  for (const [id, router] of Object.entries(after))
    if (router.hosts.length === 0) problems.push(`router ${router.name || id} (${id}) has no alive L3 agent`);
  for (const [id, router] of Object.entries(before ?? {}))
    if (after[id] === undefined)
      problems.push(`router ${router.name || id} (${id}) existed before the leap and is gone`);
  const looked = `${Object.keys(after).length} routers${before === undefined ? ' (no map from before the leap)' : ', against the map from before the leap'}`;
  return finding('routers on alive L3 agents', looked, problems);
}

/** The routers' alive hosting L3 agents, asked in one batch. */
async function hostingMap(clients: OpenstackClients, routers: readonly NeutronRouter[]): Promise<RouterMap> {
  const hosting = await listAll(
    clients,
    routers.map(
      (router): ListQuery<HostingAgent> => ({
        client: 'neutron',
        args: ['l3-agent-list-hosting-router', router.id, '-f', 'json'],
        parse: parseHostingAgents,
      }),
    ),
  );
  const map: RouterMap = {};
  routers.forEach((router, at) => {
    map[router.id] = {
      name: router.name,
      hosts: (hosting[at] ?? [])
        .filter((a) => a.alive)
        .map((a) => a.host)
        .sort(),
    };
  });
  return map;
}

/** Each router and the hosts of its alive hosting L3 agents: two round trips, however many routers. */
export async function readRouterMap(clients: OpenstackClients): Promise<RouterMap> {
  const [routers] = await listAll(clients, [ROUTERS] as const);
  return hostingMap(clients, routers);
}
