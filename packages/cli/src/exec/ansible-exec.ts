import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Exec } from '@leap/contract';
import type { LeapConfig } from '../config.js';

export function playbookDirOf(config: LeapConfig): string {
  return config.ansible.playbookDir ?? join(config.rpcoDir, 'openstack-ansible', 'playbooks');
}

/**
 * Where leap's one-task plays run: the playbooks folder, for its ansible.cfg. Before git/checkout that folder may
 * be missing (an uninitialised submodule, which git/checkout reports); the plays then run from here, rather than
 * failing to start as if ansible-playbook were missing.
 */
function execCwdOf(config: LeapConfig): string | undefined {
  const dir = playbookDirOf(config);
  return existsSync(dir) ? dir : undefined;
}

/**
 * Runs on the first host of an inventory group (or, with `firstHost: false`, on the host the pattern names)
 * through a one-task play of the `command` module (osa-deploy's ansibleExec), never a shell.
 */
export async function ansibleExec(
  config: LeapConfig,
  group: string,
  options: { firstHost?: boolean } = {},
): Promise<Exec> {
  const osa = await import('@leap/osa-deploy');
  return osa.ansibleExec({
    pattern: options.firstHost === false ? group : `${group}[0]`,
    command: config.ansible.execCommand,
    python: config.ansible.remotePython,
    ...(config.ansible.inventory === undefined ? {} : { inventory: [config.ansible.inventory] }),
    env: config.ansible.env,
    cwd: execCwdOf(config),
  });
}

/** Variables of inventory hosts as Ansible resolves them, with leap.yaml's extra vars (osa-deploy's ansibleHostVars). */
export async function ansibleHostVarsOf(
  config: LeapConfig,
  hosts: readonly string[],
  names: readonly string[],
): Promise<Map<string, Record<string, unknown>>> {
  const osa = await import('@leap/osa-deploy');
  return osa.ansibleHostVars({
    pattern: hosts.join(':'),
    names,
    command: config.ansible.execCommand,
    ...(config.ansible.inventory === undefined ? {} : { inventory: [config.ansible.inventory] }),
    extraVars: config.ansible.extraVars,
    env: config.ansible.env,
    cwd: execCwdOf(config),
  });
}
