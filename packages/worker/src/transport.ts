/**
 * What a consumer and a producer need from a queue: the five SQS calls they
 * make, in one shape whatever carries them (the SQS API over HTTP, or the
 * Sluice engine on Redis). Transports throw `TransportError`s.
 */

export interface MessageAttribute {
  readonly dataType: string;
  readonly stringValue?: string;
  readonly binaryValue?: Uint8Array;
}

export type MessageAttributes = Readonly<Record<string, MessageAttribute>>;

/** A message as a receive gives it, body still text. */
export interface ReceivedMessage {
  readonly messageId: string;
  readonly receiptHandle: string;
  readonly body: string;
  /** system attributes asked for (ApproximateReceiveCount, SentTimestamp, ...) */
  readonly attributes: Readonly<Record<string, string>>;
  readonly messageAttributes: MessageAttributes;
}

export interface ReceiveRequest {
  /** 1..10 */
  readonly maxMessages: number;
  /** 0..20 */
  readonly waitTimeSeconds: number;
  /** seconds; undefined: the queue's */
  readonly visibilityTimeout?: number;
  readonly attributeNames: readonly string[];
  readonly messageAttributeNames: readonly string[];
  /** ends a long poll early (the consumer is stopping) */
  readonly signal?: AbortSignal;
}

export interface Receipt {
  /** the entry's id in the batch */
  readonly id: string;
  readonly receiptHandle: string;
}

export interface VisibilityChange extends Receipt {
  readonly visibilityTimeout: number;
}

export interface SendRequest {
  /** the entry's id in the batch */
  readonly id: string;
  readonly body: string;
  readonly delaySeconds?: number;
  readonly messageAttributes?: MessageAttributes;
  readonly messageGroupId?: string;
  readonly messageDeduplicationId?: string;
}

export interface SentMessage {
  readonly id: string;
  readonly messageId: string;
  /** FIFO queues */
  readonly sequenceNumber?: string;
}

export interface EntryFailure {
  readonly id: string;
  readonly code: string;
  readonly message: string;
  readonly senderFault: boolean;
}

export interface BatchOutcome<T extends { readonly id: string }> {
  readonly successful: readonly T[];
  readonly failed: readonly EntryFailure[];
}

export interface Transport {
  /** what the transport reaches, for logs and errors */
  readonly queue: string;
  receive(request: ReceiveRequest): Promise<ReceivedMessage[]>;
  /** up to 10 entries */
  delete(entries: readonly Receipt[]): Promise<BatchOutcome<{ id: string }>>;
  /** up to 10 entries */
  changeVisibility(
    entries: readonly VisibilityChange[],
  ): Promise<BatchOutcome<{ id: string }>>;
  /** up to 10 entries, 1 MiB in all */
  send(entries: readonly SendRequest[]): Promise<BatchOutcome<SentMessage>>;
  /** releases what the transport opened itself (not what it was given) */
  close(): void;
}

/**
 * A call that failed as a whole. `retryable`: throttling, a server error or
 * a lost connection, worth trying again after a pause; otherwise the request
 * itself is wrong (no such queue, bad input) and will fail again.
 */
export class TransportError extends Error {
  override readonly name = 'TransportError';

  constructor(
    readonly code: string,
    message: string,
    readonly retryable: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isTransportError(error: unknown): error is TransportError {
  return error instanceof TransportError;
}
