import type { Action } from '../action';
import { TagMap, list, string, structure } from '../model';
import { queueOf } from '../queue-urls';

/** TagQueue, UntagQueue, ListQueueTags. */
export const tagQueue: Action = {
  name: 'TagQueue',
  input: structure({ QueueUrl: string, Tags: TagMap }, ['Tags']),
  async handle(ctx, input) {
    await ctx.engine.tagQueue(
      queueOf(ctx, input),
      input.Tags as Record<string, string>,
    );
    return {};
  },
};

export const untagQueue: Action = {
  name: 'UntagQueue',
  input: structure({ QueueUrl: string, TagKeys: list(string, 'TagKey') }, [
    'TagKeys',
  ]),
  async handle(ctx, input) {
    await ctx.engine.untagQueue(queueOf(ctx, input), input.TagKeys as string[]);
    return {};
  },
};

export const listQueueTags: Action = {
  name: 'ListQueueTags',
  input: structure({ QueueUrl: string }),
  output: structure({ Tags: TagMap }),
  async handle(ctx, input) {
    const tags = await ctx.engine.listQueueTags(queueOf(ctx, input));
    return Object.keys(tags).length > 0 ? { Tags: tags } : {};
  },
};
