import { execaSync } from 'execa';
import { LabError } from './errors.js';

/** The Debian package of every system command the lab needs. */
const DEBIAN_PACKAGE: Readonly<Record<string, string>> = {
  mariadbd: 'mariadb-server-core',
  'mariadb-install-db': 'mariadb-server-core',
  mariadb: 'mariadb-client',
  'ansible-playbook': 'ansible-core',
  git: 'git',
  python3: 'python3',
};

/** The absolute path of `command`, or an error naming the package that provides it. */
export function requireLabCommand(command: string): string {
  const found = execaSync('sh', ['-c', 'command -v "$1"', 'sh', command], { reject: false });
  const path = String(found.stdout).trim();
  if (found.exitCode !== 0 || path === '') {
    const pkg = DEBIAN_PACKAGE[command] ?? command;
    throw new LabError('LEAP_LAB_MISSING_COMMAND', `the lab needs '${command}', which is not installed`, {
      hint: `apt-get install -y ${pkg}`,
    });
  }
  return path;
}
