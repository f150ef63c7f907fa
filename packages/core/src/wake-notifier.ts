import type { Redis } from 'ioredis';

/**
 * Wakes long-polling receivers when a queue gets visible messages, from any
 * process: scripts PUBLISH the number of newly visible messages on the queue's
 * channel and this wakes that many local waiters. One subscriber connection
 * serves every queue, subscribed only while someone waits on it.
 */
export class WakeTicket {
  private signaled = false;
  private resolve: (() => void) | undefined;

  constructor(
    private readonly notifier: WakeNotifier,
    readonly channel: string,
  ) {}

  /** True once a publish picked this ticket; it is then spent. */
  get woken(): boolean {
    return this.signaled;
  }

  signal(): void {
    this.signaled = true;
    this.resolve?.();
  }

  /** Resolves on a wake-up, at `untilMs`, or when `signal` aborts. */
  wait(untilMs: number, abort?: AbortSignal): Promise<void> {
    if (this.signaled || abort?.aborted) {
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const finish = () => {
        clearTimeout(timer);
        abort?.removeEventListener('abort', finish);
        this.resolve = undefined;
        resolve();
      };
      const timer = setTimeout(finish, Math.max(0, untilMs - Date.now()));
      abort?.addEventListener('abort', finish, { once: true });
      this.resolve = finish;
    });
  }

  release(): Promise<void> {
    return this.notifier.release(this);
  }
}

interface ChannelState {
  readonly tickets: WakeTicket[];
  subscribed: Promise<unknown>;
}

export class WakeNotifier {
  private readonly channels = new Map<string, ChannelState>();
  private closed = false;

  constructor(private readonly subscriber: Redis) {
    subscriber.on('message', (channel: string, count: string) => {
      this.wake(channel, Number(count) || 1);
    });
  }

  /**
   * A ticket registered before the caller looks for messages, so a publish
   * that lands while the caller's receive is in flight is not missed.
   */
  async ticket(channel: string): Promise<WakeTicket> {
    let state = this.channels.get(channel);
    if (!state) {
      state = { tickets: [], subscribed: this.subscriber.subscribe(channel) };
      this.channels.set(channel, state);
    }
    const ticket = new WakeTicket(this, channel);
    state.tickets.push(ticket);
    await state.subscribed;
    return ticket;
  }

  async release(ticket: WakeTicket): Promise<void> {
    const state = this.channels.get(ticket.channel);
    if (!state) {
      return;
    }
    const index = state.tickets.indexOf(ticket);
    if (index >= 0) {
      state.tickets.splice(index, 1);
    }
    if (state.tickets.length === 0 && !this.closed) {
      this.channels.delete(ticket.channel);
      await state.subscribed;
      if (!this.channels.has(ticket.channel)) {
        await this.subscriber.unsubscribe(ticket.channel);
      }
    }
  }

  /** Wakes every waiter and stops unsubscribing: the connection is going away. */
  close(): void {
    this.closed = true;
    for (const state of this.channels.values()) {
      for (const ticket of state.tickets) {
        ticket.signal();
      }
    }
  }

  get waiting(): number {
    let n = 0;
    for (const state of this.channels.values()) {
      n += state.tickets.length;
    }
    return n;
  }

  private wake(channel: string, count: number): void {
    const state = this.channels.get(channel);
    if (!state) {
      return;
    }
    let left = count;
    for (const ticket of state.tickets) {
      if (left === 0) {
        break;
      }
      if (!ticket.woken) {
        ticket.signal();
        left -= 1;
      }
    }
  }
}
