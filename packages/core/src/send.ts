import { randomUUID } from 'node:crypto';
import { entryFailure, validateBatchEntries } from './batch-validation';
import type { EngineContext } from './context';
import { SluiceError } from './errors';
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
import { encodePayload } from './payload';
import { okFields } from './script-reply';

/** SQS caps a whole batch request at the largest message size. */
const MAX_BATCH_BYTES = 1_048_576;

interface PreparedMessage {
  readonly id: string;
  readonly payload: string;
  readonly size: number;
  readonly delaySeconds: number | undefined;
  readonly result: SentMessage;
}

function prepare(
  ctx: EngineContext,
  input: SendMessageInput,
  size = messageSize(input.body ?? '', input.messageAttributes),
): PreparedMessage {
  const body = validateBody(input.body);
  validateMessageAttributes(input.messageAttributes);
  validateSystemAttributes(input.messageSystemAttributes);
  validateDelaySeconds(input.delaySeconds);
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
  });
  return {
    id,
    payload,
    size,
    delaySeconds: input.delaySeconds,
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

/** Writes prepared messages; returns the queue's size limit and who fitted. */
async function enqueue(
  ctx: EngineContext,
  queue: string,
  messages: readonly PreparedMessage[],
): Promise<{ maxSize: number; fitted: boolean[] }> {
  const keys = ctx.keys(queue);
  const args: (string | number)[] = [ctx.clock(), keys.wakeChannel];
  for (const m of messages) {
    args.push(m.id, m.payload, m.size, m.delaySeconds ?? '');
  }
  const [maxSize, ...statuses] = okFields(
    await ctx.scripts.run(
      'sendMessages',
      [
        keys.meta,
        keys.messages,
        keys.schedule,
        keys.delayed,
        keys.sent,
        keys.stats,
      ],
      args,
    ),
  ) as number[];
  return { maxSize: maxSize ?? 0, fitted: statuses.map((s) => s === 1) };
}

export async function sendMessage(
  ctx: EngineContext,
  queue: string,
  input: SendMessageInput,
): Promise<SentMessage> {
  const message = prepare(ctx, input);
  const { maxSize, fitted } = await enqueue(ctx, queue, [message]);
  if (!fitted[0]) {
    throw messageTooLong(maxSize);
  }
  return message.result;
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
  const failed: BatchEntryFailure[] = [];
  const prepared: { entryId: string; message: PreparedMessage }[] = [];
  for (const [i, entry] of entries.entries()) {
    try {
      prepared.push({
        entryId: entry.id,
        message: prepare(ctx, entry, sizes[i]),
      });
    } catch (error) {
      failed.push(entryFailure(entry.id, error));
    }
  }
  if (prepared.length === 0) {
    return { successful: [], failed };
  }
  const { maxSize, fitted } = await enqueue(
    ctx,
    queue,
    prepared.map((p) => p.message),
  );
  const successful: (SentMessage & { id: string })[] = [];
  prepared.forEach(({ entryId, message }, i) => {
    if (fitted[i]) {
      successful.push({ id: entryId, ...message.result });
    } else {
      failed.push(entryFailure(entryId, messageTooLong(maxSize)));
    }
  });
  return { successful, failed };
}
