import { buildProgram, CommanderError, type ProgramEnvironment } from './program.js';
import { ExitCode } from './errors.js';
import { processIo, reportError, type Io } from './output.js';

/** Runs `leap` with the given arguments and returns the exit code; never calls process.exit. */
export async function main(
  argv: string[],
  io: Io = processIo,
  isTty = Boolean(process.stdin.isTTY && process.stdout.isTTY),
): Promise<number> {
  const debug = argv.includes('--debug');
  const env: ProgramEnvironment = { io, isTty, argv };
  const program = buildProgram(env);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return env.exitCode ?? ExitCode.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end through exitOverride with exit code 0.
      return error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
    }
    return reportError(io, error, debug);
  }
}
