import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { execResult } from '@leap/contract';
import { describe, expect, it } from 'vitest';
import {
  cleanupCinderServices,
  cleanupDhcpPorts,
  cleanupNeutronAgents,
  cleanupNovaServices,
  newtonHostName,
  parseNeutronAgents,
  parseOpenrc,
  type CleanupAction,
  type OpenstackClients,
} from '../src/index.js';
import type { OsaDeployError } from '../src/index.js';
import { fixtureCloud } from './support/fixture-cloud.js';

const openrcFile = fileURLToPath(new URL('./fixtures/openstack/openrc', import.meta.url));

function setup() {
  const cloud = fixtureCloud();
  const env = parseOpenrc(readFileSync(openrcFile, 'utf8'), openrcFile);
  const clients: OpenstackClients = {
    utility: cloud.exec,
    cinder: cloud.exec,
    openstack: ['openstack'],
    neutron: ['neutron'],
    cinderManage: ['cinder-manage'],
    env,
  };
  const actions: CleanupAction[] = [];
  const changes = () => cloud.calls.filter((c) => !/ list|-list/.test(c.argv.join(' '))).map((c) => c.argv.join(' '));
  return { cloud, clients, actions, onAction: (a: CleanupAction) => actions.push(a), changes };
}

describe('the openrc', () => {
  it('gives the OS_ variables of OSA Newton’s openrc, unquoted, and nothing else', () => {
    const env = parseOpenrc(readFileSync(openrcFile, 'utf8'), openrcFile);
    expect(env).toMatchObject({
      OS_USERNAME: 'admin',
      OS_PASSWORD: 'f1x7ur3-4dm1n-s3cr3t',
      OS_AUTH_URL: 'http://172.29.236.100:5000/v3',
      OS_IDENTITY_API_VERSION: '3',
    });
    expect(Object.keys(env).every((k) => k.startsWith('OS_'))).toBe(true);
    expect(
      parseOpenrc('export OS_PASSWORD="a \\"b\\" \\$c"\nexport OS_USERNAME=u\nexport OS_AUTH_URL=x\n', 'f').OS_PASSWORD,
    ).toBe('a "b" $c');
  });

  it('refuses a line only a shell could read, naming the line but never showing it', () => {
    const text = 'export OS_USERNAME=admin\nexport OS_PASSWORD=$(cat /root/pw-s3cr3t)\nexport OS_AUTH_URL=x\n';
    const error = (() => {
      try {
        parseOpenrc(text, '/root/openrc');
      } catch (e) {
        return e as OsaDeployError;
      }
      throw new Error('no error');
    })();
    expect(error.code).toBe('LEAP_OPENRC_INVALID');
    expect(error.message).toBe('/root/openrc:2 has a value only a shell could read');
    expect(() => parseOpenrc('export OS_USERNAME=admin\nexport OS_AUTH_URL=x\n', '/root/openrc')).toThrow(
      '/root/openrc sets no OS_PASSWORD',
    );
  });
});

describe('the Kilo host names', () => {
  it('are renamed the way Newton names its hosts, keeping the cinder backend and pool', () => {
    expect(newtonHostName('infra1_cinder_volumes_container-1a2b3c4d@lvm#LVM_iSCSI')).toBe(
      'infra1-cinder-volumes-container-1a2b3c4d@lvm#LVM_iSCSI',
    );
    expect(newtonHostName('storage1@lvm_backend')).toBe('storage1@lvm_backend');
  });
});

describe('the post-redeploy cleanup, on the clients’ real output', () => {
  it('disables and deletes the down nova services of Kilo host names, keeps one still up, and passes the openrc', async () => {
    const { clients, actions, onAction, changes, cloud } = setup();
    await cleanupNovaServices(clients, onAction);
    expect(changes()).toEqual([
      'openstack compute service set --disable infra1_nova_console_container-9b1a2f37 nova-consoleauth',
      'openstack compute service delete 3',
      'openstack compute service set --disable infra1_nova_scheduler_container-47de08b6 nova-scheduler',
      'openstack compute service delete 6',
      // Already disabled: deleted only.
      'openstack compute service delete 9',
    ]);
    // What is kept is reported at once; the deletions run in one batch, each reported once it succeeded.
    expect(actions.map((a) => `${a.action} ${a.id} ${a.name}`)).toEqual([
      'kept 12 nova-cert on infra1_nova_cert_container-0f6b3c11',
      'deleted 3 nova-consoleauth on infra1_nova_console_container-9b1a2f37',
      'deleted 6 nova-scheduler on infra1_nova_scheduler_container-47de08b6',
      'deleted 9 nova-conductor on infra1_nova_conductor_container-4dd9f3a2',
    ]);
    expect(actions[0]?.reason).toMatch(/still up under its Kilo host name/);
    expect(cloud.calls.every((c) => c.env.OS_PASSWORD === 'f1x7ur3-4dm1n-s3cr3t')).toBe(true);
  });

  it('moves the volumes of an old cinder-volume host to its Newton name before removing its service, and keeps those with no Newton service up', async () => {
    const { clients, actions, onAction, changes, cloud } = setup();
    await cleanupCinderServices(clients, onAction);
    expect(changes()).toEqual([
      'openstack volume service set --disable infra1_cinder_scheduler_container-8a0c1d2e cinder-scheduler',
      'cinder-manage service remove cinder-scheduler infra1_cinder_scheduler_container-8a0c1d2e',
      'cinder-manage volume update_host --currenthost infra1_cinder_volumes_container-1a2b3c4d@lvm --newhost infra1-cinder-volumes-container-1a2b3c4d@lvm',
      'openstack volume service set --disable infra1_cinder_volumes_container-1a2b3c4d@lvm cinder-volume',
      'cinder-manage service remove cinder-volume infra1_cinder_volumes_container-1a2b3c4d@lvm',
    ]);
    expect(actions.map((a) => `${a.kind} ${a.action} ${a.name}`)).toEqual([
      'cinder-service deleted cinder-scheduler on infra1_cinder_scheduler_container-8a0c1d2e',
      'cinder-volumes moved volumes on infra1_cinder_volumes_container-1a2b3c4d@lvm',
      'cinder-service deleted cinder-volume on infra1_cinder_volumes_container-1a2b3c4d@lvm',
      'cinder-volumes kept volumes on infra2_cinder_volumes_container-5e6f7a8b@lvm',
    ]);
    expect(actions.at(-1)?.reason).toMatch(
      /no cinder-volume service is up on infra2-cinder-volumes-container-5e6f7a8b@lvm/,
    );
    // cinder-manage reads cinder.conf: the openrc is not passed to it.
    expect(cloud.calls.filter((c) => c.argv[0] === 'cinder-manage').every((c) => c.env.OS_PASSWORD === undefined)).toBe(
      true,
    );
  });

  it('sets the dead neutron agents of Kilo host names down and deletes them, keeping the alive one', async () => {
    const { clients, actions, onAction, changes } = setup();
    await cleanupNeutronAgents(clients, onAction);
    expect(changes()).toEqual([
      'neutron agent-update --admin-state-down 0b3e5d6f-21c4-4f0e-9d1a-6c2b7e8f9a01',
      'neutron agent-delete 0b3e5d6f-21c4-4f0e-9d1a-6c2b7e8f9a01',
      // Already admin-down: deleted only.
      'neutron agent-delete 1c4f6e7a-32d5-4a1f-8e2b-7d3c8f9a0b12',
    ]);
    expect(actions.map((a) => `${a.action} ${a.name}`)).toEqual([
      'kept Metadata agent on infra1_neutron_agents_container-2c3d4e5f',
      'deleted L3 agent on infra1_neutron_agents_container-2c3d4e5f',
      'deleted DHCP agent on infra1_neutron_agents_container-2c3d4e5f',
    ]);
  });

  it('deletes the Kilo DHCP port of a network whose new port is stuck in BUILD, and only that one', async () => {
    const { clients, actions, onAction, changes } = setup();
    await cleanupDhcpPorts(clients, onAction);
    expect(changes()).toEqual([
      'neutron port-update --admin-state-up False 5e6f7a8b-0000-4000-8000-000000000001',
      'neutron port-delete 5e6f7a8b-0000-4000-8000-000000000001',
    ]);
    expect(actions.map((a) => `${a.action} ${a.id}`)).toEqual([
      'kept 5e6f7a8b-0000-4000-8000-000000000021',
      'deleted 5e6f7a8b-0000-4000-8000-000000000001',
    ]);
  });

  it('does nothing more when run again (a resumed leap): what is left is only what it keeps on purpose', async () => {
    const { clients, onAction, changes } = setup();
    const all = async () => {
      await cleanupCinderServices(clients, onAction);
      await cleanupNovaServices(clients, onAction);
      await cleanupNeutronAgents(clients, onAction);
      await cleanupDhcpPorts(clients, onAction);
    };
    await all();
    const first = changes().length;
    await all();
    expect(changes().length).toBe(first);
  });

  it('stops the batch at a failing deletion: what succeeded before it is reported, the rest left for the resume', async () => {
    const { clients, actions, onAction, changes } = setup();
    const failing = {
      ...clients,
      utility: ((argv, options) =>
        argv.join(' ') === 'openstack compute service delete 6'
          ? Promise.resolve(execResult(argv, { exitCode: 1, stderr: 'HTTP 500\n' }))
          : clients.utility(argv, options)) as typeof clients.utility,
    };
    await expect(cleanupNovaServices(failing, onAction)).rejects.toMatchObject({
      code: 'LEAP_OPENSTACK_COMMAND_FAILED',
      message: expect.stringMatching(/^`openstack compute service delete 6` exited with 1: HTTP 500/),
    });
    expect(changes()).toEqual([
      'openstack compute service set --disable infra1_nova_console_container-9b1a2f37 nova-consoleauth',
      'openstack compute service delete 3',
      'openstack compute service set --disable infra1_nova_scheduler_container-47de08b6 nova-scheduler',
    ]);
    expect(actions.map((a) => `${a.action} ${a.id}`)).toEqual(['kept 12', 'deleted 3']);
  });

  it('fails naming the command, its exit and what it printed', async () => {
    const { clients, onAction } = setup();
    const broken = { ...clients, openstack: ['openstack', '--os-cloud', 'missing'] };
    await expect(cleanupNovaServices(broken, onAction)).rejects.toMatchObject({
      code: 'LEAP_OPENSTACK_COMMAND_FAILED',
      message: expect.stringMatching(
        /^`openstack --os-cloud missing compute service list -f json` exited with 2: fixture cloud/,
      ),
    });
  });

  it('refuses output it does not understand, naming the command and the row', () => {
    const rows = JSON.parse(
      readFileSync(new URL('./fixtures/openstack/neutron-agent-list.json', import.meta.url), 'utf8'),
    ) as Array<Record<string, unknown>>;
    rows[1]!.alive = 'maybe';
    expect(() => parseNeutronAgents(JSON.stringify(rows), 'neutron agent-list -f json')).toThrow(
      '`neutron agent-list -f json` row 2 has alive "maybe", which leap does not know',
    );
    expect(() => parseNeutronAgents('Unable to establish connection', 'neutron agent-list -f json')).toThrow(
      /printed something other than JSON/,
    );
  });
});
