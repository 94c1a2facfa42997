import type { HostFailure } from './progress-parser.js';

/** When a failed playbook is run again, limited to the hosts that failed. */
export interface RetryPolicy {
  /** Extra attempts after the first; 0 disables retries. */
  retries: number;
  /** Retry hosts Ansible could not reach. */
  unreachable: boolean;
  /** A failed host is retried only when one of its failure lines matches one of these. */
  patterns: RegExp[];
  /** Wait before each retry (rate limits reset with time). */
  delayMs: number;
}

/** What GitHub and git print when clones are rate-limited or cut off (leap-anchors §7 "Clone Failures"). */
export const gitRateLimitPatterns: readonly RegExp[] = [
  /rate limit/i,
  /\b429\b/,
  /The requested URL returned error: 403/,
  /early EOF/,
  /RPC failed/,
  /Could not resolve host/,
  /Connection timed out/,
  /Failed to connect to \S+ port \d+/,
];

export const noRetries: RetryPolicy = { retries: 0, unreachable: false, patterns: [], delayMs: 0 };

/** A sensible policy for production runs: unreachable hosts and rate-limited clones, twice, 30 s apart. */
export const defaultRetryPolicy: RetryPolicy = {
  retries: 2,
  unreachable: true,
  patterns: [...gitRateLimitPatterns],
  delayMs: 30_000,
};

/**
 * Decides whether a failed attempt may be retried: only when every failed or unreachable host failed for a
 * transient reason. Returns those hosts, or the reason it may not.
 */
export function transientHosts(
  policy: RetryPolicy,
  failed: readonly string[],
  unreachable: readonly string[],
  failures: readonly HostFailure[],
): { retry: true; hosts: string[]; reason: string } | { retry: false; reason: string } {
  const hosts = [...new Set([...failed, ...unreachable])].sort();
  if (hosts.length === 0) return { retry: false, reason: 'no host failed (the command itself failed)' };
  const reasons: string[] = [];
  for (const host of hosts) {
    if (unreachable.includes(host) && !failed.includes(host)) {
      if (!policy.unreachable)
        return { retry: false, reason: `${host} was unreachable and unreachable hosts are not retried` };
      reasons.push(`${host} unreachable`);
      continue;
    }
    const lines = failures
      .filter((failure) => failure.host === host && !failure.unreachable)
      .map((failure) => failure.line);
    const pattern = policy.patterns.find((candidate) => lines.some((line) => candidate.test(line)));
    if (!pattern)
      return { retry: false, reason: `${host} failed for a reason that is not a configured transient pattern` };
    reasons.push(`${host} matched ${String(pattern)}`);
  }
  return { retry: true, hosts, reason: reasons.join('; ') };
}
