import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { fitView } from '../src/reporters/fit-view.js';
import { liveViewReporter, type Screen } from '../src/reporters/live-view.js';
import { applyEvent, initialViewState, type ViewSection } from '../src/reporters/view-state.js';

/** A plan shaped like the Kilo leap: 11 sections, 68 steps. */
const SECTIONS: ViewSection[] = [
  ['preflight', 1],
  ['git-prep', 2],
  ['required variables and pre-leap', 2],
  ['database housekeeping and verified backups', 3],
  ['liberty configuration', 4],
  ['mitaka configuration', 4],
  ['newton configuration', 5],
  ['migration venvs', 1],
  ['services stopped', 1],
  ['liberty database migrations', 1],
  ['re-deploy', 44],
].map(([name, count]) => ({
  name: name as string,
  stepIds: Array.from({ length: count as number }, (_, i) => `${(name as string).replaceAll(' ', '-')}/step-${i + 1}`),
}));
const ALL = SECTIONS.flatMap((s) => s.stepIds);
const POINT = 'liberty-database-migrations/step-1';

/** The state after the first `done` steps ran, the next one running with a progress line. */
function stateAfter(done: number, progress = 'Push the migration venvs: Unpack the relocated venv') {
  const state = initialViewState(SECTIONS, POINT);
  let now = 0;
  ALL.slice(0, done).forEach((id, index) => {
    applyEvent(state, { type: 'step-start', id, title: `title of ${id}`, index: index + 1, total: ALL.length }, now);
    now += 1500;
    applyEvent(state, { type: 'step-done', id, title: '', durationMs: 1500 }, now);
  });
  const id = ALL[done]!;
  applyEvent(state, { type: 'step-start', id, title: `title of ${id}`, index: done + 1, total: ALL.length }, now);
  applyEvent(state, { type: 'progress', id, message: progress }, now);
  return { state, running: id, now: now + 2000 };
}

describe('the live view', () => {
  it('fits 80 x 24 at every step of a 68-step leap, with the running step and its live line on screen', () => {
    for (let done = 0; done < ALL.length; done++) {
      const { state, running, now } = stateAfter(done);
      const lines = fitView(state, { rows: 24, columns: 80 }, now);
      expect(lines.length, `after ${done} steps`).toBeLessThanOrEqual(23);
      expect(lines.every((l) => [...l].length <= 79)).toBe(true);
      expect(lines.some((l) => l.includes(`▶ [${done + 1}/${ALL.length}] ${running}`))).toBe(true);
      expect(lines.some((l) => l.includes('Unpack the relocated'))).toBe(true);
    }
  });

  it('collapses finished sections to one line each, marks the point of no return and the downtime, counts what is left', () => {
    const { state, now } = stateAfter(ALL.indexOf(POINT) + 1);
    const lines = fitView(state, { rows: 40, columns: 120 }, now);
    expect(lines).toContain('✔ preflight  1 step  1.5s');
    expect(lines).toContain('✔ database housekeeping and verified backups  3 steps  4.5s');
    expect(lines.some((l) => l.startsWith(`⚑ point of no return passed (${POINT})`))).toBe(true);
    expect(lines.at(-1)).toBe('◻ 43 steps left');
  });

  it('shows the API downtime once services/power-down is done', () => {
    const sections = [{ name: 'services stopped', stepIds: ['services/power-down'] }, ...SECTIONS.slice(-1)];
    const state = initialViewState(sections, undefined);
    applyEvent(state, { type: 'step-done', id: 'services/power-down', title: '', durationMs: 28_000 }, 2000);
    applyEvent(state, { type: 'step-start', id: 're-deploy/step-1', title: 't', index: 2, total: 45 }, 1000);
    expect(fitView(state, { rows: 24, columns: 80 }, 61_000 + 1000)).toContain(
      '⏱ API down since services/power-down: 1m0s',
    );
  });

  it('keeps the running step on a screen of 5 rows and cuts lines to its width', () => {
    const { state, running, now } = stateAfter(40, 'x'.repeat(300));
    const lines = fitView(state, { rows: 5, columns: 30 }, now);
    expect(lines.length).toBeLessThanOrEqual(4);
    expect(lines.some((l) => l.includes(`▶ [41/${ALL.length}] ${running}`.slice(0, 20)))).toBe(true);
    expect(lines.every((l) => [...l].length <= 29)).toBe(true);
  });

  it('redraws in place, refits on resize, and prints text above itself', async () => {
    const screen = Object.assign(new EventEmitter(), {
      rows: 24,
      columns: 80,
      written: '',
      write(text: string) {
        this.written += text;
        return true;
      },
    }) as EventEmitter & Screen & { written: string; rows: number };
    const reporter = liveViewReporter(screen, { sections: SECTIONS, pointOfNoReturn: undefined });
    reporter.event({ type: 'step-start', id: ALL[0]!, title: 'checks', index: 1, total: ALL.length });
    const first = screen.written;
    expect(first).toContain(`▶ [1/${ALL.length}] ${ALL[0]}`);
    reporter.event({ type: 'step-done', id: ALL[0]!, title: 'checks', durationMs: 10 });
    const ESC = String.fromCharCode(27);
    // Redrawn in one write from the view's first line, line over line, the rest below cleared.
    expect(screen.written.slice(first.length)).toMatch(new RegExp(`^\r${ESC}\\[\\d+A[^]*${ESC}\\[0J$`));
    reporter.print('a summary for the operator');
    expect(screen.written).toContain('a summary for the operator\n');
    reporter.event({ type: 'warning', message: 'galera_all has 2 nodes, not 3' });
    expect(screen.written).toContain('warning: galera_all has 2 nodes, not 3\n');
    screen.rows = 6;
    const before = screen.written.length;
    screen.emit('resize');
    const redrawn = screen.written
      .slice(before)
      .split('\n')
      .filter((l) => l.includes('\x1b[K'));
    expect(redrawn.length).toBeLessThanOrEqual(5);
    await reporter.close();
    expect(screen.listenerCount('resize')).toBe(0);
  });
});
