import { describeExit, type Exec } from '@leap/contract';
import { OsaDeployError } from '../errors.js';

/** Where and how leap runs the OpenStack clients after the re-deploy. */
export interface OpenstackClients {
  /** Runs on the first utility container, where OSA installs the clients and writes the admin openrc. */
  utility: Exec;
  /** Runs on the first cinder host, which has the cinder venv with `cinder-manage`. */
  cinder: Exec;
  openstack: readonly string[];
  neutron: readonly string[];
  cinderManage: readonly string[];
  /** The `OS_*` variables of the admin openrc (see parseOpenrc). */
  env: Record<string, string>;
  signal?: AbortSignal | undefined;
  timeoutMs?: number | undefined;
}

export type ClientName = 'openstack' | 'neutron' | 'cinderManage';

/** Runs one client command; its stdout, or a throw naming the command, its exit and the first lines it printed. */
export async function runClient(
  clients: OpenstackClients,
  client: ClientName,
  args: readonly string[],
): Promise<string> {
  const argv = [...clients[client], ...args];
  const exec = client === 'cinderManage' ? clients.cinder : clients.utility;
  const result = await exec(argv, {
    // cinder-manage reads its configuration, not the openrc.
    env: client === 'cinderManage' ? {} : clients.env,
    timeoutMs: clients.timeoutMs ?? 120_000,
    signal: clients.signal,
  });
  if (result.exitCode === 0) return result.stdout;
  const output = (result.stderr.trim() || result.stdout.trim()).split('\n').slice(0, 5).join('\n');
  throw new OsaDeployError(
    'LEAP_OPENSTACK_COMMAND_FAILED',
    `\`${argv.join(' ')}\` ${describeExit(result)}: ${output}`,
    {
      host: client === 'cinderManage' ? 'cinder_all[0]' : 'utility_all[0]',
      hint: 'run the command by hand on that host (with the openrc sourced for openstack and neutron) to see why; leap resumes at this step',
    },
  );
}
