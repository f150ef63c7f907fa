import type { MessageAttributes, ReceivedMessage } from './transport';

/** A received message before its body is decoded. */
export interface RawMessage {
  /** the MessageId */
  readonly id: string;
  /** this receive's handle (changes with every receive) */
  readonly receiptHandle: string;
  /** the body as sent */
  readonly rawBody: string;
  /** system attributes: the ones asked for, plus ApproximateReceiveCount and MessageGroupId */
  readonly attributes: Readonly<Record<string, string>>;
  readonly messageAttributes: MessageAttributes;
  /** 1 on the first delivery (ApproximateReceiveCount) */
  readonly receiveCount: number;
  /** FIFO queues (and fair queues) */
  readonly groupId?: string;
}

/** What a handler gets: the message with its body decoded. */
export interface Message<T> extends RawMessage {
  readonly body: T;
}

/** System attributes every receive asks for, whatever the options say. */
export const REQUIRED_ATTRIBUTES = [
  'ApproximateReceiveCount',
  'MessageGroupId',
] as const;

export function toRawMessage(received: ReceivedMessage): RawMessage {
  const count = Number(received.attributes.ApproximateReceiveCount);
  const groupId = received.attributes.MessageGroupId;
  return {
    id: received.messageId,
    receiptHandle: received.receiptHandle,
    rawBody: received.body,
    attributes: received.attributes,
    messageAttributes: received.messageAttributes,
    receiveCount: Number.isInteger(count) && count > 0 ? count : 1,
    ...(groupId !== undefined && { groupId }),
  };
}
