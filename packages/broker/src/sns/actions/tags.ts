import type { Action } from '../../action';
import { ListTagsForResource, TagResource, UntagResource } from '../operations';
import { tagList, tagsFrom } from './tag-list';

/** TagResource, UntagResource, ListTagsForResource: tags of topics. */
export const tagResource: Action = {
  ...TagResource,
  async handle(ctx, input) {
    await ctx.engine.topics.tagResource(
      input.ResourceArn as string,
      tagsFrom(input.Tags) ?? {},
    );
    return {};
  },
};

export const untagResource: Action = {
  ...UntagResource,
  async handle(ctx, input) {
    await ctx.engine.topics.untagResource(
      input.ResourceArn as string,
      input.TagKeys as string[],
    );
    return {};
  },
};

export const listTagsForResource: Action = {
  ...ListTagsForResource,
  async handle(ctx, input) {
    const tags = await ctx.engine.topics.listTagsForResource(
      input.ResourceArn as string,
    );
    return { Tags: tagList(tags) };
  },
};
