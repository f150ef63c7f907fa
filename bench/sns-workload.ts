import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { TopicEngine } from '../packages/core/src';
import type { EngineApi } from './engine-api';
import {
  BoundedRun,
  consumeUntil,
  latencySummary,
  latencyTimeoutMs,
  pacedSends,
  pacedTotal,
  sentAtOf,
  stamp,
  throughputTimeoutMs,
  type LatencyResult,
} from './http-workload';
import { runBatches } from './workload';

/** A topic and the queues subscribed to it with raw delivery. */
export interface FanoutTopic {
  readonly fanout: number;
  readonly topicArn: string;
  /** queue names on the engine */
  readonly queues: readonly string[];
  /** subscriptions get SNS's signed JSON envelope rather than raw messages */
  readonly envelope: boolean;
}

/** The published message a queue's body carries. */
function messageOf(topic: FanoutTopic, body: string): string {
  return topic.envelope
    ? (JSON.parse(body) as { Message: string }).Message
    : body;
}

/** How a run decides that everything was delivered. */
export type Completion = 'drained' | 'delivered';
/** Publishers call PublishBatch of ten, or Publish one message at a time. */
export type PublishKind = 'batch' | 'single';

/** Idle consumers do not spin, and the untimed tail of a run stays short. */
export const WAIT_SECONDS = 1;
/** How often a `delivered` run reads the topic's delivery counter, ms */
const POLL_MS = 5;
const BODY_BYTES = 1024;

/**
 * What each queue received of one run's messages, each body a 1 KiB ASCII
 * string starting with "<run>/<n>;": every queue must get every n once.
 */
class Ledger {
  readonly run = randomUUID().slice(0, 8);
  duplicates = 0;
  foreign = 0;
  private readonly counts: Uint8Array[];
  private readonly distinct: number[];

  constructor(
    queues: number,
    readonly publishes: number,
  ) {
    this.counts = Array.from(
      { length: queues },
      () => new Uint8Array(publishes),
    );
    this.distinct = Array.from({ length: queues }, () => 0);
  }

  body(n: number): string {
    return `${this.run}/${n};`.padEnd(BODY_BYTES, 'x');
  }

  complete(queue: number): boolean {
    return this.distinct[queue]! >= this.publishes;
  }

  get received(): number {
    return this.distinct.reduce((sum, n) => sum + n, 0);
  }

  record(queue: number, body: string): void {
    const [run, n] = body.slice(0, body.indexOf(';')).split('/');
    const index = Number(n);
    const counts = this.counts[queue]!;
    if (run !== this.run || !(index >= 0 && index < counts.length)) {
      this.foreign += 1;
      return;
    }
    counts[index] = Math.min(255, counts[index]! + 1);
    if (counts[index] === 1) {
      this.distinct[queue]! += 1;
    } else {
      this.duplicates += 1;
    }
  }
}

export interface FanoutRunOptions {
  readonly publishes: number;
  readonly kind: PublishKind;
  readonly completion: Completion;
  /** publisher loops */
  readonly publishers: number;
  /** consumer loops in all, at least one per queue */
  readonly consumers: number;
}

export interface FanoutRunResult {
  /** publishes until every queue has everything, per second */
  readonly publishesPerS: number;
  /** the same, deliveries (publishes × fan-out) */
  readonly deliveriesPerS: number;
  /** publishes per second until the publishers were done */
  readonly publishOnlyPerS: number;
  readonly duplicates: number;
  readonly foreign: number;
}

const delivered = async (topics: TopicEngine, arn: string) =>
  (await topics.getTopicStats(arn))['delivered:sqs'] ?? 0;

/**
 * One throughput run: publishers send `publishes` 1 KiB messages to the topic
 * while the delivery workers fan them out. `drained`: consumer loops empty
 * every queue at the same time, and the run ends when the last queue has
 * received its last message. `delivered`: nobody consumes during the run,
 * which ends when the topic's delivery counter says every queue got every
 * message; `check` then drains the queues, untimed. Either way every queue
 * must hold every message exactly once (duplicates are counted, a loss fails
 * the run by its deadline).
 */
export class FanoutRun {
  private readonly ledger: Ledger;
  private readonly run: BoundedRun;
  private readonly deliveries: number;
  private started = 0;
  private publishedAt = 0;
  private finished = 0;

  constructor(
    private readonly api: EngineApi,
    private readonly topic: FanoutTopic,
    private readonly options: FanoutRunOptions,
  ) {
    this.deliveries = options.publishes * topic.fanout;
    this.ledger = new Ledger(topic.fanout, options.publishes);
    this.run = new BoundedRun(
      `${options.publishes} publishes to ${topic.fanout} queues`,
      throughputTimeoutMs(this.deliveries),
    );
  }

  /** The measured part: publishing until everything is delivered. */
  async timed(): Promise<void> {
    const { api, topic, options, run } = this;
    const { topics } = api.engine;
    const before = await delivered(topics, topic.topicArn);
    this.started = performance.now();
    if (options.completion === 'drained') {
      await run.all([this.publish(), ...this.drainAll()]);
      return;
    }
    await run.all([this.publish()]);
    while (
      (await delivered(topics, topic.topicArn)) - before <
      this.deliveries
    ) {
      run.check();
      await sleep(POLL_MS);
    }
    this.finished = performance.now();
  }

  /** Drains what is left (all of a `delivered` run) and checks it. */
  async check(): Promise<FanoutRunResult> {
    await this.run.all(this.drainAll());
    const { ledger, deliveries, options } = this;
    if (ledger.received !== deliveries) {
      throw new Error(`${ledger.received} deliveries, expected ${deliveries}`);
    }
    const seconds = (this.finished - this.started) / 1000;
    return {
      publishesPerS: options.publishes / seconds,
      deliveriesPerS: deliveries / seconds,
      publishOnlyPerS:
        (options.publishes * 1000) / (this.publishedAt - this.started),
      duplicates: ledger.duplicates,
      foreign: ledger.foreign,
    };
  }

  private async publish(): Promise<void> {
    const { api, topic, options, run, ledger } = this;
    const { topics } = api.engine;
    await runBatches(
      options.publishes,
      options.publishers,
      async (size, offset) => {
        run.check();
        const bodies = Array.from({ length: size }, (_, i) =>
          ledger.body(offset + i),
        );
        if (options.kind === 'batch') {
          const result = await topics.publishBatch(
            topic.topicArn,
            bodies.map((message, i) => ({ id: String(i), message })),
          );
          if (result.failed.length > 0) {
            throw new Error(`PublishBatch: ${result.failed[0]!.message}`);
          }
        } else {
          for (const message of bodies) {
            await topics.publish(topic.topicArn, { message });
          }
        }
        return size;
      },
    );
    this.publishedAt = performance.now();
  }

  /** Each queue's consumer loops: up to ten, then one DeleteMessageBatch. */
  private drainAll(): Promise<void>[] {
    const { api, topic, options, run, ledger } = this;
    const perQueue = Math.max(1, Math.ceil(options.consumers / topic.fanout));
    const drain = async (queue: number) => {
      await consumeUntil(
        api,
        topic.queues[queue]!,
        { run, waitSeconds: WAIT_SECONDS },
        () => ledger.complete(queue),
        ({ body }) => ledger.record(queue, messageOf(topic, body)),
      );
      if (topic.queues.every((_, q) => ledger.complete(q))) {
        this.finished ||= performance.now();
      }
    };
    return topic.queues.flatMap((_, queue) =>
      Array.from({ length: perQueue }, () => drain(queue)),
    );
  }
}

export interface FanoutLatencyOptions {
  /** single Publish calls per second */
  readonly rate: number;
  readonly durationMs: number;
  /** long-polling loops per queue */
  readonly consumersPerQueue: number;
}

export interface FanoutLatencyResult extends LatencyResult {
  /** latencies measured: messages × fan-out */
  readonly deliveries: number;
}

/**
 * Single Publish calls at a fixed rate while each queue has long polls
 * waiting; a delivery's latency runs from just before its Publish to the
 * moment the ReceiveMessage that brought it answered, on this process's
 * monotonic clock. Every queue must get every message.
 */
export async function fanoutLatency(
  api: EngineApi,
  topic: FanoutTopic,
  options: FanoutLatencyOptions,
): Promise<FanoutLatencyResult> {
  const { topics } = api.engine;
  const total = pacedTotal(options.rate, options.durationMs);
  const run = new BoundedRun(
    `${total} publishes at ${options.rate}/s to ${topic.fanout} queues`,
    latencyTimeoutMs(options.durationMs, WAIT_SECONDS),
  );
  const latencies: number[] = [];
  const seen = topic.queues.map(() => new Set<number>());
  const consume = (queue: number) => {
    const mine = seen[queue]!;
    return consumeUntil(
      api,
      topic.queues[queue]!,
      { run, waitSeconds: WAIT_SECONDS },
      () => mine.size >= total,
      ({ body }, receivedAt) => {
        // The send time is unique enough to tell this run's messages apart.
        const sentAt = sentAtOf(messageOf(topic, body));
        if (!mine.has(sentAt)) {
          mine.add(sentAt);
          latencies.push(receivedAt - sentAt);
        }
      },
    );
  };
  let rate = 0;
  await run.all([
    pacedSends(run, total, options.rate, async (sentAt) => {
      await topics.publish(topic.topicArn, { message: stamp(sentAt) });
    }).then((kept) => {
      rate = kept;
    }),
    ...topic.queues.flatMap((_, queue) =>
      Array.from({ length: options.consumersPerQueue }, () => consume(queue)),
    ),
  ]);
  const deliveries = total * topic.fanout;
  if (latencies.length !== deliveries) {
    throw new Error(`${latencies.length} deliveries, expected ${deliveries}`);
  }
  return {
    messages: total,
    deliveries,
    rate,
    ...latencySummary(latencies),
  };
}
