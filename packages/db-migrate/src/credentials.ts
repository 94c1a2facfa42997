import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DbConnectionOptions } from './connection.js';

const quote = (value: string): string => `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/**
 * A client option file (mode 0600 in a private 0700 folder) so the password reaches mariadb-dump and mariadb
 * without appearing in argv or the environment; `--defaults-file` also keeps /etc/mysql/my.cnf out.
 */
export async function withDefaultsFile<T>(options: DbConnectionOptions, fn: (path: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'leap-db-'));
  const path = join(dir, 'client.cnf');
  const lines = ['[client]', `user=${quote(options.user)}`, `password=${quote(options.password ?? '')}`];
  if (options.socketPath) lines.push(`socket=${quote(options.socketPath)}`, 'protocol=SOCKET');
  else lines.push(`host=${quote(options.host ?? '127.0.0.1')}`, `port=${options.port ?? 3306}`, 'protocol=TCP');
  if (options.ssl?.ca) lines.push(`ssl-ca=${quote(options.ssl.ca)}`);
  if (options.ssl?.cert) lines.push(`ssl-cert=${quote(options.ssl.cert)}`);
  if (options.ssl?.key) lines.push(`ssl-key=${quote(options.ssl.key)}`);
  await writeFile(path, `${lines.join('\n')}\n`, { mode: 0o600 });
  try {
    return await fn(path);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
