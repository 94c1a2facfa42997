import { chmodSync, copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { labAsset } from './assets.js';
import { requireLabCommand } from './commands.js';

/**
 * dir/ansible/inventory.py: a dynamic inventory serving the deployment's own openstack_inventory.json (as OSA's
 * dynamic_inventory.py does), every host and container run on this machine; plus the lab's ansible.cfg and the lookup
 * plugin its stand-in playbooks record their runs with.
 */
export function writeAnsibleInventory(dir: string): string {
  const ansibleDir = join(dir, 'ansible');
  mkdirSync(ansibleDir, { recursive: true });
  const file = join(ansibleDir, 'inventory.py');
  copyFileSync(labAsset('ansible/inventory.py'), file);
  chmodSync(file, 0o755);
  const lookupPlugins = join(ansibleDir, 'lookup_plugins');
  mkdirSync(lookupPlugins, { recursive: true });
  copyFileSync(labAsset('ansible/lookup_plugins/lab_record.py'), join(lookupPlugins, 'lab_record.py'));
  writeFileSync(
    join(ansibleDir, 'ansible.cfg'),
    [
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
      // The stand-in playbooks record their runs with it, on the controller.
      `lookup_plugins = ${lookupPlugins}`,
      '',
    ].join('\n'),
  );
  return file;
}

/** dir/bin/openstack-ansible: the real ansible-playbook with the lab inventory, from the current folder. */
export function writeOpenstackAnsibleWrapper(dir: string): string {
  const ansiblePlaybook = requireLabCommand('ansible-playbook');
  mkdirSync(join(dir, 'bin'), { recursive: true });
  const file = join(dir, 'bin', 'openstack-ansible');
  writeFileSync(
    file,
    `#!/bin/sh
# Lab stand-in for /usr/local/bin/openstack-ansible: runs the real ansible-playbook with the lab inventory and
# ansible.cfg, from the current folder (run it from a playbooks folder, as openstack-ansible is), passing every
# argument through. The lab's paths reach the playbooks as extra vars (-e leap_lab_root=... leap_root_prefix=...).
lab=$(CDPATH= cd -- "$(dirname -- "$0")/.." && pwd -P) || exit 1
ANSIBLE_CONFIG="$lab/ansible/ansible.cfg"
export ANSIBLE_CONFIG
exec ${shellQuote(ansiblePlaybook)} -i "$lab/ansible/inventory.py" "$@"
`,
  );
  chmodSync(file, 0o755);
  return file;
}

const HOST_COMMAND_STAND_INS = {
  service: 'lab-service',
  lxcDestroy: 'lab-lxc-destroy',
  haTool: 'lab-neutron-ha-tool',
  runAs: 'lab-run-as',
  python: 'lab-python',
  aptGet: 'lab-apt-get',
  processes: 'lab-processes',
} as const;

/**
 * dir/bin/lab-*: the stand-ins leap's own playbooks call in the lab instead of service, lxc-destroy, the HA
 * tool, a host's system Python, apt-get and pgrep, and the one leap runs a migration command through instead of
 * sudo (runAsCommand).
 */
export function writeHostCommandStandIns(dir: string): Record<keyof typeof HOST_COMMAND_STAND_INS, string> {
  mkdirSync(join(dir, 'bin'), { recursive: true });
  type Key = keyof typeof HOST_COMMAND_STAND_INS;
  const files = {} as Record<Key, string>;
  for (const [key, name] of Object.entries(HOST_COMMAND_STAND_INS) as Array<[Key, string]>) {
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
