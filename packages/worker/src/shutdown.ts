/** What `stopOnSignals` needs of a consumer. */
export interface Stoppable {
  stop(options?: { timeoutMs?: number }): Promise<void>;
}

/**
 * Stops the consumer gracefully on the first of the signals, then raises
 * the signal again so the process ends as it would have without this
 * helper — unless the application listens for it too, in which case the
 * application decides. Returns a function that removes the listeners.
 */
export function stopOnSignals(
  consumer: Stoppable,
  signals: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGINT'],
  timeoutMs?: number,
): () => void {
  const remove = () => {
    for (const signal of signals) {
      process.off(signal, onSignal);
    }
  };
  function onSignal(signal: NodeJS.Signals) {
    remove();
    void consumer
      .stop(timeoutMs === undefined ? undefined : { timeoutMs })
      .finally(() => {
        if (process.listenerCount(signal) === 0) {
          process.kill(process.pid, signal);
        }
      });
  }
  for (const signal of signals) {
    process.on(signal, onSignal);
  }
  return remove;
}
