import type { Redis } from 'ioredis';

/**
 * Wakes long-polling receivers when a queue may have visible messages, from
 * any process. Scripts PUBLISH on the queue's channel either the number of
 * newly visible messages ("3": wakes that many local waiters) or a time hint
 * ("t:<ms>": a message turns visible then, e.g. after a delay or a visibility
 * timeout set by another receiver; waiters move their timer forward to it).
 * One subscriber connection serves every queue, subscribed while someone
 * waits on it and for a while after.
 */
export class WakeTicket {
  private signaled = false;
  private resolve: (() => void) | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** process time (Date.now()) this ticket's wait ends at the latest */
  private wakeAt = Infinity;

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

  /** Something turns visible at `at` (process time): wake no later. */
  hint(at: number): void {
    if (at >= this.wakeAt) {
      return;
    }
    this.wakeAt = at;
    if (this.resolve) {
      this.arm();
    }
  }

  /** Resolves on a wake-up, by `untilMs` (process time), or on abort. */
  wait(untilMs: number, abort?: AbortSignal): Promise<void> {
    if (this.signaled || abort?.aborted) {
      return Promise.resolve();
    }
    this.wakeAt = Math.min(this.wakeAt, untilMs);
    return new Promise((resolve) => {
      const finish = () => {
        clearTimeout(this.timer);
        abort?.removeEventListener('abort', finish);
        this.resolve = undefined;
        resolve();
      };
      abort?.addEventListener('abort', finish, { once: true });
      this.resolve = finish;
      this.arm();
    });
  }

  /**
   * @param passOn the owner leaves without looking for messages again: a
   *   wake it got meanwhile goes to another waiter instead of being lost
   */
  release(passOn = false): Promise<void> {
    return this.notifier.release(this, passOn);
  }

  private arm(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(
      () => this.resolve?.(),
      Math.max(0, this.wakeAt - Date.now()),
    );
  }
}

interface ChannelState {
  readonly tickets: WakeTicket[];
  subscribed: Promise<unknown>;
  /** pending unsubscribe once no one has waited for a while */
  idle?: NodeJS.Timeout;
}

const IDLE_SUBSCRIPTION_MS = 30_000;

export class WakeNotifier {
  private readonly channels = new Map<string, ChannelState>();
  private closed = false;

  /**
   * @param toProcessTime turns a time in the engine's clock (what scripts
   *   publish) into process time for timers
   */
  constructor(
    private readonly subscriber: Redis,
    private readonly toProcessTime: (engineMs: number) => number,
  ) {
    subscriber.on('message', (channel: string, message: string) => {
      if (message.startsWith('t:')) {
        this.hint(channel, this.toProcessTime(Number(message.slice(2))));
      } else {
        this.wake(channel, Number(message) || 1);
      }
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
    clearTimeout(state.idle);
    const ticket = new WakeTicket(this, channel);
    state.tickets.push(ticket);
    await state.subscribed;
    return ticket;
  }

  release(ticket: WakeTicket, passOn = false): Promise<void> {
    const state = this.channels.get(ticket.channel);
    if (!state) {
      return Promise.resolve();
    }
    const index = state.tickets.indexOf(ticket);
    if (index >= 0) {
      state.tickets.splice(index, 1);
    }
    if (passOn && ticket.woken) {
      // A wake that landed while its owner's receive was in flight may be
      // for a message that receive did not take (MaxNumberOfMessages, or it
      // read before the send): without this, other waiters sleep on.
      this.wake(ticket.channel, 1);
    }
    if (state.tickets.length === 0 && !this.closed) {
      // Pollers come back at once; keeping the subscription a while spares
      // an UNSUBSCRIBE and a SUBSCRIBE round trip per poll.
      state.idle = setTimeout(() => {
        if (
          state.tickets.length === 0 &&
          this.channels.get(ticket.channel) === state
        ) {
          this.channels.delete(ticket.channel);
          this.subscriber.unsubscribe(ticket.channel).catch(() => undefined);
        }
      }, IDLE_SUBSCRIPTION_MS);
      state.idle.unref();
    }
    return Promise.resolve();
  }

  /** Wakes every waiter and stops unsubscribing: the connection is going away. */
  close(): void {
    this.closed = true;
    for (const state of this.channels.values()) {
      clearTimeout(state.idle);
    }
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

  private hint(channel: string, at: number): void {
    for (const ticket of this.channels.get(channel)?.tickets ?? []) {
      ticket.hint(at);
    }
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
