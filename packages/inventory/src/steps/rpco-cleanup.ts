import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { Scalar } from 'yaml';
import type { StepReport } from '../types.js';
import { EditSession, userFiles, type StepOptions } from './session.js';

/** Keys of user_variables.yml that RPC Newton moved into its group_vars (pre_leap.sh step 4). */
export const RPCO_KILO_REMOVED_KEYS = ['rackspace_static_files_folder', 'horizon_custom_uploads'] as const;

const ANSIBLE_HOST_MAPPING = /^\{\{\s*ansible_ssh_host\s*\}\}$/;

/**
 * Pre-leap clean-up of RPCO Kilo modifications Newton cannot take: the `ansible_host: "{{ ansible_ssh_host }}"`
 * mappings (only those: upstream deletes every line containing the word), `rackspace_static_files_folder` and the
 * `horizon_custom_uploads` block; `osa_secrets_file_name` when the RPC secrets file is in use.
 */
export async function cleanupRpcoKilo(options: StepOptions): Promise<StepReport> {
  const session = new EditSession(options);
  for (const file of await userFiles(options.deployDir)) {
    const editor = (await session.open(file))!;
    const value = editor.get(['ansible_host']);
    if (typeof value === 'string' && ANSIBLE_HOST_MAPPING.test(value.trim())) {
      editor.deletePair(['ansible_host']);
      session.record({
        file,
        action: 'removed',
        key: 'ansible_host',
        detail: 'Kilo ansible_ssh_host mapping (breaks Ansible 2.1)',
      });
    }
    if (file.endsWith('/user_variables.yml')) {
      for (const key of RPCO_KILO_REMOVED_KEYS) {
        if (!editor.has([key])) continue;
        editor.deletePair([key]);
        session.record({ file, action: 'removed', key, detail: 'provided by RPC Newton group_vars' });
      }
    }
  }
  const rpcSecrets = join(options.deployDir, 'user_osa_secrets.yml');
  if (
    await access(rpcSecrets).then(
      () => true,
      () => false,
    )
  ) {
    const defaults = join(options.deployDir, 'user_osa_variables_defaults.yml');
    const editor = (await session.open(defaults, { mode: 0o644 }))!;
    if (!editor.has(['osa_secrets_file_name'])) {
      const scalar = new Scalar('user_osa_secrets.yml');
      scalar.type = 'QUOTE_DOUBLE';
      editor.appendPair([], 'osa_secrets_file_name', scalar);
      session.record({ file: defaults, action: 'added', key: 'osa_secrets_file_name' });
    }
  }
  await session.commit();
  return { step: 'pre-leap/rpco-cleanup', changes: session.changes };
}
