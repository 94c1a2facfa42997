import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { LeapConfig } from '../config.js';
import type { CheckResult } from './types.js';

/** The secrets files upstream decrypts before the leap and re-encrypts after it. */
export const SECRETS_FILES = [
  'user_secrets.yml',
  'user_extras_secrets.yml',
  'user_osa_secrets.yml',
  'user_rpco_secrets.yml',
];

export async function checkVault(config: LeapConfig, vaultPasswordFile: string | undefined): Promise<CheckResult> {
  const base = { id: 'vault', title: 'vault-encrypted secrets can be read' };
  const encrypted: string[] = [];
  for (const name of SECRETS_FILES) {
    const text = await readFile(join(config.deployDir, name), 'utf8').catch(() => undefined);
    if (text?.trimStart().startsWith('$ANSIBLE_VAULT;')) encrypted.push(name);
  }
  if (encrypted.length === 0) return { ...base, status: 'ok', message: 'no secrets file is vault-encrypted' };
  if (vaultPasswordFile === undefined) {
    return {
      ...base,
      status: 'failed',
      file: join(config.deployDir, encrypted[0]!),
      message: `${encrypted.join(', ')} ${encrypted.length === 1 ? 'is' : 'are'} vault-encrypted and no vault password file is set`,
      hint: 'set ANSIBLE_VAULT_PASSWORD_FILE (or vaultPasswordFile in leap.yaml) to the vault password file',
    };
  }
  return { ...base, status: 'ok', message: `${encrypted.join(', ')} encrypted; password file ${vaultPasswordFile}` };
}
