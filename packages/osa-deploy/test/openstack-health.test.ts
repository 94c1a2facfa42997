import { describe, expect, it } from 'vitest';
import { checkOpenstackHealth, readRouterMap, type OpenstackClients } from '../src/index.js';
import { fixtureCloud } from './support/fixture-cloud.js';

function clientsOf(cloud: ReturnType<typeof fixtureCloud>): OpenstackClients {
  return {
    utility: cloud.exec,
    cinder: cloud.exec,
    openstack: ['openstack'],
    neutron: ['neutron'],
    cinderManage: ['cinder-manage'],
    env: { OS_AUTH_URL: 'http://172.29.236.100:5000/v3', OS_USERNAME: 'admin', OS_PASSWORD: 'pw' },
  };
}

describe('the post-leap health checks, on the clients’ real output', () => {
  it('name every down or dead service, every Kilo service still up, ports in BUILD and routers without an alive agent', async () => {
    const cloud = fixtureCloud();
    const findings = await checkOpenstackHealth(clientsOf(cloud), undefined);
    expect(findings.map((f) => [f.check, f.ok, f.looked])).toEqual([
      ['nova services', false, '7 services'],
      ['cinder services', false, '6 services'],
      ['neutron agents', false, '5 agents'],
      ['ports in BUILD', false, '4 ports'],
      ['routers on alive L3 agents', false, '2 routers (no map from before the leap)'],
    ]);
    expect(findings[0]?.problems).toEqual([
      'nova-consoleauth on infra1_nova_console_container-9b1a2f37 (id 3) is down',
      'nova-scheduler on infra1_nova_scheduler_container-47de08b6 (id 6) is down',
      'nova-conductor on infra1_nova_conductor_container-4dd9f3a2 (id 9) is down',
      'nova-cert on infra1_nova_cert_container-0f6b3c11 (id 12): a Kilo host name, still up (a Kilo service outlived the re-deploy)',
    ]);
    expect(findings[2]?.problems).toEqual([
      'L3 agent on infra1_neutron_agents_container-2c3d4e5f (id 0b3e5d6f-21c4-4f0e-9d1a-6c2b7e8f9a01) is dead',
      'DHCP agent on infra1_neutron_agents_container-2c3d4e5f (id 1c4f6e7a-32d5-4a1f-8e2b-7d3c8f9a0b12) is dead',
      'Metadata agent on infra1_neutron_agents_container-2c3d4e5f (id 2d5a7f8b-43e6-4b2a-9f3c-8e4d9a0b1c23): a Kilo host name, still up (a Kilo service outlived the re-deploy)',
    ]);
    expect(findings[3]?.problems).toEqual([
      'port 5e6f7a8b-0000-4000-8000-000000000031 (network:dhcp) of network 1a2b3c4d-0000-4000-8000-000000000001 is stuck in BUILD',
    ]);
    expect(findings[4]?.problems).toEqual([
      'router router2 (4d5e6f7a-0000-4000-8000-000000000002) has no alive L3 agent',
    ]);
  });

  it('compares the routers with the map recorded before the leap', async () => {
    const cloud = fixtureCloud();
    const before = await readRouterMap(clientsOf(cloud));
    expect(before).toEqual({
      '4d5e6f7a-0000-4000-8000-000000000001': { name: 'router1', hosts: ['infra1-neutron-agents-container-6a7b8c9d'] },
      '4d5e6f7a-0000-4000-8000-000000000002': { name: 'router2', hosts: [] },
    });
    cloud.state.routers = cloud.state.routers.filter((r) => r.name !== 'router2');
    const [routers] = (await checkOpenstackHealth(clientsOf(cloud), before)).slice(-1);
    expect(routers).toEqual({
      check: 'routers on alive L3 agents',
      ok: false,
      looked: '1 routers, against the map from before the leap',
      problems: ['router router2 (4d5e6f7a-0000-4000-8000-000000000002) existed before the leap and is gone'],
    });
  });
});
