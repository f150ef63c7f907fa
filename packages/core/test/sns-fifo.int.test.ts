import { randomUUID } from 'node:crypto';
import { useEngine } from '../../../test/support/engine';
import { expectSluiceError } from '../../../test/support/errors';
import type { QueueEngine, ReceivedMessage } from '../src';
import { topicKeys } from '../src/keys';

/**
 * SNS FIFO topics on the engine: the name and attribute rules, publishing
 * with group and deduplication ids (the 5-minute window, sequence numbers),
 * and fan-out that keeps each group's order into FIFO queues, across a worker
 * that dies holding messages.
 */
let now = Date.parse('2025-01-01T00:00:00Z');
const fixture = useEngine({ clock: () => now });

const PUBLIC_URL = 'http://sluice.test:9324';

const fifoTopicName = () => `t-${randomUUID().slice(0, 8)}.fifo`;
const fifoQueueName = () => `q-${randomUUID().slice(0, 8)}.fifo`;

function deliveringEngine(
  prefix = `t-${randomUUID()}`,
  claimAfterMs = 30_000,
): QueueEngine {
  const e = fixture.engine({ prefix });
  e.topics.startDelivery({
    consumer: randomUUID(),
    publicUrl: PUBLIC_URL,
    claimAfterMs,
  });
  return e;
}

async function fifoTopic(
  e: QueueEngine,
  attributes: Record<string, string> = {},
): Promise<string> {
  return e.topics.createTopic(fifoTopicName(), {
    FifoTopic: 'true',
    ...attributes,
  });
}

async function subscribedFifoQueue(
  e: QueueEngine,
  topicArn: string,
  attributes: Record<string, string> = { RawMessageDelivery: 'true' },
): Promise<string> {
  const queue = fifoQueueName();
  await e.createQueue(queue, { FifoQueue: 'true' });
  await e.topics.subscribe(topicArn, {
    protocol: 'sqs',
    endpoint: e.queueArn(queue),
    attributes,
  });
  return queue;
}

/** Receives (and deletes) until `count` messages came or 5 s passed. */
async function drain(
  e: QueueEngine,
  queue: string,
  count: number,
  ms = 5000,
): Promise<ReceivedMessage[]> {
  const got: ReceivedMessage[] = [];
  const deadline = Date.now() + ms;
  while (got.length < count && Date.now() < deadline) {
    const batch = await e.receiveMessages(queue, {
      maxNumberOfMessages: 10,
      waitTimeSeconds: 1,
      attributeNames: ['All'],
    });
    for (const m of batch) {
      got.push(m);
      await e.deleteMessage(queue, m.receiptHandle);
    }
  }
  return got;
}

/** Bodies by group, in the order the queue gave them. */
function byGroup(messages: readonly ReceivedMessage[]) {
  const groups: Record<string, string[]> = {};
  for (const m of messages) {
    (groups[m.attributes.MessageGroupId ?? '?'] ??= []).push(m.body);
  }
  return groups;
}

describe('FIFO topics: names and attributes', () => {
  test('a FIFO topic needs a .fifo name, and a .fifo name FifoTopic=true', async () => {
    const e = fixture.engine();
    await expectSluiceError(
      e.topics.createTopic('orders', { FifoTopic: 'true' }),
      'InvalidParameter',
      /^Fifo Topic names must end with \.fifo/,
    );
    await expectSluiceError(
      e.topics.createTopic('orders.fifo'),
      'InvalidParameter',
      'Invalid parameter: Topic Name',
    );
    await expectSluiceError(
      e.topics.createTopic('orders.fifo', { FifoTopic: 'false' }),
      'InvalidParameter',
      'Invalid parameter: Topic Name',
    );
    await expectSluiceError(
      e.topics.createTopic(`${'a'.repeat(252)}.fifo`, { FifoTopic: 'true' }),
      'InvalidParameter',
      /^Fifo Topic names/,
    );
    const arn = await e.topics.createTopic(`${'a'.repeat(251)}.fifo`, {
      FifoTopic: 'true',
    });
    expect(arn.endsWith(`${'a'.repeat(251)}.fifo`)).toBe(true);
  });

  test('GetTopicAttributes shows FifoTopic and ContentBasedDeduplication; FifoTopic cannot change', async () => {
    const e = fixture.engine();
    const arn = await fifoTopic(e);
    expect(await e.topics.getTopicAttributes(arn)).toMatchObject({
      FifoTopic: 'true',
      ContentBasedDeduplication: 'false',
    });
    const attributes = await e.topics.getTopicAttributes(arn);
    expect(attributes).not.toHaveProperty('sequence');
    await e.topics.setTopicAttributes(arn, 'ContentBasedDeduplication', 'true');
    await e.topics.setTopicAttributes(
      arn,
      'FifoThroughputScope',
      'MessageGroup',
    );
    expect(await e.topics.getTopicAttributes(arn)).toMatchObject({
      ContentBasedDeduplication: 'true',
      FifoThroughputScope: 'MessageGroup',
    });
    await expectSluiceError(
      e.topics.setTopicAttributes(arn, 'FifoTopic', 'false'),
      'InvalidParameter',
      'Invalid parameter: AttributeName',
    );
    await expectSluiceError(
      e.topics.setTopicAttributes(arn, 'FifoThroughputScope', 'Queue'),
      'InvalidParameter',
      'Invalid parameter: FifoThroughputScope',
    );
    await expectSluiceError(
      e.topics.setTopicAttributes(arn, 'ContentBasedDeduplication', 'yes'),
      'InvalidParameter',
      'Invalid parameter: ContentBasedDeduplication',
    );
  });

  test('FIFO-only attributes are refused on standard topics', async () => {
    const e = fixture.engine();
    await expectSluiceError(
      e.topics.createTopic('plain', { ContentBasedDeduplication: 'true' }),
      'InvalidParameter',
      /^Invalid parameter: ContentBasedDeduplication Reason/,
    );
    const arn = await e.topics.createTopic('plain');
    await expectSluiceError(
      e.topics.setTopicAttributes(arn, 'FifoThroughputScope', 'Topic'),
      'InvalidParameter',
      /^Invalid parameter: FifoThroughputScope Reason/,
    );
    expect(await e.topics.getTopicAttributes(arn)).not.toHaveProperty(
      'FifoTopic',
    );
  });

  test('CreateTopic again answers the same ARN unless attributes differ', async () => {
    const e = fixture.engine();
    const name = fifoTopicName();
    const attributes = { FifoTopic: 'true', ContentBasedDeduplication: 'true' };
    const arn = await e.topics.createTopic(name, attributes);
    expect(await e.topics.createTopic(name, attributes)).toBe(arn);
    expect(await e.topics.createTopic(name, { FifoTopic: 'true' })).toBe(arn);
    await expectSluiceError(
      e.topics.createTopic(name, {
        FifoTopic: 'true',
        ContentBasedDeduplication: 'false',
      }),
      'InvalidParameter',
      'Invalid parameter: Attributes Reason: Topic already exists with different attributes',
    );
  });
});

describe('FIFO topics: publishing', () => {
  test('group and deduplication ids are required and checked', async () => {
    const e = fixture.engine();
    const arn = await fifoTopic(e);
    await expectSluiceError(
      e.topics.publish(arn, { message: 'm', messageDeduplicationId: 'd' }),
      'InvalidParameter',
      'Invalid parameter: The MessageGroupId parameter is required for FIFO topics',
    );
    await expectSluiceError(
      e.topics.publish(arn, { message: 'm', messageGroupId: 'g' }),
      'InvalidParameter',
      'Invalid parameter: The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly',
    );
    await expectSluiceError(
      e.topics.publish(arn, {
        message: 'm',
        messageGroupId: 'with space',
        messageDeduplicationId: 'd',
      }),
      'InvalidParameter',
      /^Invalid parameter: MessageGroupId Reason/,
    );
    await expectSluiceError(
      e.topics.publish(arn, {
        message: 'm',
        messageGroupId: 'g',
        messageDeduplicationId: 'x'.repeat(129),
      }),
      'InvalidParameter',
      /^Invalid parameter: MessageDeduplicationId Reason/,
    );
  });

  test('a standard topic takes a group id but no deduplication id', async () => {
    const e = fixture.engine();
    const arn = await e.topics.createTopic(`t-${randomUUID().slice(0, 8)}`);
    const published = await e.topics.publish(arn, {
      message: 'm',
      messageGroupId: 'tenant-1',
    });
    expect(published.sequenceNumber).toBeUndefined();
    await expectSluiceError(
      e.topics.publish(arn, { message: 'm', messageDeduplicationId: 'd' }),
      'InvalidParameter',
      'Invalid parameter: MessageDeduplicationId Reason: The request includes MessageDeduplicationId parameter that is not valid for this topic type',
    );
  });

  test('a duplicate within five minutes answers the first id and sequence number and logs nothing', async () => {
    const prefix = `t-${randomUUID()}`;
    const e = fixture.engine({ prefix });
    const name = fifoTopicName();
    const arn = await e.topics.createTopic(name, { FifoTopic: 'true' });
    const input = {
      message: 'm',
      messageGroupId: 'g',
      messageDeduplicationId: 'd-1',
    };
    const first = await e.topics.publish(arn, input);
    expect(first.sequenceNumber).toMatch(/^\d{20}$/);
    now += 4 * 60_000;
    expect(await e.topics.publish(arn, { ...input, message: 'other' })).toEqual(
      first,
    );
    const next = await e.topics.publish(arn, {
      ...input,
      messageDeduplicationId: 'd-2',
    });
    expect(BigInt(next.sequenceNumber!)).toBeGreaterThan(
      BigInt(first.sequenceNumber!),
    );
    now += 60_001;
    const again = await e.topics.publish(arn, input);
    expect(again.messageId).not.toBe(first.messageId);
    expect(await e.redis.xlen(topicKeys(prefix, name).log)).toBe(3);
    expect(await e.topics.getTopicStats(arn)).toMatchObject({ published: 3 });
  });

  test('content-based deduplication hashes the message; scope MessageGroup keeps groups apart', async () => {
    const e = fixture.engine();
    const arn = await fifoTopic(e, { ContentBasedDeduplication: 'true' });
    const a = await e.topics.publish(arn, {
      message: 'same',
      messageGroupId: 'g1',
    });
    const b = await e.topics.publish(arn, {
      message: 'same',
      messageGroupId: 'g2',
    });
    expect(b).toEqual(a);
    const c = await e.topics.publish(arn, {
      message: 'same',
      messageGroupId: 'g1',
      messageDeduplicationId: 'explicit',
    });
    expect(c.messageId).not.toBe(a.messageId);

    const scoped = await fifoTopic(e, {
      ContentBasedDeduplication: 'true',
      FifoThroughputScope: 'MessageGroup',
    });
    const x = await e.topics.publish(scoped, {
      message: 'same',
      messageGroupId: 'g1',
    });
    const y = await e.topics.publish(scoped, {
      message: 'same',
      messageGroupId: 'g2',
    });
    const z = await e.topics.publish(scoped, {
      message: 'same',
      messageGroupId: 'g1',
    });
    expect(y.messageId).not.toBe(x.messageId);
    expect(z).toEqual(x);
  });

  test('PublishBatch: sequence numbers in entry order, duplicates inside the batch, a missing group id fails it all', async () => {
    const e = fixture.engine();
    const arn = await fifoTopic(e);
    const result = await e.topics.publishBatch(
      arn,
      ['a', 'b', 'a'].map((dedup, i) => ({
        id: `e${i}`,
        message: `m${i}`,
        messageGroupId: 'g',
        messageDeduplicationId: dedup,
      })),
    );
    expect(result.failed).toEqual([]);
    const [e0, e1, e2] = result.successful;
    expect(e2?.messageId).toBe(e0?.messageId);
    expect(e2?.sequenceNumber).toBe(e0?.sequenceNumber);
    expect(BigInt(e1!.sequenceNumber!)).toBe(BigInt(e0!.sequenceNumber!) + 1n);
    await expectSluiceError(
      e.topics.publishBatch(arn, [
        {
          id: 'a',
          message: 'm',
          messageGroupId: 'g',
          messageDeduplicationId: 'x',
        },
        { id: 'b', message: 'm', messageDeduplicationId: 'y' },
      ]),
      'InvalidParameter',
      'Invalid parameter: The MessageGroupId parameter is required for FIFO topics',
    );
  });
});

describe('FIFO topics: subscriptions and delivery', () => {
  test('only sqs endpoints subscribe; a FIFO subscription needs a FIFO dead-letter queue', async () => {
    const e = fixture.engine();
    const arn = await fifoTopic(e);
    await expectSluiceError(
      e.topics.subscribe(arn, { protocol: 'http', endpoint: 'http://x.test/' }),
      'InvalidParameter',
      /^Invalid parameter: Protocol Reason/,
    );
    const standard = `q-${randomUUID().slice(0, 8)}`;
    await e.createQueue(standard);
    await e.topics.subscribe(arn, {
      protocol: 'sqs',
      endpoint: e.queueArn(standard),
    });
    await expectSluiceError(
      subscribedFifoQueue(e, arn, {
        RedrivePolicy: JSON.stringify({
          deadLetterTargetArn: e.queueArn(standard),
        }),
      }),
      'InvalidParameter',
      'Invalid parameter: Attributes Reason: RedrivePolicy: must use a FIFO queue as DLQ for a FIFO Subscription to a FIFO Topic.',
    );
  });

  test('every subscribed FIFO queue gets each group in publish order, with its group and deduplication ids', async () => {
    const e = deliveringEngine();
    const arn = await fifoTopic(e);
    const queues = [
      await subscribedFifoQueue(e, arn),
      await subscribedFifoQueue(e, arn, {}),
    ];
    const groups = ['a', 'b', 'c', 'd', 'e'];
    const expected: Record<string, string[]> = {};
    for (let i = 0; i < 60; i += 6) {
      const batch = Array.from({ length: 6 }, (_, j) => {
        const group = groups[(i + j) % groups.length]!;
        (expected[group] ??= []).push(`m${i + j}`);
        return {
          id: `e${j}`,
          message: `m${i + j}`,
          messageGroupId: group,
          messageDeduplicationId: `d${i + j}`,
        };
      });
      await e.topics.publishBatch(arn, batch);
    }
    const [raw, enveloped] = await Promise.all(
      queues.map((q) => drain(e, q, 60)),
    );
    expect(byGroup(raw!)).toEqual(expected);
    expect(raw![0]?.attributes.MessageDeduplicationId).toBe('d0');
    const envelopes = enveloped!.map(
      (m) => JSON.parse(m.body) as { Message: string; SequenceNumber: string },
    );
    expect(
      byGroup(
        enveloped!.map((m, i) => ({ ...m, body: envelopes[i]!.Message })),
      ),
    ).toEqual(expected);
    expect(envelopes[0]?.SequenceNumber).toMatch(/^\d{20}$/);
  });

  test('a standard queue on a FIFO topic gets the messages without the group id', async () => {
    const e = deliveringEngine();
    const arn = await fifoTopic(e, { ContentBasedDeduplication: 'true' });
    const queue = `q-${randomUUID().slice(0, 8)}`;
    await e.createQueue(queue);
    await e.topics.subscribe(arn, {
      protocol: 'sqs',
      endpoint: e.queueArn(queue),
      attributes: { RawMessageDelivery: 'true' },
    });
    await e.topics.publish(arn, { message: 'hello', messageGroupId: 'g' });
    const [message] = await drain(e, queue, 1);
    expect(message?.body).toBe('hello');
    expect(message?.attributes.MessageGroupId).toBeUndefined();
  });

  test('a worker that dies holding a FIFO topic: the next one delivers its messages first, in order, once', async () => {
    const prefix = `t-${randomUUID()}`;
    const publisher = fixture.engine({ prefix });
    const name = fifoTopicName();
    const arn = await publisher.topics.createTopic(name, { FifoTopic: 'true' });
    const queue = await subscribedFifoQueue(publisher, arn);
    const publish = (n: number) =>
      publisher.topics.publish(arn, {
        message: `m${n}`,
        messageGroupId: 'g',
        messageDeduplicationId: `d${n}`,
      });
    for (const n of [0, 1, 2]) {
      await publish(n);
    }
    // A worker took the lease, read m0..m2 and died before acknowledging;
    // m3..m5 came after.
    const keys = topicKeys(prefix, name);
    await publisher.redis.set(keys.lease, 'dead-worker', 'PX', 300);
    await publisher.redis.xreadgroup(
      'GROUP',
      'fanout',
      'dead-worker',
      'COUNT',
      10,
      'STREAMS',
      keys.log,
      '>',
    );
    for (const n of [3, 4, 5]) {
      await publish(n);
    }
    const rescuer = deliveringEngine(prefix, 300);
    const got = await drain(rescuer, queue, 6, 8000);
    expect(got.map((m) => m.body)).toEqual([
      'm0',
      'm1',
      'm2',
      'm3',
      'm4',
      'm5',
    ]);
    expect(await publisher.redis.xpending(keys.log, 'fanout')).toEqual([
      0,
      null,
      null,
      null,
    ]);
  });

  test('a FIFO topic is fanned out by one worker at a time', async () => {
    const prefix = `t-${randomUUID()}`;
    const first = deliveringEngine(prefix);
    const name = fifoTopicName();
    const arn = await first.topics.createTopic(name, { FifoTopic: 'true' });
    const queue = await subscribedFifoQueue(first, arn);
    deliveringEngine(prefix);
    for (let n = 0; n < 30; n++) {
      await first.topics.publish(arn, {
        message: `m${n}`,
        messageGroupId: 'g',
        messageDeduplicationId: `d${n}`,
      });
    }
    const got = await drain(first, queue, 30);
    expect(got.map((m) => m.body)).toEqual(
      Array.from({ length: 30 }, (_, n) => `m${n}`),
    );
    expect(await first.redis.get(topicKeys(prefix, name).lease)).not.toBeNull();
  });
});
