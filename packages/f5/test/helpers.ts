import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export function fixturePath(name: string): string {
  return fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
}

export function fixtureText(name: string): string {
  return readFileSync(fixturePath(name), 'utf8');
}

/** A fresh copy of an inventory fixture, safe to mutate in a test. */
export function inventory(name: 'newton' | 'kilo'): Record<string, unknown> & {
  _meta: { hostvars: Record<string, Record<string, unknown>> };
  all: { vars: Record<string, unknown> };
} {
  return JSON.parse(fixtureText(`${name}-inventory.json`));
}

/** tmsh commands as token lists (comments and blank lines dropped): golden tests compare tokens, not bytes. */
export function commands(tmsh: string): string[][] {
  return tmsh
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => line.split(/\s+/));
}

/** The one command whose first tokens are `verb …path name`, e.g. find(cmds, 'create ltm pool', '/RPC/RPC_POOL_X'). */
export function find(all: string[][], head: string, name: string): string[] {
  const headTokens = head.split(' ');
  const matches = all.filter(
    (tokens) => headTokens.every((token, index) => tokens[index] === token) && tokens[headTokens.length] === name,
  );
  if (matches.length !== 1) throw new Error(`expected one "${head} ${name}", found ${matches.length}`);
  return matches[0] as string[];
}

export function has(all: string[][], head: string, name: string): boolean {
  const headTokens = head.split(' ');
  return all.some(
    (tokens) => headTokens.every((token, index) => tokens[index] === token) && tokens[headTokens.length] === name,
  );
}

/** Whether `needle` occurs as a contiguous run of tokens in `tokens`. */
export function includesRun(tokens: string[], needle: string): boolean {
  const run = needle.split(/\s+/);
  for (let i = 0; i + run.length <= tokens.length; i += 1) {
    if (run.every((token, j) => tokens[i + j] === token)) return true;
  }
  return false;
}

/** Index of the first line of a runbook that matches. */
export function lineIndex(tmsh: string, predicate: (line: string) => boolean): number {
  return tmsh.split('\n').findIndex(predicate);
}
