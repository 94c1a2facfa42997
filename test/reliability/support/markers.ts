import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Markers that are neither empty (an upstream marker) nor JSON: a marker torn by a crash. */
export function tornMarkers(markerDir: string): string[] {
  if (!existsSync(markerDir)) return [];
  const torn: string[] = [];
  for (const name of readdirSync(markerDir).filter((n) => n.endsWith('.complete'))) {
    const text = readFileSync(join(markerDir, name), 'utf8');
    if (text.trim() === '') continue;
    try {
      JSON.parse(text);
    } catch {
      torn.push(name);
    }
  }
  const header = join(markerDir, 'leap.json');
  if (existsSync(header)) {
    try {
      JSON.parse(readFileSync(header, 'utf8'));
    } catch {
      torn.push('leap.json');
    }
  }
  return torn.sort();
}

export function markerNames(markerDir: string): string[] {
  return existsSync(markerDir)
    ? readdirSync(markerDir)
        .filter((n) => n.endsWith('.complete'))
        .sort()
    : [];
}
