import { posix } from 'node:path';
import { batchOf, describeExit, type Exec, type ExecResult } from '@leap/contract';
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
  release: MigrationRelease;
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

export interface ProbeReleasesOptions extends Omit<ProbeOptions, 'release' | 'venvBin'> {
  releases: ReadonlyArray<{ release: MigrationRelease; venvBin: string }>;
}

/** How many groups are probed at once: each is a remote batch, mostly waiting on its connection. */
const GROUPS_AT_ONCE = 4;

/** Runs every command the release's migrations need with `--help` on its group's first host. */
export async function probeVenvCommands(options: ProbeOptions): Promise<ProbeResult[]> {
  return probeReleasesVenvCommands({ ...options, releases: [{ release: options.release, venvBin: options.venvBin }] });
}

/**
 * Runs every command the releases' migrations need with `--help` on its group's first host: one batch per group
 * (one round trip for all its releases' commands), a few groups at once. The results keep the releases' order.
 */
export async function probeReleasesVenvCommands(options: ProbeReleasesOptions): Promise<ProbeResult[]> {
  const probes = options.releases.flatMap(({ release, venvBin }) =>
    venvCommands(release)
      .filter(({ group }) => options.groups === undefined || options.groups.has(group))
      .map((command) => ({ ...command, release, path: posix.join(venvBin, command.command) })),
  );
  const groups = [...new Set(probes.map((probe) => probe.group))];
  const results = new Map<(typeof probes)[number], ProbeResult>();
  let next = 0;
  const worker = async () => {
    while (next < groups.length) {
      const group = groups[next++] as string;
      const mine = probes.filter((probe) => probe.group === group);
      const exec = await options.runnerFor(group);
      const answers = await batchOf(exec)(
        mine.map((probe) => ({ argv: [probe.path, '--help'], options: { timeoutMs: 120_000 } })),
        { signal: options.signal },
      );
      if (options.signal?.aborted) throw options.signal.reason;
      mine.forEach((probe, at) => results.set(probe, probeResult(probe, answers[at])));
    }
  };
  await Promise.all(Array.from({ length: Math.min(GROUPS_AT_ONCE, groups.length) }, worker));
  return probes.map((probe) => results.get(probe) as ProbeResult);
}

function probeResult(
  probe: VenvCommand & { release: MigrationRelease; path: string },
  result: ExecResult | undefined,
): ProbeResult {
  if (result === undefined) return { ...probe, ok: false, problem: 'not run: the batch of probes ended before it' };
  const ok = result.exitCode === 0;
  const output = (result.stderr.trim() || result.stdout.trim()).split('\n').slice(-3).join(' | ');
  const problem =
    result.exitCode === 127
      ? `missing, or its interpreter is (a shebang still naming the build path?)${output ? `: ${output}` : ''}`
      : result.exitCode === 126
        ? 'not executable'
        : `${describeExit(result)}: ${output}`;
  return { ...probe, ok, ...(ok ? {} : { problem }) };
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
