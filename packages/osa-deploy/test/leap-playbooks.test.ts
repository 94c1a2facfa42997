import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { requireCommand, tempDir } from '@leap/test-fixtures';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  destroyOldContainersItem,
  hostsAliasItem,
  liveHostnamesItem,
  OsaDeployError,
  linuxbridgeRestartItem,
  maasOldAgentsItem,
  powerDownItem,
  readLiveHostnames,
  redeployPlaybooks,
  runPlaybook,
  venvPushItem,
  type AnsibleSettings,
  type VenvPush,
} from '../src/index.js';
import { writeInventory } from './helpers.js';

const bin = fileURLToPath(new URL('./fixtures/bin/', import.meta.url));

beforeAll(() => {
  requireCommand('ansible-playbook');
});

const KEYSTONE = 'infra1_keystone_container-aa11';
const GALERA = 'infra1_galera_container-bb22';
const RSYSLOG = 'infra1_rsyslog_container-cc33';
const NOVA_API = 'infra1_nova_api_container-ee55';
/** Forgotten by the neutron-keep step: on disk and running, in no inventory group. */
const OLD_NEUTRON = 'infra1_neutron_agents_container-dd44';
const CONTAINERS = [KEYSTONE, GALERA, RSYSLOG, NOVA_API];

/** A lab-style tree: one folder per physical host, each container's root under its host's /var/lib/lxc. */
function lab(): { dir: string; root: (host: string) => string; settings: AnsibleSettings } {
  const dir = tempDir();
  const root = (host: string): string =>
    host.includes('_container-') ? join(dir, 'infra1/var/lib/lxc', host, 'rootfs') : join(dir, host);
  const hostVars: Record<string, Record<string, string>> = {};
  for (const host of ['infra1', 'compute1', ...CONTAINERS]) {
    hostVars[host] = { leap_root: root(host), ...(host.includes('_container-') ? { physical_host: 'infra1' } : {}) };
  }
  const inventory = writeInventory(
    dir,
    {
      hosts: ['infra1', 'compute1'],
      all_containers: CONTAINERS,
      galera_all: [GALERA],
      rsyslog_all: [RSYSLOG],
      nova_compute: ['compute1'],
    },
    { hostVars },
  );
  return {
    dir,
    root,
    settings: {
      command: ['ansible-playbook'],
      playbooksDir: dir,
      inventory: [inventory],
      logDir: join(dir, 'logs'),
      extraVars: { leap_service_command: [join(bin, 'fake-service'), '{{ leap_root }}'], leap_manage_owners: false },
    },
  };
}

function touch(path: string, content = ''): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
}

/** destroy-old-containers.yml with the fake lxc-destroy acting on the physical host folder `host`, no host reset. */
function destroyOnHost(settings: AnsibleSettings, host: string) {
  return runPlaybook(
    {
      ...settings,
      extraVars: {
        ...settings.extraVars,
        leap_lxc_destroy_command: [join(bin, 'fake-lxc-destroy'), host],
        leap_host_reset_commands: [],
      },
    },
    destroyOldContainersItem(),
  );
}

function stopped(root: string): string[] {
  const log = join(root, 'var/log/leap-services.log');
  return existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n').sort() : [];
}

// Each test runs real playbooks on up to seven local hosts; a loaded CI machine needs more than the default minute.
describe("leap's own playbooks on a lab folder tree", { timeout: 300_000 }, () => {
  it('power-down stops only the OpenStack services, keeping Galera, RabbitMQ, memcached, HAProxy and libvirt running', async () => {
    const { root, settings } = lab();
    const jobs: Record<string, string[]> = {
      infra1: [
        'etc/init.d/haproxy',
        'etc/init.d/lxc',
        'etc/init/rsyslog.conf',
        'etc/init/neutron-linuxbridge-agent.conf',
        'etc/init.d/swift-proxy-server',
      ],
      compute1: [
        'etc/init/nova-compute.conf',
        'etc/init/neutron-linuxbridge-agent.conf',
        'etc/init/libvirt-bin.conf',
        'etc/init/ceilometer-polling.conf',
        'etc/init/override.override',
      ],
      [KEYSTONE]: ['etc/init.d/apache2', 'etc/init/keystone.conf', 'etc/init.d/memcached'],
      [GALERA]: ['etc/init.d/mysql', 'etc/init/rabbitmq-server.conf'],
      [NOVA_API]: ['etc/init/nova-api.conf', 'etc/init/nova-conductor.conf', 'etc/init/nova-scheduler.conf'],
    };
    for (const [host, files] of Object.entries(jobs)) for (const file of files) touch(join(root(host), file));

    await runPlaybook(settings, powerDownItem());

    expect(stopped(root('infra1'))).toEqual(['neutron-linuxbridge-agent stop', 'swift-proxy-server stop']);
    expect(stopped(root('compute1'))).toEqual([
      'ceilometer-polling stop',
      'neutron-linuxbridge-agent stop',
      'nova-compute stop',
    ]);
    expect(stopped(root(KEYSTONE))).toEqual(['apache2 stop', 'keystone stop']);
    expect(stopped(root(GALERA))).toEqual([]);
    expect(stopped(root(NOVA_API))).toEqual(['nova-api stop', 'nova-conductor stop', 'nova-scheduler stop']);
  });

  it('power-down keeps Swift running when Swift is not upgraded', async () => {
    const { root, settings } = lab();
    touch(join(root('infra1'), 'etc/init.d/swift-proxy-server'));
    touch(join(root('infra1'), 'etc/init/neutron-linuxbridge-agent.conf'));
    await runPlaybook(
      {
        ...settings,
        inventory: [
          writeInventory(
            dirname(root('infra1')),
            { hosts: ['infra1'] },
            { hostVars: { infra1: { leap_root: root('infra1') } } },
          ),
        ],
      },
      powerDownItem({ swift: false }),
    );
    expect(stopped(root('infra1'))).toEqual(['neutron-linuxbridge-agent stop']);
  });

  it('restarts the linuxbridge agent on the compute hosts only, and fails naming a compute host where it cannot', async () => {
    const { root, settings } = lab();
    await runPlaybook(settings, linuxbridgeRestartItem());
    expect(stopped(root('compute1'))).toEqual(['neutron-linuxbridge-agent restart']);
    expect(stopped(root('infra1'))).toEqual([]);

    const failing = { ...settings, extraVars: { ...settings.extraVars, leap_service_command: ['false'] } };
    await expect(runPlaybook(failing, linuxbridgeRestartItem())).rejects.toMatchObject({
      code: 'LEAP_PLAYBOOK_FAILED',
      hosts: ['compute1'],
    });
  });

  it("moves the old neutron agents containers' MaaS checks out of the agent's folder on every host, keeping the others", async () => {
    const { dir, root, settings } = lab();
    const conf = (host: string) => join(root(host), 'etc/rackspace-monitoring-agent.conf.d');
    touch(join(conf('infra1'), `lxc_container_check--${OLD_NEUTRON}.yaml`), 'old check');
    touch(join(conf('infra1'), 'cpu_check--infra1.yaml'));
    touch(join(conf('compute1'), `neutron_agents_check--${OLD_NEUTRON}.yaml`));
    // Before the neutron-keep step wrote its list: nothing to do.
    await runPlaybook(settings, maasOldAgentsItem({ configDir: dir }));
    expect(readdirSync(conf('infra1')).sort()).toHaveLength(2);

    writeFileSync(join(dir, 'leapfrog_remove_remaining_old_containers'), `${OLD_NEUTRON}\n`);
    await runPlaybook(settings, maasOldAgentsItem({ configDir: dir }));
    expect(readdirSync(conf('infra1'))).toEqual(['cpu_check--infra1.yaml']);
    expect(readdirSync(conf('compute1'))).toEqual([]);
    expect(
      readFileSync(join(`${conf('infra1')}.leap-removed`, `lxc_container_check--${OLD_NEUTRON}.yaml`), 'utf8'),
    ).toBe('old check');
    // A second run finds nothing left to move.
    await runPlaybook(settings, maasOldAgentsItem({ configDir: dir }));
    expect(readdirSync(`${conf('compute1')}.leap-removed`)).toEqual([`neutron_agents_check--${OLD_NEUTRON}.yaml`]);
  });

  it('destroy removes the old containers with their data, but keeps galera data, rsyslog data and the forgotten neutron agents container', async () => {
    const { root, settings } = lab();
    const host = root('infra1');
    const paths = (name: string): string[] => [
      `var/lib/lxc/${name}/rootfs/etc/hostname`,
      `openstack/${name}/data`,
      `openstack/backup/${name}/dump.sql`,
      `openstack/log/${name}/service.log`,
      `var/log/lxc/lxc-${name}.log`,
    ];
    for (const name of [...CONTAINERS, OLD_NEUTRON]) for (const path of paths(name)) touch(join(host, path), name);
    touch(join(host, 'var/cache/lxc/download/trusty.tar'));

    await destroyOnHost(settings, host);

    const present = (name: string): string[] => paths(name).filter((path) => existsSync(join(host, path)));
    expect(present(KEYSTONE)).toEqual([]);
    expect(present(NOVA_API)).toEqual([]);
    // Rebuilt: the container's root file system goes, its bind-mounted data, backups and logs stay.
    expect(present(GALERA)).toEqual(paths(GALERA).slice(1));
    expect(present(RSYSLOG)).toEqual(paths(RSYSLOG).slice(1));
    expect(present(OLD_NEUTRON)).toEqual(paths(OLD_NEUTRON));
    expect(existsSync(join(host, 'var/cache/lxc/download'))).toBe(false);
    const destroyed = readFileSync(join(host, 'lxc-destroy.log'), 'utf8').trim().split('\n').sort();
    expect(destroyed).toEqual([KEYSTONE, GALERA, NOVA_API, RSYSLOG].sort());
  });

  it('destroy keeps every folder of a container whose lxc-destroy failed, and fails naming it', async () => {
    const { root, settings } = lab();
    const host = root('infra1');
    const folders = (name: string): string[] => [`var/lib/lxc/${name}/rootfs/etc/hostname`, `openstack/${name}/data`];
    for (const name of CONTAINERS) for (const path of folders(name)) touch(join(host, path), name);
    touch(join(host, 'lxc-destroy-fails'), `${NOVA_API}\n`);
    const run = destroyOnHost(settings, host);
    await expect(run).rejects.toBeInstanceOf(OsaDeployError);
    await expect(run).rejects.toThrow(NOVA_API);
    const present = (name: string): string[] => folders(name).filter((path) => existsSync(join(host, path)));
    expect(present(NOVA_API)).toEqual(folders(NOVA_API));
    expect(present(KEYSTONE)).toEqual([]);
  });

  it('writes the hosts alias line once, however many times it runs', async () => {
    const { root, settings } = lab();
    touch(join(root('infra1'), 'etc/hosts'), '127.0.0.1 localhost\n::1 ip6-localhost\n10.0.0.5 infra2\n');
    touch(join(root('compute1'), 'etc/hosts'), '127.0.0.1 localhost\n127.0.1.1 compute1\n');
    const item = hostsAliasItem({
      infra1: '127.0.1.1 infra1.openstack.local infra1',
      compute1: '127.0.1.1 compute-1.openstack.local compute-1 compute_1',
    });
    for (let run = 0; run < 2; run += 1) await runPlaybook(settings, item);
    expect(readFileSync(join(root('infra1'), 'etc/hosts'), 'utf8')).toBe(
      '127.0.0.1 localhost\n127.0.1.1 infra1.openstack.local infra1\n::1 ip6-localhost\n10.0.0.5 infra2\n',
    );
    expect(readFileSync(join(root('compute1'), 'etc/hosts'), 'utf8')).toBe(
      '127.0.0.1 localhost\n127.0.1.1 compute-1.openstack.local compute-1 compute_1\n',
    );
  });

  it("live-hostnames reads each host's live hostname (uname -n by default, or the host's own command) into a JSON file", async () => {
    const { dir, root, settings } = lab();
    touch(join(root('infra1'), 'etc/hostname'), 'infra1\n');
    touch(join(root('compute1'), 'etc/hostname'), 'c0042-dfw.example.com\n');
    const out = join(dir, 'hostnames.json');
    const standIn = {
      ...settings,
      extraVars: { ...settings.extraVars, leap_hostname_command: ['cat', '{{ leap_root }}/etc/hostname'] },
    };
    await runPlaybook(standIn, liveHostnamesItem(['infra1', 'compute1'], out));
    expect(await readLiveHostnames(out)).toEqual({ infra1: 'infra1', compute1: 'c0042-dfw' });
    await runPlaybook(settings, liveHostnamesItem(['compute1'], out));
    expect(await readLiveHostnames(out)).toEqual({ compute1: hostname().split('.')[0] });
    writeFileSync(out, '[1]');
    await expect(readLiveHostnames(out)).rejects.toMatchObject({ code: 'LEAP_HOSTNAMES_UNREADABLE', file: out });
  });

  it('refuses to stop Galera before the verified backup, and stops it afterwards', async () => {
    const { dir, root, settings } = lab();
    const marker = join(dir, 'backup-verified.complete');
    const stop = redeployPlaybooks({
      backupMarker: marker,
      backupDir: join(dir, 'backup'),
      pipUnifyDir: join(dir, 'pip'),
    }).find((item) => item.id === 'newton/redeploy/galera-stop');
    expect(stop).toBeDefined();
    if (!stop) return;
    touch(join(root(GALERA), 'var/lib/mysql/grastate.dat'), 'seqno: 42\n');
    touch(join(root(GALERA), 'var/lib/mysql/.sst/partial'), 'x');

    const error = await runPlaybook(settings, stop).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(OsaDeployError);
    expect((error as OsaDeployError).message).toMatch(/failed on localhost .*no verified database backup/);
    expect(stopped(root(GALERA))).toEqual([]);

    touch(marker, '{}');
    await runPlaybook(settings, stop);
    expect(stopped(root(GALERA))).toEqual(['mysql stop']);
    // grastate.dat keeps the cluster's position and UUID for the re-deploy's bootstrap; an interrupted SST goes.
    expect(readFileSync(join(root(GALERA), 'var/lib/mysql/grastate.dat'), 'utf8')).toBe('seqno: 42\n');
    expect(existsSync(join(root(GALERA), 'var/lib/mysql/.sst'))).toBe(false);
  });

  it('stops the first galera node last, so it is the one Galera marks safe to bootstrap', async () => {
    const dir = tempDir();
    const nodes = ['infra1_galera_container-n1', 'infra2_galera_container-n2', 'infra3_galera_container-n3'];
    const inventory = writeInventory(
      dir,
      { galera_all: nodes },
      {
        hostVars: Object.fromEntries(nodes.map((node) => [node, { leap_root: join(dir, node) }])),
      },
    );
    const log = join(dir, 'services.log');
    const marker = join(dir, 'backup-verified.complete');
    touch(marker, '{}');
    const stop = redeployPlaybooks({
      backupMarker: marker,
      backupDir: join(dir, 'backup'),
      pipUnifyDir: join(dir, 'pip'),
    }).find((item) => item.id === 'newton/redeploy/galera-stop');
    if (!stop) throw new Error('no galera-stop item');
    await runPlaybook(
      {
        command: ['ansible-playbook'],
        playbooksDir: dir,
        inventory: [inventory],
        logDir: join(dir, 'logs'),
        extraVars: { leap_service_command: [join(bin, 'fake-service-shared-log'), log, '{{ inventory_hostname }}'] },
      },
      stop,
    );
    const calls = readFileSync(log, 'utf8').trim().split('\n');
    expect(calls.slice(0, 2).sort()).toEqual([`${nodes[1]} mysql stop`, `${nodes[2]} mysql stop`]);
    expect(calls[2]).toBe(`${nodes[0]} mysql stop`);
  });

  it('venv-push unpacks each venv once on hosts sharing a folder, moves an outdated one aside, and fails on a stamp it does not find', async () => {
    const { dir, settings } = lab();
    const dest = (release: string) => join(dir, `opt/openstack-ansible-${release}-eol`);
    const tarball = async (release: string, stamp: string, tool: string): Promise<string> => {
      const name = `openstack-ansible-${release}-eol`;
      const build = join(dir, `build-${release}-${tool}`);
      touch(join(build, name, 'leap-venv.txt'), stamp);
      touch(join(build, name, 'bin', tool), '#!/bin/sh\n');
      const file = join(dir, `${release}-${tool}.tgz`);
      await execa('tar', ['-czf', file, '-C', build, name]);
      return file;
    };
    const stamp = (release: string, sha: string) => `leap-venv sha256=${sha} path=${dest(release)}\n`;
    const liberty = (file: string, sha: string) => ({
      name: 'liberty',
      groups: ['hosts', 'nova_compute', 'galera_all'],
      tarball: file,
      dest: dest('liberty'),
      stamp: stamp('liberty', sha),
    });
    const mitaka = {
      name: 'mitaka',
      groups: ['nova_compute'],
      tarball: await tarball('mitaka', stamp('mitaka', 'mmmm'), 'heat-manage'),
      dest: dest('mitaka'),
      stamp: stamp('mitaka', 'mmmm'),
    };
    const push = (venvs: VenvPush[]) => runPlaybook(settings, venvPushItem(venvs));

    const first = await tarball('liberty', stamp('liberty', 'aaaa'), 'keystone-manage');
    await push([liberty(first, 'aaaa'), mitaka]);
    expect(readFileSync(join(dest('liberty'), 'leap-venv.txt'), 'utf8')).toBe(stamp('liberty', 'aaaa'));
    expect(existsSync(join(dest('liberty'), 'bin/keystone-manage'))).toBe(true);
    expect(existsSync(join(dest('mitaka'), 'bin/heat-manage'))).toBe(true);
    expect(existsSync(join(dest('liberty'), 'openstack-ansible-liberty-eol'))).toBe(false);
    writeFileSync(join(dest('liberty'), 'touched-after-push'), '');
    const again = await push([liberty(first, 'aaaa'), mitaka]);
    expect(existsSync(join(dest('liberty'), 'touched-after-push')), 'a current venv is left alone').toBe(true);
    expect(
      Object.values(again.recap).map((host) => host.changed),
      'every stamp in place: nothing changed',
    ).toEqual(Object.values(again.recap).map(() => 0));

    const second = await tarball('liberty', stamp('liberty', 'bbbb'), 'nova-manage');
    await push([liberty(second, 'bbbb'), mitaka]);
    expect(readFileSync(join(dest('liberty'), 'leap-venv.txt'), 'utf8')).toBe(stamp('liberty', 'bbbb'));
    expect(existsSync(join(dest('liberty'), 'bin/nova-manage'))).toBe(true);
    expect(existsSync(join(dest('liberty'), 'bin/keystone-manage')), 'never unpacked over the old one').toBe(false);
    expect(readFileSync(join(`${dest('liberty')}.replaced-by-leap`, 'leap-venv.txt'), 'utf8')).toBe(
      stamp('liberty', 'aaaa'),
    );
    expect(readdirSync(join(dir, 'opt')).sort()).toEqual([
      'openstack-ansible-liberty-eol',
      'openstack-ansible-liberty-eol.replaced-by-leap',
      'openstack-ansible-mitaka-eol',
    ]);

    await expect(push([{ ...liberty(second, 'bbbb'), stamp: stamp('liberty', 'cccc') }])).rejects.toMatchObject({
      code: 'LEAP_PLAYBOOK_FAILED',
      message: expect.stringContaining(`does not hold the liberty venv leap pushed (leap-venv sha256=cccc`),
    });
  });
});
