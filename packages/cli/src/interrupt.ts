/**
 * One AbortController for the whole run, aborted by Ctrl-C or SIGTERM, so every running step, prompt,
 * retry and child process stops through the same signal. A second Ctrl-C is left to Node's default.
 */
export function interruptOnSignals(): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const onSignal = (name: NodeJS.Signals) => {
    if (controller.signal.aborted) {
      process.exit(130);
    }
    controller.abort(Object.assign(new Error(`interrupted by ${name}`), { code: 'LEAP_INTERRUPTED' }));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    dispose() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
