import {
  parseComputeServices,
  parseHostingAgents,
  parseNeutronAgents,
  parseNeutronPorts,
  parseRouters,
  parseVolumeServices,
} from '../cleanup/client-lists.js';
import { isKiloHostName } from '../cleanup/host-names.js';
import { runClient, type OpenstackClients } from '../cleanup/openstack-clients.js';

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

/** What upstream's operator-run rpc-post-upgrades.yml checked through the APIs, as findings. */
export async function checkOpenstackHealth(
  clients: OpenstackClients,
  routersBefore: RouterMap | undefined,
): Promise<HealthFinding[]> {
  return [
    await novaServices(clients),
    await cinderServices(clients),
    await neutronAgents(clients),
    await portsInBuild(clients),
    await routers(clients, routersBefore),
  ];
}

async function novaServices(clients: OpenstackClients): Promise<HealthFinding> {
  const args = ['compute', 'service', 'list', '-f', 'json'];
  const services = parseComputeServices(await runClient(clients, 'openstack', args), `openstack ${args.join(' ')}`);
  const problems = services.flatMap((s) => {
    const what = `${s.binary} on ${s.host} (id ${s.id})`;
    if (!s.up) return [`${what} is down`];
    return isKiloHostName(s.host) ? [kiloUp(what)] : [];
  });
  return finding('nova services', `${services.length} services`, problems);
}

async function cinderServices(clients: OpenstackClients): Promise<HealthFinding> {
  const args = ['volume', 'service', 'list', '-f', 'json'];
  const services = parseVolumeServices(await runClient(clients, 'openstack', args), `openstack ${args.join(' ')}`);
  const problems = services.flatMap((s) => {
    const what = `${s.binary} on ${s.host}`;
    if (!s.up) return [`${what} is down`];
    return isKiloHostName(s.host) ? [kiloUp(what)] : [];
  });
  return finding('cinder services', `${services.length} services`, problems);
}

async function neutronAgents(clients: OpenstackClients): Promise<HealthFinding> {
  const args = ['agent-list', '-f', 'json'];
  const agents = parseNeutronAgents(await runClient(clients, 'neutron', args), `neutron ${args.join(' ')}`);
  const problems = agents.flatMap((a) => {
    const what = `${a.type} on ${a.host} (id ${a.id})`;
    if (!a.alive) return [`${what} is dead`];
    return isKiloHostName(a.host) ? [kiloUp(what)] : [];
  });
  return finding('neutron agents', `${agents.length} agents`, problems);
}

async function portsInBuild(clients: OpenstackClients): Promise<HealthFinding> {
  const args = ['port-list', '-c', 'id', '-c', 'network_id', '-c', 'status', '-c', 'device_owner', '-f', 'json'];
  const ports = parseNeutronPorts(await runClient(clients, 'neutron', args), `neutron ${args.join(' ')}`);
  const problems = ports
    .filter((p) => p.status === 'BUILD')
    .map((p) => `port ${p.id} (${p.deviceOwner ?? 'no owner'}) of network ${p.networkId} is stuck in BUILD`);
  return finding('ports in BUILD', `${ports.length} ports`, problems);
}

/** Every router that had an alive L3 agent before the leap has one after it, and none went missing. */
async function routers(clients: OpenstackClients, before: RouterMap | undefined): Promise<HealthFinding> {
  const after = await readRouterMap(clients);
  const problems: string[] = [];
  for (const [id, router] of Object.entries(after))
    if (router.hosts.length === 0) problems.push(`router ${router.name || id} (${id}) has no alive L3 agent`);
  for (const [id, router] of Object.entries(before ?? {}))
    if (after[id] === undefined)
      problems.push(`router ${router.name || id} (${id}) existed before the leap and is gone`);
  const looked = `${Object.keys(after).length} routers${before === undefined ? ' (no map from before the leap)' : ', against the map from before the leap'}`;
  return finding('routers on alive L3 agents', looked, problems);
}

/** Each router and the hosts of its alive hosting L3 agents. */
export async function readRouterMap(clients: OpenstackClients): Promise<RouterMap> {
  const list = ['router-list', '-f', 'json'];
  const routers = parseRouters(await runClient(clients, 'neutron', list), `neutron ${list.join(' ')}`);
  const map: RouterMap = {};
  for (const router of routers) {
    const args = ['l3-agent-list-hosting-router', router.id, '-f', 'json'];
    const agents = parseHostingAgents(await runClient(clients, 'neutron', args), `neutron ${args.join(' ')}`);
    map[router.id] = {
      name: router.name,
      hosts: agents
        .filter((a) => a.alive)
        .map((a) => a.host)
        .sort(),
    };
  }
  return map;
}
