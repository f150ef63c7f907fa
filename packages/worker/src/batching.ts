import { MAX_BATCH_BYTES, MAX_BATCH_ENTRIES, messageSize } from '@sluice/core';

/** SQS's batch limits (10 entries, 1 MiB) and size rule, as the engine has them. */
export { MAX_BATCH_BYTES, MAX_BATCH_ENTRIES, messageSize };

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
