import type { StepContext } from '@leap/markers';

/** The context the step runner hands a step, for calling one step's run() on its own. */
export function stepContext(stepId: string): StepContext {
  return {
    stepId,
    title: stepId,
    runId: 'test',
    source: 'r11.1.18',
    target: 'r14.1.0',
    inputs: undefined,
    signal: new AbortController().signal,
    log: () => undefined,
    progress: () => undefined,
    addSecret: () => undefined,
  };
}
