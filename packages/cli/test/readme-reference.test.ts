import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../src/program.js';
import { commandsMarkdown, configKeysMarkdown, replaceGenerated } from '../src/reference-docs.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const program = buildProgram({ io: { stdout: () => undefined, stderr: () => undefined }, isTty: false, argv: [] });

describe('the README reference', () => {
  it('lists every command and option, and every leap.yaml key, as the code has them (node scripts/update-cli-readme.mjs)', () => {
    let expected = replaceGenerated(readme, 'commands', commandsMarkdown(program));
    expected = replaceGenerated(expected, 'leap.yaml keys', configKeysMarkdown());
    expect(readme).toBe(expected);
  });

  it('names every key of the schema, nested ones by their path', () => {
    const keys = configKeysMarkdown();
    for (const key of ['deployDir', 'database.tools.dump', 'migrationVenvs.<name>.sha256', 'galera.nodes[].start'])
      expect(keys).toContain(`| \`${key}\` |`);
  });
});
