import { chmodSync, copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { labAsset } from './assets.js';
import { requireLabCommand } from './commands.js';
import type { InventoryView } from './inventory-view.js';

/**
 * dir/ansible/inventory.ini: every host and container of the lab inventory as a local host (with the
 * physical_host it lives on), grouped like the OSA inventory; plus the lab's ansible.cfg.
 */
export function writeAnsibleInventory(dir: string, view: InventoryView): string {
  const ansibleDir = join(dir, 'ansible');
  mkdirSync(ansibleDir, { recursive: true });
  const lines = [
    '# Lab inventory (leap lab create): every OSA inventory host and container, run on this machine.',
    '# physical_host tells the stand-in playbooks which <lab>/hosts/<host> folder stands for its root file system.',
    '[all:vars]',
    'ansible_connection=local',
    'ansible_python_interpreter=/usr/bin/python3',
    '',
    '[lab_hosts]',
    ...view.hosts.map((h) => `${h.name} physical_host=${h.physicalHost}${h.address === null ? '' : ` container_address=${h.address}`}`),
    '',
  ];
  for (const [name, group] of Object.entries(view.groups).sort(([a], [b]) => a.localeCompare(b))) {
    if (name === 'all' || name === 'lab_hosts') continue;
    lines.push(`[${name}]`, ...group.hosts, '');
    if (group.children.length > 0) lines.push(`[${name}:children]`, ...group.children, '');
  }
  const file = join(ansibleDir, 'inventory.ini');
  writeFileSync(file, lines.join('\n'));
  writeFileSync(join(ansibleDir, 'ansible.cfg'), [
    '# Lab ansible.cfg, used by <lab>/bin/openstack-ansible.',
    '[defaults]',
    'forks = 20',
    'host_key_checking = False',
    'retry_files_enabled = False',
    'interpreter_python = /usr/bin/python3',
    'deprecation_warnings = False',
    'localhost_warning = False',
    'force_valid_group_names = ignore',
    'nocows = 1',
    '',
  ].join('\n'));
  return file;
}

/** dir/bin/openstack-ansible: the real ansible-playbook with the lab inventory, from the current folder. */
export function writeOpenstackAnsibleWrapper(dir: string): string {
  const ansiblePlaybook = requireLabCommand('ansible-playbook');
  mkdirSync(join(dir, 'bin'), { recursive: true });
  const file = join(dir, 'bin', 'openstack-ansible');
  writeFileSync(file, `#!/bin/sh
# Lab stand-in for /usr/local/bin/openstack-ansible: runs the real ansible-playbook with the lab inventory and
# ansible.cfg, from the current folder (run it from a playbooks folder, as openstack-ansible is), passing every
# argument through. The lab's paths reach the playbooks as extra vars (-e leap_lab_root=... leap_root_prefix=...).
lab=$(CDPATH= cd -- "$(dirname -- "$0")/.." && pwd -P) || exit 1
ANSIBLE_CONFIG="$lab/ansible/ansible.cfg"
export ANSIBLE_CONFIG
exec ${shellQuote(ansiblePlaybook)} -i "$lab/ansible/inventory.ini" "$@"
`);
  chmodSync(file, 0o755);
  return file;
}

/** dir/bin/lab-*: the stand-ins leap's own playbooks call in the lab instead of service, lxc-destroy and the HA tool. */
export function writeHostCommandStandIns(dir: string): Record<'service' | 'lxcDestroy' | 'haTool', string> {
  mkdirSync(join(dir, 'bin'), { recursive: true });
  const names = { service: 'lab-service', lxcDestroy: 'lab-lxc-destroy', haTool: 'lab-neutron-ha-tool' } as const;
  const files = {} as Record<keyof typeof names, string>;
  for (const [key, name] of Object.entries(names) as Array<[keyof typeof names, string]>) {
    const file = join(dir, 'bin', name);
    copyFileSync(labAsset(`bin/${name}`), file);
    chmodSync(file, 0o755);
    files[key] = file;
  }
  return files;
}

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
