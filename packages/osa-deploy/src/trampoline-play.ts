import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AnsibleExecOptions } from './ansible-exec.js';
import { OsaDeployError } from './errors.js';
import { callbackEnv, parseCallbackOutput, type CallbackHostResult } from './exec-callback.js';
import { runSupervised, type SupervisedResult } from './supervised-process.js';

/** How leap's one-task play is started: ansibleExec's options, less the remote Python (already in the line). */
export type PlaySettings = Omit<AnsibleExecOptions, 'python'>;

export type PlayOutcome =
  | { stopped: true; result: SupervisedResult }
  | { stopped: false; hosts: Record<string, CallbackHostResult>; durationMs: number };

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

function noHostsMatched(pattern: string): OsaDeployError {
  return new OsaDeployError('LEAP_NO_HOSTS_MATCHED', `no inventory host matches '${pattern}'`, {
    host: pattern,
    hint: 'check the host pattern against the inventory (ansible-inventory --graph)',
  });
}

function unreachableHosts(hosts: Record<string, CallbackHostResult>, what: string): OsaDeployError | undefined {
  const names = Object.keys(hosts)
    .sort()
    .filter((host) => hosts[host]?.unreachable === true);
  if (names.length === 0) return undefined;
  return new OsaDeployError(
    'LEAP_HOST_UNREACHABLE',
    `could not reach ${names.join(', ')} to run ${what}: ${hosts[names[0] ?? '']?.msg ?? ''}`,
    {
      host: names[0],
      hosts: names,
      hint: `check that ${names.join(', ')} ${names.length === 1 ? 'is' : 'are'} up and reachable over SSH, then re-run leap`,
    },
  );
}

/**
 * Runs the one-task play of `commandLine` on the settings' hosts and returns each host's raw result, or that the
 * run was stopped (cancelled, or outlived `timeoutMs`). What keeps it from trying throws, naming the host:
 * ansible-playbook missing or failing before any host ran, a pattern matching nothing, unreachable hosts.
 */
export async function runTrampolinePlay(
  settings: PlaySettings,
  commandLine: string,
  what: string,
  run: { signal?: AbortSignal | undefined; timeoutMs?: number | undefined },
): Promise<PlayOutcome> {
  const play = await writePlay(settings.pattern, commandLine);
  const command = [...(settings.command ?? ['ansible-playbook'])];
  for (const inventory of settings.inventory ?? []) command.push('-i', inventory);
  command.push(...(settings.args ?? []), play.file);
  const baseEnv = { ...(process.env as Record<string, string>), ...settings.env };
  let result: SupervisedResult;
  try {
    result = await runSupervised(command, {
      cwd: settings.cwd,
      env: {
        ...baseEnv,
        ...callbackEnv(baseEnv),
        ANSIBLE_NOCOLOR: '1',
        ANSIBLE_RETRY_FILES_ENABLED: '0',
        LEAP_RUN_ID: randomUUID(),
      },
      buffer: true,
      signal: run.signal,
      timeoutMs: run.timeoutMs,
      killGraceMs: settings.killGraceMs ?? 5_000,
    });
  } finally {
    await play.remove();
  }
  const failure = notStarted(result, command, settings.pattern);
  if (failure) throw failure;
  if (result.cancelled || result.timedOut) return { stopped: true, result };
  const hosts = parseCallbackOutput(result.stdout);
  if (hosts === undefined) {
    throw new OsaDeployError(
      'LEAP_EXEC_ANSIBLE_ERROR',
      `ansible could not run ${what} (exit ${result.exitCode}): ${result.stderr.trim() || result.stdout.trim()}`,
      {
        host: settings.pattern,
        hint: 'check the inventory and the host pattern',
      },
    );
  }
  if (Object.keys(hosts).length === 0) throw noHostsMatched(settings.pattern);
  const unreachable = unreachableHosts(hosts, what);
  if (unreachable) throw unreachable;
  return { stopped: false, hosts, durationMs: result.durationMs };
}
