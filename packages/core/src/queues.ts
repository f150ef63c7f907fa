import { queueArn, queueNameFromArn } from './arn';
import type { EngineContext } from './context';
import { SluiceError, invalidParameter } from './errors';
import { messageKeys } from './keys';
import {
  canonicalAttributes,
  canonicalUpdate,
  defaultAttributes,
  throughputCombinationError,
  type QueueType,
  parseRedriveAllowPolicy,
  parseRedrivePolicy,
  requestedAttributeNames,
} from './queue-attributes';
import { invalidQueueName, isFifoName, validateQueueName } from './queue-name';
import { okFields, replyStatus, throwIfScriptError } from './script-reply';
import { requireQueue } from './queue-exists';
import { validateTags, type Tags } from './tags';

export interface CreateQueueResult {
  readonly created: boolean;
}

function queueType(name: string): QueueType {
  return isFifoName(name) ? 'fifo' : 'standard';
}

/** CreateQueue: a ".fifo" name and FifoQueue=true come together or not at all. */
function validateQueueType(
  name: string,
  attributes: Readonly<Record<string, string>>,
): void {
  const flag =
    attributes.FifoQueue === undefined
      ? undefined
      : canonicalAttributes({ FifoQueue: attributes.FifoQueue }, 'fifo')
          .FifoQueue;
  if (isFifoName(name) && flag !== 'true') {
    throw invalidQueueName();
  }
  if (!isFifoName(name) && flag === 'true') {
    throw new SluiceError(
      'InvalidParameterValue',
      'The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length.',
    );
  }
}

/**
 * The fields Lua reads to redrive: the target queue's name and the receive
 * limit, derived from a canonical RedrivePolicy ("" removes them).
 */
async function redriveFields(
  ctx: EngineContext,
  source: string,
  policy: string | undefined,
): Promise<Record<string, string>> {
  if (policy === undefined) {
    return {};
  }
  if (policy === '') {
    return { redrive_target: '', redrive_max: '' };
  }
  const { deadLetterTargetArn, maxReceiveCount } = parseRedrivePolicy(policy);
  const target = queueNameFromArn(ctx.scope, deadLetterTargetArn);
  const fail = (reason: string) =>
    invalidParameter('RedrivePolicy', policy, reason);
  if (target === undefined) {
    throw fail('Dead-letter target does not exist.');
  }
  if (target === source) {
    throw fail(
      'The dead-letter queue must be a different queue than the source queue.',
    );
  }
  if (queueType(target) !== queueType(source)) {
    throw fail('Dead-letter queue must be same type of queue as the source..');
  }
  const [exists, allowPolicy] = await ctx.redis
    .multi()
    .exists(ctx.keys(target).meta)
    .hget(ctx.keys(target).meta, 'RedriveAllowPolicy')
    .exec()
    .then((r) => (r ?? []).map(([, v]) => v) as [number, string | null]);
  if (!exists) {
    throw fail('Dead-letter target does not exist.');
  }
  if (allowPolicy) {
    const allow = parseRedriveAllowPolicy(allowPolicy);
    const sourceArn = queueArn(ctx.scope, source);
    if (
      allow.redrivePermission === 'denyAll' ||
      (allow.redrivePermission === 'byQueue' &&
        !allow.sourceQueueArns?.includes(sourceArn))
    ) {
      throw fail(
        `The dead-letter queue's RedriveAllowPolicy does not allow ${sourceArn} as a source queue.`,
      );
    }
  }
  return { redrive_target: target, redrive_max: String(maxReceiveCount) };
}

/** Keeps the dead-letter queues' lists of source queues in step. */
async function linkDeadLetterSource(
  ctx: EngineContext,
  source: string,
  previousTarget: string,
  newTarget: string | undefined,
): Promise<void> {
  if (newTarget === undefined || newTarget === previousTarget) {
    return;
  }
  if (previousTarget !== '') {
    await ctx.redis.srem(ctx.keys(previousTarget).dlqSources, source);
  }
  if (newTarget !== '') {
    await ctx.redis.sadd(ctx.keys(newTarget).dlqSources, source);
  }
}

function flatten(record: Readonly<Record<string, string>>): string[] {
  return Object.entries(record).flat();
}

export async function createQueue(
  ctx: EngineContext,
  name: string,
  attributes: Readonly<Record<string, string>> = {},
  tags: Tags = {},
): Promise<CreateQueueResult> {
  validateQueueName(name);
  validateQueueType(name, attributes);
  const type = queueType(name);
  const given = canonicalAttributes(attributes, type);
  validateTags(tags);
  const redrive = await redriveFields(ctx, name, given.RedrivePolicy);
  const stored = Object.fromEntries(
    Object.entries({ ...defaultAttributes(type), ...given, ...redrive }).filter(
      ([, v]) => v !== '',
    ),
  );
  if (
    stored.FifoThroughputLimit === 'perMessageGroupId' &&
    stored.DeduplicationScope !== 'messageGroup'
  ) {
    throw throughputCombinationError();
  }
  const keys = ctx.keys(name);
  // Registered before it exists: listing skips names without a queue, so a
  // crash between the two steps leaves nothing half-visible.
  await ctx.redis.zadd(ctx.global.queues, 0, name);
  const reply = await ctx.scripts.run(
    'createQueue',
    [keys.meta, keys.tombstone, keys.tags],
    [
      ctx.clock(),
      Object.keys(stored).length,
      ...flatten(stored),
      ...flatten(tags),
    ],
  );
  throwIfScriptError(reply);
  if (replyStatus(reply) === 'exists') {
    const existing = pairsToRecord((reply as string[]).slice(1));
    for (const [attribute, value] of Object.entries(given)) {
      if ((existing[attribute] ?? '') !== value) {
        throw new SluiceError(
          'QueueNameExists',
          `A queue already exists with the same name and a different value for attribute ${attribute}`,
        );
      }
    }
    return { created: false };
  }
  await linkDeadLetterSource(ctx, name, '', redrive.redrive_target);
  return { created: true };
}

export function pairsToRecord(
  pairs: readonly string[],
): Record<string, string> {
  const record: Record<string, string> = {};
  for (let i = 0; i + 1 < pairs.length; i += 2) {
    record[pairs[i] as string] = pairs[i + 1] as string;
  }
  return record;
}

export async function deleteQueue(
  ctx: EngineContext,
  name: string,
): Promise<void> {
  const k = ctx.keys(name);
  const [target] = okFields(
    await ctx.scripts.run(
      'deleteQueue',
      [
        k.meta,
        k.tombstone,
        k.tags,
        k.stats,
        k.dlqSources,
        k.moveTasks,
        ...messageKeys(k),
        k.dedup,
        k.dedupExpiry,
        k.attempts,
        k.attemptExpiry,
      ],
      [ctx.limits.queueTombstoneMs],
    ),
  ) as string[];
  if (target) {
    await ctx.redis.srem(ctx.keys(target).dlqSources, name);
  }
  await ctx.redis.zrem(ctx.global.queues, name);
}

export interface Page<T> {
  readonly items: readonly T[];
  readonly nextToken?: string;
}

export interface PageOptions {
  readonly maxResults?: number;
  readonly nextToken?: string;
}

function validateMaxResults(maxResults: number | undefined): void {
  if (
    maxResults !== undefined &&
    (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > 1000)
  ) {
    throw invalidParameter(
      'MaxResults',
      maxResults,
      'MaxResults must be an integer between 1 and 1000.',
    );
  }
}

function decodeToken(token: string | undefined): string | undefined {
  if (token === undefined || token === '') {
    return undefined;
  }
  const name = Buffer.from(token, 'base64url').toString('utf8');
  if (!/^[A-Za-z0-9_.-]{1,80}$/.test(name)) {
    throw invalidParameter('NextToken', token, 'Invalid NextToken.');
  }
  return name;
}

/** A page of names after the token, in name order, of those `keep` accepts. */
async function pageOfNames(
  candidates: (after: string | undefined, count: number) => Promise<string[]>,
  keep: (names: string[]) => Promise<boolean[]>,
  options: PageOptions,
): Promise<Page<string>> {
  validateMaxResults(options.maxResults);
  const limit = options.maxResults ?? 1000;
  const items: string[] = [];
  let after = decodeToken(options.nextToken);
  for (;;) {
    const batch = await candidates(after, limit + 1 - items.length);
    if (batch.length === 0) {
      break;
    }
    const kept = await keep(batch);
    batch.forEach((name, i) => kept[i] && items.push(name));
    after = batch[batch.length - 1];
    if (items.length > limit) {
      break;
    }
  }
  if (items.length > limit) {
    items.length = limit;
    return options.maxResults === undefined
      ? { items }
      : {
          items,
          nextToken: Buffer.from(items[limit - 1] as string).toString(
            'base64url',
          ),
        };
  }
  return { items };
}

async function existing(
  ctx: EngineContext,
  names: string[],
): Promise<boolean[]> {
  const pipeline = ctx.redis.pipeline();
  for (const name of names) {
    pipeline.exists(ctx.keys(name).meta);
  }
  const results = (await pipeline.exec()) ?? [];
  return results.map(([, v]) => v === 1);
}

export function listQueues(
  ctx: EngineContext,
  options: PageOptions & { readonly prefix?: string } = {},
): Promise<Page<string>> {
  const prefix = options.prefix ?? '';
  return pageOfNames(
    async (after, count) => {
      const start =
        after !== undefined && after >= prefix ? `(${after}` : `[${prefix}`;
      // Queue names are ASCII below 0x7f, so this bounds the prefix's range.
      const end = prefix === '' ? '+' : `(${prefix}\x7f`;
      return ctx.redis.zrangebylex(
        ctx.global.queues,
        start,
        end,
        'LIMIT',
        0,
        count,
      );
    },
    (names) => existing(ctx, names),
    options,
  );
}

export async function listDeadLetterSourceQueues(
  ctx: EngineContext,
  name: string,
  options: PageOptions = {},
): Promise<Page<string>> {
  await requireQueue(ctx, name);
  const sources = (await ctx.redis.smembers(ctx.keys(name).dlqSources)).sort();
  return pageOfNames(
    (after, count) =>
      Promise.resolve(
        sources.filter((s) => after === undefined || s > after).slice(0, count),
      ),
    async (names) => {
      const pipeline = ctx.redis.pipeline();
      for (const source of names) {
        pipeline.hget(ctx.keys(source).meta, 'redrive_target');
      }
      return ((await pipeline.exec()) ?? []).map(([, v]) => v === name);
    },
    options,
  );
}

export async function getQueueAttributes(
  ctx: EngineContext,
  name: string,
  names: readonly string[],
): Promise<Record<string, string>> {
  const wanted = requestedAttributeNames(names);
  const k = ctx.keys(name);
  const [visible, inFlight, delayed, , ...metaPairs] = okFields(
    await ctx.scripts.run(
      'getQueueState',
      [k.meta, ...messageKeys(k)],
      [ctx.clock()],
    ),
  ) as string[];
  const meta = pairsToRecord(metaPairs);
  const seconds = (ms: string | undefined) =>
    String(Math.floor(Number(ms) / 1000));
  const values: Record<string, string | undefined> = {
    ...meta,
    QueueArn: queueArn(ctx.scope, name),
    ApproximateNumberOfMessages: String(visible),
    ApproximateNumberOfMessagesNotVisible: String(inFlight),
    ApproximateNumberOfMessagesDelayed: String(delayed),
    CreatedTimestamp: seconds(meta.created),
    LastModifiedTimestamp: seconds(meta.modified),
  };
  const out: Record<string, string> = {};
  for (const attribute of wanted) {
    const value = values[attribute];
    if (value !== undefined) {
      out[attribute] = value;
    }
  }
  return out;
}

export async function setQueueAttributes(
  ctx: EngineContext,
  name: string,
  attributes: Readonly<Record<string, string>>,
): Promise<void> {
  const given = canonicalUpdate(attributes, queueType(name));
  const redrive = await redriveFields(ctx, name, given.RedrivePolicy);
  const [previousTarget] = okFields(
    await ctx.scripts.run(
      'setQueueAttributes',
      [ctx.keys(name).meta],
      [ctx.clock(), ...flatten({ ...given, ...redrive })],
    ),
  ) as string[];
  await linkDeadLetterSource(
    ctx,
    name,
    previousTarget ?? '',
    redrive.redrive_target,
  );
}

export async function purgeQueue(
  ctx: EngineContext,
  name: string,
): Promise<void> {
  const k = ctx.keys(name);
  okFields(
    await ctx.scripts.run(
      'purgeQueue',
      [k.meta, ...messageKeys(k)],
      [ctx.clock(), ctx.limits.purgeIntervalMs],
    ),
  );
}
