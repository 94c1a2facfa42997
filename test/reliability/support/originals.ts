import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { TreeDigest } from '@leap/test-fixtures';

/**
 * Pristine files of the deploy folder that the leap changed or removed and whose original content is in no
 * backup (`<backupDir>/<rel>` or `<backupDir>/<rel>.<tag>`). `pristine` is keyed relative to the deploy folder.
 */
export function originalsWithoutBackup(
  deployDir: string,
  backupDir: string,
  pristine: TreeDigest,
  ignore: (rel: string) => boolean,
): string[] {
  const lost: string[] = [];
  for (const [rel, hash] of pristine) {
    if (ignore(rel)) continue;
    const now = join(deployDir, rel);
    if (existsSync(now) && sha256(now) === hash) continue;
    const folder = join(backupDir, dirname(rel));
    const candidates = existsSync(folder)
      ? readdirSync(folder)
          .filter((name) => name === basename(rel) || name.startsWith(`${basename(rel)}.`))
          .map((name) => join(folder, name))
      : [];
    if (!candidates.some((file) => sha256(file) === hash)) lost.push(rel);
  }
  return lost;
}

function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}
