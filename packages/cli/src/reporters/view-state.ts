import type { LeapEvent } from './events.js';

export type StepStatus = 'pending' | 'running' | 'done' | 'skipped' | 'failed' | 'interrupted';

export interface ViewSection {
  name: string;
  stepIds: readonly string[];
}

/** What the live view knows of a run: built from the plan, then moved on by the runner's events. */
export interface ViewState {
  sections: readonly ViewSection[];
  status: Map<string, StepStatus>;
  durations: Map<string, number>;
  running?: { id: string; title: string; index: number; total: number; startedAt: number };
  progress?: string;
  /** The first database migration: after it the leap only goes forward. */
  pointOfNoReturn?: string | undefined;
  /** When `services/power-down` completed: the API is down from then until the re-deploy brings it back. */
  servicesStoppedAt?: number;
}

export function initialViewState(sections: readonly ViewSection[], pointOfNoReturn: string | undefined): ViewState {
  const status = new Map<string, StepStatus>();
  for (const section of sections) for (const id of section.stepIds) status.set(id, 'pending');
  return { sections, status, durations: new Map(), pointOfNoReturn };
}

/** Moves the state on by one event; `now` is the event's time. */
export function applyEvent(state: ViewState, event: LeapEvent, now: number): void {
  switch (event.type) {
    case 'step-start':
      state.status.set(event.id, 'running');
      state.running = { id: event.id, title: event.title, index: event.index, total: event.total, startedAt: now };
      delete state.progress;
      break;
    case 'step-skip':
      state.status.set(event.id, 'skipped');
      break;
    case 'step-done':
      state.status.set(event.id, 'done');
      state.durations.set(event.id, event.durationMs);
      if (event.id === 'services/power-down') state.servicesStoppedAt = now;
      if (state.running?.id === event.id) delete state.running;
      break;
    case 'step-fail':
    case 'step-interrupt':
      state.status.set(event.id, event.type === 'step-fail' ? 'failed' : 'interrupted');
      if (state.running?.id === event.id) delete state.running;
      break;
    case 'progress':
      if (state.running?.id === event.id) state.progress = event.message;
      break;
    default:
      break;
  }
}
