import type { Exec, ExecOptions, ExecResult } from './exec.js';

/** One command of a batch, with its own options (its timeout, environment, input). */
export interface BatchCommand {
  argv: string[];
  options?: ExecOptions;
}

export interface BatchOptions {
  /** End the batch at the first command that does not exit 0 (a sequence whose steps depend on each other). */
  stopOnFailure?: boolean;
  signal?: AbortSignal;
}

/**
 * Runs commands in order on one host, in one round trip where the runner can (a remote runner: one play for the
 * lot). Resolves with the results of the commands that ran, in order, and follows {@link Exec}'s rule: it never
 * throws for a command that ran or could not start. A cancellation ends the batch.
 */
export type ExecBatch = (commands: readonly BatchCommand[], options?: BatchOptions) => Promise<ExecResult[]>;

/** An Exec that may carry its own batch (one round trip for several commands). */
export type BatchingExec = Exec & { batch?: ExecBatch };

/** The runner's own batch, or one command after the other through the runner. */
export function batchOf(exec: BatchingExec): ExecBatch {
  if (exec.batch) return exec.batch;
  return async (commands, options = {}) => {
    const results: ExecResult[] = [];
    for (const command of commands) {
      const result = await exec(command.argv, {
        ...command.options,
        signal: command.options?.signal ?? options.signal,
      });
      results.push(result);
      if (result.isCanceled || (options.stopOnFailure === true && result.exitCode !== 0)) break;
    }
    return results;
  };
}
