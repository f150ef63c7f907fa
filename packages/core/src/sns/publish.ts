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
import { okFields, replyStatus } from '../script-reply';
import type { PublishedRecord, SnsAttributes } from './published-record';
import { topicNameOf, topicNotFound } from './topic-names';
import { keysOf } from './topics';

/** SNS's message size limit: body and attributes together. */
const MAX_MESSAGE_BYTES = 262_144;
const MAX_ATTRIBUTES = 10;
/** Subjects are printable ASCII on one line. */
const SUBJECT = /^[\x20-\x7e]{1,99}$/;

export interface PublishInput {
  readonly message: string | undefined;
  readonly subject?: string;
  readonly messageStructure?: string;
  readonly messageAttributes?: SnsAttributes;
}

export interface Published {
  readonly messageId: string;
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

/** Checks a message the SNS way and turns it into the record the log keeps. */
function prepare(ctx: EngineContext, input: PublishInput): PublishedRecord {
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
  const size = messageSize(message, attributes);
  if (size > MAX_MESSAGE_BYTES) {
    throw invalid(
      'Message Too Long',
      `Message must be shorter than ${MAX_MESSAGE_BYTES} bytes.`,
    );
  }
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

async function record(
  ctx: EngineContext,
  topic: string,
  records: readonly PublishedRecord[],
): Promise<void> {
  const k = keysOf(ctx, topic);
  const reply = await ctx.scripts.run(
    'publishMessages',
    [k.meta, k.log, k.stats],
    [ctx.global.snsWake, ...records.map((r) => JSON.stringify(r))],
  );
  if (replyStatus(reply) === 'NotFound') {
    throw topicNotFound();
  }
  okFields(reply);
}

export async function publish(
  ctx: EngineContext,
  arn: string,
  input: PublishInput,
): Promise<Published> {
  const topic = topicNameOf(ctx.scope, arn);
  const published = prepare(ctx, input);
  await record(ctx, topic, [published]);
  return { messageId: published.id };
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
  const total = entries.reduce(
    (sum, e) => sum + messageSize(e.message ?? '', e.messageAttributes),
    0,
  );
  if (total > MAX_MESSAGE_BYTES) {
    throw new SluiceError(
      'BatchRequestTooLong',
      `The length of all the messages put together is more than the limit.`,
    );
  }
  const prepared: { id: string; record: PublishedRecord }[] = [];
  const failed = [];
  for (const entry of entries) {
    try {
      prepared.push({ id: entry.id, record: prepare(ctx, entry) });
    } catch (error) {
      failed.push(entryFailure(entry.id, error));
    }
  }
  if (prepared.length > 0) {
    await record(
      ctx,
      topic,
      prepared.map((p) => p.record),
    );
  }
  return {
    successful: prepared.map((p) => ({ id: p.id, messageId: p.record.id })),
    failed,
  };
}
