import type { Redis } from 'ioredis';
import type { EngineContext } from '../context';
import type { BatchResult } from '../message-types';
import type { Page } from '../queues';
import type { Tags } from '../tags';
import { FanoutWorker, type FanoutOptions } from './fanout';
import * as confirmations from './confirmations';
import * as publishing from './publish';
import type { PushMessage, PushOutcome, PushTransport } from './push';
import * as pushing from './push-outcomes';
import { pushContext } from './push-context';
import { signingKey } from './signing-key';
import * as subscriptions from './subscriptions';
import * as permissions from './topic-permissions';
import * as topicTags from './topic-tags';
import { requireTopic } from './topics';
import * as topics from './topics';

/**
 * SNS over Redis: topics, subscriptions and publishing, on the queue engine's
 * connection and scripts. Deliveries to queues go through the same engine
 * calls a sender makes.
 */
export class TopicEngine {
  private worker: FanoutWorker | undefined;
  private push: confirmations.PushContext | undefined;

  constructor(
    private readonly ctx: EngineContext,
    private readonly newConnection: () => Redis,
  ) {}

  createTopic(
    name: string,
    attributes: Readonly<Record<string, string>> = {},
    tags: Tags = {},
  ): Promise<string> {
    return topics.createTopic(this.ctx, name, attributes, tags);
  }

  deleteTopic(topicArn: string): Promise<void> {
    return topics.deleteTopic(this.ctx, topicArn);
  }

  listTopics(nextToken?: string): Promise<Page<string>> {
    return topics.listTopics(this.ctx, { nextToken });
  }

  getTopicAttributes(topicArn: string): Promise<Record<string, string>> {
    return topics.getTopicAttributes(this.ctx, topicArn);
  }

  setTopicAttributes(
    topicArn: string,
    name: string,
    value: string,
  ): Promise<void> {
    return topics.setTopicAttributes(this.ctx, topicArn, name, value);
  }

  /** Adds a statement `label` to the topic's Policy (stored, not enforced). */
  addPermission(
    topicArn: string,
    label: string,
    awsAccountIds: readonly string[],
    actionNames: readonly string[],
  ): Promise<void> {
    return permissions.addPermission(
      this.ctx,
      topicArn,
      label,
      awsAccountIds,
      actionNames,
    );
  }

  removePermission(topicArn: string, label: string): Promise<void> {
    return permissions.removePermission(this.ctx, topicArn, label);
  }

  subscribe(
    topicArn: string,
    input: subscriptions.SubscribeInput,
  ): Promise<subscriptions.Subscribed> {
    return subscriptions.subscribe(this.ctx, topicArn, input, this.push);
  }

  /** ConfirmSubscription, by API call or a GET on the SubscribeURL. */
  confirmSubscription(
    topicArn: string,
    token: string,
    options: confirmations.ConfirmOptions,
  ): Promise<string> {
    return confirmations.confirmSubscription(
      this.ctx,
      topicArn,
      token,
      options,
    );
  }

  unsubscribe(subscriptionArn: string): Promise<void> {
    return subscriptions.unsubscribe(this.ctx, subscriptionArn, this.push);
  }

  getSubscriptionAttributes(
    subscriptionArn: string,
  ): Promise<Record<string, string>> {
    return subscriptions.getSubscriptionAttributes(this.ctx, subscriptionArn);
  }

  setSubscriptionAttributes(
    subscriptionArn: string,
    name: string,
    value: string,
  ): Promise<void> {
    return subscriptions.setSubscriptionAttributes(
      this.ctx,
      subscriptionArn,
      name,
      value,
    );
  }

  listSubscriptions(
    nextToken?: string,
  ): Promise<Page<subscriptions.SubscriptionSummary>> {
    return subscriptions.listSubscriptions(this.ctx, nextToken);
  }

  listSubscriptionsByTopic(
    topicArn: string,
    nextToken?: string,
  ): Promise<Page<subscriptions.SubscriptionSummary>> {
    return subscriptions.listSubscriptionsByTopic(
      this.ctx,
      topicArn,
      nextToken,
    );
  }

  publish(
    topicArn: string,
    input: publishing.PublishInput,
  ): Promise<publishing.Published> {
    return publishing.publish(this.ctx, topicArn, input);
  }

  publishBatch(
    topicArn: string,
    entries: readonly publishing.PublishBatchEntry[],
  ): Promise<BatchResult<publishing.Published>> {
    return publishing.publishBatch(this.ctx, topicArn, entries);
  }

  tagResource(topicArn: string, tags: Tags): Promise<void> {
    return topicTags.tagTopic(this.ctx, topicArn, tags);
  }

  untagResource(topicArn: string, keys: readonly string[]): Promise<void> {
    return topicTags.untagTopic(this.ctx, topicArn, keys);
  }

  listTagsForResource(topicArn: string): Promise<Tags> {
    return topicTags.listTopicTags(this.ctx, topicArn);
  }

  /**
   * The certificate SNS messages are signed under, and the file name their
   * SigningCertURL gives it (created with the signing key on first use).
   */
  async signingCertificate(): Promise<{ name: string; pem: string }> {
    const key = await signingKey(this.ctx);
    return { name: key.certificateName, pem: key.certificate };
  }

  /** Per-topic counters: published, and `<outcome>:<protocol>` deliveries. */
  async getTopicStats(topicArn: string): Promise<Record<string, number>> {
    const topic = await requireTopic(this.ctx, topicArn);
    const raw = await this.ctx.redis.hgetall(
      topics.keysOf(this.ctx, topic).stats,
    );
    return Object.fromEntries(
      Object.entries(raw).map(([k, v]) => [k, Number(v)]),
    );
  }

  /**
   * Starts this process's delivery worker (on a connection of its own).
   * With a push transport, http/https subscriptions are confirmed and
   * delivered to through it.
   */
  startDelivery(
    options: Omit<FanoutOptions, 'push'> & { transport?: PushTransport },
  ): void {
    if (options.transport) {
      this.push = pushContext(this.ctx, options.transport, options.publicUrl);
    }
    this.worker ??= new FanoutWorker(this.ctx, this.newConnection(), {
      ...options,
      push: this.push,
    });
    this.worker.start();
  }

  /** A push transport's report on a notification it is done with. */
  recordPushOutcome(message: PushMessage, outcome: PushOutcome): Promise<void> {
    return pushing.recordOutcome(this.ctx, message, outcome);
  }

  /** Sends an undeliverable notification to its subscription's DLQ, if any. */
  deadLetterPush(message: PushMessage): Promise<void> {
    return pushing.deadLetterPush(this.ctx, message);
  }

  /** ms a push must wait for its subscription's throttle (0: go now). */
  throttlePush(message: PushMessage): Promise<number> {
    return pushing.throttle(this.ctx, message);
  }

  async stopDelivery(): Promise<void> {
    await this.worker?.stop();
  }
}
