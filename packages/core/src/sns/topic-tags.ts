import type { EngineContext } from '../context';
import { SluiceError } from '../errors';
import { addTags, removeTags, type TagErrors, type Tags } from '../tags';
import { topicKeys } from '../keys';
import { topicNameOf } from './topic-names';

const invalidTags = (reason: string) => () =>
  new SluiceError(
    'InvalidParameter',
    `Invalid parameter: Tags Reason: ${reason}`,
  );

/** The tag errors SNS answers with (moto's words for the first two). */
export const SNS_TAG_ERRORS: TagErrors = {
  tooMany: () =>
    new SluiceError(
      'TagLimitExceeded',
      'Could not complete request: tag quota of per resource exceeded',
    ),
  missing: () =>
    new SluiceError('ResourceNotFoundException', 'Resource does not exist'),
  keyLength: invalidTags('Tag keys must be 1 to 128 characters long'),
  reservedPrefix: invalidTags('Tag keys must not start with aws:'),
  characters: invalidTags(
    'Tag keys and values may contain only Unicode letters, digits, white space and _ . : / = + - @',
  ),
  valueLength: invalidTags('Tag values must be at most 256 characters long'),
};

function keysOfResource(ctx: EngineContext, arn: string) {
  return topicKeys(ctx.prefix, topicNameOf(ctx.scope, arn, 'ResourceArn'));
}

export function tagTopic(
  ctx: EngineContext,
  arn: string,
  tags: Tags,
): Promise<void> {
  return addTags(ctx, keysOfResource(ctx, arn), tags, SNS_TAG_ERRORS);
}

export function untagTopic(
  ctx: EngineContext,
  arn: string,
  tagKeys: readonly string[],
): Promise<void> {
  return removeTags(ctx, keysOfResource(ctx, arn), tagKeys, SNS_TAG_ERRORS);
}

export async function listTopicTags(
  ctx: EngineContext,
  arn: string,
): Promise<Tags> {
  const k = keysOfResource(ctx, arn);
  const [exists, tags] = (await ctx.redis
    .multi()
    .exists(k.meta)
    .hgetall(k.tags)
    .exec()
    .then((r) => (r ?? []).map(([, v]) => v))) as [number, Tags];
  if (exists === 0) {
    throw SNS_TAG_ERRORS.missing();
  }
  return tags;
}
