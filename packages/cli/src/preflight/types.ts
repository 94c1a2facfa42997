/** One read-only check of `leap preflight` (the guide's "healthy and at the latest version"). */
export interface CheckResult {
  id: string;
  title: string;
  status: 'ok' | 'failed' | 'warning' | 'skipped';
  message: string;
  hint?: string;
  /** The file or host a failed check is about. */
  file?: string;
  host?: string;
}
