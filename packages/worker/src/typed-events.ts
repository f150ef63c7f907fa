import { EventEmitter } from 'node:events';

/** An event name to its listener's arguments. */
export type EventMap<E> = { [K in keyof E]: unknown[] };

type Listener<A extends unknown[]> = (...args: A) => void;

/**
 * An emitter whose events and payloads are typed. An `error` with nobody
 * listening is dropped rather than thrown (a consumer must not crash the
 * process for a failed receive), and a listener that throws cannot break the
 * emitter's owner: its exception is rethrown on its own, as one from any
 * callback would be.
 */
export class TypedEmitter<E extends EventMap<E>> {
  private readonly emitter = new EventEmitter();

  on<K extends keyof E & string>(event: K, listener: Listener<E[K]>): this {
    this.emitter.on(event, listener as Listener<unknown[]>);
    return this;
  }

  once<K extends keyof E & string>(event: K, listener: Listener<E[K]>): this {
    this.emitter.once(event, listener as Listener<unknown[]>);
    return this;
  }

  off<K extends keyof E & string>(event: K, listener: Listener<E[K]>): this {
    this.emitter.off(event, listener as Listener<unknown[]>);
    return this;
  }

  listenerCount<K extends keyof E & string>(event: K): number {
    return this.emitter.listenerCount(event);
  }

  protected emit<K extends keyof E & string>(event: K, ...args: E[K]): void {
    if (this.emitter.listenerCount(event) === 0) {
      return;
    }
    try {
      this.emitter.emit(event, ...args);
    } catch (error) {
      setImmediate(() => {
        throw error;
      });
    }
  }
}
