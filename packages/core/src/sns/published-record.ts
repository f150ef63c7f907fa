import type { MessageAttributeValue } from '../message-types';

/** Message attributes as SNS models them (String, String.Array, Number, Binary). */
export type SnsAttributes = Readonly<Record<string, MessageAttributeValue>>;

/** A message attribute as the topic's log keeps it (base64 for Binary). */
export interface WireAttribute {
  readonly t: string;
  readonly s?: string;
  readonly b?: string;
}

/** A published message as the topic's log keeps it (one JSON field). */
export interface PublishedRecord {
  readonly id: string;
  readonly message: string;
  /** ms */
  readonly at: number;
  readonly subject?: string;
  /** "json": `message` holds per-protocol bodies */
  readonly structure?: 'json';
  readonly attributes?: Readonly<Record<string, WireAttribute>>;
  /** MessageGroupId (FIFO topics always; standard topics when given) */
  readonly group?: string;
  /** FIFO topics: the deduplication id, given or the message's SHA-256 */
  readonly dedup?: string;
  /**
   * FIFO topics: the sequence number the publish script gave it, kept beside
   * the JSON in the log entry (field `s`), not in it
   */
  readonly sequenceNumber?: string;
}

export function attributesOf(record: PublishedRecord): SnsAttributes {
  return attributesFromWire(record.attributes ?? {});
}

export function attributesFromWire(
  attributes: Readonly<Record<string, WireAttribute>>,
): SnsAttributes {
  return Object.fromEntries(
    Object.entries(attributes).map(([name, a]) => [
      name,
      a.b !== undefined
        ? { dataType: a.t, binaryValue: Buffer.from(a.b, 'base64') }
        : { dataType: a.t, stringValue: a.s ?? '' },
    ]),
  );
}
