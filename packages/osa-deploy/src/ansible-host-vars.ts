import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OsaDeployError } from './errors.js';
import { callbackEnv, parseCallbackOutput } from './exec-callback.js';
import { runSupervised } from './supervised-process.js';

export interface AnsibleHostVarsOptions {
  /** Inventory host pattern: one host, several joined by ':', a group. */
  pattern: string;
  /** The variables to read, as Ansible resolves them for each host (inventory, group_vars, extra vars). */
  names: readonly string[];
  /** argv prefix that runs the play. Default ['ansible-playbook']. */
  command?: string[];
  /** Each passed as `-i`. */
  inventory?: string[];
  /** Passed as -e, as to every playbook leap runs: extra vars may define or template the variables read. */
  extraVars?: Record<string, unknown>;
  env?: Record<string, string>;
  cwd?: string;
  signal?: AbortSignal;
}

/** Each host's values; a variable the host does not define is absent. */
export type HostVarValues = Map<string, Record<string, unknown>>;

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const VARS_PREFIX = 'LEAP_HOST_VARS ';

/**
 * Reads variables of inventory hosts as Ansible itself resolves them, in one run of a one-task play (a `debug`
 * of their JSON), without connecting to any host. How leap learns per-host values (a host's root folder, its
 * service command) that only Ansible can evaluate, for the commands it then runs there through ansibleExec.
 */
export async function ansibleHostVars(options: AnsibleHostVarsOptions): Promise<HostVarValues> {
  for (const name of options.names) {
    if (!NAME.test(name)) {
      throw new OsaDeployError('LEAP_HOST_VARS_BAD_NAME', `'${name}' is not an Ansible variable name`, {
        hint: 'this is a bug in leap: report it with the output of --debug',
      });
    }
  }
  const { dir, play } = await writeHostVarsPlay(options);
  const command = [...(options.command ?? ['ansible-playbook'])];
  for (const inventory of options.inventory ?? []) command.push('-i', inventory);
  if (options.extraVars && Object.keys(options.extraVars).length > 0)
    command.push('-e', JSON.stringify(options.extraVars));
  command.push(play);
  const baseEnv = { ...(process.env as Record<string, string>), ...options.env };
  let result;
  try {
    result = await runSupervised(command, {
      cwd: options.cwd,
      env: { ...baseEnv, ...callbackEnv(baseEnv), ANSIBLE_NOCOLOR: '1', ANSIBLE_RETRY_FILES_ENABLED: '0' },
      buffer: true,
      signal: options.signal,
      timeoutMs: 120_000,
      killGraceMs: 5_000,
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  if (result.spawnError) {
    throw new OsaDeployError(
      'LEAP_ANSIBLE_NOT_STARTED',
      `could not start ${command[0]}: ${result.spawnError.message}`,
      {
        host: options.pattern,
        hint: 'check the ansible command configured in leap.yaml',
        cause: result.spawnError,
      },
    );
  }
  const parsed = parseCallbackOutput(result.stdout);
  const failed = Object.entries(parsed ?? {}).find(([, host]) => host.failed || !host.msg?.startsWith(VARS_PREFIX));
  if (parsed === undefined || failed !== undefined || result.cancelled || result.timedOut) {
    const why = failed?.[1].msg ?? (result.stderr.trim() || result.stdout.trim() || `exit ${result.exitCode}`);
    throw new OsaDeployError(
      'LEAP_HOST_VARS_FAILED',
      `ansible could not read ${options.names.join(', ')} of ${failed?.[0] ?? options.pattern}: ${why}`,
      {
        host: failed?.[0] ?? options.pattern,
        hint: 'check the inventory, and the values leap.yaml gives these variables under ansible.extraVars',
      },
    );
  }
  const values = valuesOf(parsed);
  if (values.size === 0) {
    throw new OsaDeployError('LEAP_NO_HOSTS_MATCHED', `no inventory host matches '${options.pattern}'`, {
      host: options.pattern,
      hint: 'check the host pattern against the inventory (ansible-inventory --graph)',
    });
  }
  return values;
}

/** Each host's values from its debug message; the unset marker dropped. */
function valuesOf(parsed: Record<string, { msg?: string }>): HostVarValues {
  const values: HostVarValues = new Map();
  for (const [host, { msg }] of Object.entries(parsed)) {
    const read = JSON.parse(msg!.slice(VARS_PREFIX.length)) as Record<string, unknown>;
    values.set(host, Object.fromEntries(Object.entries(read).filter(([, value]) => !isUndefinedMarker(value))));
  }
  return values;
}

/** The one-task play in a 0600 temp folder: a `debug` of the variables' JSON on every host of the pattern. */
async function writeHostVarsPlay(options: AnsibleHostVarsOptions): Promise<{ dir: string; play: string }> {
  // An unset variable becomes the marker object (one set to null stays distinguishable). `in vars`, not `is defined`
  // or default(): a variable whose template fails must fail the read, not pass as unset.
  const dict = options.names
    .map((name) => `'${name}': (${name} if '${name}' in vars else {'leap_undefined': true})`)
    .join(', ');
  const dir = await mkdtemp(join(tmpdir(), 'leap-host-vars-'));
  const play = join(dir, 'leap-host-vars.yml');
  await writeFile(
    play,
    [
      '---',
      `- hosts: ${JSON.stringify(options.pattern)}`,
      '  gather_facts: false',
      '  tasks:',
      '    - debug:',
      `        msg: ${JSON.stringify(`${VARS_PREFIX}{{ {${dict}} | to_json }}`)}`,
      '',
    ].join('\n'),
    { mode: 0o600 },
  );
  return { dir, play };
}

function isUndefinedMarker(value: unknown): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    Object.keys(value).length === 1 &&
    (value as Record<string, unknown>)['leap_undefined'] === true
  );
}
