import { Command, CommanderError } from '@commander-js/extra-typings';
import type { Io } from './output.js';
import { cliVersion } from './version.js';

/** Builds the command tree; each command file adds itself here. */
export function buildProgram(io: Io) {
  const program = new Command()
    .name('leap')
    .description('Leapfrog upgrades of OpenStack-Ansible clouds: RPCO Kilo -> r14.1.0 (Newton), skipping Liberty and Mitaka.')
    .version(cliVersion(), '-V, --version', 'print the leap version')
    .option('--debug', 'print stacks and debug details on errors')
    .option('--json', 'machine-readable output (JSONL events on stdout)')
    .option('--plain', 'plain line output, no TTY task list')
    .option('--no-color', 'no colours (NO_COLOR is honoured too)')
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  return program;
}

export { CommanderError };
