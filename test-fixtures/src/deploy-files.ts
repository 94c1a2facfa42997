import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';

/** Reads a flat `key: value` YAML file's scalars (enough for secrets files). */
export function scalars(file: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const match = /^([A-Za-z0-9_]+):\s*(.*)$/.exec(line);
    if (match?.[1] && match[2] !== undefined) map.set(match[1], match[2].replace(/^["']|["']$/g, ''));
  }
  return map;
}

/** What the re-deploy gets from the deploy folder: every user_*.yml in name order (-e @file), later files win. */
export function effectiveVariables(deployDir: string): Map<string, unknown> {
  const values = new Map<string, unknown>();
  for (const name of readdirSync(deployDir)
    .filter((n) => /^user_.*\.yml$/.test(n) && !/secrets/.test(n))
    .sort()) {
    for (const [key, value] of Object.entries(
      (parseYaml(readFileSync(join(deployDir, name), 'utf8')) as Record<string, unknown> | null) ?? {},
    ))
      values.set(key, value);
  }
  return values;
}

/** Every key of the deploy folder's secrets files (user_*secrets.yml), by key. */
export function secretsByKey(deployDir: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const name of readdirSync(deployDir)
    .filter((n) => /^user_.*secrets\.yml$/.test(n))
    .sort()) {
    for (const [key, value] of scalars(join(deployDir, name))) values.set(key, value);
  }
  return values;
}
