import pRetry from 'p-retry';
import { GitPrepError } from './errors.js';
import { classifyGitFailure } from './classify.js';
import { GitCommandError, type Git, type GitResult } from './git.js';
import type { GitPrepLogger, ProgressCallback, RetryPolicy, RetryRecord } from './types.js';

export interface NetworkCallContext {
  git: Git;
  policy: RetryPolicy;
  retries: RetryRecord[];
  log?: GitPrepLogger | undefined;
  onProgress?: ProgressCallback | undefined;
}

/**
 * Runs one network git command with exponential backoff and jitter on transient failures, bounded by
 * `policy.attempts` and `policy.maxTotalMs`; permanent failures are thrown at once.
 */
export async function runNetworkGit(
  ctx: NetworkCallContext,
  operation: string,
  repo: string,
  cwd: string,
  args: readonly string[],
): Promise<GitResult> {
  const attemptsBefore = ctx.retries.length;
  try {
    return await pRetry(() => ctx.git.run(cwd, args, { timeoutMs: ctx.policy.attemptTimeoutMs }), {
      retries: Math.max(0, ctx.policy.attempts - 1),
      minTimeout: ctx.policy.minDelayMs,
      maxTimeout: ctx.policy.maxDelayMs,
      factor: ctx.policy.factor,
      randomize: true,
      maxRetryTime: ctx.policy.maxTotalMs,
      ...(ctx.git.signal === undefined ? {} : { signal: ctx.git.signal }),
      onFailedAttempt: ({ error, attemptNumber }) => {
        const transient =
          error instanceof GitCommandError && classifyGitFailure(error.stderr, error.timedOut) === 'transient';
        const message = error instanceof GitCommandError ? firstLines(error.stderr) || error.message : error.message;
        ctx.retries.push({ operation, repo, attempt: attemptNumber, transient, message });
        if (transient) {
          ctx.log?.warn(`${operation} failed (attempt ${attemptNumber}/${ctx.policy.attempts}): ${message}`, {
            repo,
            cwd,
          });
          ctx.onProgress?.({
            phase: 'fetch',
            repo,
            message: `${operation}: attempt ${attemptNumber} failed (${message}); retrying with backoff`,
          });
        }
      },
      shouldRetry: ({ error }) =>
        error instanceof GitCommandError && classifyGitFailure(error.stderr, error.timedOut) === 'transient',
    });
  } catch (error) {
    if (!(error instanceof GitCommandError)) throw error;
    const attempts = ctx.retries.length - attemptsBefore;
    const transient = classifyGitFailure(error.stderr, error.timedOut) === 'transient';
    const detail = firstLines(error.stderr) || error.message;
    if (transient) {
      throw new GitPrepError(
        'LEAP_GIT_NETWORK_GAVE_UP',
        `${operation} in ${cwd} still failing after ${attempts} attempt(s) (bound: ${ctx.policy.attempts} attempts, ${ctx.policy.maxTotalMs} ms): ${detail}`,
        {
          hint: 'the remote is rate limiting or unreachable; wait for the limit to reset (or fix the network/proxy) and re-run: the step resumes where it stopped',
          file: cwd,
          cause: error,
        },
      );
    }
    throw new GitPrepError(
      'LEAP_GIT_NETWORK_FAILED',
      `${operation} in ${cwd} failed (not retried, the cause is permanent): ${detail}`,
      {
        hint: 'check the remote URL, credentials (GIT_SSH_COMMAND, SSH agent, CA bundle in the git environment) and that the repository exists',
        file: cwd,
        cause: error,
      },
    );
  }
}

/** git's stderr on one line, without the boilerplate it prints after every failed connection. */
const BOILERPLATE = /^(please make sure you have the correct access rights|and the repository exists\.?)$/i;

function firstLines(text: string): string {
  const summary = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !BOILERPLATE.test(line))
    .join(' | ');
  return summary.length > 500 ? `${summary.slice(0, 500)}…` : summary;
}
