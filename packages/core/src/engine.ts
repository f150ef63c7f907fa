import { Redis, type RedisOptions } from 'ioredis';
import { queueArn, type AccountScope } from './arn';
import { systemClock, type Clock } from './clock';
import {
  DEFAULT_LIMITS,
  Lifecycle,
  contextKeys,
  type EngineContext,
  type EngineLimits,
} from './context';
import { sweep, type SweepResult } from './maintenance';
import {
  metricsSnapshot,
  type MetricsSnapshot,
  type SnapshotOptions,
} from './metrics-snapshot';
import {
  MoveTaskRunner,
  type MoveTask,
  type StartMoveTaskInput,
} from './move-tasks';
import type {
  BatchResult,
  ReceivedMessage,
  SendMessageInput,
  SentMessage,
} from './message-types';
import { requireQueue } from './queue-exists';
import * as queues from './queues';
import { receiveMessages, type ReceiveOptions } from './receive';
import * as receipts from './receipts';
import { ScriptRunner } from './scripts';
import { TopicEngine } from './sns/topic-engine';
import { sendMessage, sendMessageBatch, type SendBatchEntry } from './send';
import * as tags from './tags';
import { WakeNotifier } from './wake-notifier';

export interface EngineOptions {
  /** a Redis URL, or a connection the caller owns (the engine duplicates it) */
  readonly redis: string | Redis;
  /** extra ioredis options when `redis` is a URL */
  readonly redisOptions?: RedisOptions;
  /** first part of every key (default "sluice") */
  readonly prefix?: string;
  /** region in queue ARNs (default "us-east-1") */
  readonly region?: string;
  /** account id in queue ARNs and the default SenderId (default "000000000000") */
  readonly accountId?: string;
  readonly clock?: Clock;
  readonly limits?: Partial<EngineLimits>;
  /** ms between maintenance sweeps (retention, stuck moves); 0 turns them off (default 10,000) */
  readonly maintenanceIntervalMs?: number;
  /**
   * Told of connection errors (ioredis reconnects by itself); without it they
   * are dropped rather than reported as unhandled on stderr
   */
  readonly onConnectionError?: (error: Error) => void;
}

export const ENGINE_DEFAULTS = {
  prefix: 'sluice',
  region: 'us-east-1',
  accountId: '000000000000',
  maintenanceIntervalMs: 10_000,
} as const;

/**
 * The queue engine: SQS semantics over Redis. Every state change is one Lua
 * script on one queue's slot; moves between queues are durable steps.
 */
export class QueueEngine {
  private readonly ctx: EngineContext;
  private readonly subscriber: Redis;
  private readonly ownsConnection: boolean;
  private readonly moveTasks: MoveTaskRunner;
  private maintenance: NodeJS.Timeout | undefined;
  /** SNS: topics, subscriptions, publishing, delivery to queues */
  readonly topics: TopicEngine;

  constructor(options: EngineOptions) {
    const redis =
      typeof options.redis === 'string'
        ? new Redis(options.redis, options.redisOptions ?? {})
        : options.redis;
    this.ownsConnection = typeof options.redis === 'string';
    this.subscriber = redis.duplicate();
    const onError = options.onConnectionError ?? (() => undefined);
    for (const connection of [redis, this.subscriber]) {
      connection.on('error', onError);
    }
    const prefix = options.prefix ?? ENGINE_DEFAULTS.prefix;
    const clock = options.clock ?? systemClock;
    this.ctx = {
      redis,
      scripts: new ScriptRunner(redis),
      notifier: new WakeNotifier(
        this.subscriber,
        (engineMs) => Date.now() + (engineMs - clock()),
      ),
      prefix,
      clock,
      scope: {
        region: options.region ?? ENGINE_DEFAULTS.region,
        accountId: options.accountId ?? ENGINE_DEFAULTS.accountId,
      },
      limits: { ...DEFAULT_LIMITS, ...options.limits },
      lifecycle: new Lifecycle(),
      ...contextKeys(prefix),
    };
    this.moveTasks = new MoveTaskRunner(this.ctx);
    this.topics = new TopicEngine(this.ctx, () => {
      const connection = redis.duplicate();
      connection.on('error', onError);
      return connection;
    });
    const interval =
      options.maintenanceIntervalMs ?? ENGINE_DEFAULTS.maintenanceIntervalMs;
    if (interval > 0) {
      this.maintenance = setInterval(() => {
        this.sweep().catch(() => undefined);
      }, interval);
      this.maintenance.unref();
    }
  }

  get scope(): AccountScope {
    return this.ctx.scope;
  }

  /** What every key of this engine starts with. */
  get keyPrefix(): string {
    return this.ctx.prefix;
  }

  /** The connection the engine runs its commands on. */
  get redis(): Redis {
    return this.ctx.redis;
  }

  /** Long polls currently waiting in this process. */
  get waitingReceives(): number {
    return this.ctx.notifier.waiting;
  }

  queueArn(name: string): string {
    return queueArn(this.ctx.scope, name);
  }

  createQueue(
    name: string,
    attributes?: Readonly<Record<string, string>>,
    queueTags?: tags.Tags,
  ): Promise<queues.CreateQueueResult> {
    return queues.createQueue(this.ctx, name, attributes, queueTags);
  }

  deleteQueue(name: string): Promise<void> {
    return queues.deleteQueue(this.ctx, name);
  }

  /** Resolves when the queue exists, else throws QueueDoesNotExist. */
  getQueue(name: string): Promise<void> {
    return requireQueue(this.ctx, name);
  }

  listQueues(
    options?: queues.PageOptions & { readonly prefix?: string },
  ): Promise<queues.Page<string>> {
    return queues.listQueues(this.ctx, options);
  }

  getQueueAttributes(
    name: string,
    attributeNames: readonly string[],
  ): Promise<Record<string, string>> {
    return queues.getQueueAttributes(this.ctx, name, attributeNames);
  }

  setQueueAttributes(
    name: string,
    attributes: Readonly<Record<string, string>>,
  ): Promise<void> {
    return queues.setQueueAttributes(this.ctx, name, attributes);
  }

  purgeQueue(name: string): Promise<void> {
    return queues.purgeQueue(this.ctx, name);
  }

  listDeadLetterSourceQueues(
    name: string,
    options?: queues.PageOptions,
  ): Promise<queues.Page<string>> {
    return queues.listDeadLetterSourceQueues(this.ctx, name, options);
  }

  tagQueue(name: string, queueTags: tags.Tags): Promise<void> {
    return tags.tagQueue(this.ctx, name, queueTags);
  }

  untagQueue(name: string, tagKeys: readonly string[]): Promise<void> {
    return tags.untagQueue(this.ctx, name, tagKeys);
  }

  listQueueTags(name: string): Promise<tags.Tags> {
    return tags.listQueueTags(this.ctx, name);
  }

  sendMessage(queue: string, input: SendMessageInput): Promise<SentMessage> {
    return sendMessage(this.ctx, queue, input);
  }

  sendMessageBatch(
    queue: string,
    entries: readonly SendBatchEntry[],
  ): Promise<BatchResult<SentMessage>> {
    return sendMessageBatch(this.ctx, queue, entries);
  }

  receiveMessages(
    queue: string,
    options: ReceiveOptions = {},
  ): Promise<ReceivedMessage[]> {
    return this.ctx.lifecycle.track(() =>
      receiveMessages(this.ctx, queue, options),
    );
  }

  deleteMessage(queue: string, receiptHandle: string): Promise<void> {
    return receipts.deleteMessage(this.ctx, queue, receiptHandle);
  }

  deleteMessageBatch(
    queue: string,
    entries: readonly receipts.ReceiptEntry[],
  ): Promise<BatchResult<object>> {
    return receipts.deleteMessageBatch(this.ctx, queue, entries);
  }

  changeMessageVisibility(
    queue: string,
    receiptHandle: string,
    visibilityTimeout: number,
  ): Promise<void> {
    return receipts.changeMessageVisibility(
      this.ctx,
      queue,
      receiptHandle,
      visibilityTimeout,
    );
  }

  changeMessageVisibilityBatch(
    queue: string,
    entries: readonly receipts.VisibilityEntry[],
  ): Promise<BatchResult<object>> {
    return receipts.changeMessageVisibilityBatch(this.ctx, queue, entries);
  }

  /** Per-queue counters kept in Redis (sent, received, deleted, ...). */
  async getQueueStats(name: string): Promise<Record<string, number>> {
    await requireQueue(this.ctx, name);
    const raw = await this.ctx.redis.hgetall(this.ctx.keys(name).stats);
    return Object.fromEntries(
      Object.entries(raw).map(([k, v]) => [k, Number(v)]),
    );
  }

  /**
   * Every queue's counters and state and every topic's counters, for
   * metrics: read-only, one pipelined round trip per chunk of queues.
   */
  metricsSnapshot(options?: SnapshotOptions): Promise<MetricsSnapshot> {
    return metricsSnapshot(this.ctx, options);
  }

  /** Starts moving a dead-letter queue's messages back (or to a queue). */
  startMessageMoveTask(
    input: StartMoveTaskInput,
  ): Promise<{ taskHandle: string }> {
    return this.moveTasks.start(input);
  }

  cancelMessageMoveTask(
    taskHandle: string,
  ): Promise<{ approximateNumberOfMessagesMoved: number }> {
    return this.moveTasks.cancel(taskHandle);
  }

  /** The newest tasks of a source queue, newest first (1..10, default 1). */
  listMessageMoveTasks(
    sourceArn: string,
    maxResults?: number,
  ): Promise<MoveTask[]> {
    return this.moveTasks.list(sourceArn, maxResults);
  }

  /** Runs one maintenance pass now (the engine also runs them on a timer). */
  sweep(): Promise<SweepResult> {
    return sweep(this.ctx, (queue) => this.moveTasks.resumeStale(queue));
  }

  /** Ends waiting long polls (they return empty), stops timers, disconnects. */
  async close(): Promise<void> {
    this.ctx.lifecycle.closing = true;
    clearInterval(this.maintenance);
    this.ctx.notifier.close();
    await this.ctx.lifecycle.idle();
    await this.moveTasks.stopped();
    await this.topics.stopDelivery();
    this.subscriber.disconnect();
    if (this.ownsConnection) {
      await this.ctx.redis.quit().catch(() => undefined);
    }
  }
}
