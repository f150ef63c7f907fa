import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { queueNameFromArn } from '../arn';
import type { EngineContext } from '../context';
import { isSluiceError } from '../errors';
import { MAX_BATCH_ENTRIES } from '../batch-validation';
import type { SendMessageInput } from '../message-types';
import { messageSize } from '../message-validation';
import { isFifoName } from '../queue-name';
import { okFields } from '../script-reply';
import {
  MAX_BATCH_BYTES,
  enqueue,
  prepare,
  type PreparedMessage,
} from '../send';
import { needsConfirmation, type PushContext } from './confirmations';
import { deadLetter, withNewId } from './dead-letter';
import {
  bodyFor,
  notificationEnvelope,
  notificationSignature,
  type EnvelopeContext,
} from './envelope';
import {
  matchesFilterPolicy,
  parseFilterPolicy,
  type FilterPolicy,
  type FilterPolicyScope,
} from './filter-policy';
import { attributesOf, type PublishedRecord } from './published-record';
import { notificationPush } from './push-messages';
import { pausesLiveDelivery, type ReplayState } from './replay-policy';
import type { SignatureFields } from './signing';
import type { SubscriptionRecord } from './subscription-record';
import { deliverableSubscriptions } from './subscriptions';
import { isFifoTopicName, subscriptionArn, topicArn } from './topic-names';
import { topicSigner } from './topic-signer';
import { FANOUT_GROUP, keysOf } from './topics';

export interface FanoutOptions {
  /** this worker's name in the logs' consumer group */
  readonly consumer: string;
  /** the broker's public URL, for Unsubscribe links */
  readonly publicUrl: string;
  /** ms a delivery may stay unacknowledged before another worker takes it */
  readonly claimAfterMs?: number;
  /** told of delivery failures that will be retried */
  readonly onError?: (error: unknown) => void;
  /** how http/https subscriptions are reached; without it they are not */
  readonly push?: PushContext;
}

const GROUP = FANOUT_GROUP;
const BLOCK_MS = 500;
/** how long a read waits for new messages while replays have work to do */
const REPLAY_BLOCK_MS = 10;
const BATCH = 100;

type Outcome = 'delivered' | 'filtered' | 'failed';

/** A notification's signature for a body a protocol gets. */
type NotificationSigner = (
  record: PublishedRecord,
  protocol: string,
  body: string,
) => SignatureFields;

/** A log entry as XREADGROUP and XAUTOCLAIM give it (null: deleted since). */
type LogEntry = readonly [string, string[] | null];

/**
 * Delivers what topics' logs record to their subscriptions. Every broker
 * process runs one; they share each log's consumer group, so a message goes
 * to one worker, which sends it to every matching subscription and then
 * acknowledges it (and deletes it, unless the topic archives its messages). A worker that dies before acknowledging
 * leaves the message pending; after `claimAfterMs` another worker claims and
 * delivers it again: at least once, never lost. Topics in different Cluster
 * slots are read in one blocking call for now (single-node Redis).
 *
 * A FIFO topic is fanned out by one worker at a time, the holder of its
 * lease (renewed every round, lost after `claimAfterMs` without renewal).
 * Before reading anything new it delivers, oldest first, every entry still
 * pending: on taking the lease those another worker left, after a failed
 * delivery its own. So no message overtakes an earlier one of its group, and
 * what is delivered twice carries the same deduplication id, which a FIFO
 * queue drops within its 5-minute window.
 *
 * The lease holder also runs a FIFO topic's replays (ReplayPolicy): each
 * round, one chunk of the archived log per replaying subscription, which
 * gets nothing live until its replay has caught up with what the group read.
 */
export class FanoutWorker {
  private running = false;
  private loop: Promise<void> | undefined;
  private lastClaim = 0;
  /** FIFO topics whose lease this worker holds */
  private readonly leased = new Set<string>();
  /** leased FIFO topics whose pending entries go out before anything new */
  private readonly backlog = new Set<string>();
  /** whether the last round left replays with work to do */
  private replaying = false;

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
    await Promise.all(
      [...this.leased].map((topic) => this.lease(topic, 'release')),
    ).catch((error: unknown) => this.options.onError?.(error));
    this.reader.disconnect();
  }

  private get claimAfter(): number {
    return this.options.claimAfterMs ?? 30_000;
  }

  private async lease(
    topic: string,
    action: 'take' | 'release',
  ): Promise<string> {
    const [state] = okFields(
      await this.ctx.scripts.run(
        'leaseTopic',
        [keysOf(this.ctx, topic).lease],
        [this.options.consumer, action, this.claimAfter],
      ),
    ) as [string];
    return state;
  }

  /** Takes or renews the leases of FIFO topics nobody else holds. */
  private async leaseFifoTopics(topics: readonly string[]): Promise<void> {
    const fifo = new Set(topics.filter(isFifoTopicName));
    for (const topic of this.leased) {
      if (!fifo.has(topic)) {
        this.leased.delete(topic);
        this.backlog.delete(topic);
      }
    }
    await Promise.all(
      [...fifo].map(async (topic) => {
        const state = await this.lease(topic, 'take');
        if (state === 'held') {
          this.leased.delete(topic);
          this.backlog.delete(topic);
          return;
        }
        if (state === 'acquired') {
          await this.claimAllPending(topic);
          this.backlog.add(topic);
        }
        this.leased.add(topic);
      }),
    );
  }

  /** Makes every pending entry of a FIFO topic this worker's own. */
  private async claimAllPending(topic: string): Promise<void> {
    const log = keysOf(this.ctx, topic).log;
    let cursor = '0-0';
    do {
      [cursor] = (await this.ctx.redis.xautoclaim(
        log,
        GROUP,
        this.options.consumer,
        0,
        cursor,
        'COUNT',
        BATCH,
        'JUSTID',
      )) as [string, unknown];
    } while (cursor !== '0-0');
  }

  /** Delivers this worker's pending entries of FIFO topics, oldest first. */
  private async deliverBacklogs(): Promise<void> {
    for (const topic of [...this.backlog]) {
      const log = keysOf(this.ctx, topic).log;
      for (;;) {
        const reply = (await this.reader.xreadgroup(
          'GROUP',
          GROUP,
          this.options.consumer,
          'COUNT',
          BATCH,
          'STREAMS',
          log,
          '0',
        )) as [string, LogEntry[]][] | null;
        const entries = reply?.[0]?.[1] ?? [];
        if (entries.length === 0) {
          break;
        }
        await this.deliverEntries(topic, entries);
      }
      this.backlog.delete(topic);
    }
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
    const all = await this.ctx.redis.zrange(this.ctx.global.topics, 0, -1);
    await this.leaseFifoTopics(all);
    await this.deliverBacklogs();
    const topics = all.filter(
      (t) =>
        !isFifoTopicName(t) || (this.leased.has(t) && !this.backlog.has(t)),
    );
    const replays = await Promise.all(
      topics.filter(isFifoTopicName).map((t) => this.replayRound(t)),
    );
    this.replaying = replays.includes(true);
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
      this.replaying ? REPLAY_BLOCK_MS : BLOCK_MS,
      'STREAMS',
      ...logs,
      ...logs.map(() => '>'),
    )) as [string, [string, string[]][]][] | null;
    for (const [log, entries] of reply ?? []) {
      const topic = topics[logs.indexOf(log)];
      if (topic === undefined) {
        continue;
      }
      try {
        await this.deliverEntries(topic, entries);
      } catch (error) {
        if (isFifoTopicName(topic)) {
          this.backlog.add(topic);
        }
        throw error;
      }
    }
  }

  /**
   * Takes over deliveries a stopped worker left unacknowledged on standard
   * topics (a FIFO topic's lease holder delivers its pending entries first).
   */
  private async claimStale(): Promise<void> {
    const claimAfter = this.claimAfter;
    if (Date.now() - this.lastClaim < Math.min(claimAfter, 10_000)) {
      return;
    }
    this.lastClaim = Date.now();
    const topics = await this.ctx.redis.zrange(this.ctx.global.topics, 0, -1);
    for (const topic of topics.filter((t) => !isFifoTopicName(t))) {
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
    entries: readonly LogEntry[],
  ): Promise<void> {
    if (entries.length === 0) {
      return;
    }
    const records = entries.flatMap(([, fields]) => {
      const record = fields && recordOf(fields);
      return record ? [record] : [];
    });
    const paused = await this.replayingSubscriptions(topic);
    const subscriptions = (
      await deliverableSubscriptions(this.ctx, topic)
    ).filter((s) => !paused.has(s.id));
    const sign = await this.notificationSigner(topic);
    const counts = new Map<string, number>();
    const rawMessages = new Map<string, PreparedMessage | undefined>();
    const count = (outcome: Outcome, protocol: string, n: number) => {
      const key = `${outcome}:${protocol}`;
      counts.set(key, (counts.get(key) ?? 0) + n);
    };
    await Promise.all(
      subscriptions.map(async (subscription) => {
        const { protocol } = subscription.record;
        const wanted = records.filter((r) =>
          this.wants(subscription.record, r),
        );
        count('filtered', protocol, records.length - wanted.length);
        const delivered = await this.deliverAll(
          topic,
          subscription,
          wanted,
          rawMessages,
          sign,
        );
        if (delivered !== undefined) {
          count('delivered', protocol, delivered);
          count('failed', protocol, wanted.length - delivered);
        }
      }),
    );
    const k = keysOf(this.ctx, topic);
    const counters = [...counts].filter(([, n]) => n > 0);
    await this.ctx.scripts.run(
      'acknowledgeEntries',
      [k.log, k.meta, k.stats],
      [
        GROUP,
        this.ctx.clock(),
        counters.length,
        ...counters.flat(),
        ...entries.map(([id]) => id),
      ],
    );
  }

  /** Subscriptions of a FIFO topic that get nothing live: they replay. */
  private async replayingSubscriptions(topic: string): Promise<Set<string>> {
    if (!isFifoTopicName(topic)) {
      return new Set();
    }
    const replays = await this.replays(topic);
    return new Set(
      [...replays].filter(([, r]) => pausesLiveDelivery(r)).map(([id]) => id),
    );
  }

  private async replays(topic: string): Promise<Map<string, ReplayState>> {
    const raw = await this.ctx.redis.hgetall(keysOf(this.ctx, topic).replays);
    return new Map(
      Object.entries(raw).map(([id, json]) => [
        id,
        JSON.parse(json) as ReplayState,
      ]),
    );
  }

  /**
   * One chunk of each running replay of a leased FIFO topic; returns whether
   * any replay has work left. A replay fails when the topic stops archiving.
   */
  private async replayRound(topic: string): Promise<boolean> {
    const running = [...(await this.replays(topic))].filter(
      ([, r]) => r.status === 'Pending' || r.status === 'In progress',
    );
    if (running.length === 0) {
      return false;
    }
    const k = keysOf(this.ctx, topic);
    const archived = await this.ctx.redis.hexists(k.meta, 'archive_ms');
    const subscriptions = await deliverableSubscriptions(this.ctx, topic);
    const sign = await this.notificationSigner(topic);
    let more = false;
    for (const [id, replay] of running) {
      const subscription = subscriptions.find((s) => s.id === id);
      if (!subscription) {
        continue;
      }
      const next = archived
        ? await this.replayChunk(topic, subscription, replay, sign)
        : { ...replay, status: 'Failed' as const };
      await this.ctx.scripts.run(
        'updateReplay',
        [k.replays],
        [id, replay.id, JSON.stringify(next)],
      );
      more ||= next.status === 'In progress';
    }
    return more;
  }

  /**
   * Sends one subscription the next archived entries of its replay, up to
   * its EndingPoint or, without one, to the last entry the group read (what
   * comes after, live delivery brings once the replay is complete).
   */
  private async replayChunk(
    topic: string,
    subscription: { id: string; record: SubscriptionRecord },
    replay: ReplayState,
    sign: NotificationSigner,
  ): Promise<ReplayState> {
    const k = keysOf(this.ctx, topic);
    const until =
      replay.end !== undefined
        ? String(replay.end)
        : await this.lastDeliveredId(k.log);
    const entries = await this.ctx.redis.xrange(
      k.log,
      replay.next,
      until,
      'COUNT',
      BATCH,
    );
    const records = entries.flatMap(([, fields]) => {
      const record = recordOf(fields);
      return record && this.wants(subscription.record, record) ? [record] : [];
    });
    const delivered = await this.deliverAll(
      topic,
      subscription,
      records,
      new Map(),
      sign,
      replay.id,
    );
    if (delivered) {
      await this.ctx.redis.hincrby(
        k.stats,
        `replayed:${subscription.record.protocol}`,
        delivered,
      );
    }
    const last = entries[entries.length - 1]?.[0];
    const done =
      entries.length < BATCH &&
      (replay.end === undefined || this.ctx.clock() > replay.end);
    return {
      ...replay,
      status: done ? 'Completed' : 'In progress',
      next: last === undefined ? replay.next : `(${last}`,
    };
  }

  private async lastDeliveredId(log: string): Promise<string> {
    const groups = (await this.ctx.redis.xinfo('GROUPS', log)) as unknown[][];
    for (const info of groups) {
      const field = (name: string) => info[info.indexOf(name) + 1];
      if (field('name') === GROUP) {
        return String(field('last-delivered-id'));
      }
    }
    return '0-0';
  }

  /**
   * Signs each message once per read and protocol, however many
   * subscriptions get it: the signature covers no subscription's field.
   */
  private async notificationSigner(topic: string): Promise<NotificationSigner> {
    const arn = topicArn(this.ctx.scope, topic);
    const signer = await topicSigner(this.ctx, topic, this.options.publicUrl);
    const signatures = new Map<string, SignatureFields>();
    return (record, protocol, body) =>
      cached(signatures, `${record.id}\n${protocol}`, () =>
        notificationSignature(record, body, arn, signer),
      );
  }

  /** Whether the subscription's filter policy lets the message through. */
  private wants(
    subscription: SubscriptionRecord,
    record: PublishedRecord,
  ): boolean {
    const { FilterPolicy, FilterPolicyScope } = subscription.attributes;
    if (!FilterPolicy) {
      return true;
    }
    const policy = this.policy(
      FilterPolicy,
      FilterPolicyScope === 'MessageBody' ? 'MessageBody' : 'MessageAttributes',
    );
    return matchesFilterPolicy(policy, {
      attributes: attributesOf(record),
      body: bodyFor(record, subscription.protocol),
    });
  }

  /** Parsed policies by their text: a policy is parsed once, not per message. */
  private readonly policies = new Map<string, FilterPolicy>();

  private policy(text: string, scope: FilterPolicyScope): FilterPolicy {
    const key = `${scope}\n${text}`;
    let policy = this.policies.get(key);
    if (!policy) {
      policy = parseFilterPolicy(text, scope);
      if (this.policies.size > 1000) {
        this.policies.clear();
      }
      this.policies.set(key, policy);
    }
    return policy;
  }

  /** What envelopes for one subscription carry besides the message. */
  private envelopeContext(topic: string, id: string): EnvelopeContext {
    return {
      topicArn: topicArn(this.ctx.scope, topic),
      subscriptionArn: subscriptionArn(this.ctx.scope, { topic, id }),
      publicUrl: this.options.publicUrl,
    };
  }

  /**
   * Sends messages to one subscription; returns how many it delivered, or
   * undefined for http/https subscriptions, whose transport reports each
   * outcome when it knows it.
   */
  private async deliverAll(
    topic: string,
    subscription: { id: string; record: SubscriptionRecord },
    records: readonly PublishedRecord[],
    rawMessages: Map<string, PreparedMessage | undefined>,
    sign: NotificationSigner,
    replay?: string,
  ): Promise<number | undefined> {
    const { attributes, protocol, endpoint } = subscription.record;
    if (needsConfirmation(protocol)) {
      return this.pushAll(topic, subscription, records, sign);
    }
    if (records.length === 0 || protocol !== 'sqs') {
      return 0;
    }
    const fifoQueue = isFifoName(
      queueNameFromArn(this.ctx.scope, endpoint) ?? '',
    );
    const fifoTopic = isFifoTopicName(topic);
    const raw = attributes.RawMessageDelivery === 'true';
    const context = {
      ...this.envelopeContext(topic, subscription.id),
      replayed: replay !== undefined,
    };
    const messages = records.flatMap((record) => {
      const body = bodyFor(record, protocol);
      const messageAttributes = attributesOf(record);
      // The queue's MaximumMessageSize weighs the notification's message and
      // attributes, not the envelope round them: a topic's 1 MiB message
      // reaches a 1 MiB queue either way.
      const size = messageSize(body, messageAttributes);
      // A raw message is the same for every subscription: validated, hashed
      // and encoded once per read, with an id of its own per queue.
      const fields = queueFields(record, fifoQueue, fifoTopic, replay);
      const prepared = raw
        ? cached(rawMessages, `${record.id}\n${protocol}\n${fifoQueue}`, () =>
            this.prepare(
              fifoQueue,
              { body, messageAttributes, ...fields },
              size,
            ),
          )
        : this.prepare(
            fifoQueue,
            {
              body: notificationEnvelope(
                record,
                body,
                context,
                sign(record, protocol, body),
              ),
              ...fields,
            },
            size,
          );
      return prepared ? [withNewId(prepared)] : [];
    });
    let delivered = 0;
    for (const chunk of sendBatches(messages)) {
      delivered += await this.sendToQueue(
        endpoint,
        chunk,
        attributes.RedrivePolicy,
      );
    }
    return delivered;
  }

  /**
   * Hands messages for an http/https subscription to the push transport,
   * which retries them on the subscription's delivery policy. Accepted
   * there, they are durable, so the log entry can be acknowledged.
   */
  private async pushAll(
    topic: string,
    subscription: { id: string; record: SubscriptionRecord },
    records: readonly PublishedRecord[],
    sign: NotificationSigner,
  ): Promise<number | undefined> {
    const { push } = this.options;
    if (!push) {
      return 0;
    }
    if (records.length === 0) {
      return undefined;
    }
    const { record } = subscription;
    const context = this.envelopeContext(topic, subscription.id);
    const target = {
      ...context,
      record,
      policy: await push.policyFor(topic, record),
    };
    const raw = record.attributes.RawMessageDelivery === 'true';
    await push.transport.push(
      records.map((published) => {
        const body = bodyFor(published, record.protocol);
        return notificationPush(
          target,
          published,
          raw
            ? body
            : notificationEnvelope(
                published,
                body,
                context,
                sign(published, record.protocol, body),
              ),
        );
      }),
    );
    return undefined;
  }

  /** A message a queue would refuse whatever its state is not delivered. */
  private prepare(
    fifo: boolean,
    input: SendMessageInput,
    size: number,
  ): PreparedMessage | undefined {
    try {
      return prepare(this.ctx, fifo, input, size);
    } catch (error) {
      if (!isSluiceError(error)) {
        throw error;
      }
      return undefined;
    }
  }

  /**
   * Up to ten messages to a subscribed queue; returns how many it took. An
   * unreachable queue (deleted, or refusing a message) loses the delivery
   * unless the subscription names a dead-letter queue, as in SNS; a Redis
   * failure throws, so the messages stay unacknowledged and are retried.
   */
  private async sendToQueue(
    endpoint: string,
    messages: readonly PreparedMessage[],
    redrivePolicy: string | undefined,
  ): Promise<number> {
    const queue = queueNameFromArn(this.ctx.scope, endpoint);
    let refused: readonly PreparedMessage[] = messages;
    if (queue !== undefined) {
      try {
        const { results } = await enqueue(this.ctx, queue, messages);
        refused = messages.filter((_, i) => results[i] === undefined);
      } catch (error) {
        if (!isSluiceError(error)) {
          throw error;
        }
      }
    }
    await deadLetter(this.ctx, redrivePolicy, refused);
    return messages.length - refused.length;
  }
}

/** A log entry's record: the JSON (`m`) and a FIFO sequence number (`s`). */
function recordOf(fields: readonly string[]): PublishedRecord | undefined {
  let raw: string | undefined;
  let sequenceNumber: string | undefined;
  for (let i = 0; i + 1 < fields.length; i += 2) {
    if (fields[i] === 'm') {
      raw = fields[i + 1];
    } else if (fields[i] === 's') {
      sequenceNumber = fields[i + 1];
    }
  }
  if (raw === undefined) {
    return undefined;
  }
  const record = JSON.parse(raw) as PublishedRecord;
  return sequenceNumber === undefined ? record : { ...record, sequenceNumber };
}

/**
 * What SNS passes a queue beside the body: a FIFO queue gets the group and
 * deduplication ids (so it keeps each group's order and drops a redelivery);
 * a standard queue gets the group id of a standard topic's message (fair
 * queues) but none of a FIFO topic's. A replay gives each message a
 * deduplication id of its own (the same for every attempt of that replay),
 * so the queue's 5-minute window does not drop what a replay resends.
 */
function queueFields(
  record: PublishedRecord,
  fifoQueue: boolean,
  fifoTopic: boolean,
  replay: string | undefined,
): Pick<SendMessageInput, 'messageGroupId' | 'messageDeduplicationId'> {
  if (fifoQueue) {
    return {
      messageGroupId: record.group,
      messageDeduplicationId:
        replay === undefined
          ? record.dedup
          : replayDeduplicationId(replay, record),
    };
  }
  return !fifoTopic && record.group !== undefined
    ? { messageGroupId: record.group }
    : {};
}

function replayDeduplicationId(
  replay: string,
  record: PublishedRecord,
): string {
  return createHash('sha256')
    .update(`${replay}\n${record.dedup ?? record.id}`)
    .digest('hex');
}

function cached<T>(map: Map<string, T>, key: string, make: () => T): T {
  if (!map.has(key)) {
    map.set(key, make());
  }
  return map.get(key) as T;
}

/** SendMessageBatch's limits: ten entries and MAX_BATCH_BYTES in all. */
function* sendBatches(
  messages: readonly PreparedMessage[],
): Generator<PreparedMessage[]> {
  let chunk: PreparedMessage[] = [];
  let bytes = 0;
  for (const message of messages) {
    if (
      chunk.length === MAX_BATCH_ENTRIES ||
      (chunk.length > 0 && bytes + message.size > MAX_BATCH_BYTES)
    ) {
      yield chunk;
      chunk = [];
      bytes = 0;
    }
    chunk.push(message);
    bytes += message.size;
  }
  if (chunk.length > 0) {
    yield chunk;
  }
}
