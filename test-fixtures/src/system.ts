import { execaSync } from 'execa';

/** The Debian package that provides each external command the tests and the lab need. */
export const debianPackageOf: Record<string, string> = {
  mariadbd: 'mariadb-server-core',
  'mariadb-install-db': 'mariadb-server-core',
  mariadb: 'mariadb-client',
  'mariadb-dump': 'mariadb-client',
  'ansible-playbook': 'ansible-core',
  ansible: 'ansible-core',
  git: 'git',
  rsync: 'rsync',
  chromium: 'chromium',
};

export class MissingSystemCommandError extends Error {
  override readonly name = 'MissingSystemCommandError';
  readonly code = 'LEAP_MISSING_SYSTEM_COMMAND';
  constructor(
    readonly command: string,
    readonly debianPackage: string,
  ) {
    super(
      `'${command}' is not installed; these tests need it (Debian package ${debianPackage}).\n` +
        `hint: run 'apt-get install -y ${debianPackage}' (or 'bash .ci/run', which installs everything).`,
    );
  }
}

/** Returns the absolute path of a command, or throws an error that names the package to install. */
export function requireCommand(command: string): string {
  const found = execaSync('sh', ['-c', 'command -v "$1"', 'sh', command], { reject: false });
  const path = found.stdout.trim();
  if (found.exitCode !== 0 || path === '') {
    throw new MissingSystemCommandError(command, debianPackageOf[command] ?? command);
  }
  return path;
}
