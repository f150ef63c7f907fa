import { randomUUID } from 'node:crypto';
import { useEngine } from '../../../test/support/engine';
import { expectSluiceError } from '../../../test/support/errors';
import type { QueueEngine, ReceivedMessage } from '../src';
import { topicKeys } from '../src/keys';

/**
 * SNS message archiving on FIFO topics: the ArchivePolicy attribute and its
 * errors, BeginningArchiveTime, log entries kept after delivery and trimmed
 * by age on a hand-moved clock.
 */
let now = Date.parse('2025-01-01T00:00:00Z');
const fixture = useEngine({ clock: () => now });

const DAY = 86_400_000;
const fifoTopicName = () => `t-${randomUUID().slice(0, 8)}.fifo`;
const archive = (days: number | string) =>
  JSON.stringify({ MessageRetentionPeriod: days });

function deliveringEngine(prefix = `t-${randomUUID()}`): QueueEngine {
  const e = fixture.engine({ prefix });
  e.topics.startDelivery({
    consumer: randomUUID(),
    publicUrl: 'http://sluice.test:9324',
  });
  return e;
}

async function subscribedFifoQueue(e: QueueEngine, topicArn: string) {
  const queue = `q-${randomUUID().slice(0, 8)}.fifo`;
  await e.createQueue(queue, { FifoQueue: 'true' });
  await e.topics.subscribe(topicArn, {
    protocol: 'sqs',
    endpoint: e.queueArn(queue),
    attributes: { RawMessageDelivery: 'true' },
  });
  return queue;
}

async function drain(
  e: QueueEngine,
  queue: string,
  count: number,
): Promise<ReceivedMessage[]> {
  const got: ReceivedMessage[] = [];
  const deadline = Date.now() + 5000;
  while (got.length < count && Date.now() < deadline) {
    const batch = await e.receiveMessages(queue, {
      maxNumberOfMessages: 10,
      waitTimeSeconds: 1,
    });
    for (const m of batch) {
      got.push(m);
      await e.deleteMessage(queue, m.receiptHandle);
    }
  }
  return got;
}

const publish = (e: QueueEngine, arn: string, n: number) =>
  e.topics.publish(arn, {
    message: `m${n}`,
    messageGroupId: 'g',
    messageDeduplicationId: `d${n}`,
  });

/** Waits until fan-out acknowledged what it delivered (no pending entry). */
async function settled(e: QueueEngine, log: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline) {
    const [pending] = (await e.redis.xpending(log, 'fanout')) as [number];
    if (pending === 0) {
      return;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('ArchivePolicy', () => {
  test('is set by CreateTopic and SetTopicAttributes, reported with BeginningArchiveTime, and removed by {}', async () => {
    const e = fixture.engine();
    const created = now;
    const arn = await e.topics.createTopic(fifoTopicName(), {
      FifoTopic: 'true',
      ArchivePolicy: archive('30'),
    });
    expect(await e.topics.getTopicAttributes(arn)).toMatchObject({
      ArchivePolicy: archive('30'),
      BeginningArchiveTime: new Date(created).toISOString(),
    });
    const attributes = await e.topics.getTopicAttributes(arn);
    for (const internal of ['archive_ms', 'archive_since', 'log_ms']) {
      expect(attributes).not.toHaveProperty(internal);
    }
    now += 60_000;
    await e.topics.setTopicAttributes(arn, 'ArchivePolicy', archive(1));
    expect(await e.topics.getTopicAttributes(arn)).toMatchObject({
      ArchivePolicy: archive(1),
      BeginningArchiveTime: new Date(created).toISOString(),
    });
    now += 2 * DAY;
    expect((await e.topics.getTopicAttributes(arn)).BeginningArchiveTime).toBe(
      new Date(now - DAY).toISOString(),
    );
    await e.topics.setTopicAttributes(arn, 'ArchivePolicy', '{}');
    const off = await e.topics.getTopicAttributes(arn);
    expect(off).not.toHaveProperty('ArchivePolicy');
    expect(off).not.toHaveProperty('BeginningArchiveTime');

    const plain = await e.topics.createTopic(fifoTopicName(), {
      FifoTopic: 'true',
      ArchivePolicy: '{}',
    });
    expect(await e.topics.getTopicAttributes(plain)).not.toHaveProperty(
      'ArchivePolicy',
    );
  });

  test('FIFO topics only; a JSON object with MessageRetentionPeriod from 1 to 365 days', async () => {
    const e = fixture.engine();
    await expectSluiceError(
      e.topics.createTopic(`t-${randomUUID().slice(0, 8)}`, {
        ArchivePolicy: archive(1),
      }),
      'InvalidParameter',
      'Invalid parameter: ArchivePolicy Reason: ArchivePolicy can only be set for FIFO topics',
    );
    const arn = await e.topics.createTopic(fifoTopicName(), {
      FifoTopic: 'true',
    });
    const refused: [string, RegExp][] = [
      ['{', /failed to parse JSON/],
      ['[]', /must be a JSON object/],
      ['{"Days":"3"}', /unknown field Days/],
      [archive(0), /from 1 to 365/],
      [archive('366'), /from 1 to 365/],
      [archive('1.5'), /from 1 to 365/],
      [archive(true as unknown as number), /from 1 to 365/],
    ];
    for (const [value, message] of refused) {
      await expectSluiceError(
        e.topics.setTopicAttributes(arn, 'ArchivePolicy', value),
        'InvalidParameter',
        message,
      );
    }
    await e.topics.setTopicAttributes(arn, 'ArchivePolicy', archive(365));
    await e.topics.setTopicAttributes(arn, 'ArchivePolicy', archive('1'));
  });
});

describe('archived messages', () => {
  test('stay in the log after delivery with an ArchivePolicy, and are deleted without one', async () => {
    const prefix = `t-${randomUUID()}`;
    const e = deliveringEngine(prefix);
    const archived = fifoTopicName();
    const plain = fifoTopicName();
    const archivedArn = await e.topics.createTopic(archived, {
      FifoTopic: 'true',
      ArchivePolicy: archive(1),
    });
    const plainArn = await e.topics.createTopic(plain, { FifoTopic: 'true' });
    const queues = [
      await subscribedFifoQueue(e, archivedArn),
      await subscribedFifoQueue(e, plainArn),
    ];
    for (const n of [0, 1, 2]) {
      await publish(e, archivedArn, n);
      await publish(e, plainArn, n);
    }
    for (const queue of queues) {
      expect((await drain(e, queue, 3)).map((m) => m.body)).toEqual([
        'm0',
        'm1',
        'm2',
      ]);
    }
    const archivedLog = topicKeys(prefix, archived).log;
    const plainLog = topicKeys(prefix, plain).log;
    await settled(e, archivedLog);
    await settled(e, plainLog);
    expect(await e.redis.xlen(archivedLog)).toBe(3);
    expect(await e.redis.xlen(plainLog)).toBe(0);
    const [first] = await e.redis.xrange(archivedLog, '-', '+', 'COUNT', 1);
    expect(first?.[0]).toBe(`${now}-0`);
  });

  test('are trimmed once older than the retention period; removing the policy deletes them', async () => {
    const prefix = `t-${randomUUID()}`;
    const e = deliveringEngine(prefix);
    const name = fifoTopicName();
    const arn = await e.topics.createTopic(name, {
      FifoTopic: 'true',
      ArchivePolicy: archive(1),
    });
    const queue = await subscribedFifoQueue(e, arn);
    const log = topicKeys(prefix, name).log;
    await publish(e, arn, 0);
    await drain(e, queue, 1);
    await settled(e, log);
    now += DAY - 1;
    await publish(e, arn, 1);
    await drain(e, queue, 1);
    await settled(e, log);
    expect(await e.redis.xlen(log)).toBe(2);
    now += 2;
    await publish(e, arn, 2);
    await drain(e, queue, 1);
    await settled(e, log);
    const left = await e.redis.xrange(log, '-', '+');
    expect(left.map(([id]) => Number(id.split('-')[0]))).toEqual([
      now - 2,
      now,
    ]);
    await e.topics.setTopicAttributes(arn, 'ArchivePolicy', '{}');
    expect(await e.redis.xlen(log)).toBe(0);
  });
});
