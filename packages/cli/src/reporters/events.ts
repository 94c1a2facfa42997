/** What the CLI shows while a plan runs, whatever the renderer (task list, plain lines, JSONL). */
export type LeapEvent =
  | { type: 'plan'; source: string; target: string; steps: Array<{ id: string; title: string; done: boolean }> }
  | { type: 'step-start'; id: string; title: string; index: number; total: number }
  | { type: 'step-skip'; id: string; title: string; reason: string }
  | { type: 'step-done'; id: string; title: string; durationMs: number }
  | { type: 'step-fail'; id: string; title: string; message: string; hint?: string | undefined }
  | { type: 'step-interrupt'; id: string; title: string }
  | { type: 'progress'; id: string; message: string }
  | { type: 'warning'; message: string }
  | { type: 'run-end'; outcome: 'completed' | 'failed' | 'interrupted' | 'declined' };

export interface Reporter {
  event(event: LeapEvent): void;
  /** Flushes and stops the renderer (the task list); safe to call twice. */
  close(): Promise<void>;
}
