import type { EngineContext } from './context';
import { SluiceError, queueDoesNotExist } from './errors';
import { requireQueue } from './queue-exists';
import { okFields, replyStatus } from './script-reply';

export type Tags = Readonly<Record<string, string>>;

const MAX_TAGS = 50;
/** What AWS allows in tag keys and values. */
const TAG_TEXT = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

/**
 * The rules are AWS's for every resource; the words are each service's own
 * (SQS says InvalidParameterValue, SNS InvalidParameter and TagLimitExceeded).
 */
export interface TagErrors {
  readonly tooMany: () => SluiceError;
  readonly keyLength: () => SluiceError;
  readonly reservedPrefix: () => SluiceError;
  readonly characters: () => SluiceError;
  readonly valueLength: () => SluiceError;
  /** the tagged resource does not exist */
  readonly missing: () => SluiceError;
}

const sqsInvalid = (message: string) => () =>
  new SluiceError('InvalidParameterValue', message);

export const SQS_TAG_ERRORS: TagErrors = {
  tooMany: sqsInvalid(
    `Too many tags added for queue. A queue can have at most ${MAX_TAGS} tags.`,
  ),
  keyLength: sqsInvalid(
    'Tag keys must be between 1 and 128 characters in length.',
  ),
  reservedPrefix: sqsInvalid(
    'Tag keys cannot start with the reserved prefix aws:.',
  ),
  characters: sqsInvalid(
    'Tag keys and values can contain only Unicode letters, digits, white space and _ . : / = + - @.',
  ),
  valueLength: sqsInvalid(
    'Tag values must be at most 256 characters in length.',
  ),
  missing: queueDoesNotExist,
};

export function validateTags(
  tags: Tags,
  errors: TagErrors = SQS_TAG_ERRORS,
): void {
  if (Object.keys(tags).length > MAX_TAGS) {
    throw errors.tooMany();
  }
  for (const [key, value] of Object.entries(tags)) {
    if (key.length < 1 || key.length > 128) {
      throw errors.keyLength();
    }
    if (key.toLowerCase().startsWith('aws:')) {
      throw errors.reservedPrefix();
    }
    if (!TAG_TEXT.test(key) || !TAG_TEXT.test(value)) {
      throw errors.characters();
    }
    if (value.length > 256) {
      throw errors.valueLength();
    }
  }
}

/** A resource that has tags: a queue's or a topic's meta and tags keys. */
export interface TaggedKeys {
  readonly meta: string;
  readonly tags: string;
}

/** The tagQueue script's answer, in the words of the resource's service. */
function checkTagReply(reply: unknown, errors: TagErrors): void {
  switch (replyStatus(reply)) {
    case 'QueueDoesNotExist':
      throw errors.missing();
    case 'TooManyTags':
      throw errors.tooMany();
    default:
      okFields(reply);
  }
}

/** Adds tags, at most 50 in all; fails if `keys.meta` does not exist. */
export async function addTags(
  ctx: EngineContext,
  keys: TaggedKeys,
  tags: Tags,
  errors: TagErrors = SQS_TAG_ERRORS,
): Promise<void> {
  validateTags(tags, errors);
  checkTagReply(
    await ctx.scripts.run(
      'tagQueue',
      [keys.meta, keys.tags],
      ['tag', ...Object.entries(tags).flat()],
    ),
    errors,
  );
}

export async function removeTags(
  ctx: EngineContext,
  keys: TaggedKeys,
  tagKeys: readonly string[],
  errors: TagErrors = SQS_TAG_ERRORS,
): Promise<void> {
  checkTagReply(
    await ctx.scripts.run(
      'tagQueue',
      [keys.meta, keys.tags],
      ['untag', ...tagKeys],
    ),
    errors,
  );
}

export function tagQueue(
  ctx: EngineContext,
  queue: string,
  tags: Tags,
): Promise<void> {
  return addTags(ctx, ctx.keys(queue), tags);
}

export function untagQueue(
  ctx: EngineContext,
  queue: string,
  tagKeys: readonly string[],
): Promise<void> {
  return removeTags(ctx, ctx.keys(queue), tagKeys);
}

export async function listQueueTags(
  ctx: EngineContext,
  queue: string,
): Promise<Tags> {
  await requireQueue(ctx, queue);
  return ctx.redis.hgetall(ctx.keys(queue).tags);
}
