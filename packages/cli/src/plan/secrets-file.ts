import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Where OSA's secrets live: user_secrets.yml on plain OSA (and RPCO Kilo), user_osa_secrets.yml on later RPCO. */
const secretsFiles = ['user_secrets.yml', 'user_osa_secrets.yml'];

/**
 * The secrets file that defines `key`, with its text. During a leap both files can exist (RPC's extras beside
 * OSA's), so the first that merely exists may not be the one with the key. When none defines it, the first that
 * exists (or user_secrets.yml, empty) is returned so the caller's error names a real file.
 */
export async function secretsFileDefining(deployDir: string, key: string): Promise<{ file: string; text: string }> {
  let fallback: { file: string; text: string } | undefined;
  for (const name of secretsFiles) {
    const file = join(deployDir, name);
    const text = await readFile(file, 'utf8').catch(() => undefined);
    if (text === undefined) continue;
    if (new RegExp(`^${key}:`, 'm').test(text)) return { file, text };
    fallback ??= { file, text };
  }
  return fallback ?? { file: join(deployDir, secretsFiles[0]!), text: '' };
}
