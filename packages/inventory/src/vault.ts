import { describeExit, type Exec } from '@leap/contract';
import { InventoryError } from './errors.js';

/** How to reach Ansible Vault: a command runner (argument arrays) and the vault password file. */
export interface VaultAccess {
  exec: Exec;
  passwordFile: string;
  /** Default `ansible-vault`. */
  command?: string;
}

export function isVaultEncrypted(text: string): boolean {
  return text.trimStart().startsWith('$ANSIBLE_VAULT;');
}

function firstLine(text: string): string {
  return (
    text
      .split('\n')
      .find((l) => l.trim() !== '')
      ?.trim()
      .slice(0, 200) ?? ''
  );
}

async function run(vault: VaultAccess, action: 'decrypt' | 'encrypt', input: string, file: string): Promise<string> {
  const argv = [
    vault.command ?? 'ansible-vault',
    action,
    '--vault-password-file',
    vault.passwordFile,
    '--output',
    '-',
    '-',
  ];
  let result;
  try {
    result = await vault.exec(argv, { input });
  } catch (error) {
    // A runner throws only when its transport fails; its error may still carry stdout (plaintext when decrypting).
    const stderr =
      typeof (error as { stderr?: unknown }).stderr === 'string' ? (error as { stderr: string }).stderr : '';
    throw vaultError(action, file, firstLine(stderr) || 'ansible-vault failed', vault);
  }
  if (result.exitCode !== 0)
    throw vaultError(action, file, firstLine(result.stderr) || `${argv[0]} ${describeExit(result)}`, vault);
  return result.stdout.endsWith('\n') || action === 'encrypt' ? result.stdout : `${result.stdout}\n`;
}

function vaultError(action: string, file: string, detail: string, vault: VaultAccess): InventoryError {
  return new InventoryError('LEAP_VAULT_FAILED', `ansible-vault could not ${action} ${file}: ${detail}`, {
    file,
    hint: `check that ${vault.passwordFile} holds the vault password of this file and that ansible-vault runs on the deploy host`,
  });
}

/** Plaintext of an encrypted file, in memory only. */
export function vaultDecrypt(vault: VaultAccess, ciphertext: string, file: string): Promise<string> {
  return run(vault, 'decrypt', ciphertext, file);
}

export async function vaultEncrypt(vault: VaultAccess, plaintext: string, file: string): Promise<string> {
  const out = await run(vault, 'encrypt', plaintext, file);
  if (!isVaultEncrypted(out)) throw vaultError('encrypt', file, 'the output is not vault data', vault);
  return out.endsWith('\n') ? out : `${out}\n`;
}

export function vaultPasswordRequired(files: string[]): InventoryError {
  return new InventoryError(
    'LEAP_VAULT_PASSWORD_REQUIRED',
    `encrypted with Ansible Vault and no vault password file given: ${files.join(', ')}`,
    {
      file: files[0],
      hint: 'pass the vault password file (leap.yaml vault.passwordFile or ANSIBLE_VAULT_PASSWORD_FILE); leap decrypts in memory and writes the files back encrypted',
    },
  );
}
