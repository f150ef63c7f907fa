import type { EngineContext } from '../context';
import type { PushContext } from './confirmations';
import { resolveDeliveryPolicy, retryDelayMs } from './delivery-policy';
import type { PushPolicy, PushTransport } from './push';
import type { SubscriptionRecord } from './subscription-record';
import { topicSigner } from './topic-signer';
import { keysOf } from './topics';

/** The push policy of a subscription from its and its topic's DeliveryPolicy. */
export function pushPolicy(
  topicDeliveryPolicy: string | undefined,
  record: SubscriptionRecord,
): PushPolicy {
  const policy = resolveDeliveryPolicy({
    topic: topicDeliveryPolicy,
    subscription: record.attributes.DeliveryPolicy,
  });
  return {
    retryDelaysMs: Array.from({ length: policy.retry.numRetries }, (_, i) =>
      retryDelayMs(policy, i + 1),
    ),
    ...(policy.maxReceivesPerSecond !== undefined && {
      maxReceivesPerSecond: policy.maxReceivesPerSecond,
    }),
    contentType: policy.headerContentType,
  };
}

/** What confirmations and deliveries to http/https endpoints need. */
export function pushContext(
  ctx: EngineContext,
  transport: PushTransport,
  publicUrl: string,
): PushContext {
  return {
    transport,
    publicUrl,
    signerFor: (topic) => topicSigner(ctx, topic, publicUrl),
    policyFor: async (topic, record) =>
      pushPolicy(
        (await ctx.redis.hget(keysOf(ctx, topic).meta, 'DeliveryPolicy')) ??
          undefined,
        record,
      ),
  };
}
