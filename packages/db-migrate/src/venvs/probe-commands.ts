import { posix } from 'node:path';
import { describeExit, type Exec } from '@leap/contract';
import { DbMigrateError } from '../errors.js';
import { releaseMigrations } from '../releases/index.js';
import type { MigrationRelease } from '../releases/schema-versions.js';

export interface VenvCommand {
  /** The inventory group whose first host runs it. */
  group: string;
  command: string;
}

/** Each command a release's migrations run from its venv, with the group that runs it: what the venv must hold where. */
export function venvCommands(release: MigrationRelease): VenvCommand[] {
  const plan = releaseMigrations.find((m) => m.release === release);
  const seen = new Map<string, VenvCommand>();
  for (const step of plan?.steps ?? []) {
    if (step.kind !== 'service') continue;
    for (const { argv } of step.commands) {
      const command = argv[0]!;
      seen.set(`${step.group} ${command}`, { group: step.group, command });
    }
  }
  return [...seen.values()];
}

/** The groups whose first host needs a release's venv. */
export function venvGroups(release: MigrationRelease): string[] {
  return [...new Set(venvCommands(release).map((c) => c.group))];
}

export interface ProbeResult extends VenvCommand {
  path: string;
  ok: boolean;
  /** Why it failed: missing, not executable, or its own error output. */
  problem?: string;
}

export interface ProbeOptions {
  release: MigrationRelease;
  /** The venv's bin folder on the hosts. */
  venvBin: string;
  runnerFor(group: string): Exec | Promise<Exec>;
  /** Only these groups (the ones the inventory has hosts in: a service not deployed runs no migration). */
  groups?: ReadonlySet<string>;
  signal?: AbortSignal;
}

/** How many probes run at once: each is a remote command, mostly waiting on its connection. */
const PROBES_AT_ONCE = 4;

/**
 * Runs every command the release's migrations need with `--help` on its group's first host, a few at once
 * (through Ansible each is a play of its own); the results keep the release's order.
 */
export async function probeVenvCommands(options: ProbeOptions): Promise<ProbeResult[]> {
  const commands = venvCommands(options.release).filter(
    ({ group }) => options.groups === undefined || options.groups.has(group),
  );
  const results: ProbeResult[] = new Array(commands.length);
  let next = 0;
  const worker = async () => {
    while (next < commands.length) {
      const at = next++;
      results[at] = await probeOne(commands[at]!, options);
    }
  };
  await Promise.all(Array.from({ length: Math.min(PROBES_AT_ONCE, commands.length) }, worker));
  return results;
}

async function probeOne({ group, command }: VenvCommand, options: ProbeOptions): Promise<ProbeResult> {
  const path = posix.join(options.venvBin, command);
  const exec = await options.runnerFor(group);
  const result = await exec([path, '--help'], { signal: options.signal, timeoutMs: 120_000 });
  if (options.signal?.aborted) throw options.signal.reason;
  const ok = result.exitCode === 0;
  const output = (result.stderr.trim() || result.stdout.trim()).split('\n').slice(-3).join(' | ');
  const problem =
    result.exitCode === 127
      ? `missing, or its interpreter is (a shebang still naming the build path?)${output ? `: ${output}` : ''}`
      : result.exitCode === 126
        ? 'not executable'
        : `${describeExit(result)}: ${output}`;
  return { group, command, path, ok, ...(ok ? {} : { problem }) };
}

/** Fails naming the release, each group and command that did not answer `--help`. */
export function assertVenvCommands(release: MigrationRelease, results: readonly ProbeResult[]): void {
  const failed = results.filter((r) => !r.ok);
  if (failed.length === 0) return;
  const list = failed.map((r) => `${r.path} on the first host of ${r.group} (${r.problem})`).join('; ');
  throw new DbMigrateError('LEAP_VENV_COMMAND_MISSING', `the ${release} migration venv lacks commands: ${list}`, {
    host: failed[0]!.group,
    hint: `push the ${release} venv with \`leap venvs\` (migrationVenvs.${release} in leap.yaml names its tarball), or fix the folder migrationVenvs.${release} names`,
  });
}
