import type { EngineContext } from '../context';
import { SluiceError } from '../errors';
import { topicKeys, type TopicKeys } from '../keys';
import { pairsToRecord, type Page, type PageOptions } from '../queues';
import { replyStatus } from '../script-reply';
import { validateTags, type Tags } from '../tags';
import {
  DAY_MS,
  beginningArchiveTime,
  parseArchivePolicy,
} from './archive-policy';
import { effectiveTopicDeliveryPolicyJson } from './delivery-policy';
import {
  DEFAULT_MAX_MESSAGE_BYTES,
  LARGE_TOPIC_MAX_SUBSCRIPTIONS,
  defaultTopicPolicy,
  largeTopicProtocolError,
  largeTopicSubscriptionsError,
  requestsFifoTopic,
  validateTopicAttributes,
} from './topic-attributes';
import {
  isFifoTopicName,
  topicArn,
  topicNameOf,
  topicNotFound,
  validateTopicName,
} from './topic-names';
import { hasLapsed, type SubscriptionRecord } from './subscription-record';
import { SNS_TAG_ERRORS } from './topic-tags';

/** The consumer group of every topic's log (created by createTopic). */
export const FANOUT_GROUP = 'fanout';

/** SNS pages ListTopics and ListSubscriptions by 100. */
export const SNS_PAGE_SIZE = 100;

export function keysOf(ctx: EngineContext, topic: string): TopicKeys {
  return topicKeys(ctx.prefix, topic);
}

export async function createTopic(
  ctx: EngineContext,
  name: string,
  attributes: Readonly<Record<string, string>> = {},
  tags: Tags = {},
): Promise<string> {
  const fifo = requestsFifoTopic(attributes);
  validateTopicName(name, fifo);
  const given = validateTopicAttributes(attributes, 'create', fifo);
  validateTags(tags, SNS_TAG_ERRORS);
  const k = keysOf(ctx, name);
  const now = ctx.clock();
  const { ArchivePolicy: archivePolicy, ...rest } = given;
  const stored = { ...rest, ...archiveFields(archivePolicy, now) };
  const reply = await ctx.scripts.run(
    'createTopic',
    [k.meta, k.tags, k.log, ctx.global.topics],
    [
      now,
      name,
      Object.keys(stored).length,
      ...Object.entries(stored).flat(),
      ...Object.entries(tags).flat(),
    ],
  );
  if (replyStatus(reply) === 'exists') {
    const existing = pairsToRecord((reply as string[]).slice(1));
    // Only what the caller gave is compared, not the defaults filled in.
    for (const [attribute, value] of Object.entries(given)) {
      if (!(attribute in attributes)) {
        continue;
      }
      if ((existing[attribute] ?? '') !== value) {
        throw new SluiceError(
          'InvalidParameter',
          'Invalid parameter: Attributes Reason: Topic already exists with different attributes',
        );
      }
    }
  }
  return topicArn(ctx.scope, name);
}

/**
 * An ArchivePolicy's meta fields: the policy, the retention for Lua
 * (`archive_ms`) and when archiving began. `{}` stores nothing.
 */
function archiveFields(
  policy: string | undefined,
  now: number,
): Record<string, string> {
  const days = policy === undefined ? undefined : parseArchivePolicy(policy);
  if (policy === undefined || days === undefined) {
    return {};
  }
  return {
    ArchivePolicy: policy,
    archive_ms: String(days * DAY_MS),
    archive_since: String(now),
  };
}

export async function deleteTopic(
  ctx: EngineContext,
  arn: string,
): Promise<void> {
  const name = topicNameOf(ctx.scope, arn);
  const k = keysOf(ctx, name);
  await ctx.scripts.run(
    'deleteTopic',
    [
      k.meta,
      k.tags,
      k.subscriptions,
      k.log,
      k.stats,
      ctx.global.topics,
      k.dedup,
      k.dedupExpiry,
      k.lease,
      k.replays,
    ],
    [name],
  );
}

/** The topic's name, after checking it exists. */
export async function requireTopic(
  ctx: EngineContext,
  arn: string | undefined,
  parameter = 'TopicArn',
): Promise<string> {
  const name = topicNameOf(ctx.scope, arn, parameter);
  if ((await ctx.redis.exists(keysOf(ctx, name).meta)) === 0) {
    throw topicNotFound();
  }
  return name;
}

/** Names in order after a token (a base64url name), a page at a time. */
export function decodeSnsToken(token: string | undefined): string | undefined {
  if (token === undefined || token === '') {
    return undefined;
  }
  const name = Buffer.from(token, 'base64url').toString('utf8');
  if (!/^[A-Za-z0-9_.:-]{1,600}$/.test(name)) {
    throw new SluiceError('InvalidParameter', 'Invalid parameter: NextToken');
  }
  return name;
}

export function encodeSnsToken(last: string): string {
  return Buffer.from(last).toString('base64url');
}

export async function listTopics(
  ctx: EngineContext,
  options: Pick<PageOptions, 'nextToken'> = {},
): Promise<Page<string>> {
  const after = decodeSnsToken(options.nextToken);
  const names = await ctx.redis.zrangebylex(
    ctx.global.topics,
    after === undefined ? '-' : `(${after}`,
    '+',
    'LIMIT',
    0,
    SNS_PAGE_SIZE + 1,
  );
  const more = names.length > SNS_PAGE_SIZE;
  const page = names.slice(0, SNS_PAGE_SIZE);
  return {
    items: page.map((name) => topicArn(ctx.scope, name)),
    ...(more && { nextToken: encodeSnsToken(page[page.length - 1] ?? '') }),
  };
}

export async function getTopicAttributes(
  ctx: EngineContext,
  arn: string,
): Promise<Record<string, string>> {
  const name = topicNameOf(ctx.scope, arn);
  const k = keysOf(ctx, name);
  const [meta, subscriptions] = (await ctx.redis
    .multi()
    .hgetall(k.meta)
    .hvals(k.subscriptions)
    .exec()
    .then((r) => (r ?? []).map(([, v]) => v))) as [
    Record<string, string>,
    string[],
  ];
  if (Object.keys(meta).length === 0) {
    throw topicNotFound();
  }
  const now = ctx.clock();
  const records = subscriptions
    .map((raw) => JSON.parse(raw) as SubscriptionRecord)
    .filter((r) => !hasLapsed(r, now));
  const pending = records.filter((r) => r.pendingConfirmation).length;
  const {
    created: _created,
    sequence: _sequence,
    log_ms: _logMs,
    archive_ms: archiveMs,
    archive_since: archiveSince,
    ...attributes
  } = meta;
  return {
    Policy: defaultTopicPolicy(arn, ctx.scope.accountId),
    // SignatureVersion only when set: SNS leaves out the default (1).
    ...attributes,
    TopicArn: arn,
    Owner: ctx.scope.accountId,
    DisplayName: attributes.DisplayName ?? '',
    SubscriptionsConfirmed: String(records.length - pending),
    SubscriptionsPending: String(pending),
    SubscriptionsDeleted: '0',
    EffectiveDeliveryPolicy: effectiveTopicDeliveryPolicyJson(
      attributes.DeliveryPolicy,
    ),
    ...(archiveMs !== undefined && {
      BeginningArchiveTime: beginningArchiveTime(
        Number(archiveSince),
        Number(archiveMs),
        now,
      ),
    }),
  };
}

export async function setTopicAttributes(
  ctx: EngineContext,
  arn: string,
  name: string,
  value: string,
): Promise<void> {
  const topic = topicNameOf(ctx.scope, arn);
  validateTopicAttributes({ [name]: value }, 'set', isFifoTopicName(topic));
  const k = keysOf(ctx, topic);
  const reply =
    name === 'ArchivePolicy'
      ? await setArchivePolicy(ctx, k, value)
      : name === 'MaximumMessageSize'
        ? await ctx.scripts.run(
            'setTopicMessageSize',
            [k.meta, k.subscriptions],
            [
              value,
              DEFAULT_MAX_MESSAGE_BYTES,
              LARGE_TOPIC_MAX_SUBSCRIPTIONS,
              ctx.clock(),
            ],
          )
        : await ctx.scripts.run(
            'setTopicAttribute',
            [k.meta],
            [name, value, 'always'],
          );
  switch (replyStatus(reply)) {
    case 'missing':
      throw topicNotFound();
    case 'protocols':
      throw largeTopicProtocolError((reply as string[]).slice(1));
    case 'tooMany':
      throw largeTopicSubscriptionsError();
  }
}

/** Sets or (with `{}` or "") removes a FIFO topic's ArchivePolicy. */
function setArchivePolicy(
  ctx: EngineContext,
  k: TopicKeys,
  value: string,
): Promise<unknown> {
  const days = parseArchivePolicy(value);
  return ctx.scripts.run(
    'setArchivePolicy',
    [k.meta, k.log],
    [
      days === undefined ? '' : value,
      (days ?? 0) * DAY_MS,
      ctx.clock(),
      FANOUT_GROUP,
    ],
  );
}
