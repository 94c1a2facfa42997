import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';

/** What the suites read of a lab's lab.json (written by `leap lab create`, @leap/lab). */
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
export async function labSql(lab: LabJson, query: string): Promise<string> {
  const result = await execa(lab.database.client, [
    '--no-defaults',
    '-S',
    lab.database.socket,
    '-u',
    'root',
    '-N',
    '-B',
    '-e',
    query,
  ]);
  return result.stdout.trim();
}
