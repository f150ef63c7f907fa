import type { EngineContext } from '../context';
import { SluiceError } from '../errors';
import { replyStatus } from '../script-reply';
import type { PushPolicy, PushTransport } from './push';
import { confirmationPush, newConfirmationToken } from './push-messages';
import type { Signer } from './signing';
import type { SubscriptionRecord } from './subscription-record';
import {
  subscriptionArn,
  topicArn,
  topicNameOf,
  topicNotFound,
} from './topic-names';
import { keysOf } from './topics';

/** SNS: "Confirmation tokens are valid for two days." */
export const TOKEN_TTL_MS = 2 * 86_400_000;
/** An unconfirmed subscription lapses when its token does. */
export const CONFIRM_WITHIN_MS = TOKEN_TTL_MS;

/** What sending confirmations needs; the broker provides it with delivery. */
export interface PushContext {
  readonly transport: PushTransport;
  /** the broker's public URL, for SubscribeURL and UnsubscribeURL */
  readonly publicUrl: string;
  /** signs messages as the topic asks (its SignatureVersion) */
  readonly signerFor: (topic: string) => Promise<Signer>;
  /** the effective delivery policy of a subscription of the topic */
  readonly policyFor: (
    topic: string,
    record: SubscriptionRecord,
  ) => Promise<PushPolicy>;
}

export function needsConfirmation(protocol: string): boolean {
  return protocol === 'http' || protocol === 'https';
}

export function invalidToken(): SluiceError {
  return new SluiceError('InvalidParameter', 'Invalid parameter: Token');
}

/** Sends a SubscriptionConfirmation or UnsubscribeConfirmation with `token`. */
export async function sendConfirmation(
  ctx: EngineContext,
  push: PushContext,
  topic: string,
  subscription: { id: string; record: SubscriptionRecord },
  type: 'SubscriptionConfirmation' | 'UnsubscribeConfirmation',
  token: string,
): Promise<void> {
  const message = confirmationPush(
    {
      topicArn: topicArn(ctx.scope, topic),
      subscriptionArn: subscriptionArn(ctx.scope, {
        topic,
        id: subscription.id,
      }),
      record: subscription.record,
      publicUrl: push.publicUrl,
      policy: await push.policyFor(topic, subscription.record),
    },
    type,
    token,
    ctx.clock(),
    await push.signerFor(topic),
  );
  await push.transport.push([message]);
}

/**
 * After an http/https subscription is deleted: a token whose SubscribeURL
 * restores it, sent in an UnsubscribeConfirmation.
 */
export async function confirmUnsubscribe(
  ctx: EngineContext,
  push: PushContext,
  topic: string,
  subscription: { id: string; raw: string },
): Promise<void> {
  const k = keysOf(ctx, topic);
  const created = await ctx.redis.hget(k.meta, 'created');
  if (created === null) {
    return;
  }
  const token = newConfirmationToken();
  await ctx.redis.set(
    k.confirmation(token),
    JSON.stringify({ id: subscription.id, restore: subscription.raw, created }),
    'PX',
    TOKEN_TTL_MS,
  );
  await sendConfirmation(
    ctx,
    push,
    topic,
    {
      id: subscription.id,
      record: JSON.parse(subscription.raw) as SubscriptionRecord,
    },
    'UnsubscribeConfirmation',
    token,
  );
}

export interface ConfirmOptions {
  /** an API call (signed) rather than a GET on the SubscribeURL */
  readonly authenticated: boolean;
  readonly authenticateOnUnsubscribe?: boolean;
}

const TOKEN = /^[0-9a-f]{1,1024}$/;

/** ConfirmSubscription: the confirmed subscription's ARN. */
export async function confirmSubscription(
  ctx: EngineContext,
  arn: string | undefined,
  token: string,
  options: ConfirmOptions,
): Promise<string> {
  const topic = topicNameOf(ctx.scope, arn, 'Topic');
  if (!TOKEN.test(token)) {
    throw invalidToken();
  }
  const k = keysOf(ctx, topic);
  const reply = await ctx.scripts.run(
    'confirmSubscription',
    [k.meta, k.subscriptions, k.confirmation(token)],
    [
      options.authenticated ? '1' : '0',
      options.authenticateOnUnsubscribe ? '1' : '0',
    ],
  );
  switch (replyStatus(reply)) {
    case 'NotFound':
      throw topicNotFound();
    case 'InvalidToken':
      throw invalidToken();
  }
  const [, id] = reply as [string, string];
  return subscriptionArn(ctx.scope, { topic, id });
}
