import { LeapError } from '@leap/contract';
import { execa } from 'execa';
import { GitPrepError } from './errors.js';

export interface GitResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

export interface GitRunOptions {
  /** Do not throw on a non-zero exit; the caller reads exitCode. */
  allowFailure?: boolean;
  input?: string;
  timeoutMs?: number;
  /** Extra variables for this command only. */
  env?: Record<string, string>;
}

/**
 * A git command that exited non-zero (or timed out); stderr is kept for the retry classifier. Git's own exit code
 * is `gitExitCode`, not `exitCode`: the CLI takes an error's `exitCode` as its own.
 */
export class GitCommandError extends LeapError<'LEAP_GIT_COMMAND_FAILED'> {
  override readonly name = 'GitCommandError';
  constructor(
    readonly args: readonly string[],
    readonly cwd: string,
    readonly gitExitCode: number | undefined,
    readonly stderr: string,
    readonly timedOut: boolean,
  ) {
    super(
      'LEAP_GIT_COMMAND_FAILED',
      `git ${args.join(' ')} (in ${cwd}) ${timedOut ? 'timed out' : `exited ${gitExitCode ?? '?'}`}: ${stderr.trim() || '(no output)'}`,
      {
        file: cwd,
        hint: timedOut
          ? `check the network and the remote of ${cwd}, then run again`
          : `read git's message above, fix the repository ${cwd} (or its remote), then run again`,
      },
    );
  }
}

export interface Git {
  run(cwd: string, args: readonly string[], options?: GitRunOptions): Promise<GitResult>;
  /** Trimmed stdout; throws GitCommandError on failure. */
  out(cwd: string, args: readonly string[], options?: GitRunOptions): Promise<string>;
  readonly env: Readonly<Record<string, string>>;
  readonly signal: AbortSignal | undefined;
}

/** Runs git with an argument array and exactly `env` (nothing inherited), honouring `signal`. */
export function createGit(env: Record<string, string>, signal?: AbortSignal): Git {
  async function run(cwd: string, args: readonly string[], options: GitRunOptions = {}): Promise<GitResult> {
    signal?.throwIfAborted();
    let result;
    try {
      result = await execa('git', [...args], {
        cwd,
        env: options.env === undefined ? env : { ...env, ...options.env },
        extendEnv: false,
        reject: false,
        stripFinalNewline: false,
        ...(options.input === undefined ? { stdin: 'ignore' as const } : { input: options.input }),
        ...(options.timeoutMs === undefined ? {} : { timeout: options.timeoutMs }),
        ...(signal === undefined ? {} : { cancelSignal: signal }),
      });
    } catch (error) {
      throw new GitPrepError('LEAP_GIT_NOT_RUNNABLE', `could not run git in ${cwd}: ${(error as Error).message}`, {
        hint: 'install git (apt-get install git) and make sure PATH in the git environment reaches it',
        file: cwd,
        cause: error,
      });
    }
    if (result.isCanceled) signal?.throwIfAborted();
    if (result.failed && result.exitCode === undefined && !result.timedOut) {
      throw new GitPrepError('LEAP_GIT_NOT_RUNNABLE', `could not run git in ${cwd}: ${result.shortMessage}`, {
        hint: 'install git (apt-get install git), check that the folder exists and PATH in the git environment reaches git',
        file: cwd,
        cause: result,
      });
    }
    const exitCode = result.exitCode ?? -1;
    if ((exitCode !== 0 || result.timedOut) && options.allowFailure !== true) {
      throw new GitCommandError(args, cwd, result.exitCode, String(result.stderr), result.timedOut);
    }
    return { stdout: String(result.stdout), stderr: String(result.stderr), exitCode };
  }
  return {
    run,
    async out(cwd, args, options) {
      return (await run(cwd, args, options)).stdout.trim();
    },
    env,
    signal,
  };
}
