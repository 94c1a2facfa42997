import { loadConfig, type LeapConfig } from '../config.js';
import { MarkerStore, readPlanHeader, readPlanState, type PlanState } from '@leap/markers';
import type { Io } from '../output.js';
import { buildLeapPlan, type LeapPlan } from '../plan/build-plan.js';
import { createRuntime, resolveSource, type GlobalOptions } from './shared.js';

export interface PlanView {
  source: string;
  target: string;
  recorded: boolean;
  pointOfNoReturn: string | undefined;
  /** The API downtime window: from the step that stops the services to the last step of the re-deploy. */
  downtime: { first: string; last: string; steps: number } | undefined;
  sections: Array<{ name: string; steps: Array<{ id: string; title: string; state: string; durationMs?: number }> }>;
}

/** Reads the plan for this deployment and the state of each step; writes nothing. */
export async function loadPlanView(
  options: GlobalOptions,
  io: Io,
): Promise<{ view: PlanView; state: PlanState; leap: LeapPlan; config: LeapConfig }> {
  const config = await loadConfig(options);
  const header = await readPlanHeader(config.markerDir);
  const resolution = resolveSource(config, header?.source);
  const rt = createRuntime(config, io, { interactive: false });
  const leap = await buildLeapPlan(resolution.source, rt);
  const state = await readPlanState(leap.plan.steps, { store: new MarkerStore(config.markerDir) });
  const byId = new Map(state.steps.map((s) => [s.id, s]));
  const titles = new Map(leap.plan.steps.map((s) => [s.id, s.title]));
  const view: PlanView = {
    source: resolution.source,
    target: config.target,
    recorded: resolution.recorded,
    pointOfNoReturn: leap.pointOfNoReturn,
    downtime: downtimeWindow(leap),
    sections: leap.sections.map((section) => ({
      name: section.name,
      steps: section.stepIds.map((id) => {
        const step = byId.get(id);
        const durationMs = step?.marker?.kind === 'leap' ? step.marker.record.durationMs : undefined;
        return {
          id,
          title: titles.get(id) ?? id,
          state: step?.status ?? 'pending',
          ...(durationMs === undefined ? {} : { durationMs }),
        };
      }),
    })),
  };
  return { view, state, leap, config };
}

export async function showPlan(options: GlobalOptions, io: Io): Promise<number> {
  const { view } = await loadPlanView(options, io);
  if (options.json) {
    io.stdout(`${JSON.stringify(view, null, 2)}\n`);
    return 0;
  }
  io.stdout(
    `leap ${view.source} -> ${view.target}${view.recorded ? ' (under way; source recorded in leap.json)' : ''}\n`,
  );
  for (const section of view.sections) {
    io.stdout(`\n${section.name}\n`);
    for (const step of section.steps) {
      for (const line of windowLines(view, step.id, 'before')) io.stdout(`${line}\n`);
      io.stdout(`  ${mark(step.state)} ${step.id.padEnd(36)} ${step.title}\n`);
      for (const line of windowLines(view, step.id, 'after')) io.stdout(`${line}\n`);
    }
  }
  return 0;
}

/** The window's step count and ends, from the plan's order. */
function downtimeWindow(leap: LeapPlan): PlanView['downtime'] {
  if (leap.downtime === undefined) return undefined;
  const ids = leap.plan.steps.map((s) => s.id);
  const steps = ids.indexOf(leap.downtime.last) - ids.indexOf(leap.downtime.first) + 1;
  return { ...leap.downtime, steps };
}

/** The lines `leap plan` and `leap status` draw around a step: the point of no return and the API downtime window. */
export function windowLines(view: PlanView, stepId: string, where: 'before' | 'after'): string[] {
  const lines: string[] = [];
  const total = view.sections.reduce((n, s) => n + s.steps.length, 0);
  if (where === 'before' && stepId === view.downtime?.first)
    lines.push(
      `  ┌─── API downtime starts: the OpenStack APIs are down for the next ${view.downtime.steps} of ${total} steps ───`,
    );
  if (where === 'before' && stepId === view.pointOfNoReturn)
    lines.push('  ──── point of no return: from here on the leap only goes forward ────');
  if (where === 'after' && stepId === view.downtime?.last)
    lines.push('  └─── API downtime ends: every OpenStack service re-deployed ───');
  return lines;
}

export function mark(state: string): string {
  switch (state) {
    case 'done':
      return '[x]';
    case 'failed':
      return '[!]';
    case 'interrupted':
      return '[~]';
    default:
      return '[ ]';
  }
}
