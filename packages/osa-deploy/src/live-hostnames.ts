import { readFile } from 'node:fs/promises';
import { OsaDeployError } from './errors.js';

/**
 * The file live-hostnames.yml wrote: inventory name -> short hostname (the part of `uname -n` before the first
 * dot, as Ansible's `ansible_hostname`).
 */
export async function readLiveHostnames(file: string): Promise<Record<string, string>> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new OsaDeployError(
      'LEAP_HOSTNAMES_UNREADABLE',
      `cannot read the live hostnames from ${file}: ${(error as Error).message}`,
      {
        file,
        cause: error,
        hint: 'the live-hostnames.yml run did not write it; read its Ansible log, fix the hosts it failed on and run the step again',
      },
    );
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new OsaDeployError('LEAP_HOSTNAMES_UNREADABLE', `${file} is not a JSON object of host names`, {
      file,
      hint: 'run the step again; live-hostnames.yml rewrites the file',
    });
  }
  const out: Record<string, string> = {};
  for (const [host, value] of Object.entries(raw)) {
    const short = typeof value === 'string' ? (value.trim().split('.')[0] ?? '') : '';
    if (short !== '') out[host] = short;
  }
  return out;
}
