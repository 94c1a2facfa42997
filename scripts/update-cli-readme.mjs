#!/usr/bin/env node
// Rewrites the generated reference sections of packages/cli/README.md (every command, every leap.yaml key) from the
// built CLI. Run after `npm run build`; packages/cli/test/readme-reference.test.ts fails until it is run.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildProgram } from '../packages/cli/dist/program.js';
import { commandsMarkdown, configKeysMarkdown, replaceGenerated } from '../packages/cli/dist/reference-docs.js';

const readme = fileURLToPath(new URL('../packages/cli/README.md', import.meta.url));
const program = buildProgram({ io: { stdout: () => undefined, stderr: () => undefined }, isTty: false, argv: [] });
let text = readFileSync(readme, 'utf8');
text = replaceGenerated(text, 'commands', commandsMarkdown(program));
text = replaceGenerated(text, 'leap.yaml keys', configKeysMarkdown());
writeFileSync(readme, text);
console.log(`updated ${readme}`);
