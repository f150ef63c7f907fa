import type { Action } from '../../action';
import { publish, publishBatch } from './publish';
import {
  confirmSubscription,
  getSubscriptionAttributes,
  listSubscriptions,
  listSubscriptionsByTopic,
  setSubscriptionAttributes,
  subscribe,
  unsubscribe,
} from './subscriptions';
import { listTagsForResource, tagResource, untagResource } from './tags';
import {
  addPermission,
  createTopic,
  deleteTopic,
  getTopicAttributes,
  listTopics,
  removePermission,
  setTopicAttributes,
} from './topics';

/** Every SNS action Sluice serves, by its Query `Action=` name. */
export const SNS_ACTIONS: ReadonlyMap<string, Action> = new Map(
  [
    createTopic,
    deleteTopic,
    listTopics,
    getTopicAttributes,
    setTopicAttributes,
    subscribe,
    confirmSubscription,
    unsubscribe,
    listSubscriptions,
    listSubscriptionsByTopic,
    getSubscriptionAttributes,
    setSubscriptionAttributes,
    publish,
    publishBatch,
    tagResource,
    untagResource,
    listTagsForResource,
    addPermission,
    removePermission,
  ].map((action) => [action.name, action]),
);
