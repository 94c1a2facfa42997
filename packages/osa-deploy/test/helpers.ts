import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const fixturePlaybooks = fileURLToPath(new URL('./fixtures/playbooks/', import.meta.url));

// LEAP_TEST_TARGET_PYTHON runs the targets on another Python, e.g. a 2.7 with an Ansible 2.1 first on PATH (README).
const LOCAL = `ansible_connection=local ansible_python_interpreter=${process.env.LEAP_TEST_TARGET_PYTHON ?? '/usr/bin/python3'}`;
/** A host on loopback that refuses SSH at once (runtime-notes, Ansible). */
const UNREACHABLE =
  "ansible_connection=ssh ansible_host=127.0.0.2 ansible_port=1 ansible_ssh_common_args='-o ConnectTimeout=3 -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null'";

/** Writes an INI inventory: every group's hosts run locally, except the ones listed as unreachable. */
export function writeInventory(
  dir: string,
  groups: Record<string, string[]>,
  options: { unreachable?: string[]; hostVars?: Record<string, Record<string, string>> } = {},
): string {
  const lines: string[] = [];
  for (const [group, hosts] of Object.entries(groups)) {
    lines.push(`[${group}]`);
    for (const host of hosts) {
      const vars = Object.entries(options.hostVars?.[host] ?? {}).map(([key, value]) => `${key}=${value}`);
      lines.push([host, options.unreachable?.includes(host) ? UNREACHABLE : LOCAL, ...vars].join(' '));
    }
    lines.push('');
  }
  const file = join(dir, 'inventory.ini');
  writeFileSync(file, lines.join('\n'));
  return file;
}

/** Processes (other than zombies) whose environment carries `KEY=value`: what a cancelled run left behind. */
export function processesWithEnv(key: string, value: string): { pid: number; cmdline: string }[] {
  const needle = `${key}=${value}`;
  const found: { pid: number; cmdline: string }[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const environ = readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0');
      if (!environ.includes(needle)) continue;
      const state = readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1]?.[0];
      if (state === 'Z') continue;
      found.push({ pid: Number(entry), cmdline: readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ') });
    } catch {
      // The process ended while we looked.
    }
  }
  return found;
}

/** A wheel of every package pip-unify pins for r14.1.0: the target's pip tools and upstream's upgrade requirements. */
export const NEWTON_PIP_WHEELS = [
  'pip-9.0.1-py2.py3-none-any.whl',
  'setuptools-33.1.1-py2.py3-none-any.whl',
  'wheel-0.29.0-py2.py3-none-any.whl',
  'cryptography-1.7.2-cp27-cp27mu-manylinux1_x86_64.whl',
  'packaging-16.8-py2.py3-none-any.whl',
  'virtualenv-15.1.0-py2.py3-none-any.whl',
];
