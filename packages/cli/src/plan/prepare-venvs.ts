import type { StepContext } from '@leap/markers';
import { deployedGroups } from './deployed-groups.js';
import { migrationVenv, venvBinOf, type MigrationVenv, type VenvRelease } from './migration-venvs.js';
import { runPlaybookItem } from './playbook-step.js';
import type { LeapRuntime } from './runtime.js';

export interface PreparedVenv {
  release: VenvRelease;
  path: string;
  /** How it got there: pushed from a tarball now, already current on the hosts, or a folder leap.yaml names. */
  how: 'pushed' | 'current' | 'folder';
  hosts: string[];
  commands: number;
}

type Context = Pick<StepContext, 'signal' | 'progress' | 'log'>;

/**
 * Every release's migration venv on the first host of each group that runs its commands, and each command
 * answering `--help` there: tarballs are fetched once, checked, relocated on this host and pushed; folders are
 * only checked. Safe to repeat: a host already holding the stamped venv is left alone.
 */
export async function prepareMigrationVenvs(
  rt: LeapRuntime,
  releases: readonly VenvRelease[],
  ctx: Context,
): Promise<PreparedVenv[]> {
  const prepared: PreparedVenv[] = [];
  for (const release of releases) {
    const venv = migrationVenv(rt.config, release);
    const { venvGroups } = await import('@leap/db-migrate');
    const groups = await deployedGroups(rt, venvGroups(release));
    const hosts = [...groups].map((group) => `${group}[0]`);
    const how = venv.tarball === undefined || hosts.length === 0 ? 'folder' : await pushTarball(rt, venv, hosts, ctx);
    const commands = await checkCommands(rt, release, groups, ctx);
    prepared.push({ release, path: venv.path, how, hosts, commands });
  }
  return prepared;
}

async function pushTarball(
  rt: LeapRuntime,
  venv: MigrationVenv,
  hosts: string[],
  ctx: Context,
): Promise<'pushed' | 'current'> {
  const { obtainVenvTarball, hostVenvTarball } = await import('@leap/db-migrate');
  const { venvPushItem } = await import('@leap/osa-deploy');
  const workDir = rt.paths.venvs;
  const source = venv.tarball!;
  ctx.progress(`${venv.release}: ${source.file ?? source.url}`);
  const obtained = await obtainVenvTarball({
    source,
    cacheDir: workDir,
    what: `${venv.release} migration venv`,
    signal: ctx.signal,
    onProgress: (event) => {
      if (event.kind === 'venv-download') ctx.progress(`${venv.release}: downloaded ${mebibytes(event.bytes)}`);
    },
  });
  ctx.log(`${venv.release} venv tarball ${obtained.file} sha256 ok`, {
    kind: 'venv',
    release: venv.release,
    file: obtained.file,
    bytes: obtained.bytes,
    downloaded: obtained.downloaded,
  });
  const relocated = await hostVenvTarball({
    tarball: obtained.file,
    sha256: obtained.sha256,
    dest: venv.path,
    workDir,
    exec: rt.localExec,
    signal: ctx.signal,
  });
  if (relocated.built) {
    ctx.log(`${venv.release} venv relocated from ${relocated.from} to ${venv.path}`, {
      kind: 'venv',
      release: venv.release,
      rewritten: relocated.rewritten,
    });
  }
  ctx.progress(`${venv.release}: pushing to ${hosts.join(', ')}`);
  const result = await runPlaybookItem(
    rt,
    ctx,
    venvPushItem({
      id: `venvs-${venv.release}`,
      hosts,
      tarball: relocated.file,
      dest: venv.path,
      stamp: relocated.stamp,
    }),
  );
  const changed = Object.values(result.recap).some((host) => host.changed > 0);
  return changed ? 'pushed' : 'current';
}

async function checkCommands(
  rt: LeapRuntime,
  release: VenvRelease,
  groups: ReadonlySet<string>,
  ctx: Context,
): Promise<number> {
  const { probeVenvCommands, assertVenvCommands } = await import('@leap/db-migrate');
  ctx.progress(`${release}: each migration command answers --help`);
  const results = await probeVenvCommands({
    release,
    venvBin: venvBinOf(rt.config, release),
    runnerFor: (group) => rt.execOn(group),
    groups,
    signal: ctx.signal,
  });
  assertVenvCommands(release, results);
  return results.length;
}

function mebibytes(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}
