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
  /** The Galera cluster's nodes (none in a --single-db lab). */
  galera?: { nodes: Array<{ name: string; socket: string; datadir: string; errorLog: string }> };
  git: { rpco: { target: string }; osa: { target: string } };
  paths: { leapYaml: string; deployDir: string; rpcoDir: string; releaseFile: string; hostsRoot: string };
}

export function readLabJson(dir: string): LabJson {
  return JSON.parse(readFileSync(join(dir, 'lab.json'), 'utf8')) as LabJson;
}

/** A query on the lab's database through the mariadb client (argument array, no shell); its output, trimmed. */
export async function labSql(lab: LabJson, query: string): Promise<string> {
  return (await runLabQuery(lab.database, query)).trim();
}

/** The same, as rows of tab-separated columns. */
export async function labRows(
  lab: { database: { socket: string; client?: string } },
  query: string,
): Promise<string[][]> {
  return (await runLabQuery(lab.database, query))
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => line.split('\t'));
}

async function runLabQuery(database: { socket: string; client?: string }, query: string): Promise<string> {
  const args = ['--no-defaults', '-S', database.socket, '-u', 'root', '-N', '-B', '-e', query];
  return (await execa(database.client ?? 'mariadb', args)).stdout;
}
