// The Debian packages leap's tests, lab and demo need, and how to check for them.
// eslint-disable-next-line no-restricted-imports -- runs before the build; spawnSync with an argument array, no shell
import { spawnSync } from 'node:child_process';

/** command -> the Debian package that provides it */
export const systemCommands = {
  mariadbd: 'mariadb-server-core',
  'mariadb-install-db': 'mariadb-server-core',
  mariadb: 'mariadb-client',
  'mariadb-dump': 'mariadb-client',
  'ansible-playbook': 'ansible-core',
  git: 'git',
  rsync: 'rsync',
  tmux: 'tmux',
  chromium: 'chromium',
};

/** Galera's provider and the SST scripts (wsrep_sst_rsync ships in mariadb-server, not -core). */
export const systemFiles = {
  '/usr/lib/galera/libgalera_smm.so': 'galera-4',
  '/usr/bin/wsrep_sst_rsync': 'mariadb-server',
};

export function missingPackages() {
  const missing = new Set();
  for (const [command, pkg] of Object.entries(systemCommands)) {
    if (spawnSync('sh', ['-c', 'command -v "$1" >/dev/null', 'sh', command]).status !== 0) missing.add(pkg);
  }
  for (const [file, pkg] of Object.entries(systemFiles)) {
    if (spawnSync('test', ['-e', file]).status !== 0) missing.add(pkg);
  }
  return [...missing].sort();
}

export function aptInstall(packages) {
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [
    ['update', '-qq'],
    ['install', '-y', '-qq', '--no-install-recommends', ...packages],
  ]) {
    const result = spawnSync('apt-get', args, { stdio: 'inherit', env });
    if (result.status !== 0) return false;
  }
  return true;
}
