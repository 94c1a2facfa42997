import type { Exec } from '@leap/contract';
import type { GaleraRecoveryActions } from '@leap/db-migrate';
import type { LeapConfig } from '../config.js';
import { CliError, ExitCode } from '../errors.js';
import type { GaleraNodeHost } from './node-hosts.js';
import type { GaleraNodeSpec } from './nodes.js';
import { galeraServiceCommands } from './service-commands.js';
import { sqlProbe } from './sql-probe.js';

/**
 * Recovery's actions in production: each command runs in the node's galera container through Ansible
 * (one host pattern per container, argument arrays, no shell); positions and sizes are read over SQL.
 * Paths are under the container's `leap_root`; the service commands are leap.yaml's `galera.*Command`, the
 * container's `leap_service_command`, or chosen from what the container runs (service-commands.ts).
 */
export function ansibleGaleraActions(
  nodes: GaleraNodeSpec[],
  config: LeapConfig,
  execOn: (node: string) => Promise<Exec>,
): GaleraRecoveryActions {
  const hostOf = hostLookup(nodes);
  const datadirOf = (node: string) => hostOf(node).datadir.replace(/\/+$/, '');
  const grastateOf = (node: string) => `${datadirOf(node)}/grastate.dat`;
  const run = async (node: string, argv: string[], what: string) => {
    const result = await (await execOn(node))(argv);
    if (result.exitCode !== 0) {
      throw new CliError(
        'LEAP_GALERA_ACTION_FAILED',
        `${what} failed on ${node} (exit ${result.exitCode}): ${(result.stderr || result.stdout).trim()}`,
        {
          host: node,
          exitCode: ExitCode.stepFailed,
          hint: `run '${argv.join(' ')}' in ${node} by hand to see why; leap galera recover --dry-run shows the plan`,
        },
      );
    }
    return result.stdout;
  };
  const probe = sqlProbe(new Map(nodes.map((n) => [n.name, n.conn])));
  return {
    nodes: nodes.map((n) => n.name),
    async readGrastate(node) {
      const grastate = grastateOf(node);
      const result = await (await execOn(node))(['cat', grastate]);
      if (result.exitCode === 0) return result.stdout;
      if (/No such file/i.test(result.stderr)) return undefined;
      throw new CliError('LEAP_GALERA_ACTION_FAILED', `cannot read ${grastate} on ${node}: ${result.stderr.trim()}`, {
        host: node,
        exitCode: ExitCode.stepFailed,
        hint: 'check that the container runs and Ansible reaches it',
      });
    },
    async wsrepRecover(node) {
      const log = `${datadirOf(node)}/leap-wsrep-recover.log`;
      await run(node, ['rm', '-f', log], 'removing the previous recovery log');
      const result = await (await execOn(node))([...hostOf(node).recover, `--log-error=${log}`]);
      const text = await (await execOn(node))(['cat', log]);
      return `${result.stdout}\n${result.stderr}\n${text.stdout}`;
    },
    async setSafeToBootstrap(node, value) {
      // Galera before 25.3.19 writes no safe_to_bootstrap line and does not check it: nothing to change then.
      await run(
        node,
        ['sed', '-i', `s/^safe_to_bootstrap:.*/safe_to_bootstrap: ${value ? 1 : 0}/`, grastateOf(node)],
        'setting safe_to_bootstrap',
      );
    },
    async startNode(node, { bootstrap }) {
      // The service scripts read the start position themselves (galera_recovery, mysqld_safe); leap's part is the choice of node.
      const commands = await galeraServiceCommands(config, node, await execOn(node), hostOf(node).service);
      await run(
        node,
        bootstrap ? commands.bootstrap : commands.start,
        bootstrap ? 'bootstrapping' : 'starting mariadb',
      );
    },
    async moveGaleraStateAside(node, label) {
      const { galeraStateFiles } = await import('@leap/db-migrate');
      const datadir = datadirOf(node);
      const folder = `${datadir}.${label}`;
      // mkdir without -p: an existing folder fails, so nothing already there is overwritten; mv -n never replaces.
      await run(node, ['mkdir', '-m', '0700', folder], 'creating the folder for the moved-aside Galera state');
      for (const file of galeraStateFiles) {
        if ((await (await execOn(node))(['test', '-e', `${datadir}/${file}`])).exitCode !== 0) continue;
        await run(node, ['mv', '-n', `${datadir}/${file}`, `${folder}/`], `moving ${file} aside`);
      }
      return folder;
    },
    waitSynced: probe.waitSynced,
    clusterSize: probe.clusterSize,
    isRunning: async (node) => (await (await execOn(node))(runningCheck(hostOf(node)))).exitCode === 0,
  };
}

/** Each node's container values (node-hosts.ts), by name; a name that is not a node is a usage error. */
function hostLookup(nodes: GaleraNodeSpec[]): (node: string) => GaleraNodeHost {
  const byName = new Map(nodes.map((n) => [n.name, n]));
  return (node) => {
    const host = byName.get(node)?.host;
    if (host === undefined)
      throw new CliError('LEAP_CLI_GALERA_NO_NODES', `${node} is not a galera container of the inventory`, {
        host: node,
        exitCode: ExitCode.usage,
        hint: 'name one of the nodes `leap galera status` lists',
      });
    return host;
  };
}

/** Exit 0 while the server runs: the host's own service manager when it names one (its status), else pgrep. */
function runningCheck({ service }: GaleraNodeHost): string[] {
  return service === undefined ? ['pgrep', '-x', 'mysqld|mariadbd'] : [...service, 'status'];
}
