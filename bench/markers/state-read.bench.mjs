// Reading the state of a 200-step plan whose steps are all complete (what `leap status` does), in-process.
// Target: < 50 ms. Uses the built package: run `npx tsc -b packages/markers` first.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { MarkerStore, openJournal, readPlanState, runPlan } from '../../packages/markers/dist/index.js';

const STEPS = 200;
const RUNS = 30;
const root = mkdtempSync(join(tmpdir(), 'leap-bench-markers-'));
const dir = join(root, 'upgrade-leap');
try {
  const steps = Array.from({ length: STEPS }, (_, i) => ({
    id: `release-${Math.floor(i / 20)}/step-${i}`,
    title: `Step ${i}`,
    inputs: { index: i, hosts: ['infra1', 'infra2', 'infra3'] },
    legacyMarkers: i % 10 === 0 ? [`upstream-marker-${i}`] : undefined,
    run: () => `done ${i}`,
  }));
  const store = new MarkerStore(dir);
  const journal = openJournal(dir);
  // A real run writes the markers and a journal of ~400 lines, as on a deploy host.
  await runPlan({ target: 'r14.1.0', detectSource: () => 'kilo', steps }, { store, journal, command: 'bench' });
  journal.close();

  const measure = async (fn) => {
    const times = [];
    for (let i = 0; i < RUNS; i += 1) {
      const t0 = performance.now();
      await fn();
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    return { median: times[Math.floor(times.length / 2)], min: times[0], max: times[times.length - 1] };
  };
  const first = performance.now();
  const state = await readPlanState(steps, { store: new MarkerStore(dir) });
  const firstMs = performance.now() - first;
  if (state.steps.some((s) => s.status !== 'done')) throw new Error('expected every step done');

  const full = await measure(() => readPlanState(steps, { store: new MarkerStore(dir) }));
  const markersOnly = await measure(() => new MarkerStore(dir).readMany(steps));
  const fmt = (r) => `${r.median.toFixed(2)} | ${r.min.toFixed(2)} | ${r.max.toFixed(2)}`;
  console.log(
    `${STEPS} steps, all complete (leap JSON markers), journal of one full run; ${RUNS} runs each, in-process. Target: < 50 ms.\n`,
  );
  console.log('| what | median ms | min ms | max ms |');
  console.log('|---|---|---|---|');
  console.log(`| readPlanState (markers + leap.json + lock + journal) | ${fmt(full)} |`);
  console.log(`| MarkerStore.readMany (markers only) | ${fmt(markersOnly)} |`);
  console.log(`\nFirst read after the run (module warm, files in page cache): ${firstMs.toFixed(2)} ms.`);
  console.log(
    `readPlanState of ${STEPS} steps: ${full.median.toFixed(1)} ms median (target < 50 ms: ${full.median < 50 ? 'met' : 'missed'}).`,
  );
} finally {
  rmSync(root, { recursive: true, force: true });
}
