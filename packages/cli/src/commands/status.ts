import { MarkerStore, describeOwner, runPlan, type PlanState } from '@leap/markers';
import type { Io } from '../output.js';
import { formatDuration } from '../reporters/plain.js';
import { loadPlanView, mark, windowLines, type PlanView } from './plan.js';
import type { GlobalOptions } from './shared.js';

export interface StatusOptions extends GlobalOptions {
  verify?: boolean;
}

/** "API downtime: 5m6s measured, … (41 steps)" once the re-deploy is done, "API down since …: 2m0s so far" in it. */
async function measuredDowntime(view: PlanView, state: PlanState): Promise<string | undefined> {
  if (view.downtime === undefined || state.header === undefined) return undefined;
  const { attemptsOf, downtimeOf } = await import('../report/attempts.js');
  const downtime = downtimeOf(attemptsOf(state.journal), view.downtime);
  if (downtime === null) return `API downtime: not started (${view.downtime.steps} steps from ${view.downtime.first})`;
  if (downtime.durationMs !== null)
    return `API downtime: ${formatDuration(downtime.durationMs)} measured, ${downtime.startedAt} to ${downtime.endedAt} (${view.downtime.steps} steps)`;
  return `API down since ${downtime.startedAt}: ${formatDuration(Date.now() - Date.parse(downtime.startedAt))} so far`;
}

/** `leap status`: source, target, each step's state and duration, the last failure with its hint. */
export async function showStatus(options: StatusOptions, io: Io): Promise<number> {
  const { view, state, leap, config } = await loadPlanView(options, io);
  let verified: Map<string, boolean> | undefined;
  if (options.verify) {
    const dry = await runPlan(leap.plan, {
      store: new MarkerStore(config.markerDir),
      dryRun: true,
      verifyCompleted: true,
    });
    verified = new Map(dry.steps.filter((s) => s.verified !== undefined).map((s) => [s.id, s.verified === true]));
  }
  const failed = state.steps.filter((s) => s.status === 'failed' || s.status === 'interrupted').at(-1);
  const done = state.steps.filter((s) => s.status === 'done').length;
  if (options.json) {
    io.stdout(
      `${JSON.stringify(
        {
          ...view,
          started: state.header
            ? { at: state.header.startedAt, host: state.header.host, user: state.header.user }
            : null,
          done,
          total: state.steps.length,
          next: state.next ?? null,
          lock: state.lock.state === 'held' ? { alive: state.lock.alive, owner: state.lock.owner ?? null } : null,
          lastFailure: failed ? { step: failed.id, status: failed.status, error: failed.lastError ?? null } : null,
          verified: verified ? Object.fromEntries(verified) : null,
        },
        null,
        2,
      )}\n`,
    );
    return verified && [...verified.values()].includes(false) ? 1 : 0;
  }
  io.stdout(`leap ${view.source} -> ${view.target}: ${done}/${state.steps.length} steps done`);
  io.stdout(
    state.header
      ? `, started ${state.header.startedAt} by ${state.header.user}@${state.header.host}\n`
      : ', not started\n',
  );
  const downtime = await measuredDowntime(view, state);
  if (downtime !== undefined) io.stdout(`${downtime}\n`);
  if (state.lock.state === 'held')
    io.stdout(`lock: ${state.lock.alive ? 'held by' : 'left by a dead run:'} ${describeOwner(state.lock.owner)}\n`);
  for (const section of view.sections) {
    for (const step of section.steps) {
      for (const line of windowLines(view, step.id, 'before')) io.stdout(`${line}\n`);
      const duration = step.durationMs === undefined ? '' : ` (${formatDuration(step.durationMs)})`;
      const check = verified?.has(step.id) ? (verified.get(step.id) ? ' verified' : ' VERIFY FAILED') : '';
      io.stdout(`  ${mark(step.state)} ${step.id}${duration}${check}\n`);
      for (const line of windowLines(view, step.id, 'after')) io.stdout(`${line}\n`);
    }
  }
  if (failed) {
    io.stdout(
      `\nlast ${failed.status === 'failed' ? 'failure' : 'interruption'}: ${failed.id}${failed.lastAttemptAt ? ` at ${failed.lastAttemptAt}` : ''}\n`,
    );
    if (failed.lastError) {
      io.stdout(`  ${failed.lastError.message}\n`);
      if (failed.lastError.hint) io.stdout(`  hint: ${failed.lastError.hint}\n`);
    }
  }
  if (state.next) io.stdout(`next: ${state.next}\n`);
  return verified && [...verified.values()].includes(false) ? 1 : 0;
}
