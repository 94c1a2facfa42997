import { existsSync } from 'node:fs';
import type { LeapConfig } from '../config.js';
import { migrationVenv, venvBinOf, type VenvRelease } from '../plan/migration-venvs.js';
import { deployedGroups } from '../plan/deployed-groups.js';
import type { LeapRuntime } from '../plan/runtime.js';
import type { CheckResult } from './types.js';

/**
 * Each release's migration commands answer `--help` on the hosts that run them. A release leap.yaml gives as a
 * tarball is not probed: venvs/prepare pushes it and probes every command then, so only its tarball is checked
 * (a file given must exist).
 */
export async function checkMigrationVenvs(rt: LeapRuntime, releases: readonly VenvRelease[]): Promise<CheckResult> {
  const base = { id: 'migration-venvs', title: 'migration venvs: every *-manage command on its host' };
  const { probeVenvCommands, venvGroups } = await import('@leap/db-migrate');
  const notes: string[] = [];
  for (const release of releases) {
    const venv = migrationVenv(rt.config, release);
    const missingFile = venv.tarball?.file !== undefined && !existsSync(venv.tarball.file);
    if (missingFile) {
      return {
        ...base,
        status: 'failed',
        file: venv.tarball!.file,
        message: `the ${release} migration venv tarball ${venv.tarball!.file} does not exist`,
        hint: `copy it there, or fix migrationVenvs.${release}.file in ${configName(rt.config)}`,
      };
    }
    if (venv.tarball !== undefined) {
      // venvs/prepare pushes the tarball and then runs every command with --help where it runs; probing the hosts
      // now (an Ansible play per command) would only say whether an earlier push is already there.
      notes.push(`${release}: venvs/prepare pushes ${venv.tarball.file ?? venv.tarball.url} to ${venv.path}`);
      continue;
    }
    const results = await probeVenvCommands({
      release,
      venvBin: venvBinOf(rt.config, release),
      runnerFor: (group) => rt.execOn(group),
      groups: await deployedGroups(rt, venvGroups(release)),
    });
    const failed = results.filter((r) => !r.ok);
    if (failed.length === 0) {
      notes.push(`${release}: ${results.length} commands answer --help`);
    } else {
      const first = failed[0]!;
      return {
        ...base,
        status: 'failed',
        host: `${first.group}[0]`,
        message: `the ${release} migration venv ${venv.path} lacks ${failed.map((r) => `${r.command} on ${r.group}[0] (${r.problem})`).join(', ')}`,
        hint: `give migrationVenvs.${release} in ${configName(rt.config)} as a tarball ({ sha256, url | file }) for leap to push, or put the venv at ${venv.path} on those hosts`,
      };
    }
  }
  return { ...base, status: 'ok', message: notes.join('; ') };
}

function configName(config: LeapConfig): string {
  return config.configFile ?? 'leap.yaml';
}
