import type { Action } from '../action';
import { BrokerError } from '../errors';
import {
  AttributeNameList,
  QueueAttributeMap,
  TagMap,
  integer,
  list,
  string,
  structure,
} from '../model';
import { queueOf } from '../queue-urls';

/** CreateQueue, DeleteQueue, GetQueueUrl, ListQueues, PurgeQueue. */
export const createQueue: Action = {
  name: 'CreateQueue',
  input: structure(
    { QueueName: string, Attributes: QueueAttributeMap, tags: TagMap },
    ['QueueName'],
  ),
  output: structure({ QueueUrl: string }),
  async handle(ctx, input) {
    const name = input.QueueName as string;
    await ctx.engine.createQueue(
      name,
      input.Attributes as Record<string, string> | undefined,
      input.tags as Record<string, string> | undefined,
    );
    return { QueueUrl: ctx.urls.urlFor(name) };
  },
};

export const deleteQueue: Action = {
  name: 'DeleteQueue',
  input: structure({ QueueUrl: string }),
  async handle(ctx, input) {
    await ctx.engine.deleteQueue(queueOf(ctx, input));
    return {};
  },
};

export const getQueueUrl: Action = {
  name: 'GetQueueUrl',
  input: structure({ QueueName: string, QueueOwnerAWSAccountId: string }, [
    'QueueName',
  ]),
  output: structure({ QueueUrl: string }),
  async handle(ctx, input) {
    const name = input.QueueName as string;
    const owner = input.QueueOwnerAWSAccountId;
    if (owner !== undefined && owner !== ctx.engine.scope.accountId) {
      throw new BrokerError(
        'QueueDoesNotExist',
        'The specified queue does not exist.',
      );
    }
    await ctx.engine.getQueue(name);
    return { QueueUrl: ctx.urls.urlFor(name) };
  },
};

export const listQueues: Action = {
  name: 'ListQueues',
  input: structure({
    QueueNamePrefix: string,
    NextToken: string,
    MaxResults: integer,
  }),
  output: structure({
    QueueUrls: list(string, 'QueueUrl'),
    NextToken: string,
  }),
  async handle(ctx, input) {
    const page = await ctx.engine.listQueues({
      prefix: input.QueueNamePrefix as string | undefined,
      maxResults: input.MaxResults as number | undefined,
      nextToken: input.NextToken as string | undefined,
    });
    return {
      ...(page.items.length > 0 && {
        QueueUrls: page.items.map((name) => ctx.urls.urlFor(name)),
      }),
      ...(page.nextToken !== undefined && { NextToken: page.nextToken }),
    };
  },
};

export const purgeQueue: Action = {
  name: 'PurgeQueue',
  input: structure({ QueueUrl: string }),
  async handle(ctx, input) {
    await ctx.engine.purgeQueue(queueOf(ctx, input));
    return {};
  },
};

export const getQueueAttributes: Action = {
  name: 'GetQueueAttributes',
  input: structure({ QueueUrl: string, AttributeNames: AttributeNameList }),
  output: structure({ Attributes: QueueAttributeMap }),
  async handle(ctx, input) {
    const names = (input.AttributeNames as string[] | undefined) ?? [];
    const attributes = await ctx.engine.getQueueAttributes(
      queueOf(ctx, input),
      names,
    );
    return Object.keys(attributes).length > 0 ? { Attributes: attributes } : {};
  },
};

export const setQueueAttributes: Action = {
  name: 'SetQueueAttributes',
  input: structure({ QueueUrl: string, Attributes: QueueAttributeMap }, [
    'Attributes',
  ]),
  async handle(ctx, input) {
    await ctx.engine.setQueueAttributes(
      queueOf(ctx, input),
      input.Attributes as Record<string, string>,
    );
    return {};
  },
};

export const listDeadLetterSourceQueues: Action = {
  name: 'ListDeadLetterSourceQueues',
  input: structure({
    QueueUrl: string,
    NextToken: string,
    MaxResults: integer,
  }),
  output: structure({
    queueUrls: list(string, 'QueueUrl'),
    NextToken: string,
  }),
  async handle(ctx, input) {
    const page = await ctx.engine.listDeadLetterSourceQueues(
      queueOf(ctx, input),
      {
        maxResults: input.MaxResults as number | undefined,
        nextToken: input.NextToken as string | undefined,
      },
    );
    return {
      queueUrls: page.items.map((name) => ctx.urls.urlFor(name)),
      ...(page.nextToken !== undefined && { NextToken: page.nextToken }),
    };
  },
};
