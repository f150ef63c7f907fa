/** The most entries one SQS batch call takes. */
export const MAX_BATCH = 10;

/**
 * Gathers entries into batch calls of up to ten: a full batch goes at once,
 * a partial one on the next turn of the event loop, so a burst of finished
 * handlers costs one call per ten messages. `send` reports its own failures
 * and never rejects.
 */
export class Batcher<E> {
  private pending: E[] = [];
  private scheduled: NodeJS.Immediate | undefined;
  private readonly inflight = new Set<Promise<void>>();

  constructor(private readonly send: (entries: E[]) => Promise<void>) {}

  add(entry: E): void {
    this.pending.push(entry);
    if (this.pending.length >= MAX_BATCH) {
      this.flush();
    } else {
      this.scheduled ??= setImmediate(() => this.flush());
    }
  }

  /** Sends everything waiting now. */
  flush(): void {
    if (this.scheduled) {
      clearImmediate(this.scheduled);
      this.scheduled = undefined;
    }
    while (this.pending.length > 0) {
      const call = this.send(this.pending.splice(0, MAX_BATCH));
      this.inflight.add(call);
      void call.finally(() => this.inflight.delete(call));
    }
  }

  /** Sends what waits and resolves when every call made so far has ended. */
  async drain(): Promise<void> {
    this.flush();
    while (this.inflight.size > 0) {
      await Promise.all(this.inflight);
    }
  }
}
