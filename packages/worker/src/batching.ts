import type { MessageAttributes } from './transport';

/** SendMessageBatch takes at most 10 entries... */
export const MAX_BATCH_ENTRIES = 10;
/**
 * ...of at most 1 MiB in all, the largest message SQS takes (since August
 * 2025; the engine's MAX_BATCH_BYTES in packages/core/src/send.ts).
 */
export const MAX_BATCH_BYTES = 1_048_576;

/**
 * The bytes SQS counts against its size limits: the body plus each
 * attribute's name, data type and value, all in UTF-8 (binary values as
 * their bytes). The same rule as the engine's `messageSize` in
 * packages/core/src/message-validation.ts, which core does not export.
 */
export function messageSize(
  body: string,
  attributes: MessageAttributes | undefined,
): number {
  let size = Buffer.byteLength(body, 'utf8');
  for (const [name, value] of Object.entries(attributes ?? {})) {
    size += Buffer.byteLength(name, 'utf8');
    size += Buffer.byteLength(value.dataType, 'utf8');
    size +=
      value.binaryValue !== undefined
        ? value.binaryValue.byteLength
        : Buffer.byteLength(value.stringValue ?? '', 'utf8');
  }
  return size;
}

export interface BatchLimits {
  readonly maxEntries: number;
  readonly maxBytes: number;
}

/**
 * Cuts `items` into consecutive batches within `limits`, keeping their
 * order: a batch closes when the next item would make it too long or too
 * large. Never reordering is what keeps a FIFO group's messages in order
 * across batches sent one after another. An item larger than `maxBytes` on
 * its own gets a batch of its own; callers fail such items before.
 */
export function chunk<T>(
  items: readonly T[],
  sizeOf: (item: T) => number,
  limits: BatchLimits = {
    maxEntries: MAX_BATCH_ENTRIES,
    maxBytes: MAX_BATCH_BYTES,
  },
): T[][] {
  const batches: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const item of items) {
    const size = sizeOf(item);
    if (
      current.length > 0 &&
      (current.length === limits.maxEntries || bytes + size > limits.maxBytes)
    ) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += size;
  }
  if (current.length > 0) {
    batches.push(current);
  }
  return batches;
}
