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

interface EnvelopeTemplate {
  /** every field before the subscription's UnsubscribeURL, open-ended */
  readonly prefix: string;
  /** the fields after it, and the closing brace */
  readonly suffix: string;
}

/**
 * Envelopes serialised so far, by the signature they carry: a signature
 * stands for one message and body (fan-out signs once per read and
 * protocol), so every subscription of that read shares the serialised
 * message and only its own UnsubscribeURL is written per subscription.
 */
const templates = new WeakMap<
  SignatureFields,
  Partial<Record<'live' | 'replayed', EnvelopeTemplate>>
>();

function template(
  record: PublishedRecord,
  body: string,
  topicArn: string,
  signature: SignatureFields,
  replayed: boolean,
): EnvelopeTemplate {
  const kind = replayed ? 'replayed' : 'live';
  const known = templates.get(signature) ?? {};
  const found = known[kind];
  if (found) {
    return found;
  }
  const attributes = Object.entries(record.attributes ?? {});
  const head = JSON.stringify({
    ...notificationFields(record, body, topicArn),
    ...signature,
  });
  const tail = JSON.stringify({
    ...(attributes.length > 0 && {
      MessageAttributes: Object.fromEntries(
        attributes.map(([name, a]) => [
          name,
          { Type: a.t, Value: a.b ?? a.s ?? '' },
        ]),
      ),
    }),
    ...(replayed && { Replayed: true }),
  });
  const made = {
    prefix: `${head.slice(0, -1)},"UnsubscribeURL":`,
    suffix: tail === '{}' ? '}' : `,${tail.slice(1)}`,
  };
  templates.set(signature, { ...known, [kind]: made });
  return made;
}

/** SNS's JSON envelope for one subscription, keys in SNS's order. */
export function notificationEnvelope(
  record: PublishedRecord,
  body: string,
  context: EnvelopeContext,
  signature: SignatureFields,
): string {
  const { prefix, suffix } = template(
    record,
    body,
    context.topicArn,
    signature,
    context.replayed === true,
  );
  const unsubscribe = `${context.publicUrl}/?Action=Unsubscribe&SubscriptionArn=${encodeURIComponent(context.subscriptionArn)}`;
  return `${prefix}${JSON.stringify(unsubscribe)}${suffix}`;
}
