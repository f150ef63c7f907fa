import type { Redis } from 'ioredis';
import { queueNameFromArn } from '../arn';
import type { EngineContext } from '../context';
import { isSluiceError } from '../errors';
import { sendMessage } from '../send';
import { bodyFor, notificationEnvelope } from './envelope';
import { matchesFilterPolicy, parseFilterPolicy } from './filter-policy';
import { attributesOf, type PublishedRecord } from './published-record';
import type { SubscriptionRecord } from './subscription-record';
import { deliverableSubscriptions } from './subscriptions';
import { subscriptionArn, topicArn } from './topic-names';
import { keysOf } from './topics';

export interface FanoutOptions {
  /** this worker's name in the logs' consumer group */
  readonly consumer: string;
  /** the broker's public URL, for Unsubscribe links */
  readonly publicUrl: string;
  /** ms a delivery may stay unacknowledged before another worker takes it */
  readonly claimAfterMs?: number;
  /** told of delivery failures that will be retried */
  readonly onError?: (error: unknown) => void;
}

const GROUP = 'fanout';
const BLOCK_MS = 500;
const BATCH = 100;

type Outcome = 'delivered' | 'filtered' | 'failed';

/**
 * Delivers what topics' logs record to their subscriptions. Every broker
 * process runs one; they share each log's consumer group, so a message goes
 * to one worker, which sends it to every matching subscription and then
 * acknowledges (and deletes) it. A worker that dies before acknowledging
 * leaves the message pending; after `claimAfterMs` another worker claims and
 * delivers it again: at least once, never lost. Topics in different Cluster
 * slots are read in one blocking call for now (single-node Redis).
 */
export class FanoutWorker {
  private running = false;
  private loop: Promise<void> | undefined;
  private lastClaim = 0;

  constructor(
    private readonly ctx: EngineContext,
    private readonly reader: Redis,
    private readonly options: FanoutOptions,
  ) {}

  start(): void {
    if (this.running) {
      return;
    }
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
    this.reader.disconnect();
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        await this.claimStale();
        await this.readOnce();
      } catch (error) {
        this.options.onError?.(error);
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  }

  private async readOnce(): Promise<void> {
    const topics = await this.ctx.redis.zrange(this.ctx.global.topics, 0, -1);
    if (topics.length === 0) {
      await new Promise((r) => setTimeout(r, BLOCK_MS));
      return;
    }
    const logs = topics.map((t) => keysOf(this.ctx, t).log);
    const reply = (await this.reader.xreadgroup(
      'GROUP',
      GROUP,
      this.options.consumer,
      'COUNT',
      BATCH,
      'BLOCK',
      BLOCK_MS,
      'STREAMS',
      ...logs,
      ...logs.map(() => '>'),
    )) as [string, [string, string[]][]][] | null;
    for (const [log, entries] of reply ?? []) {
      const topic = topics[logs.indexOf(log)];
      if (topic !== undefined) {
        await this.deliverEntries(topic, entries);
      }
    }
  }

  /** Takes over deliveries a stopped worker left unacknowledged. */
  private async claimStale(): Promise<void> {
    const claimAfter = this.options.claimAfterMs ?? 30_000;
    if (Date.now() - this.lastClaim < Math.min(claimAfter, 10_000)) {
      return;
    }
    this.lastClaim = Date.now();
    const topics = await this.ctx.redis.zrange(this.ctx.global.topics, 0, -1);
    for (const topic of topics) {
      const [, entries] = (await this.ctx.redis.xautoclaim(
        keysOf(this.ctx, topic).log,
        GROUP,
        this.options.consumer,
        claimAfter,
        '0',
        'COUNT',
        BATCH,
      )) as [string, [string, string[] | null][]];
      await this.deliverEntries(
        topic,
        entries.filter((e): e is [string, string[]] => e[1] !== null),
      );
    }
  }

  private async deliverEntries(
    topic: string,
    entries: readonly [string, string[]][],
  ): Promise<void> {
    if (entries.length === 0) {
      return;
    }
    const subscriptions = await deliverableSubscriptions(this.ctx, topic);
    const k = keysOf(this.ctx, topic);
    for (const [entryId, fields] of entries) {
      const raw = fields[fields.indexOf('m') + 1];
      if (raw !== undefined) {
        const record = JSON.parse(raw) as PublishedRecord;
        const outcomes = await Promise.all(
          subscriptions.map((s) => this.deliver(topic, record, s)),
        );
        const stats = this.ctx.redis.multi();
        for (const [i, outcome] of outcomes.entries()) {
          stats.hincrby(
            k.stats,
            `${outcome}:${subscriptions[i]?.record.protocol}`,
            1,
          );
        }
        await stats.xack(k.log, GROUP, entryId).xdel(k.log, entryId).exec();
      } else {
        await this.ctx.redis
          .multi()
          .xack(k.log, GROUP, entryId)
          .xdel(k.log, entryId)
          .exec();
      }
    }
  }

  private async deliver(
    topic: string,
    record: PublishedRecord,
    subscription: { id: string; record: SubscriptionRecord },
  ): Promise<Outcome> {
    const { attributes, protocol, endpoint } = subscription.record;
    if (attributes.FilterPolicy) {
      const scope =
        attributes.FilterPolicyScope === 'MessageBody'
          ? 'MessageBody'
          : 'MessageAttributes';
      const policy = parseFilterPolicy(attributes.FilterPolicy, scope);
      const matches = matchesFilterPolicy(policy, {
        attributes: attributesOf(record),
        body: bodyFor(record, protocol),
      });
      if (!matches) {
        return 'filtered';
      }
    }
    if (protocol !== 'sqs') {
      return 'failed';
    }
    const body = bodyFor(record, protocol);
    const raw = attributes.RawMessageDelivery === 'true';
    const input = raw
      ? { body, messageAttributes: attributesOf(record) }
      : {
          body: notificationEnvelope(record, body, {
            topicArn: topicArn(this.ctx.scope, topic),
            subscriptionArn: subscriptionArn(this.ctx.scope, {
              topic,
              id: subscription.id,
            }),
            publicUrl: this.options.publicUrl,
          }),
        };
    return this.sendToQueue(endpoint, input, attributes.RedrivePolicy);
  }

  /**
   * An unreachable queue (deleted, or refusing the message) loses the
   * delivery unless the subscription names a dead-letter queue, as in SNS;
   * a Redis failure throws, so the message stays unacknowledged and retried.
   */
  private async sendToQueue(
    endpoint: string,
    input: Parameters<typeof sendMessage>[2],
    redrivePolicy: string | undefined,
  ): Promise<Outcome> {
    const queue = queueNameFromArn(this.ctx.scope, endpoint);
    try {
      if (queue === undefined) {
        return 'failed';
      }
      await sendMessage(this.ctx, queue, input);
      return 'delivered';
    } catch (error) {
      if (!isSluiceError(error)) {
        throw error;
      }
      const target = redrivePolicy
        ? (JSON.parse(redrivePolicy) as { deadLetterTargetArn?: string })
            .deadLetterTargetArn
        : undefined;
      const dlq = target && queueNameFromArn(this.ctx.scope, target);
      if (dlq) {
        await sendMessage(this.ctx, dlq, input).catch((e: unknown) => {
          if (!isSluiceError(e)) {
            throw e;
          }
        });
      }
      return 'failed';
    }
  }
}
