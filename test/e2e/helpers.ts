import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa, type ResultPromise } from 'execa';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const leapBin = join(repoRoot, 'packages/cli/bin/leap.js');

/** Runs the built `leap` through its committed shim, as an operator would. */
export function leap(args: string[], options: { cwd?: string } = {}): ResultPromise<{ reject: false; all: true; env: Record<string, string> }> {
  if (!existsSync(join(repoRoot, 'packages/cli/dist/main.js'))) throw new Error('build first: npm run build');
  return execa(process.execPath, [leapBin, ...args], {
    reject: false, all: true, cwd: options.cwd ?? repoRoot, env: { NO_COLOR: '1' },
  });
}

export interface LabJson {
  dir: string;
  source: string;
  hosts: string[];
  containers: Record<string, string>;
  database: { socket: string; client: string };
  git: { rpco: { target: string }; osa: { target: string } };
  paths: { leapYaml: string; deployDir: string; rpcoDir: string; releaseFile: string; hostsRoot: string };
}

export function readLabJson(dir: string): LabJson {
  return JSON.parse(readFileSync(join(dir, 'lab.json'), 'utf8')) as LabJson;
}

/** A query on the lab's database through the mariadb client (argument array, no shell). */
export async function sql(lab: LabJson, query: string): Promise<string> {
  const result = await execa(lab.database.client, ['--no-defaults', '-S', lab.database.socket, '-u', 'root', '-N', '-B', '-e', query]);
  return result.stdout.trim();
}

/** Processes whose command line mentions `text` (ansible, dumps, stand-ins of a lab). */
export function processesMentioning(text: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    if (Number(pid) === process.pid) continue;
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (cmdline.includes(text) && !cmdline.includes('mariadbd')) found.push(`${pid}: ${cmdline}`);
    } catch {
      // the process ended while we looked
    }
  }
  return found;
}

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
  for (const name of readdirSync(deployDir).filter((n) => /^user_.*\.yml$/.test(n) && !/secrets/.test(n)).sort()) {
    for (const [key, value] of Object.entries((parseYaml(readFileSync(join(deployDir, name), 'utf8')) as Record<string, unknown> | null) ?? {})) values.set(key, value);
  }
  return values;
}

/** Every key of the deploy folder's secrets files (user_*secrets.yml), by key. */
export function secretsByKey(deployDir: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const name of readdirSync(deployDir).filter((n) => /^user_.*secrets\.yml$/.test(n)).sort()) {
    for (const [key, value] of scalars(join(deployDir, name))) values.set(key, value);
  }
  return values;
}

/** Keys the leap reported changing on purpose (config-changes in the journal; a rename names its old key). */
export function reportedConfigKeys(journalFile: string): Set<string> {
  const keys = new Set<string>();
  for (const line of readFileSync(journalFile, 'utf8').split('\n').filter((l) => l !== '')) {
    const entry = JSON.parse(line) as { kind?: string; changes?: Array<{ key?: string }> };
    if (entry.kind !== 'config-changes') continue;
    for (const change of entry.changes ?? []) if (change.key !== undefined) keys.add(change.key.split(' -> ')[0]!);
  }
  return keys;
}
