import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { scalars } from '@leap/test-fixtures';

/** Values shorter than this ("yes", "8774", "admin") would hit everywhere and prove nothing. */
export const MIN_SECRET_LENGTH = 8;

/** secret value -> where it comes from (never printed: a hit names the key, not the value). */
export type SecretValues = Map<string, string>;

/** Every value of the deploy folder's secrets files (user_secrets.yml, user_extras_secrets.yml, ...) long enough to scan for. */
export function secretValuesOf(deployDir: string): SecretValues {
  const values: SecretValues = new Map();
  for (const name of readdirSync(deployDir)
    .filter((n) => /secret.*\.ya?ml$/.test(n))
    .sort()) {
    const file = join(deployDir, name);
    if (readFileSync(file, 'utf8').trimStart().startsWith('$ANSIBLE_VAULT;')) continue;
    for (const [key, value] of scalars(file)) addSecret(values, value, `${name}:${key}`);
  }
  return values;
}

export function addSecret(values: SecretValues, value: string, origin: string): void {
  const trimmed = value.trim();
  if (trimmed.length >= MIN_SECRET_LENGTH && !values.has(trimmed)) values.set(trimmed, origin);
}

export function mergeSecrets(...sets: SecretValues[]): SecretValues {
  const merged: SecretValues = new Map();
  for (const set of sets) for (const [value, origin] of set) if (!merged.has(value)) merged.set(value, origin);
  return merged;
}

export interface ScanSource {
  name: string;
  text: string;
}

/** What a leap writes that an operator or a log shipper reads: the journal, the Ansible logs, the report. */
export function leapOutputsOf(markerDir: string): ScanSource[] {
  const sources: ScanSource[] = [];
  for (const name of ['leap-journal.jsonl', 'leap-report.md', 'leap-report.json', 'leap-report.html']) {
    const file = join(markerDir, name);
    if (existsSync(file)) sources.push({ name: file, text: readFileSync(file, 'utf8') });
  }
  const walk = (dir: string) => {
    if (!existsSync(dir)) return;
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else sources.push({ name: path, text: readFileSync(path, 'utf8') });
    }
  };
  walk(join(markerDir, 'logs'));
  return sources;
}

/** Each secret found, as "<source>: <origin of the secret>"; empty when nothing leaked. */
export function findSecrets(secrets: SecretValues, sources: readonly ScanSource[]): string[] {
  const hits: string[] = [];
  for (const source of sources) {
    for (const [value, origin] of secrets)
      if (source.text.includes(value)) hits.push(`${source.name}: value of ${origin}`);
  }
  return hits;
}
