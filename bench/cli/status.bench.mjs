// `leap status` on a completed plan, as a whole process, against `node -e 0` (issue 9: under 3x).
// Run after `npm run build`: node bench/cli/status.bench.mjs
// eslint-disable-next-line no-restricted-imports -- argument arrays only, no shell
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MarkerStore, writePlanHeader, planDigest } from '../../packages/markers/dist/index.js';

const leapBin = fileURLToPath(new URL('../../packages/cli/bin/leap.js', import.meta.url));
const runs = Number(process.env.LEAP_BENCH_RUNS ?? 20);
const dir = mkdtempSync(join(tmpdir(), 'leap-bench-status-'));
const deployDir = join(dir, 'openstack_deploy');
const markerDir = join(deployDir, 'upgrade-leap');
mkdirSync(markerDir, { recursive: true });
writeFileSync(join(dir, 'openstack-release'), 'DISTRIB_RELEASE="r11.1.18"\n');
const flags = [
  '--deploy-dir',
  deployDir,
  '--release-file',
  join(dir, 'openstack-release'),
  '--rpco-dir',
  join(dir, 'rpc'),
];

const plan = JSON.parse(
  spawnSync(process.execPath, [leapBin, ...flags, '--json', 'plan'], { encoding: 'utf8' }).stdout,
);
const steps = plan.sections.flatMap((s) => s.steps);
const store = new MarkerStore(markerDir);
const now = new Date().toISOString();
await writePlanHeader(markerDir, {
  format: 'leap-plan/1',
  source: 'kilo',
  target: 'r14.1.0',
  steps: steps.map((s) => s.id),
  planDigest: planDigest(steps.map((s) => s.id)),
  startedAt: now,
  host: 'bench',
  user: 'bench',
  toolVersion: 'bench',
  revisions: [],
});
for (const step of steps) {
  await store.write({
    format: 'leap-marker/1',
    step: step.id,
    title: step.title,
    startedAt: now,
    finishedAt: now,
    durationMs: 1234,
    toolVersion: 'bench',
    inputsDigest: null,
    result: 'done',
    runId: 'bench',
    host: 'bench',
    user: 'bench',
  });
}

function time(args) {
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const started = process.hrtime.bigint();
    const result = spawnSync(process.execPath, args, { encoding: 'utf8' });
    samples.push(Number(process.hrtime.bigint() - started) / 1e6);
    if (result.status !== 0) throw new Error(`${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  }
  samples.sort((a, b) => a - b);
  return { median: samples[Math.floor(samples.length / 2)], min: samples[0], max: samples.at(-1) };
}

const check = spawnSync(process.execPath, [leapBin, ...flags, 'status'], { encoding: 'utf8' });
if (!check.stdout.includes(`${steps.length}/${steps.length} steps done`))
  throw new Error(`unexpected status output:\n${check.stdout}${check.stderr}`);
const baseline = time(['-e', '0']);
const status = time([leapBin, ...flags, 'status']);
const version = time([leapBin, '--version']);
rmSync(dir, { recursive: true, force: true });
const f = (n) => n.toFixed(1);
console.log(`${steps.length}-step plan, every step complete; ${runs} runs each, whole processes.\n`);
console.log('| command | median ms | min ms | max ms |\n|---|---|---|---|');
console.log(`| node -e 0 | ${f(baseline.median)} | ${f(baseline.min)} | ${f(baseline.max)} |`);
console.log(`| leap status | ${f(status.median)} | ${f(status.min)} | ${f(status.max)} |`);
console.log(`| leap --version | ${f(version.median)} | ${f(version.min)} | ${f(version.max)} |`);
const r = status.median / baseline.median;
console.log(
  `\nleap status / node -e 0 (medians): ${r.toFixed(2)}× (target < 3×: ${r < 3 ? 'met' : 'missed'}); leap --version / node -e 0: ${(version.median / baseline.median).toFixed(2)}×.`,
);
