#!/usr/bin/env node
// npm run bench: runs every bench/**/*.bench.mjs (after `npm run build`) and writes bench/RESULTS.md.
// Each benchmark prints Markdown to stdout: its figures, how they were measured and the command to reproduce them.
// eslint-disable-next-line no-restricted-imports -- argument arrays only, no shell
import { spawnSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const benchDir = fileURLToPath(new URL('.', import.meta.url));
const repoRoot = join(benchDir, '..');
const only = process.argv.slice(2);

function findBenches(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory() && entry.name !== 'data') return findBenches(path);
    return entry.name.endsWith('.bench.mjs') ? [path] : [];
  }).sort();
}

const benches = findBenches(benchDir).filter((file) => only.length === 0 || only.some((o) => file.includes(o)));
const sections = [];
for (const file of benches) {
  const rel = relative(repoRoot, file);
  console.error(`bench: ${rel}`);
  const result = spawnSync(process.execPath, [file], { cwd: repoRoot, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const body = result.status === 0 ? result.stdout.trim() : `FAILED (exit ${result.status}):\n\n\`\`\`\n${result.stderr.trim()}\n\`\`\``;
  sections.push(`## ${rel}\n\nReproduce: \`node ${rel}\`\n\n${body}\n`);
}
const machine = [
  `- CPU: ${cpus()[0]?.model ?? 'unknown'} × ${cpus().length}`,
  `- memory: ${(totalmem() / 2 ** 30).toFixed(1)} GiB`,
  `- node: ${process.version}`,
  `- date: ${new Date().toISOString()}`,
].join('\n');
const out = `# Benchmark results\n\nWritten by \`npm run bench\`.\n\n${machine}\n\n${sections.join('\n')}`;
if (only.length === 0) writeFileSync(join(benchDir, 'RESULTS.md'), out);
process.stdout.write(out);
