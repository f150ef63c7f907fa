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
  ms = 5000,
): Promise<ReceivedMessage[]> {
  const got: ReceivedMessage[] = [];
  const deadline = Date.now() + ms;
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

interface Envelope {
  readonly MessageId: string;
  readonly Message: string;
  readonly Timestamp: string;
  readonly Replayed?: boolean;
}

const iso = (ms: number) => new Date(ms).toISOString();
const replayPolicy = (start: number, end?: number) =>
  JSON.stringify({
    PointType: 'Timestamp',
    StartingPoint: iso(start),
    ...(end !== undefined && { EndingPoint: iso(end) }),
  });

async function replayStatus(e: QueueEngine, subscriptionArn: string) {
  return (await e.topics.getSubscriptionAttributes(subscriptionArn))
    .ReplayStatus;
}

async function until(check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!(await check()) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** An archiving FIFO topic with two enveloped FIFO queues and m0..m4. */
async function archivedTopicWithHistory(e: QueueEngine) {
  const arn = await e.topics.createTopic(fifoTopicName(), {
    FifoTopic: 'true',
    ArchivePolicy: archive(1),
  });
  const subscribe = async () => {
    const queue = `q-${randomUUID().slice(0, 8)}.fifo`;
    await e.createQueue(queue, { FifoQueue: 'true' });
    const { subscriptionArn } = await e.topics.subscribe(arn, {
      protocol: 'sqs',
      endpoint: e.queueArn(queue),
    });
    return { queue, subscriptionArn };
  };
  const a = await subscribe();
  const b = await subscribe();
  const times: number[] = [];
  const ids: string[] = [];
  for (const n of [0, 1, 2, 3, 4]) {
    now += 1000;
    times.push(now);
    ids.push((await publish(e, arn, n)).messageId);
  }
  for (const { queue } of [a, b]) {
    expect(await drain(e, queue, 5)).toHaveLength(5);
  }
  return { arn, a, b, times, ids };
}

const envelopes = (messages: readonly ReceivedMessage[]) =>
  messages.map((m) => JSON.parse(m.body) as Envelope);

describe('replay', () => {
  test('a ReplayPolicy replays the archive from its StartingPoint, in order, to that subscription only, then delivers live', async () => {
    const e = deliveringEngine();
    const { arn, a, b, times, ids } = await archivedTopicWithHistory(e);
    await e.topics.setSubscriptionAttributes(
      a.subscriptionArn,
      'ReplayPolicy',
      replayPolicy(times[2]!),
    );
    const replayed = envelopes(await drain(e, a.queue, 3));
    expect(replayed.map((m) => m.Message)).toEqual(['m2', 'm3', 'm4']);
    expect(replayed.map((m) => m.MessageId)).toEqual(ids.slice(2));
    expect(replayed.map((m) => m.Timestamp)).toEqual(times.slice(2).map(iso));
    expect(replayed.every((m) => m.Replayed === true)).toBe(true);
    await until(
      async () => (await replayStatus(e, a.subscriptionArn)) === 'Completed',
    );
    expect(await replayStatus(e, a.subscriptionArn)).toBe('Completed');
    expect(await replayStatus(e, b.subscriptionArn)).toBeUndefined();
    expect(
      (await e.topics.getSubscriptionAttributes(a.subscriptionArn))
        .ReplayPolicy,
    ).toBe(replayPolicy(times[2]!));

    now += 1000;
    await publish(e, arn, 5);
    for (const { queue } of [a, b]) {
      const [live] = envelopes(await drain(e, queue, 1));
      expect(live?.Message).toBe('m5');
      expect(live).not.toHaveProperty('Replayed');
    }
    expect(await drain(e, b.queue, 1, 1500)).toEqual([]);
    expect(await e.topics.getTopicStats(arn)).toMatchObject({
      'replayed:sqs': 3,
    });
  });

  test('a long replay goes chunk by chunk and joins live delivery without a gap or a repeat', async () => {
    const e = deliveringEngine();
    const { arn, a, times } = await archivedTopicWithHistory(e);
    for (let n = 5; n < 250; n += 10) {
      await e.topics.publishBatch(
        arn,
        Array.from({ length: 10 }, (_, i) => ({
          id: `e${i}`,
          message: `m${n + i}`,
          messageGroupId: 'g',
          messageDeduplicationId: `d${n + i}`,
        })),
      );
    }
    expect(await drain(e, a.queue, 250)).toHaveLength(250);
    await e.topics.setSubscriptionAttributes(
      a.subscriptionArn,
      'ReplayPolicy',
      replayPolicy(times[0]!),
    );
    for (let n = 255; n < 260; n++) {
      await publish(e, arn, n);
    }
    const got = envelopes(await drain(e, a.queue, 260, 10_000));
    expect(got.map((m) => m.Message)).toEqual(
      Array.from({ length: 260 }, (_, n) => `m${n}`),
    );
    expect(await drain(e, a.queue, 1, 1000)).toEqual([]);
  });

  test('an EndingPoint replays up to it and then pauses the subscription', async () => {
    const e = deliveringEngine();
    const { arn, a, b, times } = await archivedTopicWithHistory(e);
    await e.topics.setSubscriptionAttributes(
      a.subscriptionArn,
      'ReplayPolicy',
      replayPolicy(times[1]!, times[2]),
    );
    expect(envelopes(await drain(e, a.queue, 2)).map((m) => m.Message)).toEqual(
      ['m1', 'm2'],
    );
    await until(
      async () => (await replayStatus(e, a.subscriptionArn)) === 'Completed',
    );
    now += 1000;
    await publish(e, arn, 5);
    expect(envelopes(await drain(e, b.queue, 1))[0]?.Message).toBe('m5');
    expect(await drain(e, a.queue, 1, 1500)).toEqual([]);
    // A new policy without an EndingPoint resumes from where it says.
    await e.topics.setSubscriptionAttributes(
      a.subscriptionArn,
      'ReplayPolicy',
      replayPolicy(times[4]! + 1),
    );
    expect(envelopes(await drain(e, a.queue, 1))[0]?.Message).toBe('m5');
  });

  test('Subscribe with a ReplayPolicy starts the new subscription from the archive', async () => {
    const e = deliveringEngine();
    const { arn, times } = await archivedTopicWithHistory(e);
    const queue = `q-${randomUUID().slice(0, 8)}.fifo`;
    await e.createQueue(queue, { FifoQueue: 'true' });
    await e.topics.subscribe(arn, {
      protocol: 'sqs',
      endpoint: e.queueArn(queue),
      attributes: {
        RawMessageDelivery: 'true',
        ReplayPolicy: replayPolicy(times[0]!),
      },
    });
    expect((await drain(e, queue, 5)).map((m) => m.body)).toEqual([
      'm0',
      'm1',
      'm2',
      'm3',
      'm4',
    ]);
  });

  test('ReplayStatus is Pending until a worker runs the replay; Failed once the topic stops archiving', async () => {
    const prefix = `t-${randomUUID()}`;
    const e = fixture.engine({ prefix });
    const arn = await e.topics.createTopic(fifoTopicName(), {
      FifoTopic: 'true',
      ArchivePolicy: archive(1),
    });
    const queue = await subscribedFifoQueue(e, arn);
    const { items } = await e.topics.listSubscriptionsByTopic(arn);
    const { subscriptionArn } = items[0]!;
    expect(await replayStatus(e, subscriptionArn)).toBeUndefined();
    await e.topics.setSubscriptionAttributes(
      subscriptionArn,
      'ReplayPolicy',
      replayPolicy(now),
    );
    expect(await replayStatus(e, subscriptionArn)).toBe('Pending');
    await e.topics.setTopicAttributes(arn, 'ArchivePolicy', '{}');
    deliveringEngine(prefix);
    await until(
      async () => (await replayStatus(e, subscriptionArn)) === 'Failed',
    );
    expect(await replayStatus(e, subscriptionArn)).toBe('Failed');
    // a failed replay does not hold live delivery back
    await publish(e, arn, 0);
    expect((await drain(e, queue, 1)).map((m) => m.body)).toEqual(['m0']);
    await e.topics.setSubscriptionAttributes(
      subscriptionArn,
      'ReplayPolicy',
      '',
    );
    expect(await replayStatus(e, subscriptionArn)).toBeUndefined();
  });

  test('ReplayPolicy errors', async () => {
    const e = fixture.engine();
    const standard = await e.topics.createTopic(
      `t-${randomUUID().slice(0, 8)}`,
    );
    const queue = `q-${randomUUID().slice(0, 8)}`;
    await e.createQueue(queue);
    await expectSluiceError(
      e.topics.subscribe(standard, {
        protocol: 'sqs',
        endpoint: e.queueArn(queue),
        attributes: { ReplayPolicy: replayPolicy(now) },
      }),
      'InvalidParameter',
      'Invalid parameter: ReplayPolicy Reason: ReplayPolicy can only be set for subscriptions to FIFO topics',
    );
    const unarchived = await e.topics.createTopic(fifoTopicName(), {
      FifoTopic: 'true',
    });
    await expectSluiceError(
      e.topics.subscribe(unarchived, {
        protocol: 'sqs',
        endpoint: e.queueArn(queue),
        attributes: { ReplayPolicy: replayPolicy(now) },
      }),
      'InvalidParameter',
      'Invalid parameter: ReplayPolicy Reason: the topic has no ArchivePolicy',
    );
    const arn = await e.topics.createTopic(fifoTopicName(), {
      FifoTopic: 'true',
      ArchivePolicy: archive(1),
    });
    const { subscriptionArn } = await e.topics.subscribe(arn, {
      protocol: 'sqs',
      endpoint: e.queueArn(queue),
    });
    const refused: [string, RegExp][] = [
      ['{', /failed to parse JSON/],
      ['"x"', /must be a JSON object/],
      [
        JSON.stringify({ PointType: 'Offset', StartingPoint: iso(now) }),
        /PointType must be Timestamp/,
      ],
      [
        JSON.stringify({ PointType: 'Timestamp' }),
        /StartingPoint must be an ISO 8601 timestamp/,
      ],
      [
        JSON.stringify({ PointType: 'Timestamp', StartingPoint: 'yesterday' }),
        /StartingPoint must be/,
      ],
      [replayPolicy(now + 60_000), /must not be in the future/],
      [
        replayPolicy(now, now - 1),
        /EndingPoint must not be before StartingPoint/,
      ],
      [
        JSON.stringify({
          PointType: 'Timestamp',
          StartingPoint: iso(now),
          From: 1,
        }),
        /unknown field From/,
      ],
    ];
    for (const [value, message] of refused) {
      await expectSluiceError(
        e.topics.setSubscriptionAttributes(
          subscriptionArn,
          'ReplayPolicy',
          value,
        ),
        'InvalidParameter',
        message,
      );
    }
  });
});
