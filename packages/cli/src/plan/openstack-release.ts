import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { LeapRuntime } from './runtime.js';

/** A top-level `key: value` of a YAML file, unquoted; undefined when absent or the file cannot be read. */
async function topLevelValue(file: string, key: string): Promise<string | undefined> {
  const text = await readFile(file, 'utf8').catch(() => '');
  if (text.startsWith('$ANSIBLE_VAULT')) return undefined;
  const match = new RegExp(`^${key}:\\s*(.+?)\\s*$`, 'm').exec(text)?.[1];
  return match?.replace(/^(["'])(.*)\1$/, '$2');
}

/** The last value the deployment's user_*.yml files give `key` (openstack-ansible loads them in `ls` order). */
async function userFilesValue(deployDir: string, key: string): Promise<string | undefined> {
  const names = (await readdir(deployDir).catch(() => [] as string[])).filter((n) => /^user_.*\.ya?ml$/.test(n)).sort();
  let value: string | undefined;
  for (const name of names) value = (await topLevelValue(join(deployDir, name), key)) ?? value;
  return value;
}

/**
 * The openstack_release the re-deploy used, which OSA names each venv after: a user file's (RPC-O r14.1.0's
 * user_osa_variables_defaults.yml sets `openstack_release: "{{ rpc_release }}"`, r14.1.0 in its
 * group_vars/all/release.yml), else the OSA checkout's group_vars/all.yml (14.2.3 for r14.1.0).
 */
async function openstackRelease(rt: LeapRuntime): Promise<{ release?: string; why: string; file: string }> {
  const { deployDir, rpcoDir } = rt.config;
  const osaFile = join(rpcoDir, 'openstack-ansible', 'playbooks', 'inventory', 'group_vars', 'all.yml');
  const value =
    (await userFilesValue(deployDir, 'openstack_release')) ?? (await topLevelValue(osaFile, 'openstack_release'));
  if (value === undefined) {
    return { why: `${osaFile} sets no openstack_release, nor does a user_*.yml in ${deployDir}`, file: osaFile };
  }
  if (!value.includes('{{')) return { release: value, why: '', file: osaFile };
  const rpcFile = join(rpcoDir, 'group_vars', 'all', 'release.yml');
  if (!/^\{\{\s*rpc_release\s*\}\}$/.test(value)) {
    return {
      why: `a user_*.yml in ${deployDir} sets openstack_release to ${value}, which leap cannot evaluate`,
      file: deployDir,
    };
  }
  const rpcRelease = (await userFilesValue(deployDir, 'rpc_release')) ?? (await topLevelValue(rpcFile, 'rpc_release'));
  if (rpcRelease === undefined || rpcRelease.includes('{{')) {
    return {
      why: `openstack_release is {{ rpc_release }}, and neither a user_*.yml nor ${rpcFile} sets rpc_release`,
      file: rpcFile,
    };
  }
  return { release: rpcRelease, why: '', file: rpcFile };
}

/**
 * The bin folder of a service's venv as OSA makes it, /openstack/venvs/<service>-<openstack_release>/bin.
 * `orElse` says what the operator can set instead when the release cannot be told.
 */
export async function serviceVenvBin(rt: LeapRuntime, service: string, orElse: string): Promise<string> {
  const { release, why, file } = await openstackRelease(rt);
  if (release === undefined) {
    const { CliError, ExitCode } = await import('../errors.js');
    throw new CliError('LEAP_OPENSTACK_RELEASE_UNKNOWN', `cannot tell where the ${service} venv is: ${why}`, {
      file,
      exitCode: ExitCode.stepFailed,
      hint: `check that the rpc-openstack checkout is at the target tag, or ${orElse}`,
    });
  }
  return `/openstack/venvs/${service}-${release}/bin`;
}
