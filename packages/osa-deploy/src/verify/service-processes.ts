import { readFile } from 'node:fs/promises';
import { OsaDeployError } from '../errors.js';
import type { HealthFinding } from './openstack-health.js';

/** What service-processes.yml wrote: inventory host → its `pgrep -a` lines (`<pid> <command line>`). */
export type ProcessLists = Record<string, string[]>;

/** One process of a service: its program (`nova-api`), pid and command line. */
interface ServiceProcess {
  host: string;
  pid: string;
  program: string;
  argv: string[];
}

/** Reads the file service-processes.yml wrote. */
export async function readProcessLists(file: string): Promise<ProcessLists> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new OsaDeployError(
      'LEAP_PROCESSES_UNREADABLE',
      `cannot read the process lists from ${file}: ${(error as Error).message}`,
      {
        file,
        cause: error,
        hint: 'the service-processes.yml run did not write it; read its Ansible log, fix the hosts it failed on and run leap verify again',
      },
    );
  }
  const valid =
    typeof raw === 'object' &&
    raw !== null &&
    !Array.isArray(raw) &&
    Object.values(raw).every((lines) => Array.isArray(lines) && lines.every((line) => typeof line === 'string'));
  if (!valid) {
    throw new OsaDeployError('LEAP_PROCESSES_UNREADABLE', `${file} is not a JSON object of process lists`, {
      file,
      hint: 'run leap verify again; service-processes.yml rewrites the file',
    });
  }
  return raw as ProcessLists;
}

/**
 * The processes of `service` (`nova-*` programs; `nova-agent`, Rackspace's guest agent, is not nova) found in
 * `pgrep -a` lines: the program is the first or second word of the command line (a venv's script runs as
 * `<venv>/bin/python <venv>/bin/nova-api`).
 */
function serviceProcesses(service: string, lists: ProcessLists): ServiceProcess[] {
  const program = new RegExp(`^${service}-[a-z][a-z0-9-]*$`);
  const found: ServiceProcess[] = [];
  for (const [host, lines] of Object.entries(lists)) {
    for (const line of lines) {
      const [pid, ...argv] = line.trim().split(/\s+/);
      const name = argv
        .slice(0, 2)
        .map(basename)
        .find((word) => program.test(word));
      if (pid === undefined || name === undefined || name === `${service}-agent`) continue;
      found.push({ host, pid, program: name, argv });
    }
  }
  return found;
}

const basename = (path: string) => path.slice(path.lastIndexOf('/') + 1);

/**
 * Every `service` process runs from the release's venv: its program, and the python that runs it, are in `venvBin` (upstream's post-upgrade-nova-venv.yml check, there a `grep -vP` over `pgrep -a`).
 */
export function checkServiceVenv(service: string, lists: ProcessLists, venvBin: string): HealthFinding {
  const bin = `${venvBin.replace(/\/+$/, '')}/`;
  const processes = serviceProcesses(service, lists);
  const problems = processes.flatMap((p) => {
    // The program's path, and the interpreter's when a python runs it (not sudo's, which runs rootwrap).
    const checked = p.argv.slice(0, 2).filter((word) => basename(word) === p.program || /^python/.test(basename(word)));
    const wrong = checked.filter((word) => !word.startsWith(bin));
    if (wrong.length === 0) return [];
    return [`${p.program} (pid ${p.pid}) on ${p.host} runs ${wrong.join(' ')}, not from ${bin}`];
  });
  const hosts = Object.keys(lists).length;
  return {
    check: `${service} processes from the venv`,
    ok: problems.length === 0,
    looked: `${processes.length} ${service} processes on ${hosts} host${hosts === 1 ? '' : 's'}, against ${bin}`,
    problems,
  };
}
