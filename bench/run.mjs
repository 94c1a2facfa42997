#!/usr/bin/env node
// npm run bench: runs every bench/**/*.bench.mjs (after `npm run build`) and writes bench/RESULTS.md.
// Each benchmark prints Markdown to stdout: its figures, how they were measured and the command to reproduce them.
// eslint-disable-next-line no-restricted-imports -- argument arrays only, no shell
import { spawnSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const benchDir = fileURLToPath(new URL('.', import.meta.url));
const repoRoot = join(benchDir, '..');
const only = process.argv.slice(2);

function findBenches(dir) {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory() && entry.name !== 'data') return findBenches(path);
      return entry.name.endsWith('.bench.mjs') ? [path] : [];
    })
    .sort();
}

const benches = findBenches(benchDir).filter((file) => only.length === 0 || only.some((o) => file.includes(o)));
const loadBefore = loadavg()[0];
const sections = [];
const started = Date.now();
for (const file of benches) {
  const rel = relative(repoRoot, file);
  console.error(`bench: ${rel}`);
  const result = spawnSync(process.execPath, [file], { cwd: repoRoot, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const body =
    result.status === 0
      ? result.stdout.trim()
      : `FAILED (exit ${result.status}):\n\n\`\`\`\n${result.stderr.trim()}\n\`\`\``;
  sections.push(`## ${rel}\n\nReproduce: \`node ${rel}\`\n\n${body}\n`);
}
/** The first line a tool prints about its version, or "not installed". */
function versionOf(command, args = ['--version']) {
  const r = spawnSync(command, args, { encoding: 'utf8' });
  return r.status === 0 ? `${r.stdout}${r.stderr}`.trim().split('\n')[0] : 'not installed';
}
const machine = [
  `- CPU: ${cpus()[0]?.model ?? 'unknown'} × ${cpus().length}`,
  `- memory: ${(totalmem() / 2 ** 30).toFixed(1)} GiB`,
  `- node: ${process.version}`,
  `- mariadbd: ${versionOf('mariadbd')}`,
  `- mariadb-dump: ${versionOf('mariadb-dump')}`,
  `- mydumper: ${versionOf('mydumper')}`,
  `- pt-archiver: ${versionOf('pt-archiver')}`,
  `- gzip: ${versionOf('gzip')}`,
  `- ansible-playbook: ${versionOf('ansible-playbook')}`,
  `- load average (1 min) before: ${loadBefore.toFixed(2)}, after: ${loadavg()[0].toFixed(2)}`,
  `- date: ${new Date().toISOString()}; the whole run took ${((Date.now() - started) / 60000).toFixed(1)} min`,
].join('\n');
// Every line that states a target, gathered at the top so a missed one cannot hide in a section.
const targets = sections.flatMap((section) => {
  const name = /^## (\S+)/.exec(section)?.[1] ?? '';
  return section
    .split('\n')
    .filter((l) => /\(target[^)]*\)/i.test(l) && /met|missed/.test(l))
    .map((l) => `- ${name}: ${l.replace(/^[-*]\s*/, '')}`);
});
const out =
  `# Benchmark results\n\nWritten by \`npm run bench\` (every bench/**/*.bench.mjs, after \`npm run build\`). Each figure is the median of ` +
  `several runs with min and max; each peer is measured in the same run as leap, on the same data.\n\n## Machine\n\n${machine}\n\n` +
  `## Targets\n\n${targets.join('\n') || '- (no target lines found)'}\n\n${sections.join('\n')}`;
if (only.length === 0) writeFileSync(join(benchDir, 'RESULTS.md'), out);
process.stdout.write(out);
