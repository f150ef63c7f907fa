import type { SubscriptionSummary } from '@sluice/core';
import type { Action } from '../../action';
import {
  ConfirmSubscription,
  GetSubscriptionAttributes,
  ListSubscriptions,
  ListSubscriptionsByTopic,
  SetSubscriptionAttributes,
  Subscribe,
  Unsubscribe,
} from '../operations';

/**
 * Subscribe, ConfirmSubscription, Unsubscribe, ListSubscriptions, ListSubscriptionsByTopic,
 * GetSubscriptionAttributes, SetSubscriptionAttributes.
 */
export const subscribe: Action = {
  ...Subscribe,
  async handle(ctx, input) {
    const endpoint = input.Endpoint as string | undefined;
    const subscribed = await ctx.engine.topics.subscribe(
      input.TopicArn as string,
      {
        protocol: input.Protocol as string,
        ...(endpoint !== undefined && { endpoint }),
        attributes: input.Attributes as Record<string, string> | undefined,
      },
    );
    // SNS hides a pending subscription's ARN unless asked for it.
    return {
      SubscriptionArn:
        subscribed.pendingConfirmation && input.ReturnSubscriptionArn !== true
          ? 'pending confirmation'
          : subscribed.subscriptionArn,
    };
  },
};

/** ConfirmSubscription: an API call, or a GET on a SubscribeURL (unsigned). */
export const confirmSubscription: Action = {
  ...ConfirmSubscription,
  async handle(ctx, input) {
    return {
      SubscriptionArn: await ctx.engine.topics.confirmSubscription(
        input.TopicArn as string,
        input.Token as string,
        {
          authenticated: ctx.signed,
          authenticateOnUnsubscribe: input.AuthenticateOnUnsubscribe === 'true',
        },
      ),
    };
  },
};

export const unsubscribe: Action = {
  ...Unsubscribe,
  async handle(ctx, input) {
    await ctx.engine.topics.unsubscribe(input.SubscriptionArn as string);
    return {};
  },
};

/** A page of subscriptions; the list is there even when empty, as in SNS. */
function subscriptionsPage(page: {
  items: readonly SubscriptionSummary[];
  nextToken?: string;
}) {
  return {
    Subscriptions: page.items.map((s) => ({
      SubscriptionArn: s.subscriptionArn,
      Owner: s.owner,
      Protocol: s.protocol,
      Endpoint: s.endpoint,
      TopicArn: s.topicArn,
    })),
    ...(page.nextToken !== undefined && { NextToken: page.nextToken }),
  };
}

export const listSubscriptions: Action = {
  ...ListSubscriptions,
  async handle(ctx, input) {
    return subscriptionsPage(
      await ctx.engine.topics.listSubscriptions(
        input.NextToken as string | undefined,
      ),
    );
  },
};

export const listSubscriptionsByTopic: Action = {
  ...ListSubscriptionsByTopic,
  async handle(ctx, input) {
    return subscriptionsPage(
      await ctx.engine.topics.listSubscriptionsByTopic(
        input.TopicArn as string,
        input.NextToken as string | undefined,
      ),
    );
  },
};

export const getSubscriptionAttributes: Action = {
  ...GetSubscriptionAttributes,
  async handle(ctx, input) {
    return {
      Attributes: await ctx.engine.topics.getSubscriptionAttributes(
        input.SubscriptionArn as string,
      ),
    };
  },
};

export const setSubscriptionAttributes: Action = {
  ...SetSubscriptionAttributes,
  async handle(ctx, input) {
    await ctx.engine.topics.setSubscriptionAttributes(
      input.SubscriptionArn as string,
      input.AttributeName as string,
      (input.AttributeValue as string | undefined) ?? '',
    );
    return {};
  },
};
