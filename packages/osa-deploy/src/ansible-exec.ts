import {
  execResult,
  type BatchCommand,
  type BatchOptions,
  type ExecBatch,
  type ExecOptions,
  type ExecResult,
} from '@leap/contract';
import type { CallbackHostResult } from './exec-callback.js';
import { OsaDeployError } from './errors.js';
import { trampolineBatchCommandLine, trampolineCommandLine, type TrampolineSpec } from './remote-trampoline.js';
import { answerResult, trampolineAnswer, trampolineBatchAnswers } from './trampoline-answer.js';
import { runTrampolinePlay } from './trampoline-play.js';
import type { SupervisedResult } from './supervised-process.js';

export interface AnsibleExecOptions {
  /** Inventory host pattern: one container (`infra1_galera_container-1a2b3c4d`), a group's first (`galera_all[0]`)... */
  pattern: string;
  /** argv prefix of the command that runs leap's one-task play. Default ['ansible-playbook']. */
  command?: string[];
  /** Each passed as `-i`. */
  inventory?: string[];
  /** Extra arguments for `ansible-playbook` (e.g. ['--become']). */
  args?: string[];
  /** Added to the environment of the local `ansible-playbook` process (not of the remote command: use the call's env). */
  env?: Record<string, string>;
  /** Working folder of the local `ansible-playbook` process (production: the playbooks folder, for its ansible.cfg). */
  cwd?: string;
  /** The remote Python (2.7 or 3) that starts the command. Default ['python3']. */
  python?: string[];
  /** After SIGINT on cancellation or timeout, how long before the process group is killed. Default 5 s. */
  killGraceMs?: number;
}

/** One host's outcome. */
export interface HostExecResult extends ExecResult {
  host: string;
  unreachable: boolean;
}

export interface AnsibleExecResult extends ExecResult {
  hosts: HostExecResult[];
}

/** An Exec (assignable wherever one is expected) whose results also carry each host's outcome. */
export type AnsibleExec = ((argv: string[], opts?: ExecOptions) => Promise<AnsibleExecResult>) & {
  /** Several commands on the one host the pattern names, in one play (one round trip); see ExecBatch. */
  batch: ExecBatch;
};

/** One host's result as it is; several hosts' as the first failing host's outcome with every host's output. */
function combine(hosts: HostExecResult[]): ExecResult {
  const [only] = hosts;
  if (hosts.length === 1 && only) {
    const { host: _host, unreachable: _unreachable, ...result } = only;
    return result;
  }
  const failing = hosts.find((host) => host.exitCode !== 0);
  const section = (host: HostExecResult, text: string): string => `==> ${host.host} <==\n${text}`;
  return {
    command: hosts[0]?.command ?? '',
    exitCode: failing?.exitCode ?? 0,
    signal: failing?.signal,
    timedOut: failing?.timedOut ?? false,
    isCanceled: false,
    durationMs: hosts[0]?.durationMs ?? 0,
    stdout: hosts.map((host) => section(host, host.stdout)).join('\n'),
    stderr: hosts.map((host) => section(host, host.stderr)).join('\n'),
  };
}

/** A host where the trampoline did not answer (a module failure, a missing interpreter): Ansible's own outcome. */
function moduleResult(argv: readonly string[], raw: CallbackHostResult, durationMs: number): ExecResult {
  const stderr = raw.stderr ?? '';
  return execResult(argv, {
    exitCode: raw.rc ?? (raw.failed || raw.unreachable ? 1 : 0),
    durationMs,
    stdout: raw.stdout ?? '',
    // A module failure without a process (a missing interpreter) only has a message.
    stderr: stderr === '' && raw.failed && raw.msg && raw.msg !== 'non-zero return code' ? raw.msg : stderr,
  });
}

function hostResult(
  argv: string[],
  host: string,
  raw: CallbackHostResult,
  durationMs: number,
  timeoutMs: number | undefined,
): HostExecResult {
  const unreachable = raw.unreachable === true;
  const answer = unreachable ? undefined : trampolineAnswer(raw.stdout);
  const result =
    answer === undefined
      ? moduleResult(argv, raw, durationMs)
      : answerResult(argv, host, answer, durationMs, timeoutMs);
  return { host, unreachable, ...result };
}

/** A cancellation, or a timeout that Ansible itself outlived (a hung connection): no host answered, so only Ansible's stderr follows the note. */
function stoppedResult(
  argv: readonly string[],
  result: SupervisedResult,
  what: string,
  timeoutMs: number | undefined,
): ExecResult {
  const note = result.cancelled ? `leap: cancelled ${what}\n` : `leap: ${what} did not finish within ${timeoutMs} ms\n`;
  return execResult(argv, {
    isCanceled: result.cancelled,
    timedOut: !result.cancelled,
    durationMs: result.durationMs,
    stderr: `${note}${result.stderr}`,
  });
}

function emptyArgv(pattern: string): OsaDeployError {
  return new OsaDeployError('LEAP_EXEC_EMPTY_ARGV', 'no command to run', {
    host: pattern,
    hint: 'this is a bug in leap: a step asked to run an empty command; report it with the output of --debug',
  });
}

function specOf(argv: string[], opts: ExecOptions): TrampolineSpec {
  const timeoutSeconds = opts.timeoutMs === undefined ? undefined : Math.max(1, Math.ceil(opts.timeoutMs / 1000));
  return { argv, env: opts.env ?? {}, cwd: opts.cwd, input: opts.input, timeoutSeconds };
}

function runOne(options: AnsibleExecOptions) {
  return async (argv: string[], opts: ExecOptions = {}): Promise<AnsibleExecResult> => {
    if (argv.length === 0) throw emptyArgv(options.pattern);
    const commandLine = trampolineCommandLine(options.python ?? ['python3'], specOf(argv, opts));
    const what = `'${argv.join(' ')}' on ${options.pattern}`;
    // The trampoline's own timeout fires first; this one catches a hung connection.
    const timeoutMs = opts.timeoutMs === undefined ? undefined : opts.timeoutMs + 30_000;
    const outcome = await runTrampolinePlay(options, commandLine, what, { signal: opts.signal, timeoutMs });
    if (outcome.stopped) return { ...stoppedResult(argv, outcome.result, what, opts.timeoutMs), hosts: [] };
    const hosts = Object.keys(outcome.hosts)
      .sort()
      .map((host) => hostResult(argv, host, outcome.hosts[host] ?? {}, outcome.durationMs, opts.timeoutMs));
    return { ...combine(hosts), hosts };
  };
}

function runBatch(options: AnsibleExecOptions): ExecBatch {
  return async (commands: readonly BatchCommand[], batch: BatchOptions = {}): Promise<ExecResult[]> => {
    const [first] = commands;
    if (first === undefined) return [];
    if (commands.some((command) => command.argv.length === 0)) throw emptyArgv(options.pattern);
    const specs = commands.map((command) => specOf(command.argv, command.options ?? {}));
    const commandLine = trampolineBatchCommandLine(options.python ?? ['python3'], specs, batch.stopOnFailure === true);
    const what = `${commands.map((command) => `'${command.argv.join(' ')}'`).join(', ')} on ${options.pattern}`;
    const timeouts = commands.map((command) => command.options?.timeoutMs);
    const timeoutMs = timeouts.every((t) => t !== undefined)
      ? timeouts.reduce((sum: number, t) => sum + (t ?? 0), 30_000)
      : undefined;
    const signal = batch.signal ?? first.options?.signal;
    const outcome = await runTrampolinePlay(options, commandLine, what, { signal, timeoutMs });
    if (outcome.stopped) return [stoppedResult(first.argv, outcome.result, what, timeoutMs)];
    const names = Object.keys(outcome.hosts);
    const [host] = names;
    if (names.length !== 1 || host === undefined) {
      throw new OsaDeployError(
        'LEAP_EXEC_BATCH_HOSTS',
        `a batch of commands runs on one host, but '${options.pattern}' matches ${names.length}: ${names.sort().join(', ')}`,
        {
          host: options.pattern,
          hint: 'this is a bug in leap: a batch names a group, not its first host; report it with the output of --debug',
        },
      );
    }
    const raw = outcome.hosts[host] ?? {};
    const answers = trampolineBatchAnswers(raw.stdout);
    if (answers === undefined) return [moduleResult(first.argv, raw, outcome.durationMs)];
    return answers.map((answer, at) =>
      answerResult(commands[at]?.argv ?? [], host, answer, outcome.durationMs, commands[at]?.options?.timeoutMs),
    );
  };
}

/**
 * A command runner that executes on inventory hosts or containers through a one-task play
 * (`ansible-playbook`, the `command` module's free form) and a base64 trampoline (see remote-trampoline.ts):
 * arguments reach the remote process unchanged, nothing is split by a shell, templated by Ansible or expanded
 * by the module. It works on Ansible 2.1 (what r14.1.0 bootstraps; its ad-hoc `ansible` ignores stdout
 * callbacks) and on ansible-core 2.14, with Python 2.7 or 3 on the hosts.
 * For one host the result is that host's; for several, the first failing host's outcome and each host's output
 * under a `==> host <==` header (the per-host results are in `hosts`). It follows the rule of `Exec`: a timeout is
 * `timedOut` and exit 124, a cancellation `isCanceled` and exit 130, with a line naming the host and the command
 * in stderr. What keeps it from trying (unreachable hosts, a pattern that matches nothing, ansible-playbook
 * missing or failing before any host ran, a command line too large) throws, naming the host.
 * Its `batch` runs several commands on one host in one play: one round trip instead of one per command.
 */
export function ansibleExec(options: AnsibleExecOptions): AnsibleExec {
  return Object.assign(runOne(options), { batch: runBatch(options) });
}
