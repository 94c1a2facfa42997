import type { LeapEvent, Reporter } from './events.js';

interface Pending {
  resolve(outcome: { kind: 'done' } | { kind: 'skip'; reason: string }): void;
  reject(error: Error): void;
  output(text: string): void;
  started: Promise<void>;
  markStarted(): void;
}

/**
 * The interactive task list (listr2) on a TTY. listr2 drives tasks itself, so each step becomes a task
 * that waits for the runner's events about it; steps the run never reached end as "not run".
 */
export async function taskListReporter(steps: ReadonlyArray<{ id: string; title: string }>): Promise<Reporter> {
  const { Listr } = await import('listr2');
  const pending = new Map<string, Pending>();
  const listr = new Listr(
    steps.map((step) => ({
      title: `${step.id}  ${step.title}`,
      task: async (_ctx: unknown, task: { output: string; skip(message?: string): void; title: string }) => {
        const entry = pending.get(step.id)!;
        await entry.started;
        entry.output = (text) => {
          task.output = text;
        };
        const outcome = await new Promise<{ kind: 'done' } | { kind: 'skip'; reason: string }>((resolve, reject) => {
          entry.resolve = resolve;
          entry.reject = reject;
        });
        if (outcome.kind === 'skip') task.skip(`${step.id}  ${outcome.reason}`);
      },
    })),
    { concurrent: false, exitOnError: true, rendererOptions: { collapseSubtasks: false, showErrorMessage: true } },
  );
  for (const step of steps) {
    let markStarted = () => {};
    const started = new Promise<void>((resolve) => {
      markStarted = resolve;
    });
    pending.set(step.id, { resolve: () => {}, reject: () => {}, output: () => {}, started, markStarted });
  }
  const running = listr.run().catch(() => undefined);
  const settle = async (id: string, settleWith: (entry: Pending) => void) => {
    const entry = pending.get(id);
    if (!entry) return;
    entry.markStarted();
    // Let the task pick up its resolvers before settling it.
    await new Promise((r) => setImmediate(r));
    settleWith(entry);
  };
  return {
    event(event: LeapEvent) {
      switch (event.type) {
        case 'step-start':
          pending.get(event.id)?.markStarted();
          break;
        case 'step-skip':
          void settle(event.id, (e) => e.resolve({ kind: 'skip', reason: event.reason }));
          break;
        case 'step-done':
          void settle(event.id, (e) => e.resolve({ kind: 'done' }));
          break;
        case 'step-fail':
          void settle(event.id, (e) => e.reject(new Error(event.message)));
          break;
        case 'step-interrupt':
          void settle(event.id, (e) => e.reject(new Error('interrupted')));
          break;
        case 'progress':
          pending.get(event.id)?.output(event.message);
          break;
        default:
          break;
      }
    },
    async close() {
      for (const entry of pending.values()) {
        entry.markStarted();
        entry.resolve({ kind: 'skip', reason: 'not run' });
      }
      await running;
    },
  };
}
