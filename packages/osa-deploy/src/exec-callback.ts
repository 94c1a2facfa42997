import { fileURLToPath } from 'node:url';

/** What leap's callback plugin (callback_plugins/leap_exec.py) records for one host. */
export interface CallbackHostResult {
  rc?: number;
  stdout?: string;
  stderr?: string;
  msg?: string;
  failed?: boolean;
  unreachable?: boolean;
}

/** The line leap's callback plugin (callback_plugins/leap_exec.py) prints once at the end of the run. */
const RESULT_PREFIX = 'LEAP_EXEC_RESULT ';

/** The folder of leap's own Ansible callback plugins, shipped in this package beside src/ and dist/. */
export function leapCallbackPluginsDir(): string {
  return fileURLToPath(new URL('../callback_plugins/', import.meta.url));
}

export function parseCallbackOutput(stdout: string): Record<string, CallbackHostResult> | undefined {
  const line = stdout.split('\n').find((text) => text.startsWith(RESULT_PREFIX));
  if (line === undefined) return undefined;
  try {
    return (JSON.parse(line.slice(RESULT_PREFIX.length)) as { hosts?: Record<string, CallbackHostResult> }).hosts ?? {};
  } catch {
    return undefined;
  }
}

/** Selects leap's stdout callback, ahead of any callback folders the environment already names. */
export function callbackEnv(env: Record<string, string | undefined>): Record<string, string> {
  const existing = env['ANSIBLE_CALLBACK_PLUGINS'];
  return {
    ANSIBLE_CALLBACK_PLUGINS: existing ? `${leapCallbackPluginsDir()}:${existing}` : leapCallbackPluginsDir(),
    ANSIBLE_STDOUT_CALLBACK: 'leap_exec',
    // Needed where the command is ad-hoc `ansible` (ansible-core loads no stdout callback for it otherwise); harmless for plays.
    ANSIBLE_LOAD_CALLBACK_PLUGINS: '1',
  };
}
