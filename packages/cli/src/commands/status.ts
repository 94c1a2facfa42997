import { MarkerStore, describeOwner, runPlan } from '@leap/markers';
import type { Io } from '../output.js';
import { formatDuration } from '../reporters/plain.js';
import { loadPlanView, mark } from './plan.js';
import type { GlobalOptions } from './shared.js';

export interface StatusOptions extends GlobalOptions {
  verify?: boolean;
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
  if (state.lock.state === 'held')
    io.stdout(`lock: ${state.lock.alive ? 'held by' : 'left by a dead run:'} ${describeOwner(state.lock.owner)}\n`);
  for (const section of view.sections) {
    for (const step of section.steps) {
      if (step.id === view.pointOfNoReturn) io.stdout('  ──── point of no return ────\n');
      const duration = step.durationMs === undefined ? '' : ` (${formatDuration(step.durationMs)})`;
      const check = verified?.has(step.id) ? (verified.get(step.id) ? ' verified' : ' VERIFY FAILED') : '';
      io.stdout(`  ${mark(step.state)} ${step.id}${duration}${check}\n`);
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
