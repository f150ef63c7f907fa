import type { EngineContext } from './context';
import { invalidParameter } from './errors';
import { validateFifoId } from './fifo-ids';
import { messageKeys } from './keys';
import type {
  MessageAttributes,
  ReceivedMessage,
  SystemAttributeName,
} from './message-types';
import { decodePayload, type StoredMessage } from './payload';
import { encodeReceiptHandle } from './receipt-handle';
import { md5OfMessageAttributes } from './md5';
import { isFifoName } from './queue-name';
import { changeMessageVisibilityBatch } from './receipts';
import { okFields, replyStatus } from './script-reply';
import { completeTransfers } from './transfers';

export interface ReceiveOptions {
  /** 1..10, default 1 */
  readonly maxNumberOfMessages?: number;
  /** seconds; default: the queue's VisibilityTimeout */
  readonly visibilityTimeout?: number;
  /** seconds to wait for a message, 0..20; default: the queue's ReceiveMessageWaitTimeSeconds */
  readonly waitTimeSeconds?: number;
  /** system attributes to return: names, or "All" */
  readonly attributeNames?: readonly string[];
  /** message attributes to return: names, "prefix.*", or "All" / ".*" */
  readonly messageAttributeNames?: readonly string[];
  /** FIFO: a retry with the same id within 5 minutes gets the same messages */
  readonly receiveRequestAttemptId?: string;
  /**
   * ends a long poll early with nothing; messages a receive took after the
   * abort turn visible again at once, for the caller is no longer listening
   */
  readonly signal?: AbortSignal;
}

/** The SQS window in which a ReceiveRequestAttemptId can be retried. */
const ATTEMPT_WINDOW_MS = 5 * 60_000;

function validateRange(
  name: string,
  value: number | undefined,
  min: number,
  max: number,
  reason: string,
) {
  if (
    value !== undefined &&
    (!Number.isInteger(value) || value < min || value > max)
  ) {
    throw invalidParameter(name, value, reason);
  }
}

export function validateReceiveOptions(
  queue: string,
  options: ReceiveOptions,
): void {
  // Standard queues ignore the attempt id, as SQS does.
  if (isFifoName(queue)) {
    validateFifoId('ReceiveRequestAttemptId', options.receiveRequestAttemptId);
  }
  validateRange(
    'MaxNumberOfMessages',
    options.maxNumberOfMessages,
    1,
    10,
    'Must be between 1 and 10, if provided.',
  );
  validateRange(
    'WaitTimeSeconds',
    options.waitTimeSeconds,
    0,
    20,
    'Must be >= 0 and <= 20, if provided.',
  );
  validateRange(
    'VisibilityTimeout',
    options.visibilityTimeout,
    0,
    43_200,
    'Must be >= 0 and <= 43200, if provided.',
  );
}

/**
 * Whether an empty result counts as an empty receive (a metric): a long poll
 * counts once, at its end; "auto" counts when the queue does not long-poll.
 */
type EmptyReceiveCounting = 'yes' | 'no' | 'auto';

interface Attempt {
  readonly waitSeconds: number;
  readonly nextVisibleAt: number | undefined;
  readonly messages: readonly ReceivedMessage[];
}

interface Delivery {
  readonly receiveCount: number;
  readonly firstReceive: number;
  /** FIFO only */
  readonly sequenceNumber?: string;
}

function selectSystemAttributes(
  stored: StoredMessage,
  delivery: Delivery,
  names: ReadonlySet<string>,
): Partial<Record<SystemAttributeName, string>> {
  if (names.size === 0) {
    return {};
  }
  const all = names.has('All');
  const values: Partial<Record<SystemAttributeName, string | undefined>> = {
    SenderId: stored.senderId,
    SentTimestamp: String(stored.sentAt),
    ApproximateReceiveCount: String(delivery.receiveCount),
    ApproximateFirstReceiveTimestamp: String(delivery.firstReceive),
    AWSTraceHeader: stored.traceHeader,
    DeadLetterQueueSourceArn: stored.deadLetterSourceArn,
    MessageGroupId: stored.messageGroupId,
    MessageDeduplicationId: stored.messageDeduplicationId,
    SequenceNumber: delivery.sequenceNumber,
  };
  const selected: Partial<Record<SystemAttributeName, string>> = {};
  for (const [name, value] of Object.entries(values)) {
    if (value !== undefined && (all || names.has(name))) {
      selected[name as SystemAttributeName] = value;
    }
  }
  return selected;
}

export function selectMessageAttributes(
  attributes: MessageAttributes | undefined,
  names: readonly string[],
): MessageAttributes {
  if (!attributes || names.length === 0) {
    return {};
  }
  if (names.includes('All') || names.includes('.*')) {
    return attributes;
  }
  const prefixes = names
    .filter((n) => n.endsWith('.*'))
    .map((n) => n.slice(0, -1));
  return Object.fromEntries(
    Object.entries(attributes).filter(
      ([name]) =>
        names.includes(name) || prefixes.some((p) => name.startsWith(p)),
    ),
  );
}

/** SQS hashes the attributes it returns; clients check it against them. */
function md5OfReturned(
  stored: StoredMessage,
  returned: MessageAttributes,
): string | undefined {
  return stored.attributes &&
    Object.keys(returned).length === Object.keys(stored.attributes).length
    ? stored.md5OfAttributes
    : md5OfMessageAttributes(returned);
}

async function attempt(
  ctx: EngineContext,
  queue: string,
  options: ReceiveOptions,
  countEmpty: EmptyReceiveCounting,
): Promise<Attempt> {
  const keys = ctx.keys(queue);
  const fifo = isFifoName(queue);
  const args = [
    ctx.clock(),
    options.maxNumberOfMessages ?? 1,
    options.visibilityTimeout ?? '',
    countEmpty,
    ctx.limits.maxInFlight,
  ];
  const reply = fifo
    ? await ctx.scripts.run(
        'receiveFifoMessages',
        [
          keys.meta,
          ...messageKeys(keys),
          keys.stats,
          keys.attempts,
          keys.attemptExpiry,
        ],
        [...args, options.receiveRequestAttemptId ?? '', ATTEMPT_WINDOW_MS],
      )
    : await ctx.scripts.run(
        'receiveMessages',
        [keys.meta, ...messageKeys(keys), keys.stats],
        args,
      );
  if (replyStatus(reply) === 'AttemptNotRetryable') {
    throw invalidParameter(
      'ReceiveRequestAttemptId',
      options.receiveRequestAttemptId,
      'The receiveRequestAttemptId is not valid anymore since the receive call is not retryable.',
    );
  }
  const fields = okFields(reply);
  const waitSeconds = Number(fields[0]);
  const nextVisibleAt = fields[1] === '' ? undefined : Number(fields[1]);
  const movedCount = Number(fields[2]);
  const moved = fields.slice(3, 3 + movedCount) as string[];
  if (moved.length > 0) {
    await completeTransfers(ctx, queue, moved);
  }
  const systemNames = new Set(options.attributeNames ?? []);
  const messages: ReceivedMessage[] = [];
  const stride = fifo ? 5 : 4;
  for (let i = 3 + movedCount; i + stride - 1 < fields.length; i += stride) {
    const id = String(fields[i]);
    const stored = decodePayload(String(fields[i + 1]));
    const delivery: Delivery = {
      receiveCount: Number(fields[i + 2]),
      firstReceive: Number(fields[i + 3]),
      ...(fifo && { sequenceNumber: String(fields[i + 4]) }),
    };
    const messageAttributes = selectMessageAttributes(
      stored.attributes,
      options.messageAttributeNames ?? [],
    );
    messages.push({
      messageId: id,
      receiptHandle: encodeReceiptHandle({
        queue,
        messageId: id,
        receiveCount: delivery.receiveCount,
      }),
      body: stored.body,
      md5OfBody: stored.md5OfBody,
      ...(Object.keys(messageAttributes).length > 0 && {
        md5OfMessageAttributes: md5OfReturned(stored, messageAttributes),
      }),
      attributes: selectSystemAttributes(stored, delivery, systemNames),
      messageAttributes,
    });
  }
  return { waitSeconds, nextVisibleAt, messages };
}

/**
 * Makes `messages` visible again at once: they were taken for a caller that
 * aborted while the receive was on its way, so nobody will ever see them.
 */
async function giveBack(
  ctx: EngineContext,
  queue: string,
  messages: readonly ReceivedMessage[],
): Promise<void> {
  if (messages.length === 0) {
    return;
  }
  await changeMessageVisibilityBatch(
    ctx,
    queue,
    messages.map((m, i) => ({
      id: String(i),
      receiptHandle: m.receiptHandle,
      visibilityTimeout: 0,
    })),
  );
}

/** An attempt whose messages are given back if `signal` aborted meanwhile. */
async function attemptFor(
  ctx: EngineContext,
  queue: string,
  options: ReceiveOptions,
  countEmpty: EmptyReceiveCounting,
): Promise<Attempt> {
  const result = await attempt(ctx, queue, options, countEmpty);
  if (!options.signal?.aborted) {
    return result;
  }
  await giveBack(ctx, queue, result.messages);
  return { ...result, messages: [] };
}

/**
 * ReceiveMessage with long polling: when nothing is visible it waits on the
 * queue's wake channel (a send, a visibility reset to 0, a dead-letter
 * arrival) and on a timer for the next delayed or in-flight message to turn
 * visible, never polling Redis in a loop.
 */
export async function receiveMessages(
  ctx: EngineContext,
  queue: string,
  options: ReceiveOptions,
): Promise<ReceivedMessage[]> {
  validateReceiveOptions(queue, options);
  const started = Date.now();
  const explicitWait = options.waitTimeSeconds;
  if (explicitWait !== undefined && explicitWait > 0) {
    // Known to be a long poll: its first look is made holding a wake ticket,
    // one script call instead of a look without and another with.
    return waitForMessages(ctx, queue, options, started + explicitWait * 1000);
  }
  const first = await attemptFor(
    ctx,
    queue,
    options,
    explicitWait === undefined ? 'auto' : 'yes',
  );
  const waitSeconds = explicitWait ?? first.waitSeconds;
  if (first.messages.length > 0 || waitSeconds === 0) {
    return [...first.messages];
  }
  return waitForMessages(ctx, queue, options, started + waitSeconds * 1000);
}

/** Looks for messages, then waits for a wake-up, until `deadline`. */
async function waitForMessages(
  ctx: EngineContext,
  queue: string,
  options: ReceiveOptions,
  deadline: number,
): Promise<ReceivedMessage[]> {
  while (!options.signal?.aborted && !ctx.lifecycle.closing) {
    const ticket = await ctx.notifier.ticket(ctx.keys(queue).wakeChannel);
    let looksAgain = false;
    try {
      if (options.signal?.aborted) {
        break;
      }
      const now = Date.now();
      const last = now >= deadline;
      const result = await attemptFor(ctx, queue, options, last ? 'yes' : 'no');
      if (result.messages.length > 0 || last) {
        return [...result.messages];
      }
      const { nextVisibleAt } = result;
      const wakeAt =
        nextVisibleAt === undefined
          ? deadline
          : Math.min(deadline, now + Math.max(1, nextVisibleAt - ctx.clock()));
      await ticket.wait(wakeAt, options.signal);
      looksAgain = true;
    } finally {
      await ticket.release(!looksAgain);
    }
  }
  return [];
}
