import type { PublishedRecord } from './published-record';

/**
 * What an `sqs` subscription receives: SNS's JSON envelope, or with
 * RawMessageDelivery the message itself. Signatures (SignatureVersion,
 * Signature, SigningCertURL) come with the broker's signing key, in the HTTP
 * delivery step of the SNS issue; until then the envelope carries none.
 */
export interface EnvelopeContext {
  readonly topicArn: string;
  readonly subscriptionArn: string;
  /** where Unsubscribe links point (the broker's public URL) */
  readonly publicUrl: string;
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

export function notificationEnvelope(
  record: PublishedRecord,
  body: string,
  context: EnvelopeContext,
): string {
  const attributes = Object.entries(record.attributes ?? {});
  return JSON.stringify({
    Type: 'Notification',
    MessageId: record.id,
    // FIFO topics: the number Publish answered with
    ...(record.sequenceNumber !== undefined && {
      SequenceNumber: record.sequenceNumber,
    }),
    TopicArn: context.topicArn,
    ...(record.subject !== undefined && { Subject: record.subject }),
    Message: body,
    Timestamp: new Date(record.at).toISOString(),
    UnsubscribeURL: `${context.publicUrl}/?Action=Unsubscribe&SubscriptionArn=${encodeURIComponent(context.subscriptionArn)}`,
    ...(attributes.length > 0 && {
      MessageAttributes: Object.fromEntries(
        attributes.map(([name, a]) => [
          name,
          { Type: a.t, Value: a.b ?? a.s ?? '' },
        ]),
      ),
    }),
  });
}
