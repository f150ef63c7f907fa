import type { EngineContext } from './context';
import { SluiceError } from './errors';
import { requireQueue } from './queue-exists';
import { okFields } from './script-reply';

export type Tags = Readonly<Record<string, string>>;

const MAX_TAGS = 50;
/** What AWS allows in tag keys and values. */
const TAG_TEXT = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

export function validateTags(tags: Tags): void {
  const keys = Object.keys(tags);
  if (keys.length > MAX_TAGS) {
    throw new SluiceError(
      'InvalidParameterValue',
      `Too many tags added for queue. A queue can have at most ${MAX_TAGS} tags.`,
    );
  }
  for (const [key, value] of Object.entries(tags)) {
    if (key.length < 1 || key.length > 128) {
      throw new SluiceError(
        'InvalidParameterValue',
        `Tag keys must be between 1 and 128 characters in length.`,
      );
    }
    if (key.toLowerCase().startsWith('aws:')) {
      throw new SluiceError(
        'InvalidParameterValue',
        `Tag keys cannot start with the reserved prefix aws:.`,
      );
    }
    if (!TAG_TEXT.test(key) || !TAG_TEXT.test(value)) {
      throw new SluiceError(
        'InvalidParameterValue',
        'Tag keys and values can contain only Unicode letters, digits, white space and _ . : / = + - @.',
      );
    }
    if (value.length > 256) {
      throw new SluiceError(
        'InvalidParameterValue',
        `Tag values must be at most 256 characters in length.`,
      );
    }
  }
}

/** A resource that has tags: a queue's or a topic's meta and tags keys. */
export interface TaggedKeys {
  readonly meta: string;
  readonly tags: string;
}

/** Adds tags; fails with the script's status if `keys.meta` does not exist. */
export async function addTags(
  ctx: EngineContext,
  keys: TaggedKeys,
  tags: Tags,
): Promise<void> {
  validateTags(tags);
  okFields(
    await ctx.scripts.run(
      'tagQueue',
      [keys.meta, keys.tags],
      ['tag', ...Object.entries(tags).flat()],
    ),
  );
}

export async function removeTags(
  ctx: EngineContext,
  keys: TaggedKeys,
  tagKeys: readonly string[],
): Promise<void> {
  okFields(
    await ctx.scripts.run(
      'tagQueue',
      [keys.meta, keys.tags],
      ['untag', ...tagKeys],
    ),
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
