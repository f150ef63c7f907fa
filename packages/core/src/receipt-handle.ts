import { SluiceError } from './errors';

/**
 * A receipt handle names the queue, the message and which receive of it it
 * came from: only the newest handle may delete or change the message.
 */
export interface ReceiptHandle {
  readonly queue: string;
  readonly messageId: string;
  readonly receiveCount: number;
}

const VERSION = 'v1';

export function encodeReceiptHandle(handle: ReceiptHandle): string {
  const raw = `${VERSION}:${handle.queue}:${handle.messageId}:${handle.receiveCount}`;
  return Buffer.from(raw, 'utf8').toString('base64url');
}

export function invalidReceiptHandle(handle: string): SluiceError {
  return new SluiceError(
    'ReceiptHandleIsInvalid',
    `The input receipt handle "${handle}" is not a valid receipt handle.`,
  );
}

/** Decodes a handle given for `queue`, or throws ReceiptHandleIsInvalid. */
export function decodeReceiptHandle(
  queue: string,
  handle: string | undefined,
): ReceiptHandle {
  if (handle === undefined || handle === '') {
    throw new SluiceError(
      'MissingParameter',
      'The request must contain the parameter ReceiptHandle.',
    );
  }
  if (!/^[A-Za-z0-9_-]+$/.test(handle) || handle.length > 1024) {
    throw invalidReceiptHandle(handle);
  }
  const parts = Buffer.from(handle, 'base64url').toString('utf8').split(':');
  const [version, handleQueue, messageId, count] = parts;
  if (
    parts.length !== 4 ||
    version !== VERSION ||
    handleQueue !== queue ||
    !messageId ||
    !count ||
    !/^\d{1,9}$/.test(count)
  ) {
    throw invalidReceiptHandle(handle);
  }
  return { queue, messageId, receiveCount: Number(count) };
}
