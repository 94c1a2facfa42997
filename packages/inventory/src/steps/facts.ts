import { readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { InventoryError } from '../errors.js';
import type { StepReport } from '../types.js';

/**
 * Removes the regular files under `<deployDir>/ansible_facts/` (Ansible's jsonfile fact cache), so facts
 * gathered under the old release do not leak into the next one. A missing folder is not an error.
 */
export async function cleanupFacts(options: { deployDir: string; step?: string }): Promise<StepReport> {
  const root = join(options.deployDir, 'ansible_facts');
  const changes: StepReport['changes'] = [];
  const walk = async (dir: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw new InventoryError('LEAP_FACTS_CLEANUP', `cannot read ${dir}`, {
        file: dir,
        cause: error,
        hint: 'check the permissions of the fact cache folder',
      });
    }
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (entry.isFile()) {
        await unlink(path).catch((error: NodeJS.ErrnoException) => {
          if (error.code !== 'ENOENT')
            throw new InventoryError('LEAP_FACTS_CLEANUP', `cannot remove ${path}`, {
              file: path,
              cause: error,
              hint: 'check the permissions of the fact cache folder',
            });
        });
        changes.push({ file: path, action: 'deleted' });
      }
    }
  };
  await walk(root);
  return { step: options.step ?? 'facts-cleanup', changes };
}
