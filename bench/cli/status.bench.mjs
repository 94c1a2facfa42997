// `leap status` as a whole process against `node -e 0`, in every state a leap can be in (issue 26: each under 2x):
// on a Kilo lab (its leap.yaml and deploy folder) not started, mid-leap (half done, the run lock held by a live
// run), failed (half done, the next step failed) and done; and done without a leap.yaml, as production runs it.
// The states are made by running the lab's plan through @leap/markers with steps that do nothing, so the markers,
// the plan header, the journal and the lock are the real ones. Samples are interleaved with the baseline.
// Run after `npm run build`: node bench/cli/status.bench.mjs
// eslint-disable-next-line no-restricted-imports -- argument arrays only, no shell
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MarkerStore, acquireRunLock, openJournal, runPlan } from '../../packages/markers/dist/index.js';
import { stats } from '../lib/stats.mjs';

const leapBin = fileURLToPath(new URL('../../packages/cli/bin/leap.js', import.meta.url));
const runs = Number(process.env.LEAP_BENCH_RUNS ?? 20);
const dir = mkdtempSync(join(tmpdir(), 'leap-bench-status-'));
const leap = (args) => spawnSync(process.execPath, [leapBin, ...args], { encoding: 'utf8' });

const lab = join(dir, 'lab');
const created = leap(['lab', 'create', lab]);
if (created.status !== 0) throw new Error(`leap lab create failed: ${created.stderr}`);
const withConfig = ['--config', join(lab, 'leap.yaml')];
const plan = JSON.parse(leap([...withConfig, '--json', 'plan']).stdout);
const steps = plan.sections.flatMap((s) => s.steps);
const half = Math.floor(steps.length / 2);

/** A marker folder in the state that `upTo` steps done (and, if `failing`, the next one failed) leave. */
async function markersIn(name, { upTo = 0, failing = false } = {}) {
  const markerDir = join(dir, `markers-${name}`);
  mkdirSync(markerDir);
  if (upTo === 0 && !failing) return markerDir;
  const run = async () => undefined;
  const fail = async () => {
    throw Object.assign(new Error('the bench fails this step'), { hint: 'none: it is a benchmark' });
  };
  await runPlan(
    {
      target: plan.target,
      detectSource: () => plan.source,
      steps: steps
        .slice(0, upTo + (failing ? 1 : 0))
        .map((s, i) => ({ id: s.id, title: s.title, run: i < upTo ? run : fail })),
    },
    { store: new MarkerStore(markerDir), journal: openJournal(markerDir), toolVersion: 'bench' },
  ).catch(() => undefined);
  return markerDir;
}

const states = [
  { name: 'not started', markerDir: await markersIn('new'), expect: `0/${steps.length} steps done` },
  {
    name: 'mid-leap (lock held)',
    markerDir: await markersIn('mid', { upTo: half }),
    expect: `${half}/${steps.length}`,
  },
  { name: 'failed', markerDir: await markersIn('failed', { upTo: half, failing: true }), expect: 'last failure' },
  {
    name: 'done',
    markerDir: await markersIn('done', { upTo: steps.length }),
    expect: `${steps.length}/${steps.length}`,
  },
];
const lock = await acquireRunLock(states[1].markerDir, { command: 'bench' });
// The same lab without leap.yaml: its paths as flags, every other key at its production default.
const productionFlags = [
  ['--deploy-dir', 'etc/openstack_deploy'],
  ['--release-file', 'etc/openstack-release'],
  ['--rpco-dir', 'opt/rpc-openstack'],
  ['--backup-dir', 'openstack/backup'],
].flatMap(([flag, path]) => [flag, join(lab, path)]);

const commands = [
  ...states.map((s) => ({
    name: `leap status, ${s.name}`,
    args: [leapBin, ...withConfig, '--marker-dir', s.markerDir, 'status'],
    expect: s.expect,
  })),
  {
    name: 'leap status, done, no leap.yaml (production)',
    args: [leapBin, ...productionFlags, '--marker-dir', states[3].markerDir, 'status'],
    expect: `${steps.length}/${steps.length}`,
  },
  { name: 'leap --version', args: [leapBin, '--version'], expect: '.' },
];
for (const command of commands) {
  const result = spawnSync(process.execPath, command.args, { encoding: 'utf8' });
  if (result.status !== 0 || !result.stdout.includes(command.expect))
    throw new Error(`${command.name}: unexpected output (exit ${result.status}):\n${result.stdout}${result.stderr}`);
}

const timeOnce = (args) => {
  const started = process.hrtime.bigint();
  spawnSync(process.execPath, args, { encoding: 'utf8' });
  return Number(process.hrtime.bigint() - started) / 1e6;
};
const baseline = [];
const samples = commands.map(() => []);
for (let i = 0; i < runs; i++) {
  baseline.push(timeOnce(['-e', '0']));
  commands.forEach((command, c) => samples[c].push(timeOnce(command.args)));
}
await lock.release();
leap(['lab', 'destroy', lab]);
rmSync(dir, { recursive: true, force: true });

const base = stats(baseline);
const f = (n) => n.toFixed(1);
console.log(`A Kilo lab's ${steps.length}-step plan; ${runs} runs each, whole processes, interleaved.\n`);
console.log('| command | median ms | min ms | max ms | / node -e 0 |\n|---|---|---|---|---|');
console.log(`| node -e 0 | ${f(base.median)} | ${f(base.min)} | ${f(base.max)} | 1.00× |`);
const rows = commands.map((command, c) => ({ name: command.name, ...stats(samples[c]) }));
for (const row of rows)
  console.log(
    `| ${row.name} | ${f(row.median)} | ${f(row.min)} | ${f(row.max)} | ${(row.median / base.median).toFixed(2)}× |`,
  );
console.log('');
for (const row of rows.filter((r) => r.name.startsWith('leap status'))) {
  const r = row.median / base.median;
  console.log(`- ${row.name} / node -e 0 (medians): ${r.toFixed(2)}× (target < 2×: ${r < 2 ? 'met' : 'missed'})`);
}
