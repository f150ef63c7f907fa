import { setTimeout as sleep } from 'node:timers/promises';
import type { Outgoing, Received, SqsApi } from './sqs-clients';
import { BATCH_SIZE, bodiesOf, runBatches } from './workload';

/**
 * Concurrent loops bounded in time that fail together: each loop calls
 * `check()` before every request, which throws once any loop failed or the
 * time is up, so no loop keeps sending after the run is over.
 */
export class BoundedRun {
  private failure: Error | undefined;
  private readonly deadline: number;

  constructor(
    private readonly what: string,
    private readonly timeoutMs: number,
  ) {
    this.deadline = performance.now() + timeoutMs;
  }

  fail(error: unknown): void {
    this.failure ??= error instanceof Error ? error : new Error(String(error));
  }

  check(): void {
    if (this.failure === undefined && performance.now() > this.deadline) {
      this.fail(
        new Error(`${this.what} did not finish within ${this.timeoutMs} ms`),
      );
    }
    if (this.failure !== undefined) {
      throw this.failure;
    }
  }

  /** Waits for every loop; rejects with the first failure in time. */
  async all(loops: readonly Promise<unknown>[]): Promise<void> {
    await Promise.allSettled(
      loops.map((loop) => loop.catch((error: unknown) => this.fail(error))),
    );
    if (this.failure !== undefined) {
      throw this.failure;
    }
  }
}

/** What a throughput run sends, and a look at what it receives. */
export interface Traffic {
  /** the batch of `size` at `offset`, sent by producer loop `producer` */
  outgoing(size: number, offset: number, producer: number): readonly Outgoing[];
  /** every receive's messages, before they are deleted */
  inspect(received: readonly Received[]): void;
}

/** 1 KiB bodies, all alike; nothing to check on receipt. */
const PLAIN_TRAFFIC: Traffic = {
  outgoing: (size) => bodiesOf(size).map((body) => ({ body })),
  inspect: () => undefined,
};

export interface ThroughputOptions {
  readonly messages: number;
  /** loops sending batches of ten */
  readonly producers: number;
  /** loops receiving up to ten, then deleting them in one batch */
  readonly consumers: number;
  readonly waitSeconds: number;
  readonly timeoutMs: number;
  /** default: the same 1 KiB body in every message */
  readonly traffic?: Traffic;
  /**
   * Producers wait while this many messages are sent and not yet received;
   * default: they never wait, and the queue grows as fast as they outrun
   * the consumers
   */
  readonly maxBacklog?: number;
}

/** A minute plus 100 msg/s: a throughput run slower than that fails. */
export const throughputTimeoutMs = (messages: number) => 60_000 + messages * 10;

/** Sent and not yet received messages, and the producers waiting on them. */
class Backlog {
  private sent = 0;
  private received = 0;
  private readonly waiters: (() => void)[] = [];

  constructor(private readonly limit = Infinity) {}

  get full(): boolean {
    return this.sent - this.received >= this.limit;
  }

  /** Resolves once consumers received more, or after `ms` at most. */
  shrunk(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  add(count: number): void {
    this.sent += count;
  }

  remove(count: number): void {
    this.received += count;
    for (const wake of this.waiters.splice(0)) {
      wake();
    }
  }
}

export interface ThroughputResult {
  readonly msgsPerS: number;
  /** deliveries of a message already received (SQS is at-least-once) */
  readonly duplicates: number;
}

/**
 * Producers and consumers at once on an empty queue; messages/s from the
 * first send to the delete of the last distinct message. Consumers still in
 * a long poll then finish it untimed; the queue is empty again at the end.
 */
export async function throughput(
  api: SqsApi,
  queueUrl: string,
  options: ThroughputOptions,
): Promise<ThroughputResult> {
  const total = options.messages;
  const traffic = options.traffic ?? PLAIN_TRAFFIC;
  const run = new BoundedRun(`${total} messages`, options.timeoutMs);
  const backlog = new Backlog(options.maxBacklog);
  const seen = new Set<string>();
  let duplicates = 0;
  let finished = 0;
  const started = performance.now();
  const produce = runBatches(
    total,
    options.producers,
    async (size, offset, producer) => {
      run.check();
      while (backlog.full) {
        // Not forever: a failed run or its deadline ends the wait.
        await backlog.shrunk(100);
        run.check();
      }
      backlog.add(size);
      await api.sendBatch(queueUrl, traffic.outgoing(size, offset, producer));
      return size;
    },
  );
  const consume = async () => {
    while (seen.size < total) {
      run.check();
      const got = await api.receive(queueUrl, BATCH_SIZE, options.waitSeconds);
      if (got.length > 0) {
        backlog.remove(got.length);
        traffic.inspect(got);
        await api.deleteBatch(
          queueUrl,
          got.map((m) => m.receiptHandle),
        );
        for (const { messageId } of got) {
          duplicates += seen.has(messageId) ? 1 : 0;
          seen.add(messageId);
        }
        if (seen.size >= total && finished === 0) {
          finished = performance.now();
        }
      }
    }
  };
  await run.all([
    produce,
    ...Array.from({ length: options.consumers }, consume),
  ]);
  if (seen.size !== total) {
    throw new Error(`received ${seen.size} distinct messages, sent ${total}`);
  }
  return { msgsPerS: (total * 1000) / (finished - started), duplicates };
}

export interface LatencyOptions {
  /** messages/s, each a SendMessage of its own */
  readonly rate: number;
  readonly durationMs: number;
  /** long-polling loops */
  readonly consumers: number;
  readonly waitSeconds: number;
}

export interface LatencyResult {
  readonly messages: number;
  /** messages/s the producer kept up */
  readonly rate: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly p999Ms: number;
  readonly maxMs: number;
}

/** 1 KiB bodies that start with the time they were sent. */
export const stamp = (sentAt: number) =>
  `${sentAt.toFixed(3)};`.padEnd(1024, 'x');
export const sentAtOf = (body: string) =>
  Number(body.slice(0, body.indexOf(';')));

/** Nearest rank of an ascending list. */
function percentile(sorted: readonly number[], fraction: number): number {
  const rank = Math.max(1, Math.ceil(fraction * sorted.length));
  return sorted[rank - 1]!;
}

/** p50, p99, p999 and max of latencies, ms (sorts them in place). */
export function latencySummary(
  latencies: number[],
): Pick<LatencyResult, 'p50Ms' | 'p99Ms' | 'p999Ms' | 'maxMs'> {
  const sorted = latencies.sort((a, b) => a - b);
  return {
    p50Ms: percentile(sorted, 0.5),
    p99Ms: percentile(sorted, 0.99),
    p999Ms: percentile(sorted, 0.999),
    maxMs: sorted[sorted.length - 1]!,
  };
}

/** Sends in flight at most: past it the producer waits, and falls behind. */
const MAX_IN_FLIGHT = 200;

/** How many messages a paced run of `rate` for `durationMs` sends. */
export const pacedTotal = (rate: number, durationMs: number) =>
  Math.max(2, Math.round((rate * durationMs) / 1000));

/** What a paced producer did. */
export interface Paced {
  /** messages it sent */
  readonly sent: number;
  /** messages per second it kept up */
  readonly rate: number;
}

export interface PacedLimits {
  /** messages per second */
  readonly rate: number;
  /** messages at most */
  readonly total: number;
  /** how long sending `total` at `rate` takes */
  readonly durationMs: number;
}

/**
 * A send still due this long after `durationMs` (a tenth of it, 100 ms at
 * least) is dropped: the producer was held back, not just late by a tick.
 */
const lateMs = (durationMs: number) => Math.max(100, durationMs / 10);

/**
 * Calls `send(sentAt)` at `rate` per second, on schedule whatever the
 * answers take (up to MAX_IN_FLIGHT at once), until `total` went or
 * `durationMs` is well over: a system too slow for the rate gets fewer
 * messages, not a longer run. `sentAt` is this process's monotonic clock
 * just before the call.
 */
export async function pacedSendsFor(
  run: BoundedRun,
  { rate, total, durationMs }: PacedLimits,
  send: (sentAt: number) => Promise<void>,
): Promise<Paced> {
  const inFlight = new Set<Promise<void>>();
  let sent = 0;
  let lastSent = 0;
  const started = performance.now();
  const stopAt = durationMs + lateMs(durationMs);
  for (;;) {
    run.check();
    const elapsed = performance.now() - started;
    if (sent >= total || elapsed > stopAt) {
      break;
    }
    const due = Math.min(total, Math.floor((elapsed * rate) / 1000) + 1);
    while (sent < due && inFlight.size < MAX_IN_FLIGHT) {
      lastSent = performance.now();
      const sending: Promise<void> = send(lastSent)
        .catch((error: unknown) => run.fail(error))
        .finally(() => inFlight.delete(sending));
      inFlight.add(sending);
      sent += 1;
    }
    await (inFlight.size >= MAX_IN_FLIGHT ? Promise.race(inFlight) : sleep(1));
  }
  await Promise.all(inFlight);
  return { sent, rate: ((sent - 1) * 1000) / (lastSent - started) };
}

/**
 * Calls `send(sentAt)` `total` times at `rate` per second, however long
 * that takes. Resolves with the messages per second it kept up.
 */
export async function pacedSends(
  run: BoundedRun,
  total: number,
  rate: number,
  send: (sentAt: number) => Promise<void>,
): Promise<number> {
  const limits = { rate, total, durationMs: Infinity };
  return (await pacedSendsFor(run, limits, send)).rate;
}

/** Time for a latency run's last messages to arrive, however slow. */
export const latencyTimeoutMs = (durationMs: number, waitSeconds: number) =>
  durationMs * 2 + 10_000 + 2000 * waitSeconds;

/** A consumer loop's run, and how long its receives wait for messages. */
export interface ConsumerSetting {
  readonly run: BoundedRun;
  readonly waitSeconds: number;
}

/**
 * A consumer loop: until `done()`, receives up to ten, hands each message to
 * `take` with the time the receive answered, and deletes them in one batch.
 */
export async function consumeUntil(
  api: SqsApi,
  queueUrl: string,
  { run, waitSeconds }: ConsumerSetting,
  done: () => boolean,
  take: (message: Received, receivedAt: number) => void,
): Promise<void> {
  while (!done()) {
    run.check();
    const got = await api.receive(queueUrl, BATCH_SIZE, waitSeconds);
    const receivedAt = performance.now();
    for (const message of got) {
      take(message, receivedAt);
    }
    if (got.length > 0) {
      await api.deleteBatch(
        queueUrl,
        got.map((m) => m.receiptHandle),
      );
    }
  }
}

/**
 * One producer sends single messages at `rate`, on schedule whatever the
 * answers take (up to MAX_IN_FLIGHT), while consumers long-poll; each
 * message's latency runs from just before its SendMessage to the moment the
 * ReceiveMessage that brought it answered. Both ends are read from this
 * process's monotonic clock.
 */
export async function latency(
  api: SqsApi,
  queueUrl: string,
  options: LatencyOptions,
): Promise<LatencyResult> {
  const total = pacedTotal(options.rate, options.durationMs);
  const run = new BoundedRun(
    `${total} messages at ${options.rate}/s`,
    latencyTimeoutMs(options.durationMs, options.waitSeconds),
  );
  const latencies: number[] = [];
  const seen = new Set<string>();
  const produce = () =>
    pacedSends(run, total, options.rate, (sentAt) =>
      api.send(queueUrl, stamp(sentAt)),
    );
  const consume = () =>
    consumeUntil(
      api,
      queueUrl,
      { run, waitSeconds: options.waitSeconds },
      () => latencies.length >= total,
      ({ messageId, body }, receivedAt) => {
        if (!seen.has(messageId)) {
          seen.add(messageId);
          latencies.push(receivedAt - sentAtOf(body));
        }
      },
    );
  let rate = 0;
  await run.all([
    produce().then((kept) => {
      rate = kept;
    }),
    ...Array.from({ length: options.consumers }, consume),
  ]);
  if (latencies.length !== total) {
    throw new Error(`received ${latencies.length} messages, sent ${total}`);
  }
  return { messages: total, rate, ...latencySummary(latencies) };
}
