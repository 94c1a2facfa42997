import { readFileSync } from 'node:fs';

/** The version of @leap/cli, read from its own package.json so the two can never disagree. */
export function cliVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}
