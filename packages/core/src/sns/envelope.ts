import type { PublishedRecord } from './published-record';
import { signatureFields, type SignatureFields, type Signer } from './signing';

/**
 * What an `sqs` subscription receives: SNS's JSON envelope, signed with the
 * broker's signing key, or with RawMessageDelivery the message itself.
 */
export interface EnvelopeContext {
  readonly topicArn: string;
  readonly subscriptionArn: string;
  /** where Unsubscribe links point (the broker's public URL) */
  readonly publicUrl: string;
  /** a replay from the topic's archive: the envelope says `Replayed: true` */
  readonly replayed?: boolean;
}

/** The body a protocol gets: MessageStructure=json picks its own entry. */
export function bodyFor(record: PublishedRecord, protocol: string): string {
  if (record.structure !== 'json') {
    return record.message;
  }
  const bodies = JSON.parse(record.message) as Record<string, unknown>;
  const body = bodies[protocol] ?? bodies.default;
  return typeof body === 'string' ? body : JSON.stringify(body);
}

/** A notification's fields up to its signature, in SNS's order. */
function notificationFields(
  record: PublishedRecord,
  body: string,
  topicArn: string,
) {
  return {
    Type: 'Notification',
    MessageId: record.id,
    // FIFO topics: the number Publish answered with
    ...(record.sequenceNumber !== undefined && {
      SequenceNumber: record.sequenceNumber,
    }),
    TopicArn: topicArn,
    ...(record.subject !== undefined && { Subject: record.subject }),
    Message: body,
    Timestamp: new Date(record.at).toISOString(),
  };
}

/**
 * The signature of a notification: it covers no subscription's field, so
 * one serves every subscription that gets the same body.
 */
export function notificationSignature(
  record: PublishedRecord,
  body: string,
  topicArn: string,
  signer: Signer,
): SignatureFields {
  return signatureFields(notificationFields(record, body, topicArn), signer);
}

export function notificationEnvelope(
  record: PublishedRecord,
  body: string,
  context: EnvelopeContext,
  signature: SignatureFields,
): string {
  const attributes = Object.entries(record.attributes ?? {});
  return JSON.stringify({
    ...notificationFields(record, body, context.topicArn),
    ...signature,
    UnsubscribeURL: `${context.publicUrl}/?Action=Unsubscribe&SubscriptionArn=${encodeURIComponent(context.subscriptionArn)}`,
    ...(attributes.length > 0 && {
      MessageAttributes: Object.fromEntries(
        attributes.map(([name, a]) => [
          name,
          { Type: a.t, Value: a.b ?? a.s ?? '' },
        ]),
      ),
    }),
    ...(context.replayed && { Replayed: true }),
  });
}
