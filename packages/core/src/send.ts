import { randomUUID } from 'node:crypto';
import { entryFailure, validateBatchEntries } from './batch-validation';
import type { EngineContext } from './context';
import { SluiceError, invalidParameter } from './errors';
import { contentDeduplicationId, validateFifoId } from './fifo-ids';
import { md5Hex, md5OfMessageAttributes } from './md5';
import type {
  BatchEntryFailure,
  BatchResult,
  SendMessageInput,
  SentMessage,
} from './message-types';
import {
  messageSize,
  messageTooLong,
  validateBody,
  validateDelaySeconds,
  validateMessageAttributes,
  validateSystemAttributes,
} from './message-validation';
import type { QueueKeys } from './keys';
import { encodePayload } from './payload';
import { isFifoName } from './queue-name';
import { okFields } from './script-reply';

/** SQS caps a whole batch request at the largest message size. */
export const MAX_BATCH_BYTES = 1_048_576;

/** A validated, encoded message, ready for one send script call. */
export interface PreparedMessage {
  readonly id: string;
  readonly payload: string;
  readonly size: number;
  readonly delaySeconds: number | undefined;
  readonly result: SentMessage;
  /** FIFO queues only */
  readonly fifo?: {
    readonly group: string;
    readonly deduplicationId: string;
    readonly explicit: boolean;
  };
}

const NOT_FOR_QUEUE_TYPE =
  'The request include parameter that is not valid for this queue type.';

function missingGroupId(code: 'MissingParameter' | 'InvalidParameterValue') {
  return new SluiceError(
    code,
    'The request must contain the parameter MessageGroupId.',
  );
}

/** The FIFO rules of a send; standard queues take a group id (fair queues). */
function validateFifoFields(fifo: boolean, input: SendMessageInput): void {
  validateFifoId('MessageGroupId', input.messageGroupId);
  if (!fifo) {
    if (input.messageDeduplicationId !== undefined) {
      throw invalidParameter(
        'MessageDeduplicationId',
        input.messageDeduplicationId,
        NOT_FOR_QUEUE_TYPE,
      );
    }
    return;
  }
  if (input.messageGroupId === undefined) {
    throw missingGroupId('MissingParameter');
  }
  validateFifoId('MessageDeduplicationId', input.messageDeduplicationId);
  if (input.delaySeconds !== undefined && input.delaySeconds !== 0) {
    throw invalidParameter(
      'DelaySeconds',
      input.delaySeconds,
      NOT_FOR_QUEUE_TYPE,
    );
  }
}

export function prepare(
  ctx: EngineContext,
  fifo: boolean,
  input: SendMessageInput,
  size = messageSize(input.body ?? '', input.messageAttributes),
): PreparedMessage {
  const body = validateBody(input.body);
  validateMessageAttributes(input.messageAttributes);
  validateSystemAttributes(input.messageSystemAttributes);
  validateDelaySeconds(input.delaySeconds);
  validateFifoFields(fifo, input);
  const group = input.messageGroupId;
  const deduplicationId = fifo
    ? (input.messageDeduplicationId ?? contentDeduplicationId(body))
    : undefined;
  const attributes = input.messageAttributes ?? {};
  const hasAttributes = Object.keys(attributes).length > 0;
  const system = input.messageSystemAttributes ?? {};
  const traceHeader = system.AWSTraceHeader?.stringValue;
  const id = randomUUID();
  const md5OfBody = md5Hex(body);
  const md5OfAttributes = hasAttributes
    ? md5OfMessageAttributes(attributes)
    : undefined;
  const md5OfSystemAttributes =
    traceHeader !== undefined ? md5OfMessageAttributes(system) : undefined;
  const payload = encodePayload({
    body,
    md5OfBody,
    sentAt: ctx.clock(),
    senderId: input.senderId ?? ctx.scope.accountId,
    ...(hasAttributes && { attributes, md5OfAttributes }),
    ...(traceHeader !== undefined && { traceHeader, md5OfSystemAttributes }),
    ...(group !== undefined && { messageGroupId: group }),
    ...(deduplicationId !== undefined && {
      messageDeduplicationId: deduplicationId,
    }),
  });
  return {
    id,
    payload,
    size,
    delaySeconds: input.delaySeconds,
    ...(group !== undefined &&
      deduplicationId !== undefined && {
        fifo: {
          group,
          deduplicationId,
          explicit: input.messageDeduplicationId !== undefined,
        },
      }),
    result: {
      messageId: id,
      md5OfMessageBody: md5OfBody,
      ...(md5OfAttributes !== undefined && {
        md5OfMessageAttributes: md5OfAttributes,
      }),
      ...(md5OfSystemAttributes !== undefined && {
        md5OfMessageSystemAttributes: md5OfSystemAttributes,
      }),
    },
  };
}

/** The SQS FIFO deduplication window. */
const DEDUPLICATION_WINDOW_MS = 5 * 60_000;

/**
 * What a send did with each message: its result (on a FIFO queue a duplicate
 * gets the first message's id and sequence number), or undefined when it was
 * too long for the queue.
 */
export interface Enqueued {
  readonly maxSize: number;
  readonly results: (SentMessage | undefined)[];
}

/** The keys both send scripts open with. */
function sendKeys(keys: QueueKeys): string[] {
  return [
    keys.meta,
    keys.messages,
    keys.schedule,
    keys.delayed,
    keys.sent,
    keys.stats,
  ];
}

async function enqueueFifo(
  ctx: EngineContext,
  queue: string,
  messages: readonly PreparedMessage[],
): Promise<Enqueued> {
  const keys = ctx.keys(queue);
  const args: (string | number)[] = [
    ctx.clock(),
    keys.wakeChannel,
    DEDUPLICATION_WINDOW_MS,
  ];
  for (const m of messages) {
    const fifo = m.fifo ?? { group: '', deduplicationId: '', explicit: true };
    args.push(
      m.id,
      m.payload,
      m.size,
      fifo.group,
      fifo.deduplicationId,
      fifo.explicit ? 'explicit' : 'content',
    );
  }
  const [maxSize, ...statuses] = okFields(
    await ctx.scripts.run(
      'sendFifoMessages',
      [
        ...sendKeys(keys),
        keys.groups,
        keys.order,
        keys.members,
        keys.dedup,
        keys.dedupExpiry,
      ],
      args,
    ),
  ) as [number, ...string[]];
  return {
    maxSize,
    results: messages.map((m, i) =>
      statuses[3 * i] === 'tooLong'
        ? undefined
        : {
            ...m.result,
            messageId: statuses[3 * i + 1] ?? m.id,
            sequenceNumber: statuses[3 * i + 2],
          },
    ),
  };
}

/** Writes prepared messages; returns the queue's size limit and results. */
export async function enqueue(
  ctx: EngineContext,
  queue: string,
  messages: readonly PreparedMessage[],
): Promise<Enqueued> {
  if (isFifoName(queue)) {
    return enqueueFifo(ctx, queue, messages);
  }
  const keys = ctx.keys(queue);
  const args: (string | number)[] = [ctx.clock(), keys.wakeChannel];
  for (const m of messages) {
    args.push(m.id, m.payload, m.size, m.delaySeconds ?? '');
  }
  const [maxSize, ...statuses] = okFields(
    await ctx.scripts.run('sendMessages', sendKeys(keys), args),
  ) as number[];
  return {
    maxSize: maxSize ?? 0,
    results: messages.map((m, i) => (statuses[i] === 1 ? m.result : undefined)),
  };
}

export async function sendMessage(
  ctx: EngineContext,
  queue: string,
  input: SendMessageInput,
): Promise<SentMessage> {
  const message = prepare(ctx, isFifoName(queue), input);
  const { maxSize, results } = await enqueue(ctx, queue, [message]);
  const [result] = results;
  if (!result) {
    throw messageTooLong(maxSize);
  }
  return result;
}

export interface SendBatchEntry extends SendMessageInput {
  readonly id: string;
}

export async function sendMessageBatch(
  ctx: EngineContext,
  queue: string,
  entries: readonly SendBatchEntry[],
): Promise<BatchResult<SentMessage>> {
  validateBatchEntries(entries, 'SendMessageBatchRequestEntry');
  const sizes = entries.map((e) =>
    messageSize(e.body ?? '', e.messageAttributes),
  );
  const total = sizes.reduce((sum, size) => sum + size, 0);
  if (total > MAX_BATCH_BYTES) {
    throw new SluiceError(
      'BatchRequestTooLong',
      `Batch requests cannot be longer than ${MAX_BATCH_BYTES} bytes. You have sent ${total} bytes.`,
    );
  }
  const fifo = isFifoName(queue);
  // SQS fails the whole batch, not the entry, for a missing group id.
  if (fifo && entries.some((e) => e.messageGroupId === undefined)) {
    throw missingGroupId('InvalidParameterValue');
  }
  const failed: BatchEntryFailure[] = [];
  const prepared: { entryId: string; message: PreparedMessage }[] = [];
  for (const [i, entry] of entries.entries()) {
    try {
      prepared.push({
        entryId: entry.id,
        message: prepare(ctx, fifo, entry, sizes[i]),
      });
    } catch (error) {
      failed.push(entryFailure(entry.id, error));
    }
  }
  if (prepared.length === 0) {
    return { successful: [], failed };
  }
  const { maxSize, results } = await enqueue(
    ctx,
    queue,
    prepared.map((p) => p.message),
  );
  const successful: (SentMessage & { id: string })[] = [];
  prepared.forEach(({ entryId }, i) => {
    const result = results[i];
    if (result) {
      successful.push({ id: entryId, ...result });
    } else {
      failed.push(entryFailure(entryId, messageTooLong(maxSize)));
    }
  });
  return { successful, failed };
}
