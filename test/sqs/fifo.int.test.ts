import { createHash, randomUUID } from 'node:crypto';
import {
  PROTOCOLS,
  sqsError,
  useBroker,
  type SqsCall,
} from '../support/broker';
import { json, unavailable } from '../support/child-tools';

/**
 * FIFO queues over both wire protocols, through the official AWS SDKs: queue
 * attributes, the errors as SQS words them, sequence numbers, deduplication,
 * group order and locks, receive retries, dead-letter queues and move tasks,
 * purges; then one send and receive through boto3.
 */
const broker = useBroker();

const name = () => `f-${randomUUID().slice(0, 8)}`;
const arnOf = (queue: string) => `arn:aws:sqs:us-east-1:000000000000:${queue}`;

interface Received {
  MessageId: string;
  ReceiptHandle: string;
  Body: string;
  Attributes?: Record<string, string>;
}

const NOT_FOR_QUEUE_TYPE =
  'The request include parameter that is not valid for this queue type.';
const NO_DEDUPLICATION_ID =
  'The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly';
const NO_GROUP_ID = 'The request must contain the parameter MessageGroupId.';
const FIFO_DEFAULTS = {
  FifoQueue: 'true',
  ContentBasedDeduplication: 'false',
  DeduplicationScope: 'queue',
  FifoThroughputLimit: 'perQueue',
};

const bodies = (messages: readonly Received[]) => messages.map((m) => m.Body);

describe.each(PROTOCOLS)('%s', (_label, protocol) => {
  let sqs: SqsCall;
  beforeAll(() => {
    sqs = broker.client(protocol);
  });

  /** SDK v2 predates MessageSystemAttributeNames; SDK v3 has both. */
  const allSystemAttributes =
    protocol === 'json'
      ? { MessageSystemAttributeNames: ['All'] }
      : { AttributeNames: ['All'] };

  async function newQueue(
    attributes: Record<string, string> = {},
    type: 'fifo' | 'standard' = 'fifo',
  ) {
    const queue = type === 'fifo' ? `${name()}.fifo` : name();
    const { QueueUrl } = await sqs('CreateQueue', {
      QueueName: queue,
      Attributes:
        type === 'fifo' ? { FifoQueue: 'true', ...attributes } : attributes,
    });
    return { name: queue, url: QueueUrl as string, arn: arnOf(queue) };
  }

  async function receive(
    url: string,
    input: Record<string, unknown> = {},
  ): Promise<Received[]> {
    const { Messages } = await sqs('ReceiveMessage', {
      QueueUrl: url,
      MaxNumberOfMessages: 10,
      ...input,
    });
    return (Messages as Received[] | undefined) ?? [];
  }

  /** A FIFO send whose body doubles as its deduplication id. */
  async function send(
    url: string,
    body: string,
    group: string,
    input: Record<string, unknown> = {},
  ) {
    return (await sqs('SendMessage', {
      QueueUrl: url,
      MessageBody: body,
      MessageGroupId: group,
      MessageDeduplicationId: body,
      ...input,
    })) as { MessageId: string; SequenceNumber: string };
  }

  async function visibleCount(url: string): Promise<string | undefined> {
    const { Attributes } = await sqs('GetQueueAttributes', {
      QueueUrl: url,
      AttributeNames: ['ApproximateNumberOfMessages'],
    });
    return (Attributes as Record<string, string>).ApproximateNumberOfMessages;
  }

  /** A 400 with the code, and on JSON the same name from `__type`. */
  async function expectFailure(
    call: Promise<unknown>,
    code: string,
    message: string | RegExp,
  ) {
    expect(await sqsError(call)).toMatchObject({
      code,
      status: 400,
      message:
        typeof message === 'string' ? message : expect.stringMatching(message),
      ...(protocol === 'json' && { name: code }),
    });
  }

  test('FIFO attributes and their defaults, none on standard queues', async () => {
    const fifo = await newQueue();
    expect(fifo.url).toBe(`${broker.endpoint}/000000000000/${fifo.name}`);
    const { Attributes } = await sqs('GetQueueAttributes', {
      QueueUrl: fifo.url,
      AttributeNames: ['All'],
    });
    expect(Attributes).toMatchObject({
      ...FIFO_DEFAULTS,
      QueueArn: fifo.arn,
    });
    const standard = await newQueue({}, 'standard');
    const plain = await sqs('GetQueueAttributes', {
      QueueUrl: standard.url,
      AttributeNames: ['All'],
    });
    for (const attribute of Object.keys(FIFO_DEFAULTS)) {
      expect(plain.Attributes).not.toHaveProperty(attribute);
    }
    const tuned = await newQueue({
      ContentBasedDeduplication: 'true',
      DeduplicationScope: 'messageGroup',
      FifoThroughputLimit: 'perMessageGroupId',
    });
    expect(
      await sqs('GetQueueAttributes', {
        QueueUrl: tuned.url,
        AttributeNames: [
          'ContentBasedDeduplication',
          'DeduplicationScope',
          'FifoThroughputLimit',
        ],
      }),
    ).toEqual({
      Attributes: {
        ContentBasedDeduplication: 'true',
        DeduplicationScope: 'messageGroup',
        FifoThroughputLimit: 'perMessageGroupId',
      },
    });
  });

  test('queue attribute errors', async () => {
    const create = (queue: string, attributes: Record<string, string>) =>
      sqs('CreateQueue', { QueueName: queue, Attributes: attributes });
    await expectFailure(
      sqs('CreateQueue', { QueueName: `${name()}.fifo` }),
      'InvalidParameterValue',
      'Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length',
    );
    await expectFailure(
      create(name(), { FifoQueue: 'true' }),
      'InvalidParameterValue',
      'The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length.',
    );
    // Even "false": SQS knows FifoQueue only on FIFO queues.
    await expectFailure(
      create(name(), { FifoQueue: 'false' }),
      'InvalidAttributeName',
      'Unknown Attribute FifoQueue.',
    );
    await expectFailure(
      create(name(), { ContentBasedDeduplication: 'true' }),
      'InvalidAttributeName',
      'Unknown Attribute ContentBasedDeduplication.',
    );
    await expectFailure(
      create(name(), { DeduplicationScope: 'queue' }),
      'InvalidAttributeName',
      'You can specify the DeduplicationScope only when FifoQueue is set to true',
    );
    await expectFailure(
      create(name(), { FifoThroughputLimit: 'perQueue' }),
      'InvalidAttributeName',
      'You can specify the FifoThroughputLimit only when FifoQueue is set to true.',
    );
    const throughput =
      'Invalid value for the parameter FifoThroughputLimit. Reason: To set FifoThroughputLimit to perMessageGroupId, the DeduplicationScope must be messageGroup.';
    await expectFailure(
      create(`${name()}.fifo`, {
        FifoQueue: 'true',
        FifoThroughputLimit: 'perMessageGroupId',
      }),
      'InvalidAttributeValue',
      throughput,
    );

    const fifo = await newQueue();
    const set = (url: string, attributes: Record<string, string>) =>
      sqs('SetQueueAttributes', { QueueUrl: url, Attributes: attributes });
    await expectFailure(
      set(fifo.url, { FifoThroughputLimit: 'perMessageGroupId' }),
      'InvalidAttributeValue',
      throughput,
    );
    await expectFailure(
      set(fifo.url, { FifoQueue: 'false' }),
      'InvalidAttributeValue',
      'Invalid value for the parameter FifoQueue. Reason: Modifying queue type is not supported.',
    );
    await set(fifo.url, {
      DeduplicationScope: 'messageGroup',
      FifoThroughputLimit: 'perMessageGroupId',
    });

    const standard = await newQueue({}, 'standard');
    await expectFailure(
      set(standard.url, { ContentBasedDeduplication: 'false' }),
      'InvalidAttributeName',
      'Unknown Attribute ContentBasedDeduplication.',
    );
    const sameType =
      /Reason: Dead-letter queue must be same type of queue as the source\.\.$/;
    const redrive = (target: string) =>
      JSON.stringify({ deadLetterTargetArn: target, maxReceiveCount: 3 });
    await expectFailure(
      set(fifo.url, { RedrivePolicy: redrive(standard.arn) }),
      'InvalidParameterValue',
      sameType,
    );
    await expectFailure(
      set(standard.url, { RedrivePolicy: redrive(fifo.arn) }),
      'InvalidParameterValue',
      sameType,
    );
    await expectFailure(
      create(`${name()}.fifo`, {
        FifoQueue: 'true',
        RedrivePolicy: redrive(standard.arn),
      }),
      'InvalidParameterValue',
      sameType,
    );
  });

  test('send errors, and group ids on standard (fair) queues', async () => {
    const fifo = await newQueue();
    await expectFailure(
      sqs('SendMessage', {
        QueueUrl: fifo.url,
        MessageBody: 'x',
        MessageDeduplicationId: 'd',
      }),
      'MissingParameter',
      NO_GROUP_ID,
    );
    await expectFailure(
      sqs('SendMessageBatch', {
        QueueUrl: fifo.url,
        Entries: [
          {
            Id: 'ok',
            MessageBody: 'x',
            MessageGroupId: 'g',
            MessageDeduplicationId: 'd1',
          },
          { Id: 'nogroup', MessageBody: 'y', MessageDeduplicationId: 'd2' },
        ],
      }),
      'InvalidParameterValue',
      NO_GROUP_ID,
    );
    await expectFailure(
      sqs('SendMessage', {
        QueueUrl: fifo.url,
        MessageBody: 'x',
        MessageGroupId: 'g',
      }),
      'InvalidParameterValue',
      NO_DEDUPLICATION_ID,
    );
    await expectFailure(
      sqs('SendMessageBatch', {
        QueueUrl: fifo.url,
        Entries: [
          {
            Id: 'ok',
            MessageBody: 'x',
            MessageGroupId: 'g',
            MessageDeduplicationId: 'd1',
          },
          { Id: 'nodedup', MessageBody: 'y', MessageGroupId: 'g' },
        ],
      }),
      'InvalidParameterValue',
      NO_DEDUPLICATION_ID,
    );
    await expectFailure(
      send(fifo.url, 'delayed', 'g', { DelaySeconds: 5 }),
      'InvalidParameterValue',
      `Value 5 for parameter DelaySeconds is invalid. Reason: ${NOT_FOR_QUEUE_TYPE}`,
    );
    for (const group of ['with space', 'g'.repeat(129)]) {
      await expectFailure(
        send(fifo.url, 'x', group),
        'InvalidParameterValue',
        `Value ${group} for parameter MessageGroupId is invalid. Reason: MessageGroupId can only include alphanumeric and punctuation characters. 1 to 128 in length.`,
      );
    }
    expect(await visibleCount(fifo.url)).toBe('0');
    await send(fifo.url, 'undelayed', 'g', { DelaySeconds: 0 });
    await send(fifo.url, 'long-group', 'g'.repeat(128));
    expect(bodies(await receive(fifo.url))).toEqual([
      'undelayed',
      'long-group',
    ]);

    const standard = await newQueue({}, 'standard');
    await expectFailure(
      sqs('SendMessage', {
        QueueUrl: standard.url,
        MessageBody: 'x',
        MessageDeduplicationId: 'd',
      }),
      'InvalidParameterValue',
      `Value d for parameter MessageDeduplicationId is invalid. Reason: ${NOT_FOR_QUEUE_TYPE}`,
    );
    const sent = await sqs('SendMessage', {
      QueueUrl: standard.url,
      MessageBody: 'tenant message',
      MessageGroupId: 'tenant-1',
    });
    expect(sent).not.toHaveProperty('SequenceNumber');
    const [fair] = await receive(standard.url, allSystemAttributes);
    expect(fair).toMatchObject({
      MessageId: sent.MessageId,
      Body: 'tenant message',
    });
    expect(fair!.Attributes).toMatchObject({ MessageGroupId: 'tenant-1' });
    expect(fair!.Attributes).not.toHaveProperty('SequenceNumber');
    expect(fair!.Attributes).not.toHaveProperty('MessageDeduplicationId');
  });

  test('sequence numbers and deduplication', async () => {
    const { url } = await newQueue();
    const first = await send(url, 'one', 'g');
    const second = await send(url, 'two', 'h');
    expect(first.SequenceNumber).toMatch(/^\d{20}$/);
    expect(second.SequenceNumber).toMatch(/^\d{20}$/);
    expect(BigInt(second.SequenceNumber)).toBeGreaterThan(
      BigInt(first.SequenceNumber),
    );
    const batch = await sqs('SendMessageBatch', {
      QueueUrl: url,
      Entries: ['three', 'four', 'one', 'four'].map((body, i) => ({
        Id: `e${i}`,
        MessageBody: body,
        MessageGroupId: 'g',
        MessageDeduplicationId: body,
      })),
    });
    expect(batch.Failed ?? []).toEqual([]);
    const entries = Object.fromEntries(
      (
        batch.Successful as {
          Id: string;
          MessageId: string;
          SequenceNumber: string;
        }[]
      ).map((e) => [e.Id, e]),
    );
    expect(BigInt(entries.e0!.SequenceNumber)).toBeGreaterThan(
      BigInt(second.SequenceNumber),
    );
    expect(BigInt(entries.e1!.SequenceNumber)).toBeGreaterThan(
      BigInt(entries.e0!.SequenceNumber),
    );
    // A duplicate within the window, also within one batch: the first
    // send's id and sequence number, nothing enqueued.
    expect(entries.e2).toMatchObject({
      MessageId: first.MessageId,
      SequenceNumber: first.SequenceNumber,
    });
    expect(entries.e3).toMatchObject({
      MessageId: entries.e1!.MessageId,
      SequenceNumber: entries.e1!.SequenceNumber,
    });
    const again = await send(url, 'one', 'other-group');
    expect(again).toMatchObject({
      MessageId: first.MessageId,
      SequenceNumber: first.SequenceNumber,
    });
    expect(await visibleCount(url)).toBe('4');

    const content = await newQueue({ ContentBasedDeduplication: 'true' });
    const sendBody = (body: string, group = 'g') =>
      sqs('SendMessage', {
        QueueUrl: content.url,
        MessageBody: body,
        MessageGroupId: group,
      });
    const a = await sendBody('same body');
    expect(await sendBody('same body', 'h')).toMatchObject({
      MessageId: a.MessageId,
    });
    const b = await sendBody('other body');
    expect(b.MessageId).not.toBe(a.MessageId);
    // An explicit id wins over the body's hash.
    const c = await sqs('SendMessage', {
      QueueUrl: content.url,
      MessageBody: 'same body',
      MessageGroupId: 'g',
      MessageDeduplicationId: 'explicit',
    });
    expect(c.MessageId).not.toBe(a.MessageId);
    expect(await visibleCount(content.url)).toBe('3');
    const [delivered] = await receive(content.url, {
      ...allSystemAttributes,
      MaxNumberOfMessages: 1,
    });
    expect(delivered!.Attributes).toMatchObject({
      MessageGroupId: 'g',
      MessageDeduplicationId: createHash('sha256')
        .update('same body')
        .digest('hex'),
    });

    const perGroup = await newQueue({ DeduplicationScope: 'messageGroup' });
    const g1 = await send(perGroup.url, 'dup', 'g1');
    const g2 = await send(perGroup.url, 'dup', 'g2');
    expect(g2.MessageId).not.toBe(g1.MessageId);
    expect(await send(perGroup.url, 'dup', 'g1')).toMatchObject({
      MessageId: g1.MessageId,
      SequenceNumber: g1.SequenceNumber,
    });
    expect(await visibleCount(perGroup.url)).toBe('2');
  });

  test('group order, group locks and system attributes', async () => {
    const { url } = await newQueue();
    const sent = new Map<
      string,
      { MessageId: string; SequenceNumber: string }
    >();
    for (const [body, group] of [
      ['a1', 'A'],
      ['b1', 'B'],
      ['a2', 'A'],
      ['a3', 'A'],
      ['b2', 'B'],
    ] as const) {
      sent.set(body, await send(url, body, group));
    }
    const [head] = await receive(url, {
      ...allSystemAttributes,
      MaxNumberOfMessages: 1,
    });
    expect(head).toMatchObject({
      Body: 'a1',
      MessageId: sent.get('a1')!.MessageId,
    });
    expect(head!.Attributes).toMatchObject({
      MessageGroupId: 'A',
      MessageDeduplicationId: 'a1',
      SequenceNumber: sent.get('a1')!.SequenceNumber,
      ApproximateReceiveCount: '1',
      SentTimestamp: expect.stringMatching(/^\d{13}$/),
    });
    // Group A is locked while a1 is in flight; group B is not.
    const others = await receive(url, allSystemAttributes);
    expect(bodies(others)).toEqual(['b1', 'b2']);
    expect(others.map((m) => m.Attributes?.SequenceNumber)).toEqual([
      sent.get('b1')!.SequenceNumber,
      sent.get('b2')!.SequenceNumber,
    ]);
    expect(await receive(url)).toEqual([]);

    await sqs('DeleteMessage', {
      QueueUrl: url,
      ReceiptHandle: head!.ReceiptHandle,
    });
    const rest = await receive(url);
    expect(bodies(rest)).toEqual(['a2', 'a3']);

    // Group A stays locked until none of its messages is in flight.
    const [a2, a3] = rest;
    await sqs('ChangeMessageVisibility', {
      QueueUrl: url,
      ReceiptHandle: a2!.ReceiptHandle,
      VisibilityTimeout: 0,
    });
    expect(await receive(url)).toEqual([]);
    await sqs('ChangeMessageVisibility', {
      QueueUrl: url,
      ReceiptHandle: a3!.ReceiptHandle,
      VisibilityTimeout: 0,
    });
    const unlocked = await receive(url, {
      AttributeNames: ['ApproximateReceiveCount'],
    });
    expect(bodies(unlocked)).toEqual(['a2', 'a3']);
    expect(unlocked.map((m) => m.Attributes)).toEqual([
      { ApproximateReceiveCount: '2' },
      { ApproximateReceiveCount: '2' },
    ]);
  });

  test('a long poll wakes when its group unlocks', async () => {
    const { url } = await newQueue();
    for (const body of ['m1', 'm2']) {
      await send(url, body, 'g');
    }
    const [m1] = await receive(url, { MaxNumberOfMessages: 1 });
    const polled = Date.now();
    const poll = receive(url, { WaitTimeSeconds: 10 });
    await new Promise((resolve) => setTimeout(resolve, 200));
    await sqs('DeleteMessage', {
      QueueUrl: url,
      ReceiptHandle: m1!.ReceiptHandle,
    });
    const woken = await poll;
    expect(bodies(woken)).toEqual(['m2']);
    expect(Date.now() - polled).toBeLessThan(3_000);

    // A lock that ends with a visibility timeout wakes the poll at its end.
    await sqs('ChangeMessageVisibility', {
      QueueUrl: url,
      ReceiptHandle: woken[0]!.ReceiptHandle,
      VisibilityTimeout: 1,
    });
    const started = Date.now();
    const again = await receive(url, {
      WaitTimeSeconds: 10,
      AttributeNames: ['ApproximateReceiveCount'],
    });
    expect(again.map((m) => [m.Body, m.Attributes])).toEqual([
      ['m2', { ApproximateReceiveCount: '2' }],
    ]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(800);
    expect(Date.now() - started).toBeLessThan(4_000);
  });

  test('ReceiveRequestAttemptId: a retry gets the same messages until one is deleted', async () => {
    const { url } = await newQueue();
    for (const body of ['m1', 'm2', 'm3']) {
      await send(url, body, 'g');
    }
    const attempt = {
      ReceiveRequestAttemptId: `attempt-${randomUUID()}`,
      MaxNumberOfMessages: 2,
    };
    const first = await receive(url, attempt);
    expect(bodies(first)).toEqual(['m1', 'm2']);
    const retry = await receive(url, attempt);
    expect(retry.map((m) => [m.MessageId, m.ReceiptHandle])).toEqual(
      first.map((m) => [m.MessageId, m.ReceiptHandle]),
    );
    expect(await receive(url)).toEqual([]);
    await sqs('DeleteMessage', {
      QueueUrl: url,
      ReceiptHandle: first[0]!.ReceiptHandle,
    });
    await expectFailure(
      receive(url, attempt),
      'InvalidParameterValue',
      `Value ${attempt.ReceiveRequestAttemptId} for parameter ReceiveRequestAttemptId is invalid. Reason: The receiveRequestAttemptId is not valid anymore since the receive call is not retryable.`,
    );
  });

  test('dead-letter queue in group order, and a move task back', async () => {
    const dlq = await newQueue();
    const source = await newQueue({
      VisibilityTimeout: '0',
      RedrivePolicy: JSON.stringify({
        deadLetterTargetArn: dlq.arn,
        maxReceiveCount: 1,
      }),
    });
    const sent = new Map<string, string>();
    for (const [body, group] of [
      ['a1', 'A'],
      ['a2', 'A'],
      ['b1', 'B'],
      ['a3', 'A'],
      ['b2', 'B'],
    ] as const) {
      sent.set(body, (await send(source.url, body, group)).MessageId);
    }
    expect(
      bodies(await receive(source.url, { MaxNumberOfMessages: 1 })),
    ).toEqual(['a1']);
    // a1 was received maxReceiveCount times: it goes, the group goes on.
    const next = await receive(source.url, { VisibilityTimeout: 30 });
    expect(bodies(next).filter((b) => b.startsWith('a'))).toEqual(['a2', 'a3']);
    expect(bodies(next).filter((b) => b.startsWith('b'))).toEqual(['b1', 'b2']);
    const [dead] = await receive(dlq.url, {
      ...allSystemAttributes,
      VisibilityTimeout: 0,
    });
    // SQS gives a message in a FIFO dead-letter queue its id as its
    // deduplication id (SQS Developer Guide, dead-letter queue redrive).
    expect(dead).toMatchObject({ Body: 'a1', MessageId: sent.get('a1') });
    expect(dead!.Attributes).toMatchObject({
      MessageGroupId: 'A',
      MessageDeduplicationId: sent.get('a1'),
      DeadLetterQueueSourceArn: source.arn,
      SequenceNumber: expect.stringMatching(/^\d{20}$/),
    });

    // The rest follow, each group still in order.
    await sqs('ChangeMessageVisibilityBatch', {
      QueueUrl: source.url,
      Entries: next.map((m, i) => ({
        Id: `e${i}`,
        ReceiptHandle: m.ReceiptHandle,
        VisibilityTimeout: 0,
      })),
    });
    expect(await receive(source.url)).toEqual([]);
    const inDlq = await receive(dlq.url, { VisibilityTimeout: 0 });
    expect(bodies(inDlq).filter((b) => b.startsWith('a'))).toEqual([
      'a1',
      'a2',
      'a3',
    ]);
    expect(bodies(inDlq).filter((b) => b.startsWith('b'))).toEqual([
      'b1',
      'b2',
    ]);

    await sqs('StartMessageMoveTask', { SourceArn: dlq.arn });
    let status = 'RUNNING';
    const deadline = Date.now() + 5_000;
    while (status === 'RUNNING' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      const { Results } = await sqs('ListMessageMoveTasks', {
        SourceArn: dlq.arn,
      });
      status = (Results as { Status: string }[])[0]!.Status;
    }
    expect(status).toBe('COMPLETED');
    expect(await visibleCount(dlq.url)).toBe('0');
    const back = await receive(source.url, {
      ...allSystemAttributes,
      VisibilityTimeout: 30,
    });
    expect(bodies(back).filter((b) => b.startsWith('a'))).toEqual([
      'a1',
      'a2',
      'a3',
    ]);
    expect(bodies(back).filter((b) => b.startsWith('b'))).toEqual(['b1', 'b2']);
    for (const m of back) {
      expect(m.Attributes?.MessageGroupId).toBe(m.Body[0]!.toUpperCase());
    }
  });

  test('PurgeQueue empties a FIFO queue and keeps its deduplication window', async () => {
    const { url } = await newQueue();
    const before = await send(url, 'kept-id', 'g');
    await send(url, 'other', 'h');
    await sqs('PurgeQueue', { QueueUrl: url });
    expect(await visibleCount(url)).toBe('0');
    expect(await receive(url)).toEqual([]);
    expect(await send(url, 'kept-id', 'g')).toMatchObject({
      MessageId: before.MessageId,
      SequenceNumber: before.SequenceNumber,
    });
    expect(await receive(url)).toEqual([]);
    await send(url, 'fresh', 'g');
    expect(bodies(await receive(url))).toEqual(['fresh']);
  });
});

/** boto3 (JSON protocol with botocore >= 1.31) as a child process. */
const BOTO3_SCRIPT = `
import json, sys
import boto3

endpoint, name = sys.argv[1:3]
sqs = boto3.client('sqs', endpoint_url=endpoint, region_name='us-east-1')
url = sqs.create_queue(QueueName=name, Attributes={'FifoQueue': 'true'})['QueueUrl']
sent = [
    sqs.send_message(QueueUrl=url, MessageBody=body, MessageGroupId='g',
                     MessageDeduplicationId=body)
    for body in ('first', 'second', 'first')
]
received = sqs.receive_message(
    QueueUrl=url, MaxNumberOfMessages=10,
    AttributeNames=['All'],
).get('Messages', [])
for response in sent:
    response.pop('ResponseMetadata', None)
print(json.dumps({'sent': sent, 'received': received}))
`;

const noBoto3 = unavailable('python3', ['-c', 'import boto3']);
const boto3Test = noBoto3 ? test.skip : test;

describe(noBoto3 ? `boto3 (skipped: ${noBoto3})` : 'boto3', () => {
  boto3Test(
    'send_message with group and deduplication ids, receive with SequenceNumber',
    async () => {
      const out = await json<{
        sent: { MessageId: string; SequenceNumber: string }[];
        received: Received[];
      }>('python3', ['-c', BOTO3_SCRIPT, broker.endpoint, `${name()}.fifo`]);
      const [first, second, duplicate] = out.sent;
      expect(first!.SequenceNumber).toMatch(/^\d{20}$/);
      expect(duplicate).toEqual(first);
      expect(out.received.map((m) => [m.Body, m.MessageId])).toEqual([
        ['first', first!.MessageId],
        ['second', second!.MessageId],
      ]);
      expect(out.received.map((m) => m.Attributes)).toEqual([
        expect.objectContaining({
          MessageGroupId: 'g',
          MessageDeduplicationId: 'first',
          SequenceNumber: first!.SequenceNumber,
        }),
        expect.objectContaining({
          MessageGroupId: 'g',
          MessageDeduplicationId: 'second',
          SequenceNumber: second!.SequenceNumber,
        }),
      ]);
    },
    20_000,
  );
});
