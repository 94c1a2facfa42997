import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MatrixCase } from './case.js';
import { ansibleCommand } from './edit.js';

/** Cases for a lab whose leap stopped at liberty/hostnames, its first playbook (the live hostnames of the hosts). */
export const playbookCases: MatrixCase[] = [
  {
    name: 'ansible-playbook missing (openstack-ansible not bootstrapped)',
    arrange: ({ lab }) => ansibleCommand(lab, [join(lab.dir, 'bin', 'no-such-openstack-ansible')]),
    exitCode: 1,
    codes: ['LEAP_ANSIBLE_NOT_STARTED', 'failed at step liberty/hostnames'],
    names: ['no-such-openstack-ansible', 'ENOENT'],
    hint: /openstack-ansible bootstrapped/,
  },
  {
    name: 'a playbook failing on one host (its /etc/hostname is a folder)',
    arrange: ({ lab }) => {
      const hostnameFile = join(lab.paths.hostsRoot, 'compute1', 'etc', 'hostname');
      rmSync(hostnameFile, { force: true });
      mkdirSync(hostnameFile, { recursive: true });
    },
    exitCode: 1,
    codes: ['LEAP_PLAYBOOK_FAILED', 'failed at step liberty/hostnames'],
    names: ['host: compute1', 'live-hostnames.yml', '<lab>/etc/openstack_deploy/upgrade-leap/logs/ansible/'],
    hint: /read the log for the failed task/,
  },
  {
    name: 'an unreachable host (compute1 over SSH to a closed port)',
    arrange: ({ lab }) => {
      mkdirSync(join(lab.dir, 'ansible', 'host_vars'), { recursive: true });
      writeFileSync(
        join(lab.dir, 'ansible', 'host_vars', 'compute1.yml'),
        'ansible_connection: ssh\nansible_host: 127.0.0.1\nansible_ssh_host: 127.0.0.1\nansible_port: 9\nansible_ssh_common_args: -o ConnectTimeout=5\n',
      );
    },
    exitCode: 1,
    codes: ['LEAP_HOSTS_UNREACHABLE', 'failed at step liberty/hostnames'],
    names: ['host: compute1', 'could not reach compute1'],
    hint: /up and reachable over SSH/,
  },
];
