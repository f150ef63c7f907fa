import type { EngineContext } from '../context';
import { isSluiceError } from '../errors';
import { prepare } from '../send';
import { deadLetter } from './dead-letter';
import { attributesFromWire } from './published-record';
import type { PushMessage, PushOutcome } from './push';
import { subscriptionOf } from './topic-names';
import { keysOf } from './topics';

/** Counts a finished push in its topic's stats (`<outcome>:<protocol>`). */
export async function recordOutcome(
  ctx: EngineContext,
  message: PushMessage,
  outcome: PushOutcome,
): Promise<void> {
  const { topic } = subscriptionOf(ctx.scope, message.subscriptionArn);
  await ctx.redis.hincrby(
    keysOf(ctx, topic).stats,
    `${outcome}:${message.protocol}`,
    1,
  );
}

/**
 * An undeliverable notification into the subscription's DLQ: what the
 * endpoint would have been sent, with the message's attributes when it was
 * raw (an envelope carries them inside).
 */
export async function deadLetterPush(
  ctx: EngineContext,
  message: PushMessage,
): Promise<void> {
  if (message.type !== 'Notification' || !message.redrivePolicy) {
    return;
  }
  let prepared;
  try {
    prepared = prepare(ctx, false, {
      body: message.body,
      ...(message.raw &&
        message.attributes && {
          messageAttributes: attributesFromWire(message.attributes),
        }),
    });
  } catch (error) {
    if (isSluiceError(error)) {
      return;
    }
    throw error;
  }
  await deadLetter(ctx, message.redrivePolicy, [prepared]);
}

/**
 * The subscription's throttlePolicy: a counter per second in Redis, shared by
 * every broker process. Answers 0 when the push may go now, else the ms until
 * the next second.
 */
export async function throttle(
  ctx: EngineContext,
  message: PushMessage,
): Promise<number> {
  const limit = message.policy.maxReceivesPerSecond;
  if (limit === undefined) {
    return 0;
  }
  const ref = subscriptionOf(ctx.scope, message.subscriptionArn);
  const now = Date.now();
  const second = Math.floor(now / 1000);
  const key = keysOf(ctx, ref.topic).throttle(ref.id, second);
  const [[, count]] = (await ctx.redis
    .multi()
    .incr(key)
    .pexpire(key, 2000)
    .exec()) as [[null, number], unknown];
  return count <= limit ? 0 : (second + 1) * 1000 - now;
}
