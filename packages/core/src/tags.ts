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

export async function tagQueue(
  ctx: EngineContext,
  queue: string,
  tags: Tags,
): Promise<void> {
  validateTags(tags);
  const k = ctx.keys(queue);
  okFields(
    await ctx.scripts.run(
      'tagQueue',
      [k.meta, k.tags],
      ['tag', ...Object.entries(tags).flat()],
    ),
  );
}

export async function untagQueue(
  ctx: EngineContext,
  queue: string,
  tagKeys: readonly string[],
): Promise<void> {
  const k = ctx.keys(queue);
  okFields(
    await ctx.scripts.run('tagQueue', [k.meta, k.tags], ['untag', ...tagKeys]),
  );
}

export async function listQueueTags(
  ctx: EngineContext,
  queue: string,
): Promise<Tags> {
  await requireQueue(ctx, queue);
  return ctx.redis.hgetall(ctx.keys(queue).tags);
}
