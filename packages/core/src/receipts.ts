import { entryFailure, validateBatchEntries } from './batch-validation';
import type { EngineContext } from './context';
import { SluiceError, invalidParameter } from './errors';
import type { BatchEntryFailure, BatchResult } from './message-types';
import { decodeReceiptHandle, type ReceiptHandle } from './receipt-handle';
import { requireQueue } from './queue-exists';
import { isFifoName } from './queue-name';
import { okFields } from './script-reply';

/** SQS: a message stays hidden at most 12 hours after the receive that hid it. */
const MAX_VISIBILITY_MS = 43_200_000;

export interface ReceiptEntry {
  readonly id: string;
  readonly receiptHandle: string;
}

export interface VisibilityEntry extends ReceiptEntry {
  readonly visibilityTimeout: number;
}

type Decoded<T> = { entry: T; handle: ReceiptHandle };

/** Decodes each entry's handle; entries with a bad one fail on their own. */
function decodeEntries<T extends ReceiptEntry>(
  queue: string,
  entries: readonly T[],
  check: (entry: T) => void = () => undefined,
): { decoded: Decoded<T>[]; failed: BatchEntryFailure[] } {
  const decoded: Decoded<T>[] = [];
  const failed: BatchEntryFailure[] = [];
  for (const entry of entries) {
    try {
      check(entry);
      decoded.push({
        entry,
        handle: decodeReceiptHandle(queue, entry.receiptHandle),
      });
    } catch (error) {
      failed.push(entryFailure(entry.id, error));
    }
  }
  return { decoded, failed };
}

/** Scripts skip the FIFO group bookkeeping for standard queues. */
function queueTypeArg(queue: string): 'fifo' | 'standard' {
  return isFifoName(queue) ? 'fifo' : 'standard';
}

function expiredReceipt(receiptHandle: string): SluiceError {
  return invalidParameter(
    'ReceiptHandle',
    receiptHandle,
    'The receipt handle has expired.',
  );
}

/** Per handle: whether the delete was refused as expired (FIFO only). */
async function runDelete(
  ctx: EngineContext,
  queue: string,
  handles: readonly ReceiptHandle[],
): Promise<boolean[]> {
  const keys = ctx.keys(queue);
  const statuses = okFields(
    await ctx.scripts.run(
      'deleteMessages',
      [
        keys.meta,
        keys.messages,
        keys.receipts,
        keys.schedule,
        keys.sent,
        keys.stats,
        keys.outbox,
        keys.groups,
        keys.order,
        keys.members,
      ],
      [
        ctx.clock(),
        queueTypeArg(queue),
        keys.wakeChannel,
        ...handles.flatMap((h) => [h.messageId, h.receiveCount]),
      ],
    ),
  );
  return statuses.map((status) => status === 2);
}

/**
 * Decodes a single receipt handle; a missing queue wins over a bad handle, as
 * in SQS.
 */
async function decodeFor(
  ctx: EngineContext,
  queue: string,
  receiptHandle: string,
): Promise<ReceiptHandle> {
  try {
    return decodeReceiptHandle(queue, receiptHandle);
  } catch (error) {
    await requireQueue(ctx, queue);
    throw error;
  }
}

export async function deleteMessage(
  ctx: EngineContext,
  queue: string,
  receiptHandle: string,
): Promise<void> {
  const [expired] = await runDelete(ctx, queue, [
    await decodeFor(ctx, queue, receiptHandle),
  ]);
  if (expired) {
    throw expiredReceipt(receiptHandle);
  }
}

export async function deleteMessageBatch(
  ctx: EngineContext,
  queue: string,
  entries: readonly ReceiptEntry[],
): Promise<BatchResult<object>> {
  validateBatchEntries(entries, 'DeleteMessageBatchRequestEntry');
  const { decoded, failed } = decodeEntries(queue, entries);
  if (decoded.length === 0) {
    await requireQueue(ctx, queue);
    return { successful: [], failed };
  }
  const expired = await runDelete(
    ctx,
    queue,
    decoded.map((d) => d.handle),
  );
  const successful: { id: string }[] = [];
  decoded.forEach(({ entry }, i) => {
    if (expired[i]) {
      failed.push(entryFailure(entry.id, expiredReceipt(entry.receiptHandle)));
    } else {
      successful.push({ id: entry.id });
    }
  });
  return { successful, failed };
}

function validateTimeout(timeout: number): void {
  if (!Number.isInteger(timeout) || timeout < 0 || timeout > 43_200) {
    throw invalidParameter(
      'VisibilityTimeout',
      timeout,
      'Must be between 0 and 43200, if provided.',
    );
  }
}

function visibilityError(
  status: string,
  entry: VisibilityEntry,
): SluiceError | undefined {
  switch (status) {
    case 'ok':
      return undefined;
    case 'notInFlight':
      return new SluiceError(
        'MessageNotInflight',
        'The message referred to is not in flight.',
      );
    case 'tooLong':
      return invalidParameter(
        'VisibilityTimeout',
        entry.visibilityTimeout,
        'Total VisibilityTimeout for the message is beyond the limit [43200 seconds]',
      );
    case 'expired':
      return expiredReceipt(entry.receiptHandle);
    default:
      return invalidParameter(
        'ReceiptHandle',
        entry.receiptHandle,
        'Message does not exist or is not available for visibility timeout change.',
      );
  }
}

async function runChangeVisibility(
  ctx: EngineContext,
  queue: string,
  decoded: readonly Decoded<VisibilityEntry>[],
): Promise<(SluiceError | undefined)[]> {
  const keys = ctx.keys(queue);
  const statuses = okFields(
    await ctx.scripts.run(
      'changeVisibility',
      [
        keys.meta,
        keys.receipts,
        keys.schedule,
        keys.groups,
        keys.order,
        keys.members,
      ],
      [
        ctx.clock(),
        keys.wakeChannel,
        MAX_VISIBILITY_MS,
        queueTypeArg(queue),
        ...decoded.flatMap((d) => [
          d.handle.messageId,
          d.handle.receiveCount,
          d.entry.visibilityTimeout,
        ]),
      ],
    ),
  ) as string[];
  return decoded.map((d, i) => visibilityError(statuses[i] ?? '', d.entry));
}

export async function changeMessageVisibility(
  ctx: EngineContext,
  queue: string,
  receiptHandle: string,
  visibilityTimeout: number,
): Promise<void> {
  validateTimeout(visibilityTimeout);
  const entry = { id: '', receiptHandle, visibilityTimeout };
  const [error] = await runChangeVisibility(ctx, queue, [
    { entry, handle: await decodeFor(ctx, queue, receiptHandle) },
  ]);
  if (error) {
    throw error;
  }
}

export async function changeMessageVisibilityBatch(
  ctx: EngineContext,
  queue: string,
  entries: readonly VisibilityEntry[],
): Promise<BatchResult<object>> {
  validateBatchEntries(entries, 'ChangeMessageVisibilityBatchRequestEntry');
  const { decoded, failed } = decodeEntries(queue, entries, (e) =>
    validateTimeout(e.visibilityTimeout),
  );
  const successful: { id: string }[] = [];
  if (decoded.length === 0) {
    await requireQueue(ctx, queue);
  } else {
    const errors = await runChangeVisibility(ctx, queue, decoded);
    decoded.forEach((d, i) => {
      const error = errors[i];
      if (error) {
        failed.push(entryFailure(d.entry.id, error));
      } else {
        successful.push({ id: d.entry.id });
      }
    });
  }
  return { successful, failed };
}
