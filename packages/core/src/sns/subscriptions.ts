import { randomUUID } from 'node:crypto';
import { queueNameFromArn } from '../arn';
import type { EngineContext } from '../context';
import { SluiceError, isSluiceError } from '../errors';
import type { Page } from '../queues';
import { isFifoName } from '../queue-name';
import { okFields, replyStatus } from '../script-reply';
import {
  CONFIRM_WITHIN_MS,
  TOKEN_TTL_MS,
  confirmUnsubscribe,
  needsConfirmation,
  sendConfirmation,
  type PushContext,
} from './confirmations';
import {
  effectiveSubscriptionDeliveryPolicyJson,
  parseSubscriptionDeliveryPolicy,
  resolveDeliveryPolicy,
} from './delivery-policy';
import { parseFilterPolicy } from './filter-policy';
import { newConfirmationToken } from './push-messages';
import { newReplay, parseReplayPolicy, replayStatus } from './replay-policy';
import { hasLapsed, type SubscriptionRecord } from './subscription-record';
import {
  DEFAULT_MAX_MESSAGE_BYTES,
  LARGE_TOPIC_MAX_SUBSCRIPTIONS,
  isJsonObject,
  largeTopicProtocolError,
  largeTopicSubscriptionsError,
} from './topic-attributes';
import {
  isFifoTopicName,
  subscriptionArn,
  subscriptionNotFound,
  subscriptionOf,
  topicArn,
  topicNotFound,
  type SubscriptionRef,
} from './topic-names';
import {
  SNS_PAGE_SIZE,
  decodeSnsToken,
  encodeSnsToken,
  keysOf,
  requireTopic,
} from './topics';

function invalid(parameter: string, reason?: string): SluiceError {
  return new SluiceError(
    'InvalidParameter',
    `Invalid parameter: ${parameter}${reason ? ` Reason: ${reason}` : ''}`,
  );
}

/** Protocols SNS has that a self-hosted broker cannot deliver to. */
const UNSERVED_PROTOCOLS = [
  'sms',
  'email',
  'email-json',
  'application',
  'lambda',
  'firehose',
];

function validateEndpoint(
  ctx: EngineContext,
  fifoTopic: boolean,
  protocol: string,
  endpoint: string | undefined,
): string {
  if (fifoTopic && protocol !== 'sqs') {
    // SNS FIFO topics deliver to SQS queues (FIFO or standard) only.
    throw invalid(
      'Protocol',
      `FIFO topics support only the sqs protocol, not ${protocol}`,
    );
  }
  if (protocol === 'sqs') {
    const queue = endpoint && queueNameFromArn(ctx.scope, endpoint);
    if (!queue) {
      throw invalid('SQS endpoint ARN');
    }
    if (!fifoTopic && isFifoName(queue)) {
      throw invalid(
        'Endpoint',
        'FIFO SQS Queues can not be subscribed to standard SNS topics',
      );
    }
    return endpoint;
  }
  if (UNSERVED_PROTOCOLS.includes(protocol)) {
    throw invalid(
      'Protocol',
      `Sluice delivers to sqs, http and https endpoints; ${protocol} needs an AWS service and is not available here`,
    );
  }
  if (needsConfirmation(protocol)) {
    if (!endpoint?.startsWith(`${protocol}://`) || !URL.canParse(endpoint)) {
      throw new SluiceError(
        'InvalidParameter',
        'Invalid parameter: Endpoint must match the specified protocol',
      );
    }
    return endpoint;
  }
  throw new SluiceError(
    'InvalidParameter',
    `Invalid parameter: Amazon SNS does not support this protocol string: ${protocol}`,
  );
}

const BOOLEAN = (value: string) => value === 'true' || value === 'false';

/** What an attribute's rules depend on besides the attribute itself. */
interface SubscriptionTarget {
  readonly fifoTopic: boolean;
  readonly endpoint: string;
}

/** Checks one settable attribute against the subscription's others. */
function validateSubscriptionAttribute(
  ctx: EngineContext,
  subscription: SubscriptionTarget,
  name: string,
  value: string,
  others: Readonly<Record<string, string>>,
): void {
  switch (name) {
    case 'RawMessageDelivery':
      if (!BOOLEAN(value)) {
        throw invalid(name);
      }
      return;
    case 'FilterPolicyScope':
      if (value !== 'MessageAttributes' && value !== 'MessageBody') {
        throw invalid(name);
      }
      if (others.FilterPolicy) {
        parseFilterPolicy(others.FilterPolicy, value);
      }
      return;
    case 'FilterPolicy':
      if (value !== '') {
        parseFilterPolicy(
          value,
          others.FilterPolicyScope === 'MessageBody'
            ? 'MessageBody'
            : 'MessageAttributes',
        );
      }
      return;
    case 'RedrivePolicy': {
      if (value === '') {
        return;
      }
      const target = isJsonObject(value)
        ? (JSON.parse(value) as { deadLetterTargetArn?: unknown })
            .deadLetterTargetArn
        : undefined;
      if (
        typeof target !== 'string' ||
        queueNameFromArn(ctx.scope, target) === undefined
      ) {
        throw invalid(name, 'deadLetterTargetArn must be an SQS queue ARN');
      }
      if (
        subscription.fifoTopic &&
        isFifoName(queueNameFromArn(ctx.scope, subscription.endpoint) ?? '') &&
        !isFifoName(queueNameFromArn(ctx.scope, target) ?? '')
      ) {
        throw new SluiceError(
          'InvalidParameter',
          `Invalid parameter: RedrivePolicy: must use a FIFO queue as DLQ for a FIFO Subscription to a FIFO Topic.`,
        );
      }
      return;
    }
    case 'DeliveryPolicy':
      // validated whatever the protocol: SNS does so on sqs subscriptions too
      if (value !== '') {
        parseSubscriptionDeliveryPolicy(value);
      }
      return;
    case 'SubscriptionRoleArn':
      return;
    case 'ReplayPolicy':
      if (value !== '') {
        if (!subscription.fifoTopic) {
          throw invalid(
            name,
            'ReplayPolicy can only be set for subscriptions to FIFO topics',
          );
        }
        parseReplayPolicy(value, ctx.clock());
      }
      return;
    default:
      throw invalid('AttributeName');
  }
}

function validateSubscriptionAttributes(
  ctx: EngineContext,
  subscription: SubscriptionTarget,
  attributes: Readonly<Record<string, string>>,
): void {
  for (const [name, value] of Object.entries(attributes)) {
    validateSubscriptionAttribute(ctx, subscription, name, value, attributes);
  }
}

const POLICY_ERROR =
  /^Invalid parameter: (FilterPolicy|DeliveryPolicy|RedrivePolicy): /;

/**
 * Subscribe reports a bad filter, delivery or redrive policy under its
 * Attributes parameter ("Invalid parameter: Attributes Reason: FilterPolicy:
 * ..."), where SetSubscriptionAttributes names the policy itself, as SNS does.
 */
function underAttributes(error: unknown): unknown {
  if (!isSluiceError(error) || !POLICY_ERROR.test(error.message)) {
    return error;
  }
  return new SluiceError(
    error.code,
    `Invalid parameter: Attributes Reason: ${error.message.slice('Invalid parameter: '.length)}`,
  );
}

export interface SubscribeInput {
  readonly protocol: string;
  readonly endpoint?: string;
  readonly attributes?: Readonly<Record<string, string>>;
}

export interface Subscribed {
  readonly subscriptionArn: string;
  /** an http/https subscription waiting for its endpoint to confirm */
  readonly pendingConfirmation: boolean;
}

/**
 * Subscribe. An http/https subscription starts pending: its endpoint is sent
 * a SubscriptionConfirmation (again each time it subscribes while pending),
 * and nothing is delivered until it is confirmed.
 */
export async function subscribe(
  ctx: EngineContext,
  arn: string,
  input: SubscribeInput,
  push: PushContext | undefined,
): Promise<Subscribed> {
  const topic = await requireTopic(ctx, arn);
  const protocol = input.protocol.toLowerCase();
  const fifoTopic = isFifoTopicName(topic);
  const endpoint = validateEndpoint(ctx, fifoTopic, protocol, input.endpoint);
  const attributes = { ...input.attributes };
  try {
    validateSubscriptionAttributes(ctx, { fifoTopic, endpoint }, attributes);
  } catch (error) {
    throw underAttributes(error);
  }
  const pending = needsConfirmation(protocol);
  if (pending && !push) {
    throw invalid(
      'Protocol',
      `${protocol} subscriptions need a running broker to confirm them`,
    );
  }
  const now = ctx.clock();
  const record: SubscriptionRecord = {
    protocol,
    endpoint,
    owner: ctx.scope.accountId,
    pendingConfirmation: pending,
    ...(pending && {
      confirmBy: now + CONFIRM_WITHIN_MS,
      confirmationWasAuthenticated: false,
    }),
    attributes,
  };
  const token = pending ? newConfirmationToken() : '';
  const replay = await newReplay(ctx, topic, attributes.ReplayPolicy);
  const k = keysOf(ctx, topic);
  const reply = await ctx.scripts.run(
    'subscribe',
    [k.meta, k.subscriptions, k.confirmation(token), k.replays],
    [
      randomUUID(),
      protocol,
      endpoint,
      JSON.stringify(record),
      pending ? '{}' : '',
      TOKEN_TTL_MS,
      now,
      DEFAULT_MAX_MESSAGE_BYTES,
      LARGE_TOPIC_MAX_SUBSCRIPTIONS,
      replay,
    ],
  );
  switch (replyStatus(reply)) {
    case 'NotFound':
      throw topicNotFound();
    case 'LargeTopicProtocol':
      throw largeTopicProtocolError([protocol]);
    case 'LargeTopicFull':
      throw largeTopicSubscriptionsError();
  }
  const [, id, existing] = reply as [string, string, string?];
  const current = existing
    ? (JSON.parse(existing) as SubscriptionRecord)
    : record;
  if (existing !== undefined) {
    const differs = Object.entries(attributes).some(
      ([name, value]) => (current.attributes[name] ?? '') !== value,
    );
    if (differs) {
      throw invalid(
        'Attributes',
        'Subscription already exists with different attributes',
      );
    }
  }
  if (current.pendingConfirmation && push) {
    await sendConfirmation(
      ctx,
      push,
      topic,
      { id, record: current },
      'SubscriptionConfirmation',
      token,
    );
  }
  return {
    subscriptionArn: subscriptionArn(ctx.scope, { topic, id }),
    pendingConfirmation: current.pendingConfirmation,
  };
}

async function readSubscription(
  ctx: EngineContext,
  ref: SubscriptionRef,
): Promise<SubscriptionRecord> {
  const raw = await ctx.redis.hget(
    keysOf(ctx, ref.topic).subscriptions,
    ref.id,
  );
  const record =
    raw === null ? undefined : (JSON.parse(raw) as SubscriptionRecord);
  if (!record || hasLapsed(record, ctx.clock())) {
    throw subscriptionNotFound();
  }
  return record;
}

/**
 * Unsubscribe. A confirmed http/https endpoint is sent an
 * UnsubscribeConfirmation whose SubscribeURL restores the subscription.
 */
export async function unsubscribe(
  ctx: EngineContext,
  arn: string,
  push: PushContext | undefined,
): Promise<void> {
  const ref = subscriptionOf(ctx.scope, arn);
  const k = keysOf(ctx, ref.topic);
  const reply = await ctx.scripts.run(
    'updateSubscription',
    [k.subscriptions, k.replays],
    [ref.id, 'delete'],
  );
  if (replyStatus(reply) === 'NotFound') {
    throw subscriptionNotFound();
  }
  const [, raw] = reply as [string, string];
  const record = JSON.parse(raw) as SubscriptionRecord;
  if (
    push &&
    needsConfirmation(record.protocol) &&
    !record.pendingConfirmation
  ) {
    await confirmUnsubscribe(ctx, push, ref.topic, { id: ref.id, raw });
  }
}

/** SNS reports an EffectiveDeliveryPolicy for HTTP/S subscriptions only. */
async function effectiveDeliveryPolicy(
  ctx: EngineContext,
  topic: string,
  record: SubscriptionRecord,
): Promise<{ EffectiveDeliveryPolicy?: string }> {
  if (record.protocol !== 'http' && record.protocol !== 'https') {
    return {};
  }
  const topicPolicy = await ctx.redis.hget(
    keysOf(ctx, topic).meta,
    'DeliveryPolicy',
  );
  const policy = resolveDeliveryPolicy({
    subscription: record.attributes.DeliveryPolicy,
    topic: topicPolicy ?? undefined,
  });
  return {
    EffectiveDeliveryPolicy: effectiveSubscriptionDeliveryPolicyJson(policy),
  };
}

export async function getSubscriptionAttributes(
  ctx: EngineContext,
  arn: string,
): Promise<Record<string, string>> {
  const ref = subscriptionOf(ctx.scope, arn);
  const record = await readSubscription(ctx, ref);
  return {
    ...(await effectiveDeliveryPolicy(ctx, ref.topic, record)),
    ...(await replayStatus(ctx, ref.topic, ref.id)),
    ...record.attributes,
    SubscriptionArn: arn,
    TopicArn: topicArn(ctx.scope, ref.topic),
    Owner: record.owner,
    Protocol: record.protocol,
    Endpoint: record.endpoint,
    PendingConfirmation: String(record.pendingConfirmation),
    ConfirmationWasAuthenticated: String(
      record.confirmationWasAuthenticated ?? true,
    ),
    RawMessageDelivery: record.attributes.RawMessageDelivery ?? 'false',
  };
}

export async function setSubscriptionAttributes(
  ctx: EngineContext,
  arn: string,
  name: string,
  value: string,
): Promise<void> {
  const ref = subscriptionOf(ctx.scope, arn);
  const record = await readSubscription(ctx, ref);
  validateSubscriptionAttribute(
    ctx,
    { fifoTopic: isFifoTopicName(ref.topic), endpoint: record.endpoint },
    name,
    value,
    record.attributes,
  );
  const replay =
    name === 'ReplayPolicy' ? await newReplay(ctx, ref.topic, value) : '';
  const k = keysOf(ctx, ref.topic);
  okFields(
    await ctx.scripts.run(
      'updateSubscription',
      [k.subscriptions, k.replays],
      [ref.id, 'set', name, value, replay],
    ),
  );
}

export interface SubscriptionSummary {
  readonly subscriptionArn: string;
  readonly owner: string;
  readonly protocol: string;
  readonly endpoint: string;
  readonly topicArn: string;
}

function summaries(
  ctx: EngineContext,
  topic: string,
  pairs: readonly string[],
): SubscriptionSummary[] {
  const out: SubscriptionSummary[] = [];
  const now = ctx.clock();
  for (let i = 0; i + 1 < pairs.length; i += 2) {
    const id = pairs[i] as string;
    const record = JSON.parse(pairs[i + 1] as string) as SubscriptionRecord;
    if (hasLapsed(record, now)) {
      continue;
    }
    out.push({
      subscriptionArn: record.pendingConfirmation
        ? 'PendingConfirmation'
        : subscriptionArn(ctx.scope, { topic, id }),
      owner: record.owner,
      protocol: record.protocol,
      endpoint: record.endpoint,
      topicArn: topicArn(ctx.scope, topic),
    });
  }
  return out.sort((a, b) => a.subscriptionArn.localeCompare(b.subscriptionArn));
}

/** One page of summaries after the token ("<topic>:<id>" of the last one). */
function pageAfter(
  all: readonly SubscriptionSummary[],
  token: string | undefined,
): Page<SubscriptionSummary> {
  const after = decodeSnsToken(token);
  const rest =
    after === undefined
      ? all
      : all.filter(
          (s) => s.subscriptionArn.split(':').slice(5).join(':') > after,
        );
  const items = rest.slice(0, SNS_PAGE_SIZE);
  const last = items[items.length - 1];
  return rest.length > SNS_PAGE_SIZE && last
    ? {
        items,
        nextToken: encodeSnsToken(
          last.subscriptionArn.split(':').slice(5).join(':'),
        ),
      }
    : { items };
}

export async function listSubscriptionsByTopic(
  ctx: EngineContext,
  arn: string,
  nextToken?: string,
): Promise<Page<SubscriptionSummary>> {
  const topic = await requireTopic(ctx, arn);
  const pairs = await ctx.redis.hgetall(keysOf(ctx, topic).subscriptions);
  return pageAfter(
    summaries(ctx, topic, Object.entries(pairs).flat()),
    nextToken,
  );
}

export async function listSubscriptions(
  ctx: EngineContext,
  nextToken?: string,
): Promise<Page<SubscriptionSummary>> {
  const topics = await ctx.redis.zrange(ctx.global.topics, 0, -1);
  const pipeline = ctx.redis.pipeline();
  for (const topic of topics) {
    pipeline.hgetall(keysOf(ctx, topic).subscriptions);
  }
  const results = (await pipeline.exec()) ?? [];
  const all = topics.flatMap((topic, i) =>
    summaries(
      ctx,
      topic,
      Object.entries((results[i]?.[1] ?? {}) as Record<string, string>).flat(),
    ),
  );
  return pageAfter(all, nextToken);
}

/** The confirmed subscriptions of a topic with their ids, for fan-out. */
export async function deliverableSubscriptions(
  ctx: EngineContext,
  topic: string,
): Promise<{ id: string; record: SubscriptionRecord }[]> {
  const pairs = await ctx.redis.hgetall(keysOf(ctx, topic).subscriptions);
  return Object.entries(pairs)
    .map(([id, raw]) => ({ id, record: JSON.parse(raw) as SubscriptionRecord }))
    .filter((s) => !s.record.pendingConfirmation);
}
