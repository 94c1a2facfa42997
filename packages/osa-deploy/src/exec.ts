/** Options every command runner understands, local or remote. */
export interface ExecOptions {
  cwd?: string;
  env?: Record<string, string>;
  /** Written to the command's standard input, unchanged. */
  input?: string;
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Runs an argument array somewhere; never through a shell. The shape @leap/db-migrate and others receive. */
export type Exec = (argv: string[], opts?: ExecOptions) => Promise<ExecResult>;
