/** The command runner every library takes (DESIGN.md "The command runner"), declared here for the CLI's own use. */
export interface ExecOptions {
  cwd?: string | undefined;
  env?: Record<string, string> | undefined;
  input?: string | undefined;
  timeoutMs?: number | undefined;
  signal?: AbortSignal | undefined;
}

export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export type Exec = (argv: string[], options?: ExecOptions) => Promise<ExecResult>;
