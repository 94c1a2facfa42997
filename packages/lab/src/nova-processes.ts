import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { membersOf, type InventoryHost, type InventoryView } from './inventory-view.js';
import { LAB_RELEASES, type LabRelease } from './releases.js';

/**
 * The nova programs each nova group runs; any other member of nova_all runs none. The stand-in
 * os-nova-install.yml has the same table (lab_nova_programs) for the processes it restarts.
 */
export const NOVA_PROGRAMS: Readonly<Record<string, readonly string[]>> = {
  nova_compute: ['nova-compute'],
  nova_conductor: ['nova-conductor'],
  nova_scheduler: ['nova-scheduler'],
  nova_api_os_compute: ['nova-api-os-compute'],
  nova_api_metadata: ['nova-api-metadata'],
  nova_cert: ['nova-cert'],
  nova_console: ['nova-consoleauth', 'nova-spicehtml5proxy'],
};

/** A lab host's processes, `<pid> <command line>` a line, under its root; `lab-processes` is its pgrep. */
export const PROCESSES_FILE = 'var/run/leap-lab/processes';

/** Every host's first line: a process no nova check looks at. */
const INIT_LINE = '1 /sbin/init';
const FIRST_NOVA_PID = 1101;

/** A nova program's command line in `release`: Kilo's OSA installed nova system-wide, later ones into a venv. */
export function novaCommand(release: LabRelease, program: string): string {
  const args = '--config-file /etc/nova/nova.conf';
  if (release === 'kilo') return `/usr/bin/python /usr/local/bin/${program} ${args}`;
  const bin = `/openstack/venvs/nova-${LAB_RELEASES[release].osaTag}/bin`;
  return `${bin}/python ${bin}/${program} ${args}`;
}

/**
 * A host's root folder as leap.yaml's leap_root names it: the host's own folder when the inventory host is its
 * own physical host, else the container's rootfs in its physical host's folder.
 */
export function labHostRoot(hostsRoot: string, host: InventoryHost): string {
  const physical = join(hostsRoot, host.physicalHost);
  return host.physicalHost === host.name ? physical : join(physical, 'var/lib/lxc', host.name, 'rootfs');
}

/** The process list of every nova_all host: its groups' nova programs as `release` runs them. */
export function writeNovaProcesses(hostsRoot: string, view: InventoryView, release: LabRelease): void {
  const novaHosts = new Set(membersOf(view, 'nova_all'));
  const groups = Object.entries(NOVA_PROGRAMS).map(([group, programs]) => ({
    members: new Set(membersOf(view, group)),
    programs,
  }));
  for (const host of view.hosts.filter((h) => novaHosts.has(h.name))) {
    const programs = groups.filter((g) => g.members.has(host.name)).flatMap((g) => g.programs);
    const lines = [INIT_LINE, ...programs.map((p, i) => `${FIRST_NOVA_PID + i} ${novaCommand(release, p)}`)];
    const file = join(labHostRoot(hostsRoot, host), PROCESSES_FILE);
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(file, `${lines.join('\n')}\n`);
  }
}
