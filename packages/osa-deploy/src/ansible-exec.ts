import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { constants } from 'node:os';
import { execResult, type ExecOptions, type ExecResult } from '@leap/contract';
import { OsaDeployError } from './errors.js';
import { callbackEnv, parseCallbackOutput, type CallbackHostResult } from './exec-callback.js';
import { TRAMPOLINE_PREFIX, trampolineCommandLine } from './remote-trampoline.js';
import { runSupervised, type SupervisedResult } from './supervised-process.js';

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
export type AnsibleExec = (argv: string[], opts?: ExecOptions) => Promise<AnsibleExecResult>;

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

function noHostsMatched(pattern: string): OsaDeployError {
  return new OsaDeployError('LEAP_NO_HOSTS_MATCHED', `no inventory host matches '${pattern}'`, {
    host: pattern,
    hint: 'check the host pattern against the inventory (ansible-inventory --graph)',
  });
}

interface TrampolineAnswer {
  rc: number;
  /** The number of the signal that ended the command, if one did. */
  signal?: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

function signalName(signal: number | null | undefined): string | undefined {
  if (signal === null || signal === undefined) return undefined;
  return Object.entries(constants.signals).find(([, number]) => number === signal)?.[0] ?? `signal ${signal}`;
}

/** The command's own outcome, decoded from the trampoline's answer line; undefined when the trampoline did not run. */
function trampolineAnswer(moduleStdout: string | undefined): TrampolineAnswer | undefined {
  const line = (moduleStdout ?? '').split('\n').find((text) => text.startsWith(TRAMPOLINE_PREFIX));
  if (line === undefined) return undefined;
  const answer = JSON.parse(line.slice(TRAMPOLINE_PREFIX.length)) as TrampolineAnswer;
  const decode = (text: string): string => Buffer.from(text, 'base64').toString('utf8');
  return { ...answer, stdout: decode(answer.stdout), stderr: decode(answer.stderr) };
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
  if (answer !== undefined) {
    // The operator reads the timeout, with the host and the command, where the caller shows stderr.
    const late = answer.timedOut ? `leap: '${argv.join(' ')}' on ${host} did not finish within ${timeoutMs} ms\n` : '';
    return {
      host,
      unreachable,
      ...execResult(argv, {
        exitCode: answer.rc,
        signal: signalName(answer.signal),
        timedOut: answer.timedOut,
        durationMs,
        stdout: answer.stdout,
        stderr: `${answer.stderr}${late}`,
      }),
    };
  }
  const stderr = raw.stderr ?? '';
  return {
    host,
    unreachable,
    ...execResult(argv, {
      exitCode: raw.rc ?? (raw.failed || unreachable ? 1 : 0),
      durationMs,
      stdout: raw.stdout ?? '',
      // A module failure without a process (a missing interpreter) only has a message.
      stderr: stderr === '' && raw.failed && raw.msg && raw.msg !== 'non-zero return code' ? raw.msg : stderr,
    }),
  };
}

/**
 * leap's one-task play. Only the host pattern and the trampoline line are in it, both as JSON strings (valid YAML),
 * with short module names and no keyword newer than Ansible 2.1.
 */
async function writePlay(pattern: string, commandLine: string): Promise<{ file: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'leap-exec-'));
  const file = join(dir, 'leap-exec.yml');
  const play = [
    '---',
    `- hosts: ${JSON.stringify(pattern)}`,
    '  gather_facts: false',
    '  tasks:',
    `    - command: ${JSON.stringify(commandLine)}`,
    '',
  ];
  await writeFile(file, play.join('\n'), { mode: 0o600 });
  return { file, remove: () => rm(dir, { recursive: true, force: true }) };
}

function notStarted(result: SupervisedResult, command: string[], pattern: string): OsaDeployError | undefined {
  if (!result.spawnError) return undefined;
  return new OsaDeployError('LEAP_ANSIBLE_NOT_STARTED', `could not start ${command[0]}: ${result.spawnError.message}`, {
    host: pattern,
    hint: 'check the ansible command configured in leap.yaml',
    cause: result.spawnError,
  });
}

/** A cancellation, or a timeout that Ansible itself outlived (a hung connection): no host answered, so only Ansible's stderr follows the note. */
function stoppedResult(
  argv: string[],
  result: SupervisedResult,
  what: string,
  timeoutMs: number | undefined,
): AnsibleExecResult {
  const note = result.cancelled ? `leap: cancelled ${what}\n` : `leap: ${what} did not finish within ${timeoutMs} ms\n`;
  return {
    ...execResult(argv, {
      isCanceled: result.cancelled,
      timedOut: !result.cancelled,
      durationMs: result.durationMs,
      stderr: `${note}${result.stderr}`,
    }),
    hosts: [],
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
 */
export function ansibleExec(options: AnsibleExecOptions): AnsibleExec {
  return async (argv: string[], opts: ExecOptions = {}): Promise<AnsibleExecResult> => {
    if (argv.length === 0)
      throw new OsaDeployError('LEAP_EXEC_EMPTY_ARGV', 'no command to run', {
        host: options.pattern,
        hint: 'this is a bug in leap: a step asked to run an empty command; report it with the output of --debug',
      });
    const timeoutSeconds = opts.timeoutMs === undefined ? undefined : Math.max(1, Math.ceil(opts.timeoutMs / 1000));
    const commandLine = trampolineCommandLine(options.python ?? ['python3'], {
      argv,
      env: opts.env ?? {},
      cwd: opts.cwd,
      input: opts.input,
      timeoutSeconds,
    });
    const play = await writePlay(options.pattern, commandLine);
    const command = [...(options.command ?? ['ansible-playbook'])];
    for (const inventory of options.inventory ?? []) command.push('-i', inventory);
    command.push(...(options.args ?? []), play.file);
    const baseEnv = { ...(process.env as Record<string, string>), ...options.env };
    let result: SupervisedResult;
    try {
      result = await runSupervised(command, {
        cwd: options.cwd,
        env: {
          ...baseEnv,
          ...callbackEnv(baseEnv),
          ANSIBLE_NOCOLOR: '1',
          ANSIBLE_RETRY_FILES_ENABLED: '0',
          LEAP_RUN_ID: randomUUID(),
        },
        buffer: true,
        signal: opts.signal,
        // The trampoline's own timeout fires first; this one catches a hung connection.
        timeoutMs: opts.timeoutMs === undefined ? undefined : opts.timeoutMs + 30_000,
        killGraceMs: options.killGraceMs ?? 5_000,
      });
    } finally {
      await play.remove();
    }
    const what = `'${argv.join(' ')}' on ${options.pattern}`;
    const failure = notStarted(result, command, options.pattern);
    if (failure) throw failure;
    if (result.cancelled || result.timedOut) return stoppedResult(argv, result, what, opts.timeoutMs);
    const parsed = parseCallbackOutput(result.stdout);
    if (parsed === undefined) {
      throw new OsaDeployError(
        'LEAP_EXEC_ANSIBLE_ERROR',
        `ansible could not run ${what} (exit ${result.exitCode}): ${result.stderr.trim() || result.stdout.trim()}`,
        {
          host: options.pattern,
          hint: 'check the inventory and the host pattern',
        },
      );
    }
    const hosts = Object.keys(parsed)
      .sort()
      .map((host) => hostResult(argv, host, parsed[host] ?? {}, result.durationMs, opts.timeoutMs));
    if (hosts.length === 0) throw noHostsMatched(options.pattern);
    const unreachable = hosts.filter((host) => host.unreachable);
    if (unreachable.length > 0) {
      const names = unreachable.map((host) => host.host);
      throw new OsaDeployError(
        'LEAP_HOST_UNREACHABLE',
        `could not reach ${names.join(', ')} to run ${what}: ${parsed[names[0] ?? '']?.msg ?? ''}`,
        {
          host: names[0],
          hosts: names,
          hint: `check that ${names.join(', ')} ${names.length === 1 ? 'is' : 'are'} up and reachable over SSH, then re-run leap`,
        },
      );
    }
    return { ...combine(hosts), hosts };
  };
}
