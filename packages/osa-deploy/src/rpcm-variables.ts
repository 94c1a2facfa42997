import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '@leap/contract';
import { OsaDeployError } from './errors.js';

export const RPCM_VARIABLES_FILE = 'user_rpcm_variables.yml';

/**
 * What r14.1.0's deploy-rpc-playbooks.sh does before the MaaS playbooks: RPC-O's user_rpcm_variables.yml template
 * copied into the deploy folder when the deployment has none. An operator's file is never touched.
 */
export async function installRpcmVariables(options: {
  rpcDefaultsDir: string;
  configDir: string;
}): Promise<{ file: string; created: boolean }> {
  const file = join(options.configDir, RPCM_VARIABLES_FILE);
  if (await exists(file)) return { file, created: false };
  const template = join(options.rpcDefaultsDir, RPCM_VARIABLES_FILE);
  let text: string;
  try {
    text = await readFile(template, 'utf8');
  } catch (error) {
    throw new OsaDeployError('LEAP_RPC_DEFAULTS_MISSING', `${template} cannot be read: ${(error as Error).message}`, {
      file: template,
      hint: 'check that the rpc-openstack checkout (rpcoDir in leap.yaml) is at the target tag, then re-run leap',
    });
  }
  await writeFileAtomic(file, text);
  return { file, created: true };
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}
