// The share of a leap inside its API downtime window, from its journal alone: the steps from the first start of
// services/power-down to the last step of the re-deploy (the step before the first RPC addition), in the order the
// leap ran them. Used by the lab-leap benchmark; `node bench/lib/downtime-share.mjs <journal>` on any journal.
import { readFileSync } from 'node:fs';

export function downtimeShare(entries) {
  const completed = entries.filter((e) => e.event === 'step-completed');
  const order = completed.map((e) => e.step);
  const first = order.indexOf('services/power-down');
  const afterLast = order.findIndex((id) => id.startsWith('newton/rpc/') || id.startsWith('post/'));
  if (first === -1 || afterLast === -1) return undefined;
  const inside = new Set(order.slice(first, afterLast));
  const ms = (steps) => completed.filter((e) => steps.has(e.step)).reduce((n, e) => n + e.durationMs, 0);
  const start = Date.parse(entries.find((e) => e.event === 'step-started' && e.step === 'services/power-down').time);
  const end = Date.parse(completed.find((e) => e.step === order[afterLast - 1]).time);
  return {
    steps: order.length,
    stepsInside: inside.size,
    powerDownAt: first + 1,
    stepsMs: ms(new Set(order)),
    stepsMsInside: ms(inside),
    windowMs: end - start,
  };
}

export function describeShare(s) {
  const pct = (a, b) => `${((a / b) * 100).toFixed(0)} %`;
  return (
    `${s.stepsInside} of ${s.steps} steps (${pct(s.stepsInside, s.steps)}) and ` +
    `${(s.stepsMsInside / 1000).toFixed(1)} s of the steps' ${(s.stepsMs / 1000).toFixed(1)} s (${pct(s.stepsMsInside, s.stepsMs)}) ` +
    `lie in the API downtime window (power-down is step ${s.powerDownAt} of ${s.steps}); the window lasted ${(s.windowMs / 1000).toFixed(1)} s`
  );
}

if (process.argv[2] !== undefined && import.meta.url === `file://${process.argv[1]}`) {
  const entries = readFileSync(process.argv[2], 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
  const share = downtimeShare(entries);
  console.log(share === undefined ? 'no completed power-down or re-deploy in this journal' : describeShare(share));
}
