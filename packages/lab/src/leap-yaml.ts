import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { LabOpenstackClients } from './openstack-clients.js';
import type { LabPipUnify } from './pip-unify.js';
import type { LabInfo } from './types.js';
import type { LabVenvTarball, VenvRelease } from './venv-tarballs.js';

/** Kilo's commands as a folder, each later release's venv as a tarball for venvs/prepare to push. */
export type LabMigrationVenvs = { kilo: string } & Record<VenvRelease, LabVenvTarball>;

/** dir/leap.yaml: the only thing that tells this lab from a production deploy host. */
export function writeLeapYaml(
  info: LabInfo,
  migrationVenvs: LabMigrationVenvs,
  clients: LabOpenstackClients & { cinderManage: string },
  pipUnify: LabPipUnify,
): void {
  const config = {
    deployDir: info.paths.deployDir,
    rpcoDir: info.paths.rpcoDir,
    markerDir: `${info.paths.deployDir}/upgrade-leap`,
    backupDir: info.paths.backupDir,
    releaseFile: info.paths.releaseFile,
    target: info.target,
    database: {
      host: info.database.host,
      port: info.database.port,
      socket: info.database.socket,
      user: info.database.user,
      password: info.database.password,
    },
    ansible: {
      command: [info.paths.openstackAnsible],
      inventory: info.paths.inventory,
      // leap's own plays (the commands it runs in containers) read the lab's ansible.cfg, as its playbooks do.
      env: { ANSIBLE_CONFIG: join(info.dir, 'ansible', 'ansible.cfg') },
      // The lab's containers are this machine: its system Python starts leap's commands there.
      remotePython: ['/usr/bin/python3'],
      extraVars: labExtraVars(info),
    },
    migrationVenvs,
    // The stand-in get-pip.py and empty wheels: what an operator downloads to the deploy host once.
    pipUnify,
    // The stand-in clients work on the lab database; the openrc is the utility container's, under the host folders.
    openstackClients: {
      ...(clients.openrc === undefined ? {} : { openrc: clients.openrc }),
      openstack: [clients.openstack],
      neutron: [clients.neutron],
      cinderManage: [clients.cinderManage],
    },
    // The lab runs as one user: its sudo stand-in tells the stand-in commands whom production would run them as.
    runAsCommand: [`${info.dir}/bin/lab-run-as`, '{user}'],
    // The lab's deploy host is a standalone node without libmysqlclient-dev, and it never builds python-mysql.
    // The lab stands for a deployment with every RPC addition: their stand-ins run at the end of the leap.
    rpcAdditions: { supportRole: true, elk: true, maas: true },
    preflight: { skip: ['deploy-host-packages'] },
    git: { remote: 'origin', expected: { rpco: info.git.rpco.target, osa: info.git.osa.target } },
  };
  const header = [
    `# leap.yaml of a leap lab (source ${info.source}, seed ${JSON.stringify(info.seed)}), written by \`leap lab create\`.`,
    '# Everything else in this folder is shaped like a production deploy host; only these paths differ.',
    '',
  ].join('\n');
  writeFileSync(info.paths.leapYaml, header + stringify(config, { lineWidth: 0 }));
}

/**
 * How leap reaches each galera container's server and recovers it: every node listens on 127.0.0.1 on a port of
 * its own (production: the container's address, port 3306), and `mysqld --wsrep-recover` in a container is its
 * node's mariadbd with its my.cnf. Its service is lab-service's `mysql` (leap_service_command), as for galera-stop.yml.
 */
function labGaleraVars(info: LabInfo): Record<string, unknown> {
  const nodes = info.galera?.nodes;
  if (nodes === undefined) {
    // --single-db: one server for the deployment, not a Galera node; leap checks it alone.
    return { leap_galera_address: info.database.host, leap_galera_port: info.database.port };
  }
  return {
    leap_lab_galera_ports: Object.fromEntries(nodes.map((n) => [n.name, n.port])),
    leap_galera_address: '127.0.0.1',
    leap_galera_port: '{{ leap_lab_galera_ports[inventory_hostname] }}',
    leap_galera_recover_command: [`${info.dir}/bin/lab-galera`, 'wsrep-recover', '{{ leap_root }}'],
  };
}

/** ansible.extraVars: the host folders as the hosts' roots, and the stand-ins leap's own playbooks call there. */
function labExtraVars(info: LabInfo): Record<string, unknown> {
  return {
    leap_lab_root: info.dir,
    leap_root_prefix: info.paths.hostsRoot,
    // leap's own playbooks act on a root folder per host and call the service manager and lxc-destroy; in
    // the lab those are the host's folder (a container's rootfs inside it) and stand-ins under bin/.
    leap_root: `{{ leap_root_prefix }}/{{ physical_host | default(inventory_hostname) }}{{ '' if (physical_host | default(inventory_hostname)) == inventory_hostname else '/var/lib/lxc/' ~ inventory_hostname ~ '/rootfs' }}`,
    leap_service_command: [`${info.dir}/bin/lab-service`, '{{ leap_root }}'],
    // pip-unify runs a host's system Python and apt-get: stand-ins acting on its folder (production: the defaults).
    leap_python_command: [`${info.dir}/bin/lab-python`, '{{ leap_root }}'],
    leap_apt_get_command: [`${info.dir}/bin/lab-apt-get`, '{{ leap_root }}'],
    // leap verify's pgrep -a -f: a lab host's processes are the lines of its var/run/leap-lab/processes.
    leap_process_list_command: [`${info.dir}/bin/lab-processes`, '{{ leap_root }}'],
    // A lab host's hostname is the one in its folder (production: `uname -n` on the host).
    leap_hostname_command: ['cat', '{{ leap_root }}/etc/hostname'],
    leap_lxc_destroy_command: [
      `${info.dir}/bin/lab-lxc-destroy`,
      '{{ leap_root_prefix }}/{{ physical_host | default(inventory_hostname) }}',
    ],
    leap_host_reset_commands: [],
    leap_mysql_upgrade_command: [
      'mariadb-upgrade',
      '--no-defaults',
      `--socket=${info.database.socket}`,
      '--user=root',
      '--silent',
    ],
    leap_neutron_ha_tool: `${info.dir}/bin/lab-neutron-ha-tool`,
    ...labGaleraVars(info),
    leap_openrc: '/dev/null',
    leap_manage_owners: false,
  };
}
