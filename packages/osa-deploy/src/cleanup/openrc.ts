import { describeExit, type Exec } from '@leap/contract';
import { OsaDeployError } from '../errors.js';

/**
 * The `OS_*` variables of an openrc file as OSA writes it (`export NAME=value`, the value bare, single- or
 * double-quoted), to hand to the OpenStack clients as their environment: leap never sources a file in a shell.
 */
export function parseOpenrc(text: string, file: string): Record<string, string> {
  const env: Record<string, string> = {};
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (match === null) throw invalid(file, index + 1, 'is not `export NAME=value`');
    const [, name, value] = match as unknown as [string, string, string];
    if (name.startsWith('OS_')) env[name] = unquote(value, file, index + 1);
  });
  for (const required of ['OS_AUTH_URL', 'OS_USERNAME', 'OS_PASSWORD']) {
    if (env[required] === undefined)
      throw new OsaDeployError('LEAP_OPENRC_INVALID', `${file} sets no ${required}`, {
        file,
        hint: "point openstackClients.openrc in leap.yaml at the utility container's admin openrc (OSA writes /root/openrc)",
      });
  }
  return env;
}

function unquote(value: string, file: string, line: number): string {
  const quote = value[0];
  if (quote !== "'" && quote !== '"') {
    if (/[\s$`"'\\;|&]/.test(value)) throw invalid(file, line, 'has a value only a shell could read');
    return value;
  }
  if (value.length < 2 || value.at(-1) !== quote) throw invalid(file, line, 'has an unterminated quote');
  const inner = value.slice(1, -1);
  if (quote === "'") {
    if (inner.includes("'")) throw invalid(file, line, 'has a value only a shell could read');
    return inner;
  }
  if (/[$`]/.test(inner.replace(/\\[$`"\\]/g, ''))) throw invalid(file, line, 'has a value only a shell could read');
  return inner.replace(/\\([$`"\\])/g, '$1');
}

/** Names the line, never its content: an openrc line may hold the admin password. */
function invalid(file: string, line: number, what: string): OsaDeployError {
  return new OsaDeployError('LEAP_OPENRC_INVALID', `${file}:${line} ${what}`, {
    file,
    hint: 'write the line as `export NAME=value` (the value bare or quoted, no shell expansion), as OSA writes /root/openrc',
  });
}

/** Reads and parses the openrc on the host `exec` runs on (the first utility container). */
export async function readOpenrc(exec: Exec, file: string, signal?: AbortSignal): Promise<Record<string, string>> {
  const result = await exec(['cat', '--', file], { timeoutMs: 60_000, signal });
  if (result.exitCode !== 0)
    throw new OsaDeployError(
      'LEAP_OPENRC_UNREADABLE',
      `cannot read ${file} on utility_all[0]: \`cat\` ${describeExit(result)}: ${result.stderr.trim().split('\n')[0] ?? ''}`,
      {
        file,
        host: 'utility_all[0]',
        hint: "run utility-install.yml (it writes the admin openrc), or point openstackClients.openrc in leap.yaml at the utility container's openrc",
      },
    );
  return parseOpenrc(result.stdout, file);
}
