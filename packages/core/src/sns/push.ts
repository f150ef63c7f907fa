import type { WireAttribute } from './published-record';

/**
 * Messages for http/https subscriptions. The engine decides what to send
 * (signed JSON or the raw message), where, and how often to retry; a
 * transport outside the engine (the broker's, over HTTP) sends them. The
 * engine never speaks HTTP itself.
 */
export type PushMessageType =
  'Notification' | 'SubscriptionConfirmation' | 'UnsubscribeConfirmation';

/** How a push is retried and paced, from the effective DeliveryPolicy. */
export interface PushPolicy {
  /** ms to wait before each retry; its length is the number of retries */
  readonly retryDelaysMs: readonly number[];
  /** most deliveries per second to the subscription, if throttled */
  readonly maxReceivesPerSecond?: number;
  /** the POST's Content-Type */
  readonly contentType: string;
}

export interface PushMessage {
  readonly type: PushMessageType;
  readonly messageId: string;
  readonly topicArn: string;
  readonly subscriptionArn: string;
  readonly protocol: string;
  /** the URL to POST to (it may carry basic-auth credentials) */
  readonly endpoint: string;
  /** the POST body: the signed JSON document, or the message itself (raw) */
  readonly body: string;
  readonly raw: boolean;
  readonly policy: PushPolicy;
  /** where an undeliverable notification goes (subscription RedrivePolicy) */
  readonly redrivePolicy?: string;
  /** the message's attributes, which a raw message carries into a DLQ */
  readonly attributes?: Readonly<Record<string, WireAttribute>>;
}

/** Sends push messages durably: once accepted, they are retried until done. */
export interface PushTransport {
  push(messages: readonly PushMessage[]): Promise<void>;
}

/** What a transport reports about a message it is done with. */
export type PushOutcome = 'delivered' | 'failed';
