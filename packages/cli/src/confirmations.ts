import { CliError, ExitCode } from './errors.js';
import type { Io } from './output.js';

export interface ConfirmationOptions {
  /** `--confirm-source <release>`: the answer to confirmation 1 for a non-interactive run. */
  confirmSource?: string | undefined;
  /** `--confirm-redeploy`: the answer to confirmation 2 for a non-interactive run. */
  confirmRedeploy?: boolean | undefined;
  /** Whether prompts may be shown (stdin and stdout are a TTY and --json is off). */
  interactive: boolean;
  io: Io;
  signal?: AbortSignal | undefined;
  /** Runs a prompt; a live view pauses around it so the two do not draw over each other. */
  aroundPrompt?: <T>(prompt: () => Promise<T>) => Promise<T>;
}

/** The two points where the operator must agree before leap goes on (DESIGN.md "The plan"). */
export interface Confirmations {
  /** Confirmation 1: the intent, and the source release typed back. */
  source(detected: string, target: string): Promise<void>;
  /** Confirmation 2: after reading the summary of migrated variables and secrets, before the re-deploy. */
  redeploy(summary: string): Promise<void>;
}

export function createConfirmations(options: ConfirmationOptions): Confirmations {
  return {
    async source(detected, target) {
      const intro = `leap will upgrade this cloud from ${detected} to ${target}. This is one-way once the database migrations start.\n`;
      let answer = options.confirmSource;
      if (answer === undefined) {
        if (!options.interactive) {
          throw new CliError(
            'LEAP_CONFIRMATION_NEEDED',
            'confirmation 1 needs an answer, and this is not an interactive terminal',
            {
              exitCode: ExitCode.usage,
              step: 'preflight/confirm-source',
              hint: `pass --confirm-source ${detected} to confirm the leap from ${detected} non-interactively`,
            },
          );
        }
        options.io.stdout(intro);
        const { input } = await import('@inquirer/prompts');
        answer = await input(
          { message: 'Type the release this cloud runs now (e.g. kilo) to go on:' },
          { signal: options.signal },
        );
      }
      if (answer.trim().toLowerCase() !== detected) {
        throw new CliError(
          'LEAP_CONFIRMATION_DECLINED',
          `the source release given ('${answer.trim()}') is not the detected one ('${detected}'); nothing was changed`,
          {
            exitCode: ExitCode.declined,
            step: 'preflight/confirm-source',
            hint: `check the deployment; if it really runs ${detected}, answer '${detected}'`,
          },
        );
      }
    },
    async redeploy(summary) {
      options.io.stdout(`${summary}\n`);
      if (options.confirmRedeploy) return;
      if (!options.interactive) {
        throw new CliError(
          'LEAP_CONFIRMATION_NEEDED',
          'confirmation 2 (before the re-deploy) needs an answer, and this is not an interactive terminal',
          {
            exitCode: ExitCode.usage,
            step: 'redeploy/confirm',
            hint: 'review the summary above, then pass --confirm-redeploy to go on non-interactively',
          },
        );
      }
      const { confirm } = await import('@inquirer/prompts');
      const ask = () =>
        confirm(
          { message: 'The variables and secrets above were migrated. Deploy the target release now?', default: false },
          { signal: options.signal },
        );
      const yes = await (options.aroundPrompt ? options.aroundPrompt(ask) : ask());
      if (!yes) {
        throw new CliError('LEAP_CONFIRMATION_DECLINED', 'the re-deploy was declined; the leap stops before it', {
          exitCode: ExitCode.declined,
          step: 'redeploy/confirm',
          hint: 'check the migrated files in the deploy folder, then run `leap run` again to resume here',
        });
      }
    },
  };
}
