import { randomUUID } from 'node:crypto';
import { queueNameFromArn } from '../arn';
import type { EngineContext } from '../context';
import { SluiceError, isSluiceError } from '../errors';
import type { Page } from '../queues';
import { isFifoName } from '../queue-name';
import { okFields, replyStatus } from '../script-reply';
import { parseFilterPolicy } from './filter-policy';
import type { SubscriptionRecord } from './subscription-record';
import { isJsonObject } from './topic-attributes';
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
      `Sluice delivers to sqs (and, to come, http and https) endpoints; ${protocol} needs an AWS service and is not available here`,
    );
  }
  if (protocol === 'http' || protocol === 'https') {
    throw invalid(
      'Protocol',
      `${protocol} subscriptions are not supported by this Sluice version yet`,
    );
  }
  throw invalid('Protocol', `Unknown protocol ${protocol}`);
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
          `${REDRIVE_POLICY_ERROR}must use a FIFO queue as DLQ for a FIFO Subscription to a FIFO Topic.`,
        );
      }
      return;
    }
    case 'DeliveryPolicy':
      if (value !== '' && !isJsonObject(value)) {
        throw invalid(name);
      }
      return;
    case 'SubscriptionRoleArn':
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

const FILTER_POLICY_ERROR = 'Invalid parameter: FilterPolicy: ';
const REDRIVE_POLICY_ERROR = 'Invalid parameter: RedrivePolicy: ';

/**
 * Subscribe reports a bad filter or redrive policy under its Attributes
 * parameter ("Invalid parameter: Attributes Reason: FilterPolicy: ..."), where
 * SetSubscriptionAttributes names the attribute itself, as SNS does.
 */
function underAttributes(error: unknown): unknown {
  if (
    !isSluiceError(error) ||
    ![FILTER_POLICY_ERROR, REDRIVE_POLICY_ERROR].some((prefix) =>
      error.message.startsWith(prefix),
    )
  ) {
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

/** Subscribe: the subscription's ARN (sqs subscriptions need no confirmation). */
export async function subscribe(
  ctx: EngineContext,
  arn: string,
  input: SubscribeInput,
): Promise<string> {
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
  const record: SubscriptionRecord = {
    protocol,
    endpoint,
    owner: ctx.scope.accountId,
    pendingConfirmation: false,
    attributes,
  };
  const k = keysOf(ctx, topic);
  const reply = await ctx.scripts.run(
    'subscribe',
    [k.meta, k.subscriptions],
    [randomUUID(), protocol, endpoint, JSON.stringify(record)],
  );
  if (replyStatus(reply) === 'NotFound') {
    throw topicNotFound();
  }
  const [, id, existing] = reply as [string, string, string?];
  if (existing !== undefined) {
    const current = (JSON.parse(existing) as SubscriptionRecord).attributes;
    const differs = Object.entries(attributes).some(
      ([name, value]) => (current[name] ?? '') !== value,
    );
    if (differs) {
      throw invalid(
        'Attributes',
        'Subscription already exists with different attributes',
      );
    }
  }
  return subscriptionArn(ctx.scope, { topic, id });
}

async function readSubscription(
  ctx: EngineContext,
  ref: SubscriptionRef,
): Promise<SubscriptionRecord> {
  const raw = await ctx.redis.hget(
    keysOf(ctx, ref.topic).subscriptions,
    ref.id,
  );
  if (raw === null) {
    throw subscriptionNotFound();
  }
  return JSON.parse(raw) as SubscriptionRecord;
}

export async function unsubscribe(
  ctx: EngineContext,
  arn: string,
): Promise<void> {
  const ref = subscriptionOf(ctx.scope, arn);
  const reply = await ctx.scripts.run(
    'updateSubscription',
    [keysOf(ctx, ref.topic).subscriptions],
    [ref.id, 'delete'],
  );
  if (replyStatus(reply) === 'NotFound') {
    throw subscriptionNotFound();
  }
}

export async function getSubscriptionAttributes(
  ctx: EngineContext,
  arn: string,
): Promise<Record<string, string>> {
  const ref = subscriptionOf(ctx.scope, arn);
  const record = await readSubscription(ctx, ref);
  return {
    ...record.attributes,
    SubscriptionArn: arn,
    TopicArn: topicArn(ctx.scope, ref.topic),
    Owner: record.owner,
    Protocol: record.protocol,
    Endpoint: record.endpoint,
    PendingConfirmation: String(record.pendingConfirmation),
    ConfirmationWasAuthenticated: 'true',
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
  okFields(
    await ctx.scripts.run(
      'updateSubscription',
      [keysOf(ctx, ref.topic).subscriptions],
      [ref.id, 'set', name, value],
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
  for (let i = 0; i + 1 < pairs.length; i += 2) {
    const id = pairs[i] as string;
    const record = JSON.parse(pairs[i + 1] as string) as SubscriptionRecord;
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
