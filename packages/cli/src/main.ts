import { buildProgram, CommanderError } from './program.js';
import { ExitCode } from './errors.js';
import { processIo, reportError, type Io } from './output.js';

/** Runs `leap` with the given arguments and returns the exit code; never calls process.exit. */
export async function main(argv: string[], io: Io = processIo): Promise<number> {
  const debug = argv.includes('--debug');
  const program = buildProgram(io);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return ExitCode.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end through exitOverride with exit code 0.
      return error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
    }
    return reportError(io, error, debug);
  }
}
