import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '@leap/test-fixtures';
import { createLab, destroyLab, injectLabFault, labAsset, type LabInfo } from '../src/index.js';
import { openstackAnsible, sql } from './helpers.js';

interface OpenstackClients {
  openrc: string;
  openstack: string[];
  neutron: string[];
  cinderManage: string[];
}

let lab: LabInfo;
let root: string;
let clients: OpenstackClients;
/** The openrc's variables, as leap passes them. */
let openrc: Record<string, string>;
let kilo: { conductor: string; agents: string; utility: string };

beforeAll(async () => {
  root = makeTempDir('leap-lab-clients-');
  lab = await createLab(join(root, 'lab'), { singleDb: true, seed: 'clients-test' });
  clients = (parse(readFileSync(lab.paths.leapYaml, 'utf8')) as { openstackClients: OpenstackClients })
    .openstackClients;
  openrc = Object.fromEntries(
    [...readFileSync(clients.openrc, 'utf8').matchAll(/^export (\w+)=(.*)$/gm)].map(([, key, value]) => [
      key!,
      value!.replace(/^'(.*)'$/, '$1'),
    ]),
  );
  const container = (part: string) => Object.keys(lab.containers).find((c) => c.includes(part))!;
  kilo = {
    conductor: container('_nova_conductor_container-'),
    agents: container('_neutron_agents_container-'),
    utility: container('_utility_container-'),
  };
}, 240_000);

afterAll(async () => {
  if (lab !== undefined) await destroyLab(lab.dir);
  await execa('rm', ['-rf', root]);
});

function run(command: string[], args: string[], env: Record<string, string> = openrc) {
  return execa(command[0]!, [...command.slice(1), ...args], {
    env: { PATH: process.env.PATH!, ...env },
    extendEnv: false,
    reject: false,
  });
}

async function json<T = Record<string, unknown>>(command: string[], args: string[]): Promise<T[]> {
  const result = await run(command, [...args, '-f', 'json']);
  expect(result.stderr).toBe('');
  expect(result.exitCode).toBe(0);
  return JSON.parse(result.stdout) as T[];
}

const computeServices = () => json(clients.openstack, ['compute', 'service', 'list']);
const agents = () => json(clients.neutron, ['agent-list']);
const dhcpPorts = () =>
  json(clients.neutron, [
    'port-list',
    '--device_owner',
    'network:dhcp',
    ...['-c', 'id', '-c', 'network_id', '-c', 'status', '-c', 'binding:host_id'],
  ]);
const newton = (name: string) => name.replace(/_/g, '-');

describe("a lab's stand-in OpenStack clients", () => {
  it("are named in leap.yaml, with the utility container's openrc shaped like OSA Newton's", () => {
    expect(clients).toEqual({
      openrc: join(lab.paths.hostsRoot, 'infra1/var/lib/lxc', kilo.utility, 'rootfs/root/openrc'),
      openstack: [join(lab.dir, 'bin/lab-openstack')],
      neutron: [join(lab.dir, 'bin/lab-neutron')],
      cinderManage: [join(lab.dir, 'releases/newton/bin/cinder-manage')],
    });
    expect(readFileSync(clients.openrc, 'utf8')).toMatch(/^export OS_PASSWORD='[0-9a-f]{32}'$/m);
    expect(openrc).toMatchObject({
      LC_ALL: 'C',
      OS_USERNAME: 'admin',
      OS_AUTH_URL: expect.stringMatching(/^http:\/\/172\.\d+\.236\.\d+:5000\/v3$/),
      OS_PROJECT_NAME: 'admin',
      OS_USER_DOMAIN_NAME: 'Default',
      OS_PROJECT_DOMAIN_NAME: 'Default',
      OS_IDENTITY_API_VERSION: '3',
      OS_INTERFACE: 'internalURL',
    });
  });

  it('refuse to run without OS_AUTH_URL, OS_USERNAME or OS_PASSWORD, or with other credentials; log argv only', async () => {
    for (const name of ['OS_AUTH_URL', 'OS_USERNAME', 'OS_PASSWORD']) {
      const { [name]: _, ...env } = openrc;
      const openstack = await run(clients.openstack, ['compute', 'service', 'list', '-f', 'json'], env);
      expect(openstack.exitCode).toBe(1);
      expect(openstack.stderr).toMatch(
        /^Missing value (auth-url|username|password) required for auth plugin password$/,
      );
      const neutron = await run(clients.neutron, ['agent-list', '-f', 'json'], env);
      expect(neutron.exitCode).toBe(1);
      expect(neutron.stderr).toContain(`env[${name}]`);
    }
    const wrong = await run(clients.neutron, ['agent-list', '-f', 'json'], { ...openrc, OS_PASSWORD: 'guess' });
    expect([wrong.exitCode, wrong.stderr]).toEqual([
      1,
      'The request you have made requires authentication. (HTTP 401)',
    ]);
    const log = readFileSync(join(lab.dir, 'openstack.log'), 'utf8');
    expect(log).toContain('openstack compute service list -f json\nneutron agent-list -f json\n');
    expect(log).not.toContain(openrc.OS_PASSWORD);
  });

  it('exit 2 with their usage on any other command', async () => {
    for (const [command, args] of [
      [clients.openstack, ['server', 'list']],
      [clients.openstack, ['compute', 'service', 'set', '--enable', 'h', 'b']],
      [clients.neutron, ['net-list']],
      [clients.neutron, ['agent-list', '--bogus', 'x']],
    ] as Array<[string[], string[]]>) {
      const result = await run(command, args);
      expect(result.exitCode).toBe(2);
      expect(result.stderr).toContain('usage (leap lab stand-in of');
    }
  });

  it('list the Kilo services, agents, DHCP ports and routers in the shapes of the contract, all down', async () => {
    const compute = await computeServices();
    expect(compute.find((s) => s.Binary === 'nova-conductor')).toEqual({
      ID: expect.any(Number),
      Binary: 'nova-conductor',
      Host: kilo.conductor,
      Zone: 'internal',
      Status: 'enabled',
      State: 'down',
      'Updated At': '2016-12-01T00:00:00.000000',
    });
    expect(compute.every((s) => s.State === 'down')).toBe(true);
    expect(await json(clients.openstack, ['volume', 'service', 'list'])).toContainEqual({
      Binary: 'cinder-volume',
      Host: 'storage1@lvm',
      Zone: 'nova',
      Status: 'enabled',
      State: 'down',
      'Updated At': '2016-12-01T00:00:00.000000',
    });
    const l3 = (await agents()).find((a) => a.agent_type === 'L3 agent')!;
    expect(l3).toEqual({
      id: expect.any(String),
      agent_type: 'L3 agent',
      host: kilo.agents,
      availability_zone: 'nova',
      alive: 'xxx',
      admin_state_up: true,
      binary: 'neutron-l3-agent',
    });
    expect((await agents()).find((a) => a.agent_type === 'Metadata agent')!.availability_zone).toBeNull();
    const [dhcp] = await dhcpPorts();
    expect(dhcp).toEqual({
      id: expect.any(String),
      network_id: expect.any(String),
      status: 'ACTIVE',
      'binding:host_id': kilo.agents,
    });
    const [router] = await json(clients.neutron, ['router-list']);
    expect(router).toMatchObject({ id: expect.any(String), name: 'router1', external_gateway_info: null });
    expect(await json(clients.neutron, ['l3-agent-list-hosting-router', String(router!.id)])).toEqual([
      { id: l3.id, host: kilo.agents, admin_state_up: true, alive: 'xxx' },
    ]);
    const ports = await json(clients.neutron, [
      'port-list',
      ...['-c', 'id', '-c', 'network_id', '-c', 'status', '-c', 'device_owner'],
    ]);
    expect(ports).toHaveLength(13);
    expect(Object.keys(ports[0]!)).toEqual(['id', 'network_id', 'status', 'device_owner']);
  });

  it('count nova and cinder services up within 60 s and neutron agents alive within 75 s (or in the future)', async () => {
    const states = async (seconds: number) => {
      await sql(
        lab,
        `UPDATE nova.services SET updated_at = UTC_TIMESTAMP() - INTERVAL ${seconds} SECOND WHERE host = '${kilo.conductor}'`,
      );
      await sql(lab, `UPDATE cinder.services SET updated_at = UTC_TIMESTAMP() - INTERVAL ${seconds} SECOND`);
      await sql(lab, `UPDATE neutron.agents SET heartbeat_timestamp = UTC_TIMESTAMP() - INTERVAL ${seconds} SECOND`);
      const compute = (await computeServices()).find((s) => s.Host === kilo.conductor)!.State;
      const volume = (await json(clients.openstack, ['volume', 'service', 'list']))[0]!.State;
      const alive = (await agents())[0]!.alive;
      return [compute, volume, alive];
    };
    expect(await states(-3600)).toEqual(['up', 'up', ':-)']);
    expect(await states(30)).toEqual(['up', 'up', ':-)']);
    expect(await states(70)).toEqual(['down', 'down', ':-)']);
    expect(await states(80)).toEqual(['down', 'down', 'xxx']);
    await sql(lab, "UPDATE nova.services SET updated_at = '2016-12-01 00:00:00'");
    await sql(lab, "UPDATE cinder.services SET updated_at = '2016-12-01 00:00:00'");
    await sql(lab, "UPDATE neutron.agents SET heartbeat_timestamp = '2016-12-01 00:00:00'");
  });
});

describe('the Newton re-deploy of a lab', () => {
  const snapshot = async () => ({
    nova: await sql(lab, 'SELECT id, host, `binary`, deleted, updated_at FROM nova.services ORDER BY id'),
    cinder: await sql(lab, 'SELECT id, host, `binary`, updated_at FROM cinder.services ORDER BY id'),
    agents: await sql(lab, 'SELECT id, host, agent_type, heartbeat_timestamp FROM neutron.agents ORDER BY id'),
    ports: await sql(
      lab,
      'SELECT p.id, p.status, b.host FROM neutron.ports p LEFT JOIN neutron.ml2_port_bindings b ON b.port_id = p.id ORDER BY 1',
    ),
    routers: await sql(lab, 'SELECT * FROM neutron.routerl3agentbindings ORDER BY 1, 2'),
  });
  const register = (service: string) =>
    run(
      [join(lab.dir, 'bin/lab-openstack-register')],
      [service, join(lab.paths.deployDir, 'openstack_inventory.json'), ...Object.keys(lab.containers), ...lab.hosts],
      {},
    );

  it('registers the Newton services under Newton hostnames, moves the routers and adds BUILD DHCP ports, idempotently', async () => {
    const played = await openstackAnsible(lab, labAsset('osa/playbooks'), [
      'os-neutron-install.yml',
      'utility-install.yml',
    ]);
    expect(played.exitCode, played.stdout).toBe(0);
    for (const service of ['nova', 'cinder']) expect((await register(service)).exitCode).toBe(0);
    const once = await snapshot();
    for (const service of ['nova', 'cinder', 'neutron']) expect((await register(service)).exitCode).toBe(0);
    expect(await snapshot()).toEqual(once);

    const compute = await computeServices();
    expect(compute.filter((s) => s.State === 'up').map((s) => s.Host)).toContain(newton(kilo.conductor));
    expect(compute.find((s) => s.Host === kilo.conductor)!.State).toBe('down');
    expect((await json(clients.openstack, ['volume', 'service', 'list'])).map((s) => [s.Host, s.State])).toContainEqual(
      ['storage1@lvm', 'up'],
    );
    const l3 = (await agents()).filter((a) => a.agent_type === 'L3 agent').map((a) => [a.host, a.alive]);
    expect(l3).toEqual([
      [newton(kilo.agents), ':-)'],
      [kilo.agents, 'xxx'],
    ]);
    expect((await dhcpPorts()).map((p) => [p.status, p['binding:host_id']])).toEqual(
      expect.arrayContaining([
        ['ACTIVE', kilo.agents],
        ['BUILD', newton(kilo.agents)],
      ]),
    );
    const [router] = await json(clients.neutron, ['router-list']);
    expect(await json(clients.neutron, ['l3-agent-list-hosting-router', 'router1'])).toEqual([
      expect.objectContaining({ host: newton(kilo.agents), alive: ':-)' }),
    ]);
    expect(router!.name).toBe('router1');
    expect(readFileSync(clients.openrc, 'utf8')).toBe(readFileSync(join(lab.dir, 'clients/openrc'), 'utf8'));
  }, 120_000);

  it("runs leap's cleanup commands: disable, soft-delete, admin-state-down, delete, update_host", async () => {
    const conductor = (await computeServices()).find((s) => s.Host === kilo.conductor)!;
    expect(
      (await run(clients.openstack, ['compute', 'service', 'set', '--disable', kilo.conductor, 'nova-conductor']))
        .exitCode,
    ).toBe(0);
    expect((await computeServices()).find((s) => s.ID === conductor.ID)!.Status).toBe('disabled');
    expect((await run(clients.openstack, ['compute', 'service', 'delete', String(conductor.ID)])).exitCode).toBe(0);
    expect(await sql(lab, `SELECT deleted, disabled FROM nova.services WHERE id = ${Number(conductor.ID)}`)).toEqual([
      [String(conductor.ID), '1'],
    ]);
    expect((await computeServices()).map((s) => s.ID)).not.toContain(conductor.ID);
    expect((await run(clients.openstack, ['compute', 'service', 'delete', String(conductor.ID)])).exitCode).toBe(1);
    expect(
      (await run(clients.openstack, ['volume', 'service', 'set', '--disable', 'storage1@lvm', 'cinder-volume']))
        .exitCode,
    ).toBe(0);

    const old = (await agents()).find((a) => a.agent_type === 'DHCP agent' && a.host === kilo.agents)!;
    const down = await run(clients.neutron, ['agent-update', '--admin-state-down', String(old.id)]);
    expect(down.stdout).toBe(`Updated agent: ${old.id}`);
    expect((await agents()).find((a) => a.id === old.id)!.admin_state_up).toBe(false);
    expect((await run(clients.neutron, ['agent-delete', String(old.id)])).stdout).toBe(`Deleted agent(s): ${old.id}`);
    expect((await agents()).map((a) => a.id)).not.toContain(old.id);

    const port = (await dhcpPorts()).find((p) => p['binding:host_id'] === kilo.agents)!;
    expect((await run(clients.neutron, ['port-update', '--admin-state-up', 'False', String(port.id)])).stdout).toBe(
      `Updated port: ${port.id}`,
    );
    expect(await sql(lab, `SELECT admin_state_up FROM neutron.ports WHERE id = '${port.id}'`)).toEqual([['0']]);
    expect((await run(clients.neutron, ['port-delete', String(port.id)])).stdout).toBe(`Deleted port(s): ${port.id}`);
    expect((await dhcpPorts()).map((p) => p.id)).not.toContain(port.id);
    expect(await sql(lab, `SELECT COUNT(*) FROM neutron.ml2_port_bindings WHERE port_id = '${port.id}'`)).toEqual([
      ['0'],
    ]);

    const moved = await run(clients.cinderManage, [
      'volume',
      'update_host',
      '--currenthost',
      'storage1@lvm',
      '--newhost',
      'storage1-new@lvm',
    ]);
    expect([moved.exitCode, moved.stdout]).toEqual([0, '']);
    expect(await sql(lab, 'SELECT deleted, host, COUNT(*) FROM cinder.volumes GROUP BY 1, 2 ORDER BY 1')).toEqual([
      ['0', 'storage1-new@lvm#LVM_iSCSI', '8'],
      ['1', 'storage1@lvm#LVM_iSCSI', '6'],
    ]);
    expect(readFileSync(join(lab.dir, 'releases/migrations.log'), 'utf8')).toContain(
      'newton cinder-manage volume update_host --currenthost storage1@lvm --newhost storage1-new@lvm: 8 cinder volumes moved',
    );
  });

  it('takes the stale-nova-service fault: the deleted Kilo conductor is back and heartbeating', async () => {
    for (let i = 0; i < 2; i++) {
      expect(await injectLabFault(lab.dir, 'stale-nova-service')).toEqual({
        fault: 'stale-nova-service',
        host: kilo.conductor,
        binary: 'nova-conductor',
      });
      const stale = (await computeServices()).filter((s) => s.Host === kilo.conductor);
      expect(stale).toEqual([expect.objectContaining({ Binary: 'nova-conductor', Status: 'enabled', State: 'up' })]);
    }
    await expect(injectLabFault(lab.dir, 'bogus' as 'stale-nova-service')).rejects.toMatchObject({
      code: 'LEAP_LAB_FAULT',
    });
  });
});
