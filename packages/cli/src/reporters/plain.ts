import pc from 'picocolors';
import type { Io } from '../output.js';
import type { LeapEvent, Reporter } from './events.js';

/** One line per event: for `--plain`, nohup logs and any output that is not a terminal. */
export function plainReporter(io: Io): Reporter {
  return {
    event(event: LeapEvent) {
      switch (event.type) {
        case 'plan':
          io.stdout(
            `leap ${event.source} -> ${event.target}: ${event.steps.filter((s) => s.done).length}/${event.steps.length} steps already done\n`,
          );
          break;
        case 'step-start':
          io.stdout(`${pc.cyan('▶')} [${event.index}/${event.total}] ${event.id}: ${event.title}\n`);
          break;
        case 'step-skip':
          io.stdout(`${pc.dim('↓')} ${event.id}: ${event.reason}\n`);
          break;
        case 'step-done':
          io.stdout(`${pc.green('✔')} ${event.id} (${formatDuration(event.durationMs)})\n`);
          break;
        case 'step-fail':
          io.stdout(`${pc.red('✖')} ${event.id}: ${event.message}\n`);
          break;
        case 'step-interrupt':
          io.stdout(`${pc.yellow('■')} ${event.id}: interrupted\n`);
          break;
        case 'progress':
          io.stdout(`  ${pc.dim(event.id)} ${event.message}\n`);
          break;
        case 'warning':
          io.stdout(`${pc.yellow('warning')} ${event.message}\n`);
          break;
        case 'run-end':
          break;
      }
    },
    async close() {},
  };
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  return `${Math.floor(ms / 60_000)}m${Math.round((ms % 60_000) / 1000)}s`;
}
