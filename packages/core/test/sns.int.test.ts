import { randomUUID } from 'node:crypto';
import { queueName, useEngine } from '../../../test/support/engine';
import { expectSluiceError } from '../../../test/support/errors';
import type { QueueEngine, ReceivedMessage } from '../src';
import { topicKeys } from '../src/keys';

/**
 * SNS on the engine: topics and subscriptions, publishing into a topic's log,
 * and fan-out by delivery workers to SQS queues (envelope, raw delivery,
 * filter policies, MessageStructure, dead letters), durable across a worker
 * that is not running or dies.
 */
const fixture = useEngine();

const PUBLIC_URL = 'http://sluice.test:9324';

function topicName(): string {
  return `t-${randomUUID().slice(0, 8)}`;
}

function deliveringEngine(
  claimAfterMs = 30_000,
  prefix = `t-${randomUUID()}`,
): QueueEngine {
  const e = fixture.engine({ prefix });
  e.topics.startDelivery({
    consumer: randomUUID(),
    publicUrl: PUBLIC_URL,
    claimAfterMs,
  });
  return e;
}

/** Receives from `queue` until `count` messages came or 5 s passed. */
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
      messageAttributeNames: ['All'],
    });
    for (const m of batch) {
      got.push(m);
      await e.deleteMessage(queue, m.receiptHandle);
    }
  }
  return got;
}

async function subscribedQueue(
  e: QueueEngine,
  topicArn: string,
  attributes: Record<string, string> = {},
) {
  const queue = queueName();
  await e.createQueue(queue);
  const { subscriptionArn } = await e.topics.subscribe(topicArn, {
    protocol: 'sqs',
    endpoint: e.queueArn(queue),
    attributes,
  });
  return { queue, subscriptionArn };
}

describe('topics', () => {
  test('create is idempotent, lists, reads and sets attributes, deletes', async () => {
    const e = fixture.engine();
    const name = topicName();
    const arn = await e.topics.createTopic(name, { DisplayName: 'Orders' });
    expect(arn).toBe(`arn:aws:sns:us-east-1:000000000000:${name}`);
    expect(await e.topics.createTopic(name, { DisplayName: 'Orders' })).toBe(
      arn,
    );
    await expectSluiceError(
      e.topics.createTopic(name, { DisplayName: 'Other' }),
      'InvalidParameter',
      'Topic already exists with different attributes',
    );
    expect((await e.topics.listTopics()).items).toContain(arn);
    const attributes = await e.topics.getTopicAttributes(arn);
    expect(attributes).toMatchObject({
      TopicArn: arn,
      DisplayName: 'Orders',
      Owner: '000000000000',
      SubscriptionsConfirmed: '0',
      SubscriptionsPending: '0',
      SubscriptionsDeleted: '0',
    });
    expect(JSON.parse(attributes.Policy ?? '')).toMatchObject({
      Statement: [expect.objectContaining({ Resource: arn })],
    });
    await e.topics.setTopicAttributes(arn, 'DisplayName', 'Renamed');
    expect((await e.topics.getTopicAttributes(arn)).DisplayName).toBe(
      'Renamed',
    );
    await e.topics.deleteTopic(arn);
    await e.topics.deleteTopic(arn);
    await expectSluiceError(e.topics.getTopicAttributes(arn), 'NotFound');
    // A write to a deleted topic does not bring it back.
    await expectSluiceError(
      e.topics.setTopicAttributes(arn, 'DisplayName', 'Ghost'),
      'NotFound',
    );
    await expectSluiceError(e.topics.getTopicAttributes(arn), 'NotFound');
    expect((await e.topics.listTopics()).items).not.toContain(arn);
  });

  test('ListTopics pages by 100', async () => {
    const e = fixture.engine();
    const arns = [];
    for (let i = 0; i < 105; i += 1) {
      arns.push(await e.topics.createTopic(`p-${String(i).padStart(3, '0')}`));
    }
    const first = await e.topics.listTopics();
    expect(first.items).toHaveLength(100);
    const second = await e.topics.listTopics(first.nextToken);
    expect([...first.items, ...second.items]).toEqual(arns);
    expect(second.nextToken).toBeUndefined();
  });

  test('refuses bad names, attributes and ARNs as SNS does', async () => {
    const e = fixture.engine();
    await expectSluiceError(e.topics.createTopic('a b'), 'InvalidParameter');
    await expectSluiceError(
      e.topics.createTopic(topicName(), { Unknown: 'x' }),
      'InvalidParameter',
    );
    await expectSluiceError(
      e.topics.createTopic(topicName(), { SignatureVersion: '3' }),
      'InvalidParameter',
    );
    await expectSluiceError(
      e.topics.getTopicAttributes('not an arn'),
      'InvalidParameter',
    );
    await expectSluiceError(
      e.topics.publish('arn:aws:sns:us-east-1:000000000000:missing', {
        message: 'x',
      }),
      'NotFound',
    );
  });

  test('tags', async () => {
    const e = fixture.engine();
    const arn = await e.topics.createTopic(topicName(), {}, { team: 'a' });
    await e.topics.tagResource(arn, { env: 'prod' });
    await e.topics.untagResource(arn, ['team']);
    expect(await e.topics.listTagsForResource(arn)).toEqual({ env: 'prod' });
  });

  test('tag errors in SNS words', async () => {
    const e = fixture.engine();
    const arn = await e.topics.createTopic(topicName());
    const fifty = Object.fromEntries(
      Array.from({ length: 50 }, (_, i) => [`k${i}`, 'v']),
    );
    await e.topics.tagResource(arn, fifty);
    await expectSluiceError(
      e.topics.tagResource(arn, { one: 'more' }),
      'TagLimitExceeded',
      'Could not complete request: tag quota of per resource exceeded',
    );
    await expectSluiceError(
      e.topics.tagResource(arn, { 'aws:x': 'v' }),
      'InvalidParameter',
      'Invalid parameter: Tags Reason: Tag keys must not start with aws:',
    );
    const gone = arn.replace(/[^:]+$/, topicName());
    for (const call of [
      e.topics.tagResource(gone, { a: 'b' }),
      e.topics.untagResource(gone, ['a']),
      e.topics.listTagsForResource(gone),
    ]) {
      await expectSluiceError(
        call,
        'ResourceNotFoundException',
        'Resource does not exist',
      );
    }
  });

  test('MaximumMessageSize: the limit publishes are checked against', async () => {
    const e = fixture.engine();
    const arn = await e.topics.createTopic(topicName());
    expect(await e.topics.getTopicAttributes(arn)).not.toHaveProperty(
      'MaximumMessageSize',
    );
    await e.topics.publish(arn, { message: 'x'.repeat(262_144) });
    await expectSluiceError(
      e.topics.publish(arn, { message: 'x'.repeat(262_145) }),
      'InvalidParameter',
      'Invalid parameter: Message too long',
    );
    await e.topics.setTopicAttributes(arn, 'MaximumMessageSize', '1048576');
    await e.topics.publish(arn, { message: 'x'.repeat(1_048_576) });
    await e.topics.setTopicAttributes(arn, 'MaximumMessageSize', '2048');
    await expectSluiceError(
      e.topics.publishBatch(arn, [
        { id: 'a', message: 'x'.repeat(1500) },
        { id: 'b', message: 'x'.repeat(1500) },
      ]),
      'BatchRequestTooLong',
    );
    await expectSluiceError(
      e.topics.setTopicAttributes(arn, 'MaximumMessageSize', '1023'),
      'InvalidParameter',
      'Invalid parameter: MaximumMessageSize: 1023 is not an integer between 1024 and 1048576 bytes',
    );
  });

  test('concurrent AddPermission and RemovePermission lose no statement', async () => {
    const e = fixture.engine();
    const arn = await e.topics.createTopic(topicName());
    const labels = Array.from({ length: 20 }, (_, i) => `share-${i}`);
    await Promise.all(
      labels.map((label) =>
        e.topics.addPermission(arn, label, ['111122223333'], ['Publish']),
      ),
    );
    await Promise.all(
      labels
        .filter((_, i) => i % 2 === 0)
        .map((label) => e.topics.removePermission(arn, label)),
    );
    const policy = JSON.parse(
      (await e.topics.getTopicAttributes(arn)).Policy ?? '',
    ) as { Statement: { Sid: string }[] };
    expect(policy.Statement.map((s) => s.Sid).sort()).toEqual(
      [
        '__default_statement_ID',
        ...labels.filter((_, i) => i % 2 === 1),
      ].sort(),
    );
  });
});

describe('subscriptions', () => {
  test('subscribe is idempotent; attributes; list; unsubscribe', async () => {
    const e = fixture.engine();
    const arn = await e.topics.createTopic(topicName());
    const { queue, subscriptionArn } = await subscribedQueue(e, arn);
    expect(subscriptionArn).toMatch(new RegExp(`^${arn}:[0-9a-f-]{36}$`));
    expect(
      await e.topics.subscribe(arn, {
        protocol: 'sqs',
        endpoint: e.queueArn(queue),
      }),
    ).toEqual({ subscriptionArn, pendingConfirmation: false });
    await e.topics.setSubscriptionAttributes(
      subscriptionArn,
      'RawMessageDelivery',
      'true',
    );
    expect(
      await e.topics.getSubscriptionAttributes(subscriptionArn),
    ).toMatchObject({
      SubscriptionArn: subscriptionArn,
      TopicArn: arn,
      Protocol: 'sqs',
      Endpoint: e.queueArn(queue),
      PendingConfirmation: 'false',
      RawMessageDelivery: 'true',
    });
    expect((await e.topics.listSubscriptionsByTopic(arn)).items).toEqual([
      {
        subscriptionArn,
        owner: '000000000000',
        protocol: 'sqs',
        endpoint: e.queueArn(queue),
        topicArn: arn,
      },
    ]);
    expect(
      (await e.topics.listSubscriptions()).items.map((s) => s.subscriptionArn),
    ).toContain(subscriptionArn);
    expect(
      (await e.topics.getTopicAttributes(arn)).SubscriptionsConfirmed,
    ).toBe('1');
    await e.topics.unsubscribe(subscriptionArn);
    await expectSluiceError(
      e.topics.getSubscriptionAttributes(subscriptionArn),
      'NotFound',
    );
  });

  test('refuses protocols and endpoints it cannot serve', async () => {
    const e = fixture.engine();
    const arn = await e.topics.createTopic(topicName());
    for (const protocol of ['sms', 'email', 'lambda', 'application']) {
      await expectSluiceError(
        e.topics.subscribe(arn, { protocol, endpoint: 'x' }),
        'InvalidParameter',
      );
    }
    // Without a delivery worker nothing could send the confirmation.
    await expectSluiceError(
      e.topics.subscribe(arn, {
        protocol: 'http',
        endpoint: 'http://127.0.0.1:9/hook',
      }),
      'InvalidParameter',
      'Invalid parameter: Protocol Reason: http subscriptions need a running broker to confirm them',
    );
    expect((await e.topics.listSubscriptionsByTopic(arn)).items).toEqual([]);
    await expectSluiceError(
      e.topics.subscribe(arn, { protocol: 'sqs', endpoint: 'not-an-arn' }),
      'InvalidParameter',
    );
    const fifo = `${queueName()}.fifo`;
    await e.createQueue(fifo, { FifoQueue: 'true' });
    await expectSluiceError(
      e.topics.subscribe(arn, { protocol: 'sqs', endpoint: e.queueArn(fifo) }),
      'InvalidParameter',
    );
    await expectSluiceError(
      e.topics.subscribe(arn, {
        protocol: 'sqs',
        endpoint: e.queueArn(queueName()),
        attributes: { FilterPolicy: '{"a": "not a list"}' },
      }),
      'InvalidParameter',
    );
  });
});

describe('fan-out to queues', () => {
  test('every queue gets the SNS envelope; raw delivery gets the message and its attributes', async () => {
    const e = deliveringEngine();
    const arn = await e.topics.createTopic(topicName());
    const enveloped = await subscribedQueue(e, arn);
    const raw = await subscribedQueue(e, arn, { RawMessageDelivery: 'true' });
    const { messageId } = await e.topics.publish(arn, {
      message: 'hello',
      subject: 'greeting',
      messageAttributes: {
        colour: { dataType: 'String', stringValue: 'blue' },
        sizes: { dataType: 'String.Array', stringValue: '["S","M"]' },
      },
    });
    const [notification] = await drain(e, enveloped.queue, 1);
    expect(JSON.parse(notification?.body ?? '{}')).toEqual({
      Type: 'Notification',
      MessageId: messageId,
      TopicArn: arn,
      Subject: 'greeting',
      Message: 'hello',
      Timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      SignatureVersion: '1',
      Signature: expect.stringMatching(/^[A-Za-z0-9+/]{342}==$/),
      SigningCertURL: expect.stringMatching(
        /^http:\/\/sluice\.test:9324\/SimpleNotificationService-[0-9a-f]{32}\.pem$/,
      ),
      UnsubscribeURL: `${PUBLIC_URL}/?Action=Unsubscribe&SubscriptionArn=${encodeURIComponent(enveloped.subscriptionArn)}`,
      MessageAttributes: {
        colour: { Type: 'String', Value: 'blue' },
        sizes: { Type: 'String.Array', Value: '["S","M"]' },
      },
    });
    const [plain] = await drain(e, raw.queue, 1);
    expect(plain?.body).toBe('hello');
    expect(plain?.messageAttributes).toEqual({
      colour: { dataType: 'String', stringValue: 'blue' },
      sizes: { dataType: 'String.Array', stringValue: '["S","M"]' },
    });
    expect(await e.topics.getTopicStats(arn)).toEqual({
      published: 1,
      'delivered:sqs': 2,
    });
  });

  test('filter policies on attributes and on the body; MessageStructure json', async () => {
    const e = deliveringEngine();
    const arn = await e.topics.createTopic(topicName());
    const blue = await subscribedQueue(e, arn, {
      RawMessageDelivery: 'true',
      FilterPolicy: JSON.stringify({ colour: ['blue'] }),
    });
    const big = await subscribedQueue(e, arn, {
      RawMessageDelivery: 'true',
      FilterPolicyScope: 'MessageBody',
      FilterPolicy: JSON.stringify({
        order: { total: [{ numeric: ['>', 100] }] },
      }),
    });
    await e.topics.publishBatch(arn, [
      {
        id: '1',
        message: JSON.stringify({ order: { total: 50 } }),
        messageAttributes: {
          colour: { dataType: 'String', stringValue: 'blue' },
        },
      },
      {
        id: '2',
        message: JSON.stringify({ order: { total: 500 } }),
        messageAttributes: {
          colour: { dataType: 'String', stringValue: 'red' },
        },
      },
    ]);
    expect((await drain(e, blue.queue, 1)).map((m) => m.body)).toEqual([
      JSON.stringify({ order: { total: 50 } }),
    ]);
    expect((await drain(e, big.queue, 1)).map((m) => m.body)).toEqual([
      JSON.stringify({ order: { total: 500 } }),
    ]);
    await e.topics.publish(arn, {
      messageStructure: 'json',
      message: JSON.stringify({ default: 'for all', sqs: 'for queues' }),
      messageAttributes: {
        colour: { dataType: 'String', stringValue: 'blue' },
      },
    });
    expect((await drain(e, blue.queue, 1)).map((m) => m.body)).toEqual([
      'for queues',
    ]);
    expect(await e.topics.getTopicStats(arn)).toMatchObject({
      published: 3,
      'delivered:sqs': 3,
      'filtered:sqs': 3,
    });
  });

  test('a publish to 100 queues lands in all of them', async () => {
    const e = deliveringEngine();
    const arn = await e.topics.createTopic(topicName());
    const queues = [];
    for (let i = 0; i < 100; i += 1) {
      queues.push(
        (await subscribedQueue(e, arn, { RawMessageDelivery: 'true' })).queue,
      );
    }
    await e.topics.publish(arn, { message: 'to all' });
    for (const queue of queues) {
      expect((await drain(e, queue, 1)).map((m) => m.body)).toEqual(['to all']);
    }
  });

  test('large messages published together reach the queue in batches within SQS limits', async () => {
    const prefix = `t-${randomUUID()}`;
    const publisher = fixture.engine({ prefix });
    const arn = await publisher.topics.createTopic(topicName());
    const { queue } = await subscribedQueue(publisher, arn, {
      RawMessageDelivery: 'true',
    });
    const bodies = Array.from({ length: 12 }, (_, i) =>
      `${i}`.padEnd(200_000, '.'),
    );
    for (const message of bodies) {
      await publisher.topics.publish(arn, { message });
    }
    // One worker, started after the publishes, reads them in one batch.
    const worker = deliveringEngine(30_000, prefix);
    const got = await drain(worker, queue, 12);
    expect(got.map((m) => m.body).sort()).toEqual([...bodies].sort());
  });

  test('a delivery to a deleted queue goes to the subscription dead-letter queue', async () => {
    const e = deliveringEngine();
    const arn = await e.topics.createTopic(topicName());
    const dlq = queueName();
    await e.createQueue(dlq);
    const { queue } = await subscribedQueue(e, arn, {
      RawMessageDelivery: 'true',
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: e.queueArn(dlq) }),
    });
    await e.deleteQueue(queue);
    await e.topics.publish(arn, { message: 'lost?' });
    expect((await drain(e, dlq, 1)).map((m) => m.body)).toEqual(['lost?']);
    expect(await e.topics.getTopicStats(arn)).toMatchObject({
      'failed:sqs': 1,
    });
  });

  test('a publish is kept until a worker runs, and a dead worker’s deliveries are taken over', async () => {
    const prefix = `t-${randomUUID()}`;
    const publisher = fixture.engine({ prefix });
    const name = topicName();
    const arn = await publisher.topics.createTopic(name);
    const { queue } = await subscribedQueue(publisher, arn, {
      RawMessageDelivery: 'true',
    });
    await publisher.topics.publish(arn, { message: 'waiting' });
    const late = deliveringEngine(200, prefix);
    expect((await drain(late, queue, 1)).map((m) => m.body)).toEqual([
      'waiting',
    ]);
    await late.topics.stopDelivery();
    // A worker that read a message and died before acknowledging it.
    const { log } = topicKeys(prefix, name);
    await publisher.topics.publish(arn, { message: 'orphaned' });
    await publisher.redis.xreadgroup(
      'GROUP',
      'fanout',
      'dead-worker',
      'COUNT',
      10,
      'STREAMS',
      log,
      '>',
    );
    const rescuer = deliveringEngine(200, prefix);
    expect((await drain(rescuer, queue, 1)).map((m) => m.body)).toEqual([
      'orphaned',
    ]);
  });
});
