#!/usr/bin/env node
// The whole lab leap (Kilo -> r14.1.0) through the built binary: total wall time, and where it goes, step by step
// and by kind of step, from the leap's own journal. One run (LEAP_BENCH_RUNS to repeat; each run uses a new lab).
// Reproduce: npm run build && node bench/cli/lab-leap.bench.mjs
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from '../../packages/cli/node_modules/execa/index.js';
import { describeShare, downtimeShare } from '../lib/downtime-share.mjs';
import { stats, table } from '../lib/stats.mjs';

const leapBin = fileURLToPath(new URL('../../packages/cli/bin/leap.js', import.meta.url));
const runs = Number(process.env.LEAP_BENCH_RUNS ?? 1);
const leap = (args) =>
  execa(process.execPath, [leapBin, ...args], { env: { NO_COLOR: '1' }, all: true, reject: false });

/** The kind of a step, from its id (`newton/redeploy/os-nova-install` -> redeploy). */
const kindOf = (id) => {
  const [head, second] = id.split('/');
  if (['preflight', 'git', 'config', 'db', 'post', 'services'].includes(head)) return head;
  return second ?? head;
};

const totals = [];
const creates = [];
const perStep = new Map();
const perKind = new Map();
const shares = [];
for (let run = 0; run < runs; run++) {
  const base = mkdtempSync(join(tmpdir(), 'leap-bench-lab-'));
  const labDir = join(base, 'lab');
  try {
    const c0 = performance.now();
    const created = await leap(['lab', 'create', labDir]);
    if (created.exitCode !== 0) throw new Error(`lab create failed:\n${created.all}`);
    creates.push(performance.now() - c0);
    const lab = JSON.parse(readFileSync(join(labDir, 'lab.json'), 'utf8'));
    const t0 = performance.now();
    const result = await leap([
      '--config',
      lab.paths.leapYaml,
      'run',
      '--confirm-source',
      'kilo',
      '--confirm-redeploy',
      '--plain',
    ]);
    totals.push(performance.now() - t0);
    if (result.exitCode !== 0) throw new Error(`the lab leap failed:\n${result.all.slice(-3000)}`);
    const journal = readFileSync(join(lab.paths.deployDir, 'upgrade-leap', 'leap-journal.jsonl'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l));
    shares.push(downtimeShare(journal));
    for (const e of journal.filter((x) => x.event === 'step-completed')) {
      perStep.set(e.step, [...(perStep.get(e.step) ?? []), e.durationMs]);
      const kind = kindOf(e.step);
      perKind.set(kind, (perKind.get(kind) ?? 0) + e.durationMs / runs);
    }
    await leap(['lab', 'destroy', labDir]);
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
}

const total = stats(totals);
const sec = (ms) => `${(ms / 1000).toFixed(1)} s`;
console.log(
  `The lab leap, ${runs} run(s): ${sec(total.median)} (min ${sec(total.min)}, max ${sec(total.max)}); \`leap lab create\` ${sec(stats(creates).median)}. ` +
    `${perStep.size} steps. The lab's playbooks are the fake OSA set run by the real ansible-playbook against localhost, so the re-deploy's ` +
    "share here measures leap's and Ansible's overhead, not a real cloud's.\n",
);
for (const share of shares) if (share !== undefined) console.log(`API downtime: ${describeShare(share)}.\n`);
const stepSum = [...perKind.values()].reduce((a, b) => a + b, 0);
console.log(
  table(
    ['kind of step', 'time', "share of the steps' time"],
    [...perKind.entries()]
      .sort((a, b) => b[1] - a[1])
      .map(([kind, ms]) => [kind, sec(ms), `${((ms / stepSum) * 100).toFixed(0)} %`]),
  ),
);
console.log(
  `\nSteps' time adds up to ${sec(stepSum)} of the ${sec(total.median)} wall time (the rest: process start, plan, lock, confirmations).\n`,
);
console.log(
  table(
    ['slowest steps', 'median'],
    [...perStep.entries()]
      .map(([id, xs]) => [id, stats(xs).median])
      .sort((a, b) => b[1] - a[1])
      .slice(0, 12)
      .map(([id, ms]) => [`\`${id}\``, sec(ms)]),
  ),
);
