/** What the library needs from its caller, declared here so the CLI can pass its own implementations. */
export interface GitPrepLogger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
}

export type PreparePhase =
  | 'inspect'
  | 'fetch'
  | 'verify-target'
  | 'backup'
  | 'reset'
  | 'checkout'
  | 'verify'
  | 'restore';

export interface PrepareProgress {
  phase: PreparePhase;
  message: string;
  /** Path of the repository concerned, relative to the checkout ('.' for the top level). */
  repo?: string;
}

export type ProgressCallback = (event: PrepareProgress) => void;

/** Bounds for retrying network operations (fetch, submodule update). */
export interface RetryPolicy {
  /** Total attempts including the first. Default 6. */
  attempts: number;
  /** Delay before the first retry; doubles (factor) each time, with jitter x1..x2. Default 2000 ms. */
  minDelayMs: number;
  /** Cap on a single delay. Default 60000 ms. */
  maxDelayMs: number;
  factor: number;
  /** Stop retrying once this much time has passed since the first attempt. Default 15 min. */
  maxTotalMs: number;
  /** Kill a single git network command after this long (a hung connection counts as transient). Default 10 min. */
  attemptTimeoutMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = {
  attempts: 6,
  minDelayMs: 2_000,
  maxDelayMs: 60_000,
  factor: 2,
  maxTotalMs: 15 * 60_000,
  attemptTimeoutMs: 10 * 60_000,
};

/** One failed attempt of a network operation. */
export interface RetryRecord {
  operation: string;
  repo: string;
  attempt: number;
  transient: boolean;
  message: string;
}

/** Options every entry point shares. */
export interface GitContextOptions {
  /**
   * The environment git runs with, complete (nothing else is inherited). Default: `gitEnvironment(process.env)`,
   * an allow list of what operators use (HOME, PATH, SSH agent, GIT_SSH_COMMAND, GIT_SSL_CAINFO, proxies ...).
   */
  gitEnv?: Readonly<Record<string, string | undefined>>;
  signal?: AbortSignal;
  log?: GitPrepLogger;
  onProgress?: ProgressCallback;
}
