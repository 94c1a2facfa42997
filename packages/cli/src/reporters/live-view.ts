import type { LeapEvent, Reporter } from './events.js';
import { fitView, type ScreenSize } from './fit-view.js';
import { applyEvent, initialViewState, type ViewSection } from './view-state.js';

/** A terminal the live view draws on: a TTY stream (process.stdout) or a test's stand-in. */
export interface Screen {
  write(text: string): unknown;
  rows?: number | undefined;
  columns?: number | undefined;
  on(event: 'resize', listener: () => void): unknown;
  off(event: 'resize', listener: () => void): unknown;
}

export interface LiveViewReporter extends Reporter {
  /** Writes text above the view (a summary, a warning), then draws the view again below it. */
  print(text: string): void;
  /** Stops drawing while a prompt owns the terminal; the view is drawn afresh below the answer. */
  pause(): void;
  resume(): void;
}

const REDRAW_EVERY_MS = 100;

/**
 * The view for an operator at a terminal: redrawn in place on every event (at most every 100 ms for progress),
 * re-fitted when the terminal is resized, never taller than the screen.
 */
export function liveViewReporter(
  screen: Screen,
  plan: { sections: readonly ViewSection[]; pointOfNoReturn: string | undefined },
): LiveViewReporter {
  const state = initialViewState(plan.sections, plan.pointOfNoReturn);
  let drawn = 0;
  let paused = false;
  let closed = false;
  let lastDraw = 0;
  let pendingDraw: NodeJS.Timeout | undefined;
  const size = (): ScreenSize => ({ rows: screen.rows ?? 24, columns: screen.columns ?? 80 });
  // Back to the view's first line; each write below starts with it, so the screen is never left blank between two
  // writes (a view is redrawn line over line, then what is left below is cleared).
  const home = () => (drawn > 0 ? `\r\x1b[${drawn}A` : '');
  const draw = () => {
    if (pendingDraw) clearTimeout(pendingDraw);
    pendingDraw = undefined;
    if (paused || closed) return;
    const lines = fitView(state, size(), Date.now());
    screen.write(`${home()}${lines.map((line) => `${line}\x1b[K\n`).join('')}\x1b[0J`);
    drawn = lines.length;
    lastDraw = Date.now();
  };
  const drawSoon = () => {
    const wait = REDRAW_EVERY_MS - (Date.now() - lastDraw);
    if (wait <= 0) draw();
    else pendingDraw ??= setTimeout(draw, wait);
  };
  const tick = setInterval(drawSoon, 1000);
  tick.unref();
  const print = (text: string) => {
    screen.write(`${home()}\x1b[0J${text.endsWith('\n') ? text : `${text}\n`}`);
    drawn = 0;
    draw();
  };
  const onResize = () => draw();
  screen.on('resize', onResize);
  return {
    event(event: LeapEvent) {
      if (event.type === 'warning') {
        print(`warning: ${event.message}`);
        return;
      }
      applyEvent(state, event, Date.now());
      if (event.type === 'progress') drawSoon();
      else draw();
    },
    print,
    pause() {
      draw();
      paused = true;
      drawn = 0;
    },
    resume() {
      paused = false;
      draw();
    },
    async close() {
      if (closed) return;
      draw();
      closed = true;
      clearInterval(tick);
      if (pendingDraw) clearTimeout(pendingDraw);
      screen.off('resize', onResize);
    },
  };
}
