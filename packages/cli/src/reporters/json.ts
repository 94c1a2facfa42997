import type { Io } from '../output.js';
import type { LeapEvent, Reporter } from './events.js';

/** `--json`: one JSON object per line on stdout, for other tools to follow a run. */
export function jsonReporter(io: Io, now: () => Date = () => new Date()): Reporter {
  return {
    event(event: LeapEvent) {
      io.stdout(`${JSON.stringify({ time: now().toISOString(), ...event })}\n`);
    },
    async close() {},
  };
}
