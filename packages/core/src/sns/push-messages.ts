import { randomBytes, randomUUID } from 'node:crypto';
import type { PublishedRecord } from './published-record';
import type { PushMessage, PushMessageType, PushPolicy } from './push';
import { signMessage, type Signer } from './signing';
import type { SubscriptionRecord } from './subscription-record';

/** Where a message is going, and what the broker's links look like. */
export interface PushTarget {
  readonly topicArn: string;
  readonly subscriptionArn: string;
  readonly record: SubscriptionRecord;
  /** the broker's public URL (SubscribeURL and UnsubscribeURL point there) */
  readonly publicUrl: string;
  readonly policy: PushPolicy;
}

/** SNS's confirmation tokens are long hex strings; ours carry 64 random bytes. */
export function newConfirmationToken(): string {
  return randomBytes(64).toString('hex');
}

export function unsubscribeUrl(publicUrl: string, subscriptionArn: string) {
  return `${publicUrl}/?Action=Unsubscribe&SubscriptionArn=${encodeURIComponent(subscriptionArn)}`;
}

function subscribeUrl(publicUrl: string, topicArn: string, token: string) {
  return `${publicUrl}/?Action=ConfirmSubscription&TopicArn=${encodeURIComponent(topicArn)}&Token=${token}`;
}

const CONFIRMATION_TEXT: Record<
  Exclude<PushMessageType, 'Notification'>,
  (target: PushTarget) => string
> = {
  SubscriptionConfirmation: (t) =>
    `You have chosen to subscribe to the topic ${t.topicArn}.\nTo confirm the subscription, visit the SubscribeURL included in this message.`,
  UnsubscribeConfirmation: (t) =>
    `You have chosen to deactivate subscription ${t.subscriptionArn}.\nTo cancel this operation and restore the subscription, visit the SubscribeURL included in this message.`,
};

function pushMessage(
  target: PushTarget,
  type: PushMessageType,
  messageId: string,
  body: string,
  raw: boolean,
): PushMessage {
  return {
    type,
    messageId,
    topicArn: target.topicArn,
    subscriptionArn: target.subscriptionArn,
    protocol: target.record.protocol,
    endpoint: target.record.endpoint,
    body,
    raw,
    policy: target.policy,
  };
}

/** A SubscriptionConfirmation or UnsubscribeConfirmation, signed. */
export function confirmationPush(
  target: PushTarget,
  type: Exclude<PushMessageType, 'Notification'>,
  token: string,
  now: number,
  signer: Signer,
): PushMessage {
  const messageId = randomUUID();
  const signed = signMessage(
    {
      Type: type,
      MessageId: messageId,
      Token: token,
      TopicArn: target.topicArn,
      Message: CONFIRMATION_TEXT[type](target),
      SubscribeURL: subscribeUrl(target.publicUrl, target.topicArn, token),
      Timestamp: new Date(now).toISOString(),
    },
    signer,
  );
  return pushMessage(target, type, messageId, JSON.stringify(signed), false);
}

/**
 * A published message for an http/https subscription: `document` is what the
 * POST carries (the signed envelope fan-out builds for every protocol, or
 * the raw message).
 */
export function notificationPush(
  target: PushTarget,
  record: PublishedRecord,
  document: string,
): PushMessage {
  const { RawMessageDelivery, RedrivePolicy } = target.record.attributes;
  return {
    ...pushMessage(
      target,
      'Notification',
      record.id,
      document,
      RawMessageDelivery === 'true',
    ),
    ...(RedrivePolicy && { redrivePolicy: RedrivePolicy }),
    ...(record.attributes && { attributes: record.attributes }),
  };
}
