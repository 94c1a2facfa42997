import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { labHostnames } from './hostnames.js';
import { membersOf, type InventoryView } from './inventory-view.js';
import { writeNovaProcesses } from './nova-processes.js';
import { releaseFileContent, type LabRelease } from './releases.js';

/**
 * One folder per physical host standing for its root file system: /etc/hosts, the release file, apt and pip
 * leftovers the host upgrade removes, the system Python's Kilo-era packages, containers as folders under
 * var/lib/lxc, galera data under openstack/<c>, and the source release's nova processes on every nova host.
 */
export function writeHostRoots(
  hostsRoot: string,
  view: InventoryView,
  source: LabRelease,
  options: { placeholderGaleraData: boolean } = { placeholderGaleraData: true },
): void {
  const galera = new Set(membersOf(view, 'galera_all'));
  const glance = new Set(membersOf(view, 'glance_all'));
  const computes = new Set(membersOf(view, 'nova_compute'));
  const hostnames = labHostnames(view);
  for (const host of view.hosts.filter((h) => !h.isContainer && h.physicalHost === h.name)) {
    const root = join(hostsRoot, host.name);
    const hostname = hostnames[host.name] ?? host.name;
    write(root, 'etc/hostname', `${hostname}\n`);
    write(
      root,
      'etc/hosts',
      [
        '127.0.0.1 localhost',
        `127.0.1.1 ${hostname}`,
        ...(host.address === null ? [] : [`${host.address} ${host.name}`]),
        '',
      ].join('\n'),
    );
    write(root, 'etc/openstack-release', releaseFileContent(source));
    write(
      root,
      'etc/apt/sources.list.d/mariadb.list',
      'deb http://mirror.rackspace.com/mariadb/repo/10.0/ubuntu trusty main\n',
    );
    write(root, 'root/.pip/pip.conf', '[global]\nindex-url = http://172.29.236.100:8181/simple\n');
    writeKiloSystemPip(root);
    // The MaaS agent's checks, as RPC's MaaS writes them: one for the host, one per container it holds.
    write(root, `etc/rackspace-monitoring-agent.conf.d/cpu_check--${host.name}.yaml`, 'type: agent.cpu\n');
    mkdirSync(join(root, 'var/log/leap-lab'), { recursive: true });
    if (computes.has(host.name))
      write(root, 'var/lib/libvirt/qemu/save/instance-00000001.save', 'saved guest memory\n');
  }
  for (const container of view.hosts.filter((h) => h.isContainer)) {
    const root = join(hostsRoot, container.physicalHost);
    const lxc = join('var/lib/lxc', container.name);
    write(root, join(lxc, 'config'), `lxc.utsname = ${container.name}\n# address ${container.address ?? ''}\n`);
    // Before Mitaka the in-container hostname is the inventory name, underscores included.
    write(root, join(lxc, 'rootfs/etc/hostname'), `${container.name}\n`);
    mkdirSync(join(root, 'openstack/log', container.name), { recursive: true });
    write(
      root,
      `etc/rackspace-monitoring-agent.conf.d/lxc_container_check--${container.name}.yaml`,
      `type: agent.plugin\ndetails:\n  args: ["${container.name}"]\n`,
    );
    if (glance.has(container.name))
      write(root, join(lxc, 'rootfs/var/lib/glance/cache/6f0c1f5e-0000-4000-8000-000000000001'), 'cached image\n');
    // A lab with a Galera cluster has its real data there (galera-cluster.ts); a --single-db lab, placeholders.
    if (galera.has(container.name) && options.placeholderGaleraData) {
      const data = join('openstack', container.name);
      write(
        root,
        join(data, 'grastate.dat'),
        '# GALERA saved state\nversion: 2.1\nuuid: 5f0c9a2e-1d3b-11e7-9a6d-000000000001\nseqno: -1\nsafe_to_bootstrap: 0\n',
      );
      write(root, join(data, 'ibdata1'), 'galera data of the lab (kept across the re-deploy)\n');
      write(root, join(data, 'mysql/db.opt'), 'default-character-set=utf8\n');
    }
  }
  writeNovaProcesses(hostsRoot, view, source);
}

/** The system Python's packages of a Kilo-era host; leap's pip-unify replaces the pip tools among them. */
const KILO_SYSTEM_PIP: ReadonlyArray<readonly [string, string]> = [
  ['pip', '8.1.2'],
  ['setuptools', '20.1.1'],
  ['wheel', '0.26.0'],
  ['packaging', '16.5'],
  ['six', '1.10.0'],
];

function writeKiloSystemPip(root: string): void {
  for (const [name, version] of KILO_SYSTEM_PIP) {
    write(
      root,
      `usr/local/lib/python2.7/dist-packages/${name}-${version}.dist-info/METADATA`,
      `Metadata-Version: 2.0\nName: ${name}\nVersion: ${version}\n`,
    );
  }
}

function write(root: string, path: string, content: string): void {
  const file = join(root, path);
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, content);
}
