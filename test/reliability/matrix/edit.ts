import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Lab } from '../support/lab.js';

/** A file of the lab's deploy folder. */
export function deployFile(lab: Lab, name: string): string {
  return join(lab.paths.deployDir, name);
}

export function append(file: string, text: string): void {
  appendFileSync(file, text);
}

/** Replaces the first match of `pattern` (which must match: a case that breaks nothing proves nothing). */
export function replaceIn(file: string, pattern: RegExp, replacement: string): void {
  const text = readFileSync(file, 'utf8');
  if (!pattern.test(text)) throw new Error(`${file} has no ${String(pattern)}`);
  writeFileSync(file, text.replace(pattern, replacement));
}

export function editJson(file: string, edit: (value: Record<string, unknown>) => void): void {
  const value = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  edit(value);
  writeFileSync(file, `${JSON.stringify(value, null, 4)}\n`);
}

/** The lab's leap.yaml with the database only reachable at a closed port. */
export function databaseUnreachable(lab: Lab): void {
  replaceIn(lab.paths.leapYaml, /^ {2}port: \d+$/m, '  port: 9');
  replaceIn(lab.paths.leapYaml, /^ {2}socket: .*\n/m, '');
}

/** The lab's leap.yaml with `ansible.command` replaced. */
export function ansibleCommand(lab: Lab, argv: string[]): void {
  replaceIn(
    lab.paths.leapYaml,
    /^ {2}command:\n( {4}- .*\n)+/m,
    `  command:\n${argv.map((a) => `    - ${JSON.stringify(a)}\n`).join('')}`,
  );
}
