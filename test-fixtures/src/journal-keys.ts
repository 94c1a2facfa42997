import { readFileSync } from 'node:fs';

/** Keys the leap reported changing on purpose (config-changes in the journal; a rename names its old key). */
export function reportedConfigKeys(journalFile: string): Set<string> {
  const keys = new Set<string>();
  for (const line of readFileSync(journalFile, 'utf8')
    .split('\n')
    .filter((l) => l !== '')) {
    const entry = JSON.parse(line) as { kind?: string; changes?: Array<{ key?: string }> };
    if (entry.kind !== 'config-changes') continue;
    for (const change of entry.changes ?? []) if (change.key !== undefined) keys.add(change.key.split(' -> ')[0]!);
  }
  return keys;
}
