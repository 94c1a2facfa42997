import type { LeapConfig } from '../config.js';
import { CliError, ExitCode } from '../errors.js';
import type { Exec } from '@leap/contract';

export interface GaleraServiceCommands {
  bootstrap: string[];
  start: string[];
  /** Where the pair came from, for the plan and preflight. */
  source: 'leap.yaml' | 'inventory' | 'systemd' | 'sysvinit';
}

/** What a container is probed for; parameters only so tests can point at a folder of their own. */
export interface ServiceProbePaths {
  systemd: string;
  galeraNewCluster: string;
  initScript: string;
}

export const SERVICE_PROBE_PATHS: ServiceProbePaths = {
  systemd: '/run/systemd/system',
  galeraNewCluster: '/usr/bin/galera_new_cluster',
  initScript: '/etc/init.d/mysql',
};

/**
 * The commands that bootstrap a cluster and start a joining node in a galera container. leap.yaml's
 * `galera.bootstrapCommand`/`startCommand` win; then the container's own service command (`service`:
 * leap_service_command + leap_galera_service, used as sysvinit's `service mysql start`); otherwise the container decides. MariaDB >= 10.1 under systemd
 * ships galera_new_cluster. r14.1.0's Trusty containers run MariaDB Galera 10.0 under sysvinit, and OSA Newton's
 * galera_server role (using_mysql_init: no on 14.04) bootstraps with `service mysql start --wsrep-new-cluster`,
 * whose init script hands the extra argument to mysqld_safe.
 */
export async function galeraServiceCommands(
  config: LeapConfig,
  node: string,
  exec: Exec,
  service?: string[],
  paths: ServiceProbePaths = SERVICE_PROBE_PATHS,
): Promise<GaleraServiceCommands> {
  const { bootstrapCommand, startCommand } = config.galera;
  if (bootstrapCommand !== undefined && startCommand !== undefined) {
    return { bootstrap: bootstrapCommand, start: startCommand, source: 'leap.yaml' };
  }
  if (service !== undefined) {
    return {
      bootstrap: bootstrapCommand ?? [...service, 'start', '--wsrep-new-cluster'],
      start: startCommand ?? [...service, 'start'],
      source: 'inventory',
    };
  }
  const exists = async (test: string, path: string) => (await exec(['test', test, path])).exitCode === 0;
  let detected: GaleraServiceCommands | undefined;
  if ((await exists('-d', paths.systemd)) && (await exists('-x', paths.galeraNewCluster))) {
    detected = { bootstrap: [paths.galeraNewCluster], start: ['systemctl', 'start', 'mysql'], source: 'systemd' };
  } else if (await exists('-x', paths.initScript)) {
    detected = {
      bootstrap: ['service', 'mysql', 'start', '--wsrep-new-cluster'],
      start: ['service', 'mysql', 'start'],
      source: 'sysvinit',
    };
  }
  if (detected === undefined) {
    throw new CliError(
      'LEAP_GALERA_NO_SERVICE',
      `${node} has neither systemd with ${paths.galeraNewCluster} nor ${paths.initScript}: leap cannot tell how to start MariaDB there`,
      {
        host: node,
        exitCode: ExitCode.stepFailed,
        hint: 'set galera.bootstrapCommand and galera.startCommand in leap.yaml (argument arrays run in the galera container)',
      },
    );
  }
  return {
    ...detected,
    ...(bootstrapCommand ? { bootstrap: bootstrapCommand } : {}),
    ...(startCommand ? { start: startCommand } : {}),
  };
}
