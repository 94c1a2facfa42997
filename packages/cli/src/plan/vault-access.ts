import type { LeapRuntime } from './runtime.js';

/** How the libraries decrypt vault-encrypted secrets files: only when a password file is configured. */
export function vaultAccess(rt: LeapRuntime): { vault?: { exec: LeapRuntime['localExec']; passwordFile: string } } {
  const passwordFile = rt.config.vaultPasswordFile ?? process.env.ANSIBLE_VAULT_PASSWORD_FILE;
  return passwordFile === undefined ? {} : { vault: { exec: rt.localExec, passwordFile } };
}
