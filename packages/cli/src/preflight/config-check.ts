import type { VaultAccess } from '@leap/inventory';
import type { LeapConfig } from '../config.js';
import { isLeapError } from '../errors.js';
import type { CheckResult } from './types.js';

/**
 * The deployment's configuration, env.d, user variables and secrets (decrypted with the vault password when
 * set), inventory and hostnames, validated as `leap inventory check` does: a typo in a file stops the leap here,
 * before the checkout, the housekeeping or the backup changed anything.
 */
export async function checkConfiguration(config: LeapConfig, vault: { vault?: VaultAccess }): Promise<CheckResult> {
  const base = {
    id: 'configuration',
    title: 'configuration and inventory valid, hostnames compatible (leap inventory check)',
  };
  const { checkDeployment } = await import('@leap/inventory');
  try {
    const report = await checkDeployment({ deployDir: config.deployDir, ...vault });
    return {
      ...base,
      status: 'ok',
      message: `${report.files.length} files valid; ${report.hosts} hosts, ${report.containers} containers`,
    };
  } catch (error) {
    if (!isLeapError(error)) throw error;
    return {
      ...base,
      status: 'failed',
      message: `${error.message} [${error.code}]`,
      ...(error.hint ? { hint: error.hint } : {}),
      ...(error.file ? { file: error.file } : {}),
      ...(error.host ? { host: error.host } : {}),
    };
  }
}
