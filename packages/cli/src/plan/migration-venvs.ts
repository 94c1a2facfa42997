import { posix } from 'node:path';
import type { LeapConfig } from '../config.js';
import type { Series } from '../release.js';

export type VenvRelease = Exclude<Series, 'kilo'>;

/** A release's venv as leap.yaml describes it: a folder already on the hosts, or a tarball leap pushes there. */
export interface MigrationVenv {
  release: VenvRelease;
  /** Where its bin/ lives on the hosts. */
  path: string;
  tarball?: { sha256: string; url: string; file?: never } | { sha256: string; file: string; url?: never };
}

/** Upstream's name for a release's venv: the OSA tag the migrations run from. */
export function venvTag(release: VenvRelease): string {
  return `${release}-eol`;
}

export function migrationVenv(config: LeapConfig, release: VenvRelease): MigrationVenv {
  const entry = config.migrationVenvs[release];
  const defaultPath = `/opt/openstack-ansible-${venvTag(release)}`;
  if (entry === undefined) return { release, path: defaultPath };
  if (typeof entry === 'string') return { release, path: entry };
  const path = entry.path ?? defaultPath;
  if (entry.file !== undefined) return { release, path, tarball: { sha256: entry.sha256, file: entry.file } };
  const url =
    entry.url ?? `${config.migrationVenvsBaseUrl.replace(/\/+$/, '')}/openstack-ansible-${venvTag(release)}.tgz`;
  return { release, path, tarball: { sha256: entry.sha256, url } };
}

/** The folder whose bin/ holds the release's commands on the hosts (kilo: Kilo's own, /usr/local by default). */
export function venvBinOf(config: LeapConfig, release: Series): string {
  if (release === 'kilo') {
    const kilo = config.migrationVenvs.kilo;
    return posix.join(typeof kilo === 'string' ? kilo : '/usr/local', 'bin');
  }
  return posix.join(migrationVenv(config, release).path, 'bin');
}
