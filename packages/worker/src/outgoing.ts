import { MAX_BATCH_BYTES, messageSize } from './batching';
import type { Encoder } from './codec';
import type { MessageAttributes, SendRequest } from './transport';

/** A body with the options of its send. */
export interface OutgoingMessage<T> {
  readonly body: T;
  /** yours, given back in the message's result; default: its index */
  readonly id?: string;
  /** 0..900 */
  readonly delaySeconds?: number;
  readonly messageAttributes?: MessageAttributes;
  /** FIFO queues (required there); fair queues on standard ones */
  readonly messageGroupId?: string;
  /** FIFO queues without ContentBasedDeduplication */
  readonly messageDeduplicationId?: string;
}

/**
 * What `send` takes: a bare body or an `OutgoingMessage`. An object whose
 * keys are `body` and only `OutgoingMessage` keys is taken for the latter;
 * a body of that shape must itself be wrapped: `{ body: value }`.
 */
export type Outgoing<T> = T | OutgoingMessage<T>;

const ENVELOPE_KEYS: ReadonlySet<string> = new Set([
  'body',
  'id',
  'delaySeconds',
  'messageAttributes',
  'messageGroupId',
  'messageDeduplicationId',
]);

export function isOutgoingMessage<T>(
  message: Outgoing<T>,
): message is OutgoingMessage<T> {
  if (typeof message !== 'object' || message === null) {
    return false;
  }
  const keys = Object.keys(message);
  return keys.includes('body') && keys.every((key) => ENVELOPE_KEYS.has(key));
}

/** Printable ASCII but the space, 1 to 128: SQS's group and dedup ids. */
const FIFO_ID = /^[\x21-\x7e]{1,128}$/;

/** A message encoded and checked, or why it cannot be sent at all. */
export type Prepared =
  | {
      readonly ok: true;
      readonly id: string | undefined;
      readonly request: Omit<SendRequest, 'id'>;
      readonly size: number;
    }
  | {
      readonly ok: false;
      readonly id: string | undefined;
      readonly code: string;
      readonly message: string;
    };

class Rejected extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function invalidParameter(name: string, value: unknown, reason: string) {
  return new Rejected(
    'InvalidParameterValue',
    `Value ${String(value)} for parameter ${name} is invalid. Reason: ${reason}`,
  );
}

function checkFifoId(name: string, value: string | undefined): void {
  if (value !== undefined && !FIFO_ID.test(value)) {
    throw invalidParameter(
      name,
      value,
      `${name} can only include alphanumeric and punctuation characters. 1 to 128 in length.`,
    );
  }
}

function checkDelay(delay: number | undefined): void {
  if (
    delay !== undefined &&
    (!Number.isInteger(delay) || delay < 0 || delay > 900)
  ) {
    throw invalidParameter(
      'DelaySeconds',
      delay,
      'DelaySeconds must be >= 0 and <= 900.',
    );
  }
}

function encode<T>(codec: Encoder<T>, body: T): string {
  let text: string;
  try {
    text = codec.encode(body);
  } catch (error) {
    throw new Rejected(
      'InvalidMessageContents',
      `The codec could not encode the body: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  if (text === '') {
    throw new Rejected(
      'MissingParameter',
      'The request must contain the parameter MessageBody.',
    );
  }
  return text;
}

function check<T>(
  message: OutgoingMessage<T>,
  codec: Encoder<T>,
): { request: Omit<SendRequest, 'id'>; size: number } {
  checkDelay(message.delaySeconds);
  checkFifoId('MessageGroupId', message.messageGroupId);
  checkFifoId('MessageDeduplicationId', message.messageDeduplicationId);
  const body = encode(codec, message.body);
  const size = messageSize(body, message.messageAttributes);
  if (size > MAX_BATCH_BYTES) {
    throw new Rejected(
      'InvalidParameterValue',
      `One or more parameters are invalid. Reason: Message must be shorter than ${MAX_BATCH_BYTES} bytes.`,
    );
  }
  const { id: _, body: __, ...options } = message;
  return { request: { body, ...options }, size };
}

/**
 * Encodes a message and makes the checks that need no queue: delay range,
 * id characters, the size limit. Queue-specific rules (a FIFO queue's group
 * id, its per-message delay) and attribute rules are the server's.
 */
export function prepare<T>(message: Outgoing<T>, codec: Encoder<T>): Prepared {
  const full: OutgoingMessage<T> = isOutgoingMessage(message)
    ? message
    : { body: message };
  try {
    return { ok: true, id: full.id, ...check(full, codec) };
  } catch (error) {
    if (!(error instanceof Rejected)) {
      throw error;
    }
    return { ok: false, id: full.id, code: error.code, message: error.message };
  }
}
