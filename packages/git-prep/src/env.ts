/**
 * Variables passed from the operator's environment to git by default. Everything else is dropped, so a stray
 * GIT_DIR or GIT_WORK_TREE in a shell can never point leap's resets at another repository, while the
 * variables operators rely on to reach GitHub (SSH commands, CA bundles, proxies) keep working.
 */
export const PASSED_GIT_VARIABLES: readonly string[] = [
  'HOME',
  'PATH',
  'USER',
  'LOGNAME',
  'TMPDIR',
  'LANG',
  'SSH_AUTH_SOCK',
  'SSH_AGENT_PID',
  'GIT_SSH_COMMAND',
  'GIT_SSH',
  'GIT_SSH_VARIANT',
  'GIT_SSL_CAINFO',
  'GIT_SSL_CAPATH',
  'GIT_SSL_CERT',
  'GIT_SSL_KEY',
  'GIT_SSL_NO_VERIFY',
  'GIT_CONFIG_GLOBAL',
  'GIT_CONFIG_NOSYSTEM',
  'GIT_ASKPASS',
  'GIT_HTTP_USER_AGENT',
  'GIT_HTTP_LOW_SPEED_LIMIT',
  'GIT_HTTP_LOW_SPEED_TIME',
  'GIT_CURL_VERBOSE',
  'GIT_TRACE',
  'http_proxy',
  'https_proxy',
  'no_proxy',
  'all_proxy',
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'NO_PROXY',
  'ALL_PROXY',
];

/** Picks the variables leap passes to git from `source` (default: this process's environment). */
export function gitEnvironment(
  source: Readonly<Record<string, string | undefined>> = process.env,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const key of PASSED_GIT_VARIABLES) {
    const value = source[key];
    if (value !== undefined) env[key] = value;
  }
  return env;
}

/**
 * The environment a git child actually gets: the caller's `gitEnv` (complete, nothing inherited) plus what leap
 * needs to parse git reliably and never hang on a production host.
 */
export function childEnvironment(
  gitEnv: Readonly<Record<string, string | undefined>> | undefined,
  offline: boolean,
): Record<string, string> {
  const base =
    gitEnv === undefined
      ? gitEnvironment()
      : Object.fromEntries(Object.entries(gitEnv).filter((entry): entry is [string, string] => entry[1] !== undefined));
  const env: Record<string, string> = { ...base };
  env.PATH ??= process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin';
  // English messages: the retry classifier reads git's stderr.
  env.LC_ALL = 'C';
  // A credential prompt on a deploy host would hang the leap; fail as an authentication error instead.
  env.GIT_TERMINAL_PROMPT = '0';
  // No transport is allowed at all: proves a step needs no network.
  if (offline) env.GIT_ALLOW_PROTOCOL = 'leap-offline-no-protocol';
  return env;
}
