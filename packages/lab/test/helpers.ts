import { labRows } from '@leap/test-fixtures';
import { execa } from 'execa';
import type { LabInfo } from '../src/index.js';

/** Runs SQL on the lab database; returns the rows. */
export async function sql(lab: LabInfo, query: string): Promise<string[][]> {
  return labRows(lab, query);
}

export async function git(cwd: string, args: string[]): Promise<string> {
  const result = await execa('git', ['-c', 'protocol.file.allow=always', ...args], {
    cwd,
    env: { GIT_CONFIG_NOSYSTEM: '1', LC_ALL: 'C' },
  });
  return result.stdout.trim();
}

/** Runs a stand-in playbook through the lab's openstack-ansible wrapper with the extra vars of its leap.yaml. */
export function openstackAnsible(lab: LabInfo, playbooksDir: string, args: string[]) {
  return execa(
    lab.paths.openstackAnsible,
    ['-e', `leap_lab_root=${lab.dir}`, '-e', `leap_root_prefix=${lab.paths.hostsRoot}`, ...args],
    { cwd: playbooksDir, reject: false },
  );
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
