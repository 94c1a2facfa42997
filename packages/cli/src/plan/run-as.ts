import type { Exec } from '@leap/contract';

/**
 * `exec` running its commands as `user` through the configured prefix (production: `sudo -H -u <user> --`
 * inside the service's container, as the release playbooks' `sudo_user` did); without a user, `exec` itself.
 */
export function runAs(exec: Exec, prefix: readonly string[], user: string | undefined): Exec {
  if (user === undefined) return exec;
  const head = prefix.map((part) => part.replaceAll('{user}', user));
  return (argv, options) => exec([...head, ...argv], options);
}
