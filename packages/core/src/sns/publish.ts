import { randomUUID } from 'node:crypto';
import { entryFailure, validateBatchEntries } from '../batch-validation';
import type { EngineContext } from '../context';
import { SluiceError } from '../errors';
import type { BatchResult, MessageAttributeValue } from '../message-types';
import {
  ATTRIBUTE_NAME,
  NUMBER,
  firstInvalidCharacter,
  messageSize,
} from '../message-validation';
import { contentDeduplicationId, isFifoId } from '../fifo-ids';
import { okFields, replyStatus } from '../script-reply';
import type { PublishedRecord, SnsAttributes } from './published-record';
import { DEFAULT_MAX_MESSAGE_BYTES } from './topic-attributes';
import { isFifoTopicName, topicNameOf, topicNotFound } from './topic-names';
import { keysOf } from './topics';

const MAX_ATTRIBUTES = 10;
/** Subjects are printable ASCII on one line. */
const SUBJECT = /^[\x20-\x7e]{1,99}$/;
/** FIFO topics deduplicate within five minutes, as SQS FIFO queues. */
const DEDUPLICATION_WINDOW_MS = 5 * 60_000;

export interface PublishInput {
  readonly message: string | undefined;
  readonly subject?: string;
  readonly messageStructure?: string;
  readonly messageAttributes?: SnsAttributes;
  /** required on FIFO topics; on standard topics passed to standard queues */
  readonly messageGroupId?: string;
  /** FIFO topics only */
  readonly messageDeduplicationId?: string;
}

export interface Published {
  readonly messageId: string;
  /** FIFO topics: 20 digits, growing with each message the topic logs */
  readonly sequenceNumber?: string;
}

function invalid(parameter: string, reason?: string): SluiceError {
  return new SluiceError(
    'InvalidParameter',
    `Invalid parameter: ${parameter}${reason ? ` Reason: ${reason}` : ''}`,
  );
}

function validateAttribute(name: string, value: MessageAttributeValue): void {
  if (!ATTRIBUTE_NAME.test(name) || name.startsWith('AWS.')) {
    throw invalid('MessageAttributes', `Invalid attribute name ${name}`);
  }
  const type = value.dataType.split('.')[0];
  if (type === 'Binary') {
    if (!value.binaryValue?.length) {
      throw invalid(
        'MessageAttributes',
        `The message attribute '${name}' must contain non-empty message attribute value for message attribute type 'Binary'.`,
      );
    }
    return;
  }
  const text = value.stringValue;
  if (type !== 'String' && type !== 'Number') {
    throw invalid(
      'MessageAttributes',
      `The message attribute '${name}' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.`,
    );
  }
  if (text === undefined || text === '') {
    throw invalid(
      'MessageAttributes',
      `The message attribute '${name}' must contain non-empty message attribute value for message attribute type '${value.dataType}'.`,
    );
  }
  if (value.dataType === 'Number' && !NUMBER.test(text.trim())) {
    throw invalid(
      'MessageAttributes',
      `Could not cast message attribute '${name}' value to number.`,
    );
  }
  if (value.dataType === 'String.Array' && !isJsonArray(text)) {
    throw invalid(
      'MessageAttributes',
      `The message attribute '${name}' with type 'String.Array' must use a JSON array of strings, numbers, booleans or nulls.`,
    );
  }
}

function isJsonArray(text: string): boolean {
  try {
    return Array.isArray(JSON.parse(text));
  } catch {
    return false;
  }
}

function missingGroupId(): SluiceError {
  return new SluiceError(
    'InvalidParameter',
    'Invalid parameter: The MessageGroupId parameter is required for FIFO topics',
  );
}

/** The group and deduplication ids' rules on a FIFO or standard topic. */
function validateFifoFields(fifo: boolean, input: PublishInput): void {
  for (const [name, value] of [
    ['MessageGroupId', input.messageGroupId],
    ['MessageDeduplicationId', input.messageDeduplicationId],
  ] as const) {
    if (value !== undefined && !isFifoId(value)) {
      throw invalid(
        name,
        `${name} can only include alphanumeric and punctuation characters. 1 to 128 in length.`,
      );
    }
  }
  if (!fifo && input.messageDeduplicationId !== undefined) {
    throw invalid(
      'MessageDeduplicationId',
      'The request includes MessageDeduplicationId parameter that is not valid for this topic type',
    );
  }
  if (fifo && input.messageGroupId === undefined) {
    throw missingGroupId();
  }
}

/** Checks a message the SNS way and turns it into the record the log keeps. */
function prepare(
  ctx: EngineContext,
  fifo: boolean,
  input: PublishInput,
): PublishedRecord {
  const message = input.message;
  if (message === undefined || message === '') {
    throw invalid('Message', 'Empty message');
  }
  if (firstInvalidCharacter(message) !== undefined) {
    throw invalid('Message', 'Message contains invalid characters');
  }
  if (input.subject !== undefined && !SUBJECT.test(input.subject)) {
    throw invalid('Subject');
  }
  if (input.messageStructure !== undefined) {
    validateStructure(input.messageStructure, message);
  }
  const attributes = input.messageAttributes ?? {};
  if (Object.keys(attributes).length > MAX_ATTRIBUTES) {
    throw invalid(
      'MessageAttributes',
      `Number of message attributes [${Object.keys(attributes).length}] exceeds the allowed maximum [${MAX_ATTRIBUTES}].`,
    );
  }
  for (const [name, value] of Object.entries(attributes)) {
    validateAttribute(name, value);
  }
  validateFifoFields(fifo, input);
  return {
    id: randomUUID(),
    message,
    at: ctx.clock(),
    ...(input.subject !== undefined && { subject: input.subject }),
    ...(input.messageStructure === 'json' && { structure: 'json' }),
    ...(Object.keys(attributes).length > 0 && {
      attributes: Object.fromEntries(
        Object.entries(attributes).map(([name, value]) => [
          name,
          value.binaryValue !== undefined
            ? { t: value.dataType, b: value.binaryValue.toString('base64') }
            : { t: value.dataType, s: value.stringValue ?? '' },
        ]),
      ),
    }),
    ...(input.messageGroupId !== undefined && { group: input.messageGroupId }),
    ...(fifo && {
      dedup: input.messageDeduplicationId ?? contentDeduplicationId(message),
    }),
  };
}

/** MessageStructure=json: a JSON object of per-protocol bodies with a default. */
function validateStructure(structure: string, message: string): void {
  if (structure !== 'json') {
    throw invalid('MessageStructure');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(message);
  } catch {
    throw invalid('Message', 'Failed to parse JSON');
  }
  if (
    typeof parsed !== 'object' ||
    parsed === null ||
    typeof (parsed as Record<string, unknown>).default !== 'string'
  ) {
    throw invalid(
      'Message',
      'Message Structure - No default entry in JSON message body',
    );
  }
}

/** How the publish script is to deduplicate a record. */
function deduplicationMode(record: PublishedRecord, input: PublishInput) {
  if (record.dedup === undefined) {
    return '';
  }
  return input.messageDeduplicationId === undefined ? 'content' : 'explicit';
}

/** What a publish too big for its topic fails with. */
type TooLong = (limit: number) => SluiceError;

/** SNS's words, whatever the topic's limit. */
const messageTooLong: TooLong = () =>
  new SluiceError('InvalidParameter', 'Invalid parameter: Message too long');

const batchTooLong: TooLong = () =>
  new SluiceError(
    'BatchRequestTooLong',
    'The length of all the messages put together is more than the limit.',
  );

/**
 * Logs the messages, if their `bytes` (body and attributes, all together) fit
 * the topic's MaximumMessageSize, which the script reads with the rest of the
 * topic; returns each one's id and sequence number.
 */
async function record(
  ctx: EngineContext,
  topic: string,
  prepared: readonly { record: PublishedRecord; input: PublishInput }[],
  size: { readonly bytes: number; readonly tooLong: TooLong },
): Promise<Published[]> {
  const k = keysOf(ctx, topic);
  const args: (string | number)[] = [
    ctx.global.snsWake,
    ctx.clock(),
    DEDUPLICATION_WINDOW_MS,
    size.bytes,
    DEFAULT_MAX_MESSAGE_BYTES,
  ];
  for (const { record: r, input } of prepared) {
    args.push(
      r.id,
      JSON.stringify(r),
      r.group ?? '',
      r.dedup ?? '',
      deduplicationMode(r, input),
    );
  }
  const reply = await ctx.scripts.run(
    'publishMessages',
    [k.meta, k.log, k.stats, k.dedup, k.dedupExpiry],
    args,
  );
  switch (replyStatus(reply)) {
    case 'NotFound':
      throw topicNotFound();
    case 'TooLong':
      throw size.tooLong(Number((reply as unknown[])[1]));
  }
  const fields = okFields(reply) as string[];
  return prepared.map((_, i) => {
    const sequenceNumber = fields[3 * i + 2] ?? '';
    return {
      messageId: fields[3 * i + 1] ?? '',
      ...(sequenceNumber !== '' && { sequenceNumber }),
    };
  });
}

export async function publish(
  ctx: EngineContext,
  arn: string,
  input: PublishInput,
): Promise<Published> {
  const topic = topicNameOf(ctx.scope, arn);
  const published = prepare(ctx, isFifoTopicName(topic), input);
  const [result] = await record(ctx, topic, [{ record: published, input }], {
    bytes: messageSize(published.message, input.messageAttributes),
    tooLong: messageTooLong,
  });
  return result as Published;
}

export interface PublishBatchEntry extends PublishInput {
  readonly id: string;
}

export async function publishBatch(
  ctx: EngineContext,
  arn: string,
  entries: readonly PublishBatchEntry[],
): Promise<BatchResult<Published>> {
  const topic = topicNameOf(ctx.scope, arn);
  validateBatchEntries(entries, 'PublishBatchRequestEntries');
  const fifo = isFifoTopicName(topic);
  // SNS fails the whole batch, not the entry, for a missing group id.
  if (fifo && entries.some((e) => e.messageGroupId === undefined)) {
    throw missingGroupId();
  }
  const prepared: {
    id: string;
    record: PublishedRecord;
    input: PublishInput;
  }[] = [];
  const failed = [];
  for (const entry of entries) {
    try {
      prepared.push({
        id: entry.id,
        record: prepare(ctx, fifo, entry),
        input: entry,
      });
    } catch (error) {
      failed.push(entryFailure(entry.id, error));
    }
  }
  // The whole batch counts against the topic's limit, failed entries too.
  const results = await record(ctx, topic, prepared, {
    bytes: entries.reduce(
      (sum, e) => sum + messageSize(e.message ?? '', e.messageAttributes),
      0,
    ),
    tooLong: batchTooLong,
  });
  return {
    successful: prepared.map((p, i) => ({
      id: p.id,
      ...(results[i] as Published),
    })),
    failed,
  };
}
