import type { ProbeResult } from '@leap/db-migrate';
import type { StepContext } from '@leap/markers';
import type { VenvPush } from '@leap/osa-deploy';
import { deployedGroups } from './deployed-groups.js';
import { migrationVenv, venvBinOf, type MigrationVenv, type VenvRelease } from './migration-venvs.js';
import { runPlaybookItem } from './playbook-step.js';
import type { LeapRuntime } from './runtime.js';

export interface PreparedVenv {
  release: VenvRelease;
  path: string;
  /** Where it comes from: a tarball leap pushed (or found already on the hosts), or a folder leap.yaml names. */
  from: 'tarball' | 'folder';
  hosts: string[];
  commands: number;
}

export interface PreparedVenvs {
  venvs: PreparedVenv[];
  /** Whether any host got a venv in this run (false: every host already held its stamped venv). */
  pushed: boolean;
}

type Context = Pick<StepContext, 'signal' | 'progress' | 'log'>;

/**
 * Every release's migration venv on the first host of each group that runs its commands, and each command
 * answering `--help` there: tarballs are fetched once, checked and relocated on this host, then pushed in one
 * Ansible run; folders are only checked. Safe to repeat: a host already holding the stamped venv is left alone.
 */
export async function prepareMigrationVenvs(
  rt: LeapRuntime,
  releases: readonly VenvRelease[],
  ctx: Context,
): Promise<PreparedVenvs> {
  const { venvGroups } = await import('@leap/db-migrate');
  const planned: Array<{ venv: MigrationVenv; groups: Set<string> }> = [];
  for (const release of releases) {
    planned.push({ venv: migrationVenv(rt.config, release), groups: await deployedGroups(rt, venvGroups(release)) });
  }
  const pushes: VenvPush[] = [];
  for (const { venv, groups } of planned) {
    if (venv.tarball !== undefined && groups.size > 0) pushes.push(await relocatedPush(rt, venv, [...groups], ctx));
  }
  const pushed = pushes.length > 0 && (await pushAll(rt, pushes, ctx));
  const commands = await checkCommands(rt, planned, ctx);
  const venvs = planned.map(({ venv, groups }): PreparedVenv => {
    const from = venv.tarball === undefined ? 'folder' : 'tarball';
    const count = commands.filter((result) => result.release === venv.release).length;
    return { release: venv.release, path: venv.path, from, hosts: [...groups].map((g) => `${g}[0]`), commands: count };
  });
  return { venvs, pushed };
}

/** The release's tarball obtained (sha256 checked) and relocated to its path on the hosts. */
async function relocatedPush(rt: LeapRuntime, venv: MigrationVenv, groups: string[], ctx: Context): Promise<VenvPush> {
  const { obtainVenvTarball, hostVenvTarball } = await import('@leap/db-migrate');
  const source = venv.tarball!;
  ctx.progress(`${venv.release}: ${source.file ?? source.url}`);
  const obtained = await obtainVenvTarball({
    source,
    cacheDir: rt.paths.venvs,
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
    workDir: rt.paths.venvs,
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
  return { name: venv.release, groups, tarball: relocated.file, dest: venv.path, stamp: relocated.stamp };
}

/** One venv-push.yml run for every release; true when some host got a venv. */
async function pushAll(rt: LeapRuntime, pushes: VenvPush[], ctx: Context): Promise<boolean> {
  const { venvPushItem } = await import('@leap/osa-deploy');
  ctx.progress(`pushing ${pushes.map((p) => p.name).join(', ')}`);
  const item = venvPushItem(pushes, { id: 'venvs-push', python: rt.config.ansible.remotePython });
  const result = await runPlaybookItem(rt, ctx, item);
  return Object.values(result.recap).some((host) => host.changed > 0);
}

/** Every release's commands answering --help on their hosts: one batch per group for all the releases. */
async function checkCommands(
  rt: LeapRuntime,
  planned: ReadonlyArray<{ venv: MigrationVenv; groups: ReadonlySet<string> }>,
  ctx: Context,
): Promise<ProbeResult[]> {
  const { probeReleasesVenvCommands, assertVenvCommands } = await import('@leap/db-migrate');
  ctx.progress(`${planned.map(({ venv }) => venv.release).join(', ')}: each migration command answers --help`);
  const results = await probeReleasesVenvCommands({
    releases: planned.map(({ venv }) => ({ release: venv.release, venvBin: venvBinOf(rt.config, venv.release) })),
    runnerFor: (group) => rt.execOn(group),
    groups: new Set(planned.flatMap(({ groups }) => [...groups])),
    signal: ctx.signal,
  });
  for (const { venv } of planned) {
    assertVenvCommands(
      venv.release,
      results.filter((result) => result.release === venv.release),
    );
  }
  return results;
}

function mebibytes(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}
