import type { Exec } from '@leap/contract';
import type { CheckResult } from './types.js';

export interface RuntimeProbe {
  /** Runs commands on the deploy host. */
  localExec: Exec;
  /** The command that runs leap's playbooks (`ansible.execCommand`). */
  ansibleCommand: readonly string[];
  /** Runs commands on a target (the first galera container); undefined when the inventory names none. */
  targetExec: () => Promise<Exec | undefined>;
  /** The dump client the backup will use, if one is installed. */
  dumpClient: () => Promise<string | undefined>;
}

/** r14.1.0's playbooks, and the ones leap ships, need the Ansible its scripts/bootstrap-ansible.sh installs. */
const MIN_ANSIBLE = [2, 1];
const PYTHON_VERSION = ['-c', 'import sys; sys.stdout.write(sys.version.split()[0])'];

/**
 * What will run the leap: Node and glibc here, the Ansible that runs the playbooks, the Python of the targets and
 * the dump client. On an Ubuntu 14.04 deploy host (glibc 2.19) only the unofficial glibc-217 Node builds start.
 */
export async function checkRuntime(probe: RuntimeProbe): Promise<CheckResult> {
  const base = { id: 'runtime', title: 'the runtime: Node, glibc, Ansible, target Python, dump client' };
  const ansible = await ansibleVersion(probe);
  const parts = [
    `Node ${process.versions.node}`,
    `glibc ${glibcVersion() ?? 'unknown (not a glibc system)'}`,
    ansible.version === undefined ? `no ${probe.ansibleCommand.join(' ')}` : `Ansible ${ansible.version}`,
    `target Python ${await targetPython(probe)}`,
    `dump client ${await firstLine(probe.localExec, await probe.dumpClient())}`,
  ];
  const message = parts.join(' · ');
  if (ansible.version === undefined) {
    return {
      ...base,
      status: 'failed',
      message,
      hint: `install Ansible or set ansible.execCommand in leap.yaml (${ansible.error})`,
    };
  }
  if (compareVersions(ansible.version, MIN_ANSIBLE) < 0) {
    return {
      ...base,
      status: 'warning',
      message,
      hint: `r14.1.0 needs Ansible >= ${MIN_ANSIBLE.join('.')}: its scripts/bootstrap-ansible.sh installs it once rpc-openstack is on the target tag`,
    };
  }
  return { ...base, status: 'ok', message };
}

function glibcVersion(): string | undefined {
  const report = process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined;
  return report?.header?.glibcVersionRuntime;
}

async function ansibleVersion(probe: RuntimeProbe): Promise<{ version?: string; error?: string }> {
  const [file, ...args] = probe.ansibleCommand;
  const result = await probe.localExec([file!, ...args, '--version']);
  // "ansible-playbook 2.1.6.0" (2.1) or "ansible-playbook [core 2.14.18]" (ansible-core).
  const version = /(\d+\.\d+(?:\.\d+)*)/.exec(result.stdout.split('\n')[0] ?? '')?.[1];
  if (result.exitCode !== 0 || version === undefined)
    return { error: (result.stderr || result.stdout).trim().split('\n')[0] ?? '' };
  return { version };
}

async function targetPython(probe: RuntimeProbe): Promise<string> {
  let exec: Exec | undefined;
  try {
    exec = await probe.targetExec();
  } catch (error) {
    return `unknown (${(error as Error).message})`;
  }
  if (exec === undefined) return 'unknown (no galera container in the inventory)';
  for (const python of ['python', 'python3']) {
    const result = await exec([python, ...PYTHON_VERSION]);
    if (result.exitCode === 0 && result.stdout.trim() !== '') return `${result.stdout.trim()} (${python})`;
  }
  return 'not found (neither python nor python3 runs on the first galera container)';
}

async function firstLine(exec: Exec, command: string | undefined): Promise<string> {
  if (command === undefined) return 'none';
  const result = await exec([command, '--version']);
  return result.exitCode === 0 ? (result.stdout.trim().split('\n')[0] ?? command) : command;
}

function compareVersions(version: string, minimum: readonly number[]): number {
  const parts = version.split('.').map(Number);
  for (let i = 0; i < minimum.length; i += 1) {
    const difference = (parts[i] ?? 0) - minimum[i]!;
    if (difference !== 0) return difference;
  }
  return 0;
}
