import { fileURLToPath } from 'node:url';
import { defaultDestroyHosts, powerDownServices, rebuildKeepingData, swiftServices } from './releases/newton.js';
import type { PlaybookItem } from './playbook-runner.js';

/** The folder of the playbooks shipped in this package (beside src/ and dist/). */
export function leapPlaybooksDir(): string {
  return fileURLToPath(new URL('../playbooks/', import.meta.url));
}

/** The absolute path of one of leap's own playbooks. */
export function leapPlaybook(name: string): string {
  return `${leapPlaybooksDir()}${name}`;
}

/** Stops the OpenStack services everywhere before the database migrations (leap-anchors §1.6). */
export function powerDownItem(options: { id?: string; swift?: boolean } = {}): PlaybookItem {
  return {
    id: options.id ?? 'power-down',
    playbook: leapPlaybook('power-down.yml'),
    extraVars: { leap_power_down_services: [...powerDownServices, ...(options.swift === false ? [] : swiftServices)] },
  };
}

/** Restarts neutron-linuxbridge-agent on the compute hosts after the re-deploy (leap-anchors §6 1, LA-358). */
export function linuxbridgeRestartItem(options: { id?: string } = {}): PlaybookItem {
  return { id: options.id ?? 'linuxbridge-restart', playbook: leapPlaybook('linuxbridge-restart.yml') };
}

/**
 * Moves the MaaS agent checks of the old neutron agents containers out of the agent's folder on every host (§6,
 * LA-369), reading their names from `<configDir>/leapfrog_remove_remaining_old_containers` (the neutron-keep list).
 */
export function maasOldAgentsItem(options: { id?: string; configDir?: string } = {}): PlaybookItem {
  return {
    id: options.id ?? 'maas-old-agents',
    playbook: leapPlaybook('maas-old-agents.yml'),
    extraVars: { leap_config_dir: options.configDir ?? '/etc/openstack_deploy' },
  };
}

/** Writes each physical host's 127.0.1.1 alias line (computed by @leap/inventory), keyed by inventory host name. */
export function hostsAliasItem(lines: Record<string, string>, options: { id?: string } = {}): PlaybookItem {
  return {
    id: options.id ?? 'hostname-compatibility',
    playbook: leapPlaybook('hosts-alias.yml'),
    extraVars: { leap_hosts_alias_lines: lines },
  };
}

/**
 * Reads the live hostname (`uname -n`, or `leap_hostname_command`) of `hosts` into the JSON file `outFile` on the
 * deploy host; readLiveHostnames parses it.
 */
export function liveHostnamesItem(hosts: string[], outFile: string, options: { id?: string } = {}): PlaybookItem {
  return {
    id: options.id ?? 'live-hostnames',
    playbook: leapPlaybook('live-hostnames.yml'),
    extraVars: { leap_hostnames_hosts: hosts.join(','), leap_hostnames_file: outFile },
  };
}

/** Destroys the old containers: `destroyHosts` lose their data, galera and rsyslog are rebuilt keeping theirs. */
export function destroyOldContainersItem(options: { id?: string; destroyHosts?: string } = {}): PlaybookItem {
  return {
    id: options.id ?? 'destroy-old-containers',
    playbook: leapPlaybook('destroy-old-containers.yml'),
    extraVars: {
      leap_destroy_hosts: options.destroyHosts ?? defaultDestroyHosts,
      leap_rebuild_hosts: rebuildKeepingData,
    },
  };
}

/** One release's relocated venv for venv-push.yml: the first host of each of `groups` gets it at `dest`. */
export interface VenvPush {
  name: string;
  groups: readonly string[];
  tarball: string;
  dest: string;
  stamp: string;
}

/** Pushes relocated migration venvs in one run; a host whose venv carries its `stamp` already is left alone. */
export function venvPushItem(
  venvs: readonly VenvPush[],
  options: {
    id?: string;
    /** The hosts' Python (2.7 or 3) for the folder work. Default ['python3']. */ python?: readonly string[];
  } = {},
): PlaybookItem {
  return {
    id: options.id ?? 'venv-push',
    playbook: leapPlaybook('venv-push.yml'),
    extraVars: {
      leap_venv_hosts: [...new Set(venvs.flatMap((v) => v.groups.map((g) => `${g}[0]`)))].join(','),
      leap_venvs: venvs.map((v) => ({ ...v, groups: [...v.groups] })),
      ...(options.python ? { leap_venv_python: [...options.python] } : {}),
    },
  };
}

/**
 * Lists the processes whose command line matches `pattern` on `hosts` (pgrep -a -f, or `leap_process_list_command`)
 * into the JSON file `outFile` on the deploy host; readProcessLists parses it.
 */
export function serviceProcessesItem(
  hosts: string,
  pattern: string,
  outFile: string,
  options: { id?: string } = {},
): PlaybookItem {
  return {
    id: options.id ?? 'service-processes',
    playbook: leapPlaybook('service-processes.yml'),
    extraVars: { leap_processes_hosts: hosts, leap_processes_pattern: pattern, leap_processes_file: outFile },
  };
}
