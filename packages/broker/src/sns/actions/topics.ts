import type { Action } from '../../action';
import { BrokerError } from '../../errors';
import {
  AddPermission,
  CreateTopic,
  DeleteTopic,
  GetTopicAttributes,
  ListTopics,
  RemovePermission,
  SetTopicAttributes,
} from '../operations';
import { tagsFrom } from './tag-list';

/**
 * CreateTopic, DeleteTopic, ListTopics, GetTopicAttributes, SetTopicAttributes,
 * AddPermission, RemovePermission.
 */
export const createTopic: Action = {
  ...CreateTopic,
  async handle(ctx, input) {
    if (input.DataProtectionPolicy !== undefined) {
      // Message data protection needs AWS's managed data identifiers.
      throw new BrokerError(
        'InvalidParameter',
        'Invalid parameter: DataProtectionPolicy Reason: data protection policies are not supported by Sluice',
      );
    }
    const arn = await ctx.engine.topics.createTopic(
      input.Name as string,
      input.Attributes as Record<string, string> | undefined,
      tagsFrom(input.Tags),
    );
    return { TopicArn: arn };
  },
};

export const deleteTopic: Action = {
  ...DeleteTopic,
  async handle(ctx, input) {
    await ctx.engine.topics.deleteTopic(input.TopicArn as string);
    return {};
  },
};

export const listTopics: Action = {
  ...ListTopics,
  async handle(ctx, input) {
    const page = await ctx.engine.topics.listTopics(
      input.NextToken as string | undefined,
    );
    return {
      Topics: page.items.map((TopicArn) => ({ TopicArn })),
      ...(page.nextToken !== undefined && { NextToken: page.nextToken }),
    };
  },
};

export const getTopicAttributes: Action = {
  ...GetTopicAttributes,
  async handle(ctx, input) {
    return {
      Attributes: await ctx.engine.topics.getTopicAttributes(
        input.TopicArn as string,
      ),
    };
  },
};

export const setTopicAttributes: Action = {
  ...SetTopicAttributes,
  async handle(ctx, input) {
    await ctx.engine.topics.setTopicAttributes(
      input.TopicArn as string,
      input.AttributeName as string,
      (input.AttributeValue as string | undefined) ?? '',
    );
    return {};
  },
};

export const addPermission: Action = {
  ...AddPermission,
  async handle(ctx, input) {
    await ctx.engine.topics.addPermission(
      input.TopicArn as string,
      input.Label as string,
      input.AWSAccountId as string[],
      input.ActionName as string[],
    );
    return {};
  },
};

export const removePermission: Action = {
  ...RemovePermission,
  async handle(ctx, input) {
    await ctx.engine.topics.removePermission(
      input.TopicArn as string,
      input.Label as string,
    );
    return {};
  },
};
