import { PollingBackoff, retryDelaySeconds } from './backoff';
import { Batcher } from './batcher';
import { stringCodec, type Codec } from './codec';
import {
  resolveSettings,
  type BatchHandler,
  type ConsumerHooks,
  type ConsumerOptions,
  type MessageHandler,
  type ResolvedSettings,
} from './consumer-options';
import {
  REQUIRED_ATTRIBUTES,
  toRawMessage,
  type Message,
  type RawMessage,
} from './message';
import { openTransport } from './target';
import {
  TransportError,
  type ReceivedMessage,
  type Transport,
} from './transport';
import { TypedEmitter } from './typed-events';

/** A handler that ran past handleMessageTimeout. */
export class HandlerTimeoutError extends Error {
  override readonly name = 'HandlerTimeoutError';

  constructor(readonly timeoutMs: number) {
    super(`handler did not finish within ${timeoutMs} ms`);
  }
}

export interface ConsumerEvents<T> {
  started: [];
  /** on receipt, before the body is decoded */
  received: [message: RawMessage];
  /** the handler succeeded (the delete is under way unless shouldDeleteMessages is false) */
  processed: [message: Message<T>, durationMs: number];
  /**
   * the handler threw, the body did not decode, or a batch handler left the
   * message out of what it returned; `message` is the decoded Message<T>
   * when decoding got that far
   */
  processing_error: [error: Error, message: RawMessage];
  /** the handler ran past handleMessageTimeout; the message fails */
  timeout: [error: HandlerTimeoutError, message: RawMessage];
  /** a transport call failed: a receive (no messages), or a delete or visibility change of these messages */
  error: [error: Error, messages: readonly RawMessage[]];
  /** a receive found nothing */
  empty: [];
  stopped: [];
}

export interface StopOptions {
  /** ms to wait for running handlers; default the stopTimeoutMs option */
  readonly timeoutMs?: number;
}

type State = 'idle' | 'running' | 'stopping';

/** Received, waiting for a free handler slot. */
interface Held {
  readonly message: RawMessage;
  /** when to give it back rather than start it late (ms since epoch) */
  readonly deadline: number;
}

interface VisibilityEntry {
  readonly message: RawMessage;
  readonly visibilityTimeout: number;
  readonly heartbeat: boolean;
}

/** A receive that found nothing and did not wait: pause before the next. */
const EMPTY_SHORT_POLL_PAUSE_MS = 100;

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/**
 * Receives from one queue and runs a handler on each message (or each
 * batch), as sqs-consumer does, over either transport.
 *
 * Flow: at most concurrency + prefetch messages are held or running, with
 * several receives in flight when that is more than one batch; each receive
 * asks only for the room left. Successes are deleted in batches of ten;
 * failures get a visibility timeout from the retry back-off (batched too).
 * A held message that could not start before its visibility timeout (less
 * a margin) is given back at once; with a heartbeat it is extended instead.
 */
export class Consumer<T = string> extends TypedEmitter<ConsumerEvents<T>> {
  private readonly settings: ResolvedSettings;
  private readonly codec: Codec<T>;
  private readonly hooks: ConsumerHooks<T>;
  private readonly handler: MessageHandler<T> | undefined;
  private readonly batchHandler: BatchHandler<T> | undefined;
  private readonly newTransport: () => Transport;
  private readonly ownsTransport: boolean;
  private readonly retry: (message: RawMessage) => number | undefined;
  private readonly pollingBackoff: PollingBackoff;
  private readonly capacity: number;
  /** ms a held message may wait; undefined: no limit */
  private readonly holdMs: number | undefined;
  private readonly attributeNames: readonly string[];
  private readonly stopSignal: AbortSignal | undefined;
  private readonly acks = new Batcher<RawMessage>((batch) =>
    this.deleteBatch(batch),
  );
  private readonly visibility = new Batcher<VisibilityEntry>((batch) =>
    this.changeVisibilityBatch(batch),
  );

  private transportInUse: Transport;
  private transportClosed = false;
  private state: State = 'idle';
  private held: Held[] = [];
  private readonly running = new Set<RawMessage>();
  /** FIFO: messages running per group; a group runs one handler call at a time */
  private readonly busyGroups = new Map<string, number>();
  /** messages asked for by receives in flight */
  private reserved = 0;
  private polls = 0;
  private pollAbort = new AbortController();
  private handlerAbort = new AbortController();
  private pauseTimer: NodeJS.Timeout | undefined;
  private holdTimer: NodeJS.Timeout | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  private stopping: Promise<void> | undefined;
  private onIdle: (() => void) | undefined;

  constructor(options: ConsumerOptions<T>) {
    super();
    this.settings = resolveSettings(options);
    this.codec = options.codec ?? (stringCodec as unknown as Codec<T>);
    this.hooks = options.hooks ?? {};
    this.handler = options.handleMessage;
    this.batchHandler = options.handleMessageBatch;
    // A transport the consumer makes is closed on stop and made anew on start.
    this.newTransport = () => openTransport(options).transport;
    this.ownsTransport = !('transport' in options);
    this.transportInUse = this.newTransport();
    const backoff = options.retryBackoff;
    this.retry =
      typeof backoff === 'function'
        ? (message) => {
            const seconds = backoff(message);
            return seconds === undefined
              ? undefined
              : Math.min(43_200, Math.max(0, Math.round(seconds)));
          }
        : (message) => retryDelaySeconds(message.receiveCount, backoff);
    this.pollingBackoff = new PollingBackoff(options.pollingBackoff);
    const { concurrency, prefetch, visibilityTimeout } = this.settings;
    this.capacity = concurrency + prefetch;
    const visibilityMs = (visibilityTimeout ?? 0) * 1000;
    this.holdMs =
      this.settings.heartbeatInterval === undefined && visibilityMs > 0
        ? visibilityMs - Math.min(2000, visibilityMs / 5)
        : undefined;
    this.attributeNames = [
      ...new Set([...this.settings.attributeNames, ...REQUIRED_ATTRIBUTES]),
    ];
    this.stopSignal = options.signal;
  }

  /** What the consumer reads: a queue URL or name. */
  get queue(): string {
    return this.transportInUse.queue;
  }

  get isRunning(): boolean {
    return this.state === 'running';
  }

  /** Starts polling; harmless while running or stopping. */
  start(): void {
    if (this.state !== 'idle' || this.stopSignal?.aborted) {
      return;
    }
    if (this.transportClosed) {
      this.transportInUse = this.newTransport();
      this.transportClosed = false;
    }
    this.state = 'running';
    this.pollAbort = new AbortController();
    this.handlerAbort = new AbortController();
    this.stopSignal?.addEventListener('abort', this.onStopSignal, {
      once: true,
    });
    const { heartbeatInterval } = this.settings;
    if (heartbeatInterval !== undefined) {
      this.heartbeat = setInterval(
        () => this.extendVisibility(),
        heartbeatInterval * 1000,
      );
    }
    this.emit('started');
    this.pump();
  }

  /**
   * Stops receiving, gives held messages back at once, waits for running
   * handlers (up to timeoutMs, then aborts their signal), sends the deletes
   * and visibility changes still waiting, then emits `stopped`. Never
   * rejects; every call resolves when the consumer has stopped.
   */
  stop(options: StopOptions = {}): Promise<void> {
    if (this.state === 'running') {
      this.stopping = this.shutdown(
        options.timeoutMs ?? this.settings.stopTimeoutMs,
      ).finally(() => {
        this.stopping = undefined;
      });
    }
    return this.stopping ?? Promise.resolve();
  }

  private readonly onStopSignal = () => {
    void this.stop();
  };

  private async shutdown(timeoutMs: number): Promise<void> {
    this.state = 'stopping';
    this.stopSignal?.removeEventListener('abort', this.onStopSignal);
    this.pollAbort.abort();
    clearTimeout(this.pauseTimer);
    this.pauseTimer = undefined;
    clearTimeout(this.holdTimer);
    this.holdTimer = undefined;
    this.release(this.held.splice(0).map((h) => h.message));
    this.visibility.flush();
    if (!(await this.idle(timeoutMs))) {
      this.handlerAbort.abort(new Error('consumer stopped'));
    }
    clearInterval(this.heartbeat);
    this.heartbeat = undefined;
    await Promise.all([this.acks.drain(), this.visibility.drain()]);
    this.state = 'idle';
    if (this.ownsTransport) {
      this.transportInUse.close();
      this.transportClosed = true;
    }
    this.emit('stopped');
  }

  /** Resolves true when no handler runs and no receive is out, false on timeout. */
  private idle(timeoutMs: number): Promise<boolean> {
    if (this.running.size === 0 && this.polls === 0) {
      return Promise.resolve(true);
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.onIdle = undefined;
        resolve(false);
      }, timeoutMs);
      this.onIdle = () => {
        clearTimeout(timer);
        this.onIdle = undefined;
        resolve(true);
      };
    });
  }

  private settle(): void {
    if (this.running.size === 0 && this.polls === 0) {
      this.onIdle?.();
    }
  }

  /**
   * Starts receives while there is room: a batch's worth, or any when
   * starved. After a transport error, one receive at a time until one works.
   */
  private pump(): void {
    const { batchSize } = this.settings;
    while (this.state === 'running' && this.pauseTimer === undefined) {
      if (this.pollingBackoff.failing && this.polls > 0) {
        return;
      }
      const free =
        this.capacity - this.running.size - this.held.length - this.reserved;
      const starved = this.held.length === 0 && this.reserved === 0;
      if (free < batchSize && !(starved && free > 0)) {
        return;
      }
      this.receive(Math.min(batchSize, free));
    }
  }

  private receive(maxMessages: number): void {
    const { waitTimeSeconds, visibilityTimeout, messageAttributeNames } =
      this.settings;
    const signal = this.pollAbort.signal;
    this.reserved += maxMessages;
    this.polls += 1;
    const done = () => {
      this.reserved -= maxMessages;
      this.polls -= 1;
    };
    this.transportInUse
      .receive({
        maxMessages,
        waitTimeSeconds,
        ...(visibilityTimeout !== undefined && { visibilityTimeout }),
        attributeNames: this.attributeNames,
        messageAttributeNames,
        signal,
      })
      .then(
        (messages) => {
          done();
          this.received(messages, signal.aborted);
        },
        (error: unknown) => {
          done();
          if (!signal.aborted) {
            this.emit('error', toError(error), []);
            this.pause(this.pollingBackoff.next());
          }
        },
      )
      .catch((error: unknown) => this.emit('error', toError(error), []))
      .finally(() => {
        this.pump();
        this.settle();
      });
  }

  private received(messages: ReceivedMessage[], aborted: boolean): void {
    this.pollingBackoff.reset();
    if (messages.length === 0) {
      if (!aborted) {
        this.emit('empty');
        this.pause(
          this.settings.waitTimeSeconds === 0
            ? Math.max(
                EMPTY_SHORT_POLL_PAUSE_MS,
                this.settings.pollingWaitTimeMs,
              )
            : this.settings.pollingWaitTimeMs,
        );
      }
      return;
    }
    this.pause(this.settings.pollingWaitTimeMs);
    const deadline =
      this.holdMs === undefined ? Infinity : Date.now() + this.holdMs;
    const late: RawMessage[] = [];
    for (const received of messages) {
      const message = toRawMessage(received);
      this.emit('received', message);
      this.callHook(() => this.hooks.onReceived?.(message));
      if (this.state === 'running') {
        this.held.push({ message, deadline });
      } else {
        late.push(message);
      }
    }
    this.release(late);
    this.drain();
    this.armHoldTimer();
  }

  private pause(ms: number): void {
    if (ms <= 0 || this.state !== 'running') {
      return;
    }
    clearTimeout(this.pauseTimer);
    this.pauseTimer = setTimeout(() => {
      this.pauseTimer = undefined;
      this.pump();
    }, ms);
  }

  /** Starts held messages while handler slots are free. */
  private drain(): void {
    const { concurrency, batchSize } = this.settings;
    while (this.held.length > 0 && this.running.size < concurrency) {
      const room = concurrency - this.running.size;
      const batch = this.takeStartable(
        this.batchHandler ? Math.min(batchSize, room) : 1,
      );
      if (batch.length === 0) {
        return;
      }
      for (const message of batch) {
        this.running.add(message);
        if (message.groupId !== undefined) {
          this.busyGroups.set(
            message.groupId,
            (this.busyGroups.get(message.groupId) ?? 0) + 1,
          );
        }
      }
      this.execute(batch).catch((error: unknown) =>
        this.emit('error', toError(error), batch),
      );
    }
  }

  /** Up to `count` held messages, oldest first, skipping FIFO groups already running. */
  private takeStartable(count: number): RawMessage[] {
    const first = this.held[0];
    if (count === 1 && first && !this.groupBusy(first.message)) {
      this.held.shift();
      return [first.message];
    }
    const taken: RawMessage[] = [];
    const kept: Held[] = [];
    for (const entry of this.held) {
      if (taken.length < count && !this.groupBusy(entry.message)) {
        taken.push(entry.message);
      } else {
        kept.push(entry);
      }
    }
    this.held = kept;
    return taken;
  }

  private groupBusy(message: RawMessage): boolean {
    return (
      message.groupId !== undefined && this.busyGroups.has(message.groupId)
    );
  }

  private async execute(batch: RawMessage[]): Promise<void> {
    const started = performance.now();
    try {
      const decoded: Message<T>[] = [];
      for (const message of batch) {
        try {
          decoded.push({
            ...message,
            body: this.codec.decode(message.rawBody),
          });
        } catch (error) {
          this.failed(message, toError(error), started);
        }
      }
      if (decoded.length > 0) {
        await this.handle(decoded, started);
      }
    } finally {
      for (const message of batch) {
        this.finished(message);
      }
      this.drain();
      this.pump();
      this.settle();
    }
  }

  private async handle(messages: Message<T>[], started: number): Promise<void> {
    let result: unknown;
    try {
      result = await this.invoke(messages);
    } catch (error) {
      for (const message of messages) {
        this.failed(message, toError(error), started);
      }
      return;
    }
    const acknowledged =
      this.batchHandler && Array.isArray(result)
        ? new Set((result as readonly Message<T>[]).map((m) => m.id))
        : undefined;
    for (const message of messages) {
      if (!acknowledged || acknowledged.has(message.id)) {
        this.succeeded(message, started);
      } else {
        this.failed(
          message,
          new Error('not in what handleMessageBatch returned'),
          started,
        );
      }
    }
  }

  /** The handler call, within the wrap hook and handleMessageTimeout. */
  private async invoke(messages: Message<T>[]): Promise<unknown> {
    const limit = this.settings.handleMessageTimeout;
    if (limit === undefined) {
      return this.call(messages, this.handlerAbort.signal);
    }
    const controller = new AbortController();
    const stopped = this.handlerAbort.signal;
    const onStopped = () => controller.abort(stopped.reason);
    stopped.addEventListener('abort', onStopped, { once: true });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const error = new HandlerTimeoutError(limit);
        controller.abort(error);
        reject(error);
      }, limit);
    });
    const work = this.call(messages, controller.signal);
    // Left running after a timeout: its end no longer matters.
    work.catch(() => undefined);
    try {
      return await Promise.race([work, timeout]);
    } finally {
      clearTimeout(timer);
      stopped.removeEventListener('abort', onStopped);
    }
  }

  private call(messages: Message<T>[], signal: AbortSignal): Promise<unknown> {
    // A sync handler's throw becomes a rejection like an async one's.
    const run = (): Promise<unknown> => {
      try {
        return Promise.resolve(
          this.batchHandler
            ? this.batchHandler(messages, signal)
            : this.handler!(messages[0]!, signal),
        );
      } catch (error) {
        return Promise.reject(toError(error));
      }
    };
    return this.hooks.wrap ? this.hooks.wrap(messages, run) : run();
  }

  private succeeded(message: Message<T>, started: number): void {
    const ms = performance.now() - started;
    if (this.settings.shouldDeleteMessages) {
      this.acks.add(message);
    }
    this.emit('processed', message, ms);
    this.callHook(() => this.hooks.onProcessed?.(message, ms));
  }

  private failed(message: RawMessage, error: Error, started: number): void {
    const ms = performance.now() - started;
    if (error instanceof HandlerTimeoutError) {
      this.emit('timeout', error, message);
    } else {
      this.emit('processing_error', error, message);
    }
    this.callHook(() => this.hooks.onFailed?.(error, message, ms));
    const { shouldDeleteMessages, alwaysAcknowledge } = this.settings;
    if (shouldDeleteMessages && alwaysAcknowledge) {
      this.acks.add(message);
      return;
    }
    const visibilityTimeout = this.retry(message);
    if (visibilityTimeout !== undefined) {
      this.visibility.add({ message, visibilityTimeout, heartbeat: false });
    }
    if (message.groupId !== undefined) {
      // Later messages of the group must not overtake the one that failed.
      this.releaseWhere((e) => e.message.groupId === message.groupId);
    }
  }

  private finished(message: RawMessage): void {
    this.running.delete(message);
    const group = message.groupId;
    if (group !== undefined) {
      const count = (this.busyGroups.get(group) ?? 1) - 1;
      if (count > 0) {
        this.busyGroups.set(group, count);
      } else {
        this.busyGroups.delete(group);
      }
    }
  }

  /** Makes messages visible again at once. */
  private release(messages: readonly RawMessage[]): void {
    for (const message of messages) {
      this.visibility.add({ message, visibilityTimeout: 0, heartbeat: false });
    }
  }

  private releaseWhere(predicate: (entry: Held) => boolean): void {
    const released: RawMessage[] = [];
    this.held = this.held.filter((entry) => {
      const match = predicate(entry);
      if (match) {
        released.push(entry.message);
      }
      return !match;
    });
    this.release(released);
  }

  /** One timer for the oldest held message: held ones are in receive order. */
  private armHoldTimer(): void {
    const oldest = this.held[0];
    if (
      this.holdTimer !== undefined ||
      !oldest ||
      oldest.deadline === Infinity
    ) {
      return;
    }
    this.holdTimer = setTimeout(
      () => {
        this.holdTimer = undefined;
        this.releaseExpired();
        this.armHoldTimer();
      },
      Math.max(0, oldest.deadline - Date.now()),
    );
  }

  /** Gives back held messages past their deadline, and FIFO groups behind them. */
  private releaseExpired(): void {
    const now = Date.now();
    const groups = new Set<string>();
    for (const { message, deadline } of this.held) {
      if (deadline <= now && message.groupId !== undefined) {
        groups.add(message.groupId);
      }
    }
    this.releaseWhere(
      ({ message, deadline }) =>
        deadline <= now ||
        (message.groupId !== undefined && groups.has(message.groupId)),
    );
    this.pump();
  }

  private extendVisibility(): void {
    const visibilityTimeout = this.settings.visibilityTimeout ?? 0;
    for (const message of [
      ...this.held.map((h) => h.message),
      ...this.running,
    ]) {
      this.visibility.add({ message, visibilityTimeout, heartbeat: true });
    }
  }

  private holds(message: RawMessage): boolean {
    return (
      this.running.has(message) || this.held.some((h) => h.message === message)
    );
  }

  private async deleteBatch(messages: RawMessage[]): Promise<void> {
    try {
      const outcome = await this.transportInUse.delete(
        messages.map((m, i) => ({
          id: String(i),
          receiptHandle: m.receiptHandle,
        })),
      );
      for (const failure of outcome.failed) {
        this.entryFailed(failure, messages[Number(failure.id)]);
      }
    } catch (error) {
      this.emit('error', toError(error), messages);
    }
  }

  private async changeVisibilityBatch(
    entries: VisibilityEntry[],
  ): Promise<void> {
    try {
      const outcome = await this.transportInUse.changeVisibility(
        entries.map((e, i) => ({
          id: String(i),
          receiptHandle: e.message.receiptHandle,
          visibilityTimeout: e.visibilityTimeout,
        })),
      );
      for (const failure of outcome.failed) {
        const entry = entries[Number(failure.id)];
        // A heartbeat that crossed the message's delete is no news.
        if (entry && !(entry.heartbeat && !this.holds(entry.message))) {
          this.entryFailed(failure, entry.message);
        }
      }
    } catch (error) {
      this.emit(
        'error',
        toError(error),
        entries.map((e) => e.message),
      );
    }
  }

  private entryFailed(
    failure: { code: string; message: string; senderFault: boolean },
    message: RawMessage | undefined,
  ): void {
    this.emit(
      'error',
      new TransportError(failure.code, failure.message, !failure.senderFault),
      message ? [message] : [],
    );
  }

  private callHook(hook: () => void): void {
    try {
      hook();
    } catch (error) {
      this.emit('error', toError(error), []);
    }
  }
}
