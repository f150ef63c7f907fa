/** A message attribute as SQS models it: String, Number or Binary (+ ".custom"). */
export interface MessageAttributeValue {
  readonly dataType: string;
  readonly stringValue?: string;
  readonly binaryValue?: Buffer;
}

export type MessageAttributes = Readonly<Record<string, MessageAttributeValue>>;

/** System attributes a sender may set; SQS accepts only AWSTraceHeader. */
export type MessageSystemAttributes = Readonly<
  Record<string, MessageAttributeValue>
>;

export const SYSTEM_ATTRIBUTE_NAMES = [
  'SenderId',
  'SentTimestamp',
  'ApproximateReceiveCount',
  'ApproximateFirstReceiveTimestamp',
  'SequenceNumber',
  'MessageDeduplicationId',
  'MessageGroupId',
  'AWSTraceHeader',
  'DeadLetterQueueSourceArn',
] as const;

export type SystemAttributeName = (typeof SYSTEM_ATTRIBUTE_NAMES)[number];

export interface SendMessageInput {
  readonly body: string;
  readonly delaySeconds?: number;
  readonly messageAttributes?: MessageAttributes;
  readonly messageSystemAttributes?: MessageSystemAttributes;
  readonly senderId?: string;
  /** required on FIFO queues; on standard queues, stored and returned */
  readonly messageGroupId?: string;
  /** FIFO only; required unless the queue has ContentBasedDeduplication */
  readonly messageDeduplicationId?: string;
}

export interface SentMessage {
  readonly messageId: string;
  readonly md5OfMessageBody: string;
  readonly md5OfMessageAttributes?: string;
  readonly md5OfMessageSystemAttributes?: string;
  /** FIFO only */
  readonly sequenceNumber?: string;
}

export interface BatchEntryFailure {
  readonly id: string;
  readonly code: string;
  readonly message: string;
  readonly senderFault: boolean;
}

export interface BatchResult<T> {
  readonly successful: readonly (T & { readonly id: string })[];
  readonly failed: readonly BatchEntryFailure[];
}

export interface ReceivedMessage {
  readonly messageId: string;
  readonly receiptHandle: string;
  readonly body: string;
  readonly md5OfBody: string;
  readonly md5OfMessageAttributes?: string;
  readonly attributes: Partial<Record<SystemAttributeName, string>>;
  readonly messageAttributes: MessageAttributes;
}
