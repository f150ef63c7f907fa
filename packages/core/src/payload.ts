import type { MessageAttributeValue, MessageAttributes } from './message-types';

/**
 * The immutable part of a message as stored in the queue's `messages` hash:
 * a one-line JSON header, a newline, then the body as it is (escaping and
 * parsing a large body as JSON would cost more than the rest of a send).
 * Only TypeScript reads it; Lua moves it around as an opaque string.
 */
export interface StoredMessage {
  readonly body: string;
  readonly md5OfBody: string;
  readonly sentAt: number;
  readonly senderId: string;
  readonly attributes?: MessageAttributes;
  readonly md5OfAttributes?: string;
  readonly traceHeader?: string;
  readonly md5OfSystemAttributes?: string;
  /** ARN of the queue a dead-letter move took it from */
  readonly deadLetterSourceArn?: string;
  readonly messageGroupId?: string;
  /** FIFO: given, or the body's SHA-256 under ContentBasedDeduplication */
  readonly messageDeduplicationId?: string;
}

interface WireAttribute {
  t: string;
  s?: string;
  b?: string;
}

interface WireHeader {
  m: string;
  t: number;
  i: string;
  a?: Record<string, WireAttribute>;
  ma?: string;
  x?: string;
  mx?: string;
  d?: string;
  g?: string;
  dd?: string;
}

function attributeToWire(value: MessageAttributeValue): WireAttribute {
  return value.binaryValue !== undefined
    ? { t: value.dataType, b: value.binaryValue.toString('base64') }
    : { t: value.dataType, s: value.stringValue ?? '' };
}

function attributeFromWire(value: WireAttribute): MessageAttributeValue {
  return value.b !== undefined
    ? { dataType: value.t, binaryValue: Buffer.from(value.b, 'base64') }
    : { dataType: value.t, stringValue: value.s ?? '' };
}

export function encodePayload(message: StoredMessage): string {
  const wire: WireHeader = {
    m: message.md5OfBody,
    t: message.sentAt,
    i: message.senderId,
  };
  if (message.attributes && Object.keys(message.attributes).length > 0) {
    wire.a = Object.fromEntries(
      Object.entries(message.attributes).map(([k, v]) => [
        k,
        attributeToWire(v),
      ]),
    );
    wire.ma = message.md5OfAttributes;
  }
  if (message.traceHeader !== undefined) {
    wire.x = message.traceHeader;
    wire.mx = message.md5OfSystemAttributes;
  }
  if (message.deadLetterSourceArn !== undefined) {
    wire.d = message.deadLetterSourceArn;
  }
  if (message.messageGroupId !== undefined) {
    wire.g = message.messageGroupId;
  }
  if (message.messageDeduplicationId !== undefined) {
    wire.dd = message.messageDeduplicationId;
  }
  // JSON.stringify escapes newlines, so the first one ends the header.
  return `${JSON.stringify(wire)}\n${message.body}`;
}

export function decodePayload(raw: string): StoredMessage {
  const end = raw.indexOf('\n');
  const wire = JSON.parse(raw.slice(0, end)) as WireHeader;
  return {
    body: raw.slice(end + 1),
    md5OfBody: wire.m,
    sentAt: wire.t,
    senderId: wire.i,
    ...(wire.a && {
      attributes: Object.fromEntries(
        Object.entries(wire.a).map(([k, v]) => [k, attributeFromWire(v)]),
      ),
      md5OfAttributes: wire.ma,
    }),
    ...(wire.x !== undefined && {
      traceHeader: wire.x,
      md5OfSystemAttributes: wire.mx,
    }),
    ...(wire.d !== undefined && { deadLetterSourceArn: wire.d }),
    ...(wire.g !== undefined && { messageGroupId: wire.g }),
    ...(wire.dd !== undefined && { messageDeduplicationId: wire.dd }),
  };
}
