import type { EngineContext } from './context';
import { topicKeys } from './keys';
import { isFifoName } from './queue-name';
import { replyStatus } from './script-reply';

/**
 * One read of everything metrics show: every queue's counters and state and
 * every topic's counters, from the queue and topic registries, a pipeline per
 * chunk of queues (one round trip each), never a scan of the keyspace.
 */
export interface QueueCounters {
  /** messages enqueued by sends (SQS NumberOfMessagesSent) */
  readonly sent: number;
  /** bytes of the messages enqueued (SQS SentMessageSize, summed) */
  readonly bytesSent: number;
  /** FIFO sends answered as duplicates (NumberOfDeduplicatedSentMessages) */
  readonly deduplicated: number;
  readonly received: number;
  readonly deleted: number;
  /** receives that returned no message (NumberOfEmptyReceives) */
  readonly emptyReceives: number;
  /** messages moved to the queue's dead-letter queue */
  readonly movedToDlq: number;
  /** messages moved away by a message move task */
  readonly movedOut: number;
}

export interface QueueMetrics {
  readonly name: string;
  readonly fifo: boolean;
  readonly counters: QueueCounters;
  /** messages that can be received now */
  readonly visible: number;
  /** messages received and neither deleted nor visible again yet */
  readonly inFlight: number;
  /** messages whose delay has not ended */
  readonly delayed: number;
  /** when the oldest message still held was first sent (ms), if any */
  readonly oldestSentAt: number | undefined;
  /** FIFO: message groups that may not deliver now (a message in flight) */
  readonly groupsInFlight: number;
  /** the queue its RedrivePolicy names, if any */
  readonly deadLetterTarget: string | undefined;
  /** queues whose RedrivePolicy names this one, sorted: it is their DLQ */
  readonly deadLetterSources: readonly string[];
}

export interface TopicDeliveryCount {
  readonly protocol: string;
  /** delivered, failed, filtered (by a filter policy) or replayed */
  readonly outcome: string;
  readonly count: number;
}

export interface TopicMetrics {
  readonly name: string;
  readonly fifo: boolean;
  readonly published: number;
  readonly deliveries: readonly TopicDeliveryCount[];
}

export interface MetricsSnapshot {
  /** the engine clock when the snapshot was read (ms) */
  readonly takenAt: number;
  readonly queues: readonly QueueMetrics[];
  readonly topics: readonly TopicMetrics[];
}

export interface SnapshotOptions {
  /** queues (or topics) read per pipeline (default 250) */
  readonly chunkSize?: number;
}

const DEFAULT_CHUNK = 250;

const COUNTER_FIELDS: Record<keyof QueueCounters, string> = {
  sent: 'sent',
  bytesSent: 'bytes_sent',
  deduplicated: 'deduplicated',
  received: 'received',
  deleted: 'deleted',
  emptyReceives: 'empty_receives',
  movedToDlq: 'moved_to_dlq',
  movedOut: 'moved_out',
};

function counters(pairs: readonly unknown[]): QueueCounters {
  const raw = new Map<string, number>();
  for (let i = 0; i + 1 < pairs.length; i += 2) {
    raw.set(String(pairs[i]), Number(pairs[i + 1]));
  }
  return Object.fromEntries(
    Object.entries(COUNTER_FIELDS).map(([key, field]) => [
      key,
      raw.get(field) ?? 0,
    ]),
  ) as unknown as QueueCounters;
}

type QueueRead = Omit<QueueMetrics, 'deadLetterSources'>;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) {
    out.push(items.slice(i, i + size));
  }
  return out;
}

/** Replies of a pipeline, failing on the first command that failed. */
function replies(results: [Error | null, unknown][] | null): unknown[] {
  return (results ?? []).map(([error, value]) => {
    if (error) {
      throw error;
    }
    return value;
  });
}

async function readQueues(
  ctx: EngineContext,
  names: readonly string[],
  now: number,
): Promise<QueueRead[]> {
  const pipeline = ctx.redis.pipeline();
  for (const name of names) {
    const k = ctx.keys(name);
    ctx.scripts.queue(
      pipeline,
      'readQueueMetrics',
      [k.meta, k.stats, k.schedule, k.delayed, k.sent, k.groups],
      [now],
    );
  }
  const out: QueueRead[] = [];
  replies(await pipeline.exec()).forEach((reply, i) => {
    // A queue deleted since the registry was read is left out.
    if (replyStatus(reply) !== 'ok') {
      return;
    }
    const [, visible, notVisible, delayed, oldest, groups, target, ...stats] =
      reply as unknown[];
    const name = names[i] as string;
    out.push({
      name,
      fifo: isFifoName(name),
      counters: counters(stats),
      visible: Number(visible),
      inFlight: Math.max(0, Number(notVisible) - Number(delayed)),
      delayed: Number(delayed),
      oldestSentAt: oldest === '' ? undefined : Number(oldest),
      groupsInFlight: Number(groups),
      deadLetterTarget: target === '' ? undefined : String(target),
    });
  });
  return out;
}

async function readTopics(
  ctx: EngineContext,
  names: readonly string[],
): Promise<TopicMetrics[]> {
  const pipeline = ctx.redis.pipeline();
  for (const name of names) {
    pipeline.hgetall(topicKeys(ctx.prefix, name).stats);
  }
  return replies(await pipeline.exec()).map((reply, i) => {
    const name = names[i] as string;
    const stats = reply as Record<string, string>;
    const deliveries: TopicDeliveryCount[] = [];
    for (const [field, value] of Object.entries(stats)) {
      const [outcome, protocol] = field.split(':');
      if (protocol !== undefined && outcome !== undefined) {
        deliveries.push({ outcome, protocol, count: Number(value) });
      }
    }
    return {
      name,
      fifo: isFifoName(name),
      published: Number(stats.published ?? 0),
      deliveries,
    };
  });
}

function withSources(queues: readonly QueueRead[]): QueueMetrics[] {
  const sources = new Map<string, string[]>();
  for (const queue of queues) {
    if (queue.deadLetterTarget !== undefined) {
      const list = sources.get(queue.deadLetterTarget) ?? [];
      list.push(queue.name);
      sources.set(queue.deadLetterTarget, list);
    }
  }
  return queues.map((queue) => ({
    ...queue,
    deadLetterSources: (sources.get(queue.name) ?? []).sort(),
  }));
}

export async function metricsSnapshot(
  ctx: EngineContext,
  options: SnapshotOptions = {},
): Promise<MetricsSnapshot> {
  const size = options.chunkSize ?? DEFAULT_CHUNK;
  const [queueNames, topicNames] = await Promise.all([
    ctx.redis.zrange(ctx.global.queues, 0, -1),
    ctx.redis.zrange(ctx.global.topics, 0, -1),
  ]);
  const takenAt = ctx.clock();
  const [queueReads, topicReads] = await Promise.all([
    Promise.all(
      chunks(queueNames, size).map((chunk) => readQueues(ctx, chunk, takenAt)),
    ),
    Promise.all(
      chunks(topicNames, size).map((chunk) => readTopics(ctx, chunk)),
    ),
  ]);
  return {
    takenAt,
    queues: withSources(queueReads.flat()),
    topics: topicReads.flat(),
  };
}
