import type { BatchingExec } from '@leap/contract';

/**
 * `exec` running its commands as `user` through the configured prefix (production: `sudo -H -u <user> --`
 * inside the service's container, as the release playbooks' `sudo_user` did); without a user, `exec` itself.
 * A batch stays a batch: each of its commands gets the prefix.
 */
export function runAs(exec: BatchingExec, prefix: readonly string[], user: string | undefined): BatchingExec {
  if (user === undefined) return exec;
  const head = prefix.map((part) => part.replaceAll('{user}', user));
  const wrapped: BatchingExec = (argv, options) => exec([...head, ...argv], options);
  const batch = exec.batch;
  if (batch !== undefined)
    wrapped.batch = (commands, options) =>
      batch(
        commands.map((command) => ({ ...command, argv: [...head, ...command.argv] })),
        options,
      );
  return wrapped;
}
