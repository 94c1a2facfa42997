import { batchOf, describeExit, execResult, type Exec, type ExecResult } from '@leap/contract';
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

function commandFailed(client: ClientName, argv: readonly string[], result: ExecResult): OsaDeployError {
  const output = (result.stderr.trim() || result.stdout.trim()).split('\n').slice(0, 5).join('\n');
  return new OsaDeployError(
    'LEAP_OPENSTACK_COMMAND_FAILED',
    `\`${argv.join(' ')}\` ${describeExit(result)}: ${output}`,
    {
      host: client === 'cinderManage' ? 'cinder_all[0]' : 'utility_all[0]',
      hint: 'run the command by hand on that host (with the openrc sourced for openstack and neutron) to see why; leap resumes at this step',
    },
  );
}

function runnerOf(clients: OpenstackClients, client: ClientName): { exec: Exec; env: Record<string, string> } {
  // cinder-manage reads its configuration, not the openrc.
  return client === 'cinderManage' ? { exec: clients.cinder, env: {} } : { exec: clients.utility, env: clients.env };
}

/** Runs one client command; its stdout, or a throw naming the command, its exit and the first lines it printed. */
export async function runClient(
  clients: OpenstackClients,
  client: ClientName,
  args: readonly string[],
): Promise<string> {
  const argv = [...clients[client], ...args];
  const { exec, env } = runnerOf(clients, client);
  const result = await exec(argv, { env, timeoutMs: clients.timeoutMs ?? 120_000, signal: clients.signal });
  if (result.exitCode === 0) return result.stdout;
  throw commandFailed(client, argv, result);
}

/** Commands of one client that belong together (set down, then delete), and what to report once all succeeded. */
export interface ClientSequence {
  commands: ReadonlyArray<readonly string[]>;
  done(): void;
}

/** Client commands in one batch on one runner, ending at the first failure. */
function runBatch(
  clients: OpenstackClients,
  exec: Exec,
  env: Record<string, string>,
  argvs: readonly string[][],
): Promise<ExecResult[]> {
  const options = { env, timeoutMs: clients.timeoutMs ?? 120_000 };
  return batchOf(exec)(
    argvs.map((argv) => ({ argv, options })),
    { stopOnFailure: true, signal: clients.signal },
  );
}

/** A batched command's stdout, or the throw runClient's would give (also for one the batch never reached). */
function stdoutOf(client: ClientName, argv: string[], result: ExecResult | undefined): string {
  const ran = result ?? execResult(argv, { exitCode: 1, stderr: 'leap: the batch ended before it ran' });
  if (ran.exitCode !== 0) throw commandFailed(client, argv, ran);
  return ran.stdout;
}

/**
 * Runs every sequence's commands in order in one batch (one round trip to the host), ending at the first failure:
 * each sequence that completed is reported through its `done`, then the failing command throws as runClient's does.
 */
export async function runClientSequences(
  clients: OpenstackClients,
  client: ClientName,
  sequences: readonly ClientSequence[],
): Promise<void> {
  const argvs = sequences.flatMap((sequence) => sequence.commands.map((args) => [...clients[client], ...args]));
  if (argvs.length === 0) return;
  const { exec, env } = runnerOf(clients, client);
  const results = await runBatch(clients, exec, env, argvs);
  let at = 0;
  for (const sequence of sequences) {
    for (const _args of sequence.commands) {
      stdoutOf(client, argvs[at] ?? [], results[at]);
      at++;
    }
    sequence.done();
  }
}

/**
 * openstack and neutron commands (both on the utility host, with the openrc) in one batch, in order: their stdouts.
 * The first failing one ends the batch and throws as runClient's does.
 */
export async function runClientCommands(
  clients: OpenstackClients,
  commands: ReadonlyArray<{ client: 'openstack' | 'neutron'; args: readonly string[] }>,
): Promise<string[]> {
  const argvs = commands.map(({ client, args }) => [...clients[client], ...args]);
  if (argvs.length === 0) return [];
  const results = await runBatch(clients, clients.utility, clients.env, argvs);
  return commands.map(({ client }, at) => stdoutOf(client, argvs[at] ?? [], results[at]));
}
