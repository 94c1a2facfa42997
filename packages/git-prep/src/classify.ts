/**
 * Whether a failed network git command is worth retrying. Permanent causes are checked first: git prints
 * "the remote end hung up unexpectedly" after "Repository not found" too, and retrying a bad password only
 * locks the account.
 */
const PERMANENT: readonly RegExp[] = [
  /authentication failed/i,
  /permission denied/i,
  /could not read (username|password)/i,
  /terminal prompts disabled/i,
  /repository .* not found/i,
  /repository not found/i,
  /does not appear to be a git repository/i,
  /not a git repository/i,
  /couldn't find remote ref/i,
  /not our ref/i,
  /would clobber existing tag/i,
  /transport '.*' not allowed/i,
  /unsupported protocol/i,
  /returned error: (401|403|404)\b/i,
  /host key verification failed/i,
];

const TRANSIENT: readonly RegExp[] = [
  /rate.?limit/i,
  /\b429\b/,
  /returned error: 5\d\d\b/i,
  /\bHTTP\/[\d.]+ 5\d\d\b/i,
  /\b50[0234] /,
  /RPC failed/i,
  /connection reset/i,
  /connection (timed out|refused)/i,
  /operation timed out/i,
  /timed out/i,
  /could not resolve host/i,
  /temporary failure in name resolution/i,
  /name or service not known/i,
  /failed to connect/i,
  /early EOF/i,
  /the remote end hung up unexpectedly/i,
  /unexpected disconnect/i,
  /transfer closed with outstanding read data/i,
  /gnutls_handshake\(\) failed/i,
  /SSL_ERROR_SYSCALL/i,
  /network is unreachable/i,
  /broken pipe/i,
];

export type FailureKind = 'transient' | 'permanent';

export function classifyGitFailure(stderr: string, timedOut: boolean): FailureKind {
  if (PERMANENT.some((pattern) => pattern.test(stderr))) return 'permanent';
  if (timedOut) return 'transient';
  return TRANSIENT.some((pattern) => pattern.test(stderr)) ? 'transient' : 'permanent';
}
