import { createHash, randomUUID } from 'node:crypto';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  SQSClient,
  type Message,
  type MessageAttributeValue,
} from '@aws-sdk/client-sqs';
import { Consumer, type ConsumerOptions } from 'sqs-consumer';
import { Producer, type Message as ProducerMessage } from 'sqs-producer';
import { useBroker } from '../support/broker';
import { json, run, unavailable } from '../support/child-tools';

/**
 * Third-party clients, used exactly as their READMEs show, against the broker:
 * sqs-producer and sqs-consumer (over the AWS SDK v3), the AWS CLI and boto3.
 */
const broker = useBroker();

const name = () => `cl-${randomUUID().slice(0, 8)}`;

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

interface Attribute {
  DataType: string;
  StringValue?: string;
  BinaryValue?: Uint8Array | string;
}

const md5 = (data: Buffer | string) =>
  createHash('md5').update(data).digest('hex');

/**
 * MD5OfMessageAttributes as SQS defines it, written out here rather than taken
 * from the broker so that it checks the broker. Binary values given as strings
 * are base64 (how the CLI and JSON print them).
 */
function md5OfAttributes(attributes: Record<string, Attribute>): string {
  const field = (bytes: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.length);
    return [length, bytes];
  };
  const parts = Object.keys(attributes)
    .sort()
    .flatMap((key) => {
      const { DataType, StringValue, BinaryValue } = attributes[key]!;
      const binary = DataType.startsWith('Binary');
      const value = binary
        ? typeof BinaryValue === 'string'
          ? Buffer.from(BinaryValue, 'base64')
          : Buffer.from(BinaryValue!)
        : Buffer.from(StringValue!, 'utf8');
      return [
        ...field(Buffer.from(key, 'utf8')),
        ...field(Buffer.from(DataType, 'utf8')),
        Buffer.from([binary ? 2 : 1]),
        ...field(value),
      ];
    });
  return md5(Buffer.concat(parts));
}

function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)),
      ms,
    );
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

describe('sqs-producer and sqs-consumer', () => {
  let sqs: SQSClient;
  beforeAll(() => {
    sqs = new SQSClient({
      endpoint: broker.endpoint,
      region: 'us-east-1',
      credentials,
    });
  });
  afterAll(() => {
    sqs.destroy();
  });

  async function newQueue(attributes?: Record<string, string>) {
    const { QueueUrl } = await sqs.send(
      new CreateQueueCommand({ QueueName: name(), Attributes: attributes }),
    );
    return QueueUrl!;
  }

  async function counts(queueUrl: string) {
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: queueUrl,
        AttributeNames: [
          'ApproximateNumberOfMessages',
          'ApproximateNumberOfMessagesNotVisible',
        ],
      }),
    );
    return Attributes;
  }

  const empty = {
    ApproximateNumberOfMessages: '0',
    ApproximateNumberOfMessagesNotVisible: '0',
  };

  interface Run {
    /** 'message_processed': handled and deleted */
    processed: Message[];
    /** 'processing_error': the handler threw */
    failed: Message[];
  }

  /**
   * Runs a consumer until `expected` messages were processed and deleted, then
   * stops it (aborting its long poll) and waits for 'stopped', also when the
   * run fails. An 'error' event (an SQS call that failed) fails the run.
   */
  async function consume(
    options: Omit<ConsumerOptions, 'sqs'>,
    expected: number,
  ): Promise<Run> {
    const consumer = Consumer.create({ waitTimeSeconds: 1, ...options, sqs });
    const run: Run = { processed: [], failed: [] };
    let stopping = false;
    const done = new Promise<void>((resolve, reject) => {
      consumer.on('message_processed', (message) => {
        run.processed.push(message);
        if (run.processed.length === expected) {
          resolve();
        }
      });
      consumer.on('processing_error', (_error, message) => {
        run.failed.push(message);
      });
      consumer.on('error', (error) => {
        if (!stopping) {
          reject(error);
        }
      });
    });
    consumer.start();
    try {
      await within(10_000, `${expected} processed messages`, done);
    } finally {
      stopping = true;
      const stopped = new Promise<void>((resolve) =>
        consumer.once('stopped', () => resolve()),
      );
      consumer.stop({ abort: true });
      await within(5_000, "the consumer's 'stopped' event", stopped);
    }
    return run;
  }

  const attributesOf = (i: number): Record<string, MessageAttributeValue> => ({
    Index: { DataType: 'Number', StringValue: String(i) },
    Colour: { DataType: 'String', StringValue: `red <&> \u00e9 ${i}` },
    Blob: { DataType: 'Binary', BinaryValue: Buffer.from([0, i, 255]) },
  });

  /** 25 messages, every third one with message attributes of each type. */
  async function produce(queueUrl: string): Promise<ProducerMessage[]> {
    const messages: ProducerMessage[] = Array.from({ length: 25 }, (_, i) => ({
      id: `m${i}`,
      body: `message ${i} \u4e2d\u{1F389}`,
      ...(i % 3 === 0 && { messageAttributes: attributesOf(i) }),
    }));
    const producer = Producer.create({ queueUrl, sqs });
    const sent = await producer.send(messages);
    expect(sent.map((s) => s.Id).sort()).toEqual(
      messages.map((m) => m.id).sort(),
    );
    expect(new Set(sent.map((s) => s.MessageId)).size).toBe(25);
    expect(await producer.queueSize()).toBe(25);
    return messages;
  }

  function expectAttributesKept(messages: Message[]) {
    for (const m of messages) {
      const i = Number(/^message (\d+)/.exec(m.Body!)![1]);
      if (i % 3 !== 0) {
        expect(m.MessageAttributes).toBeUndefined();
        continue;
      }
      const { Index, Colour, Blob } = m.MessageAttributes!;
      expect(Index).toMatchObject({ DataType: 'Number', StringValue: `${i}` });
      expect(Colour).toMatchObject(attributesOf(i).Colour!);
      expect(Buffer.from(Blob!.BinaryValue!)).toEqual(Buffer.from([0, i, 255]));
    }
  }

  test('handleMessage: 25 produced messages each processed once, deleted', async () => {
    const queueUrl = await newQueue();
    const messages = await produce(queueUrl);
    const handled: Message[] = [];
    const run = await consume(
      {
        queueUrl,
        batchSize: 10,
        attributeNames: ['All'],
        messageAttributeNames: ['All'],
        handleMessage: (message) => {
          handled.push(message);
          return Promise.resolve(message);
        },
      },
      messages.length,
    );
    expect(handled.map((m) => m.Body).sort()).toEqual(
      messages.map((m) => m.body).sort(),
    );
    expect(run.processed).toHaveLength(25);
    expect(run.failed).toEqual([]);
    expectAttributesKept(handled);
    expect(handled.map((m) => m.Attributes?.ApproximateReceiveCount)).toEqual(
      Array(25).fill('1'),
    );
    expect(await counts(queueUrl)).toEqual(empty);
  });

  test('handleMessageBatch: batches of up to 10, deleted in batches', async () => {
    const queueUrl = await newQueue();
    const messages = await produce(queueUrl);
    const batches: Message[][] = [];
    const run = await consume(
      {
        queueUrl,
        batchSize: 10,
        messageAttributeNames: ['All'],
        handleMessageBatch: (batch) => {
          batches.push(batch);
          return Promise.resolve(batch);
        },
      },
      messages.length,
    );
    const sizes = batches.map((b) => b.length);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(10);
    expect(Math.max(...sizes)).toBeGreaterThan(1);
    const handled = batches.flat();
    expect(handled.map((m) => m.Body).sort()).toEqual(
      messages.map((m) => m.body).sort(),
    );
    expect(run.processed).toHaveLength(25);
    expectAttributesKept(handled);
    expect(await counts(queueUrl)).toEqual(empty);
  });

  test('a handler that throws gets the message again after the visibility timeout', async () => {
    const queueUrl = await newQueue({ VisibilityTimeout: '1' });
    const producer = Producer.create({ queueUrl, sqs });
    await producer.send(['ok-1', 'poison', 'ok-2', 'ok-3']);
    const attempts: { body: string; at: number; receiveCount?: string }[] = [];
    const run = await consume(
      {
        queueUrl,
        batchSize: 10,
        messageSystemAttributeNames: ['ApproximateReceiveCount'],
        handleMessage: (message) => {
          const body = message.Body!;
          attempts.push({
            body,
            at: Date.now(),
            receiveCount: message.Attributes?.ApproximateReceiveCount,
          });
          if (
            body === 'poison' &&
            attempts.filter((a) => a.body === body).length === 1
          ) {
            return Promise.reject(new Error('first attempt fails'));
          }
          return Promise.resolve(message);
        },
      },
      4,
    );
    expect(run.failed.map((m) => m.Body)).toEqual(['poison']);
    const poison = attempts.filter((a) => a.body === 'poison');
    expect(poison.map((a) => a.receiveCount)).toEqual(['1', '2']);
    expect(poison[1]!.at - poison[0]!.at).toBeGreaterThanOrEqual(900);
    expect(
      attempts
        .filter((a) => a.body !== 'poison')
        .map((a) => a.body)
        .sort(),
    ).toEqual(['ok-1', 'ok-2', 'ok-3']);
    expect(run.processed.map((m) => m.Body).sort()).toEqual([
      'ok-1',
      'ok-2',
      'ok-3',
      'poison',
    ]);
    expect(await counts(queueUrl)).toEqual(empty);
  });
});

interface WireMessage {
  MessageId: string;
  ReceiptHandle: string;
  Body: string;
  MD5OfBody: string;
  MD5OfMessageAttributes?: string;
  Attributes?: Record<string, string>;
  MessageAttributes?: Record<string, Attribute>;
}

const noCli = unavailable('aws', ['--version']);
const cliTest = noCli ? test.skip : test;

describe(noCli ? `AWS CLI (skipped: ${noCli})` : 'AWS CLI', () => {
  const aws = <T>(...args: string[]) =>
    json<T>('aws', [
      '--endpoint-url',
      broker.endpoint,
      '--output',
      'json',
      'sqs',
      ...args,
    ]);

  cliTest(
    'create, send with attributes, receive, delete, queue attributes',
    async () => {
      const queue = name();
      const { QueueUrl } = await aws<{ QueueUrl: string }>(
        'create-queue',
        '--queue-name',
        queue,
        '--attributes',
        JSON.stringify({ VisibilityTimeout: '20' }),
      );
      expect(QueueUrl).toBe(`${broker.endpoint}/000000000000/${queue}`);

      const body = 'from the CLI: <b>&amp;</b> "quoted" \u00e9\u4e2d\u{1F389}';
      // CLI v1 sends a Binary value given as a string as its raw bytes.
      const attributes: Record<string, Attribute> = {
        Colour: { DataType: 'String', StringValue: 'blue & <green>' },
        Count: { DataType: 'Number', StringValue: '-1.5' },
        Raw: { DataType: 'Binary', BinaryValue: 'raw bytes' },
      };
      const sent = await aws<{
        MessageId: string;
        MD5OfMessageBody: string;
        MD5OfMessageAttributes: string;
      }>(
        'send-message',
        '--queue-url',
        QueueUrl,
        '--message-body',
        body,
        '--message-attributes',
        JSON.stringify(attributes),
      );
      const expectedAttributes = {
        ...attributes,
        Raw: {
          DataType: 'Binary',
          BinaryValue: Buffer.from('raw bytes').toString('base64'),
        },
      };
      expect(sent).toEqual({
        MessageId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        MD5OfMessageBody: md5(body),
        MD5OfMessageAttributes: md5OfAttributes(expectedAttributes),
      });

      const { Messages } = await aws<{ Messages: WireMessage[] }>(
        'receive-message',
        '--queue-url',
        QueueUrl,
        '--attribute-names',
        'All',
        '--message-attribute-names',
        'All',
        '--max-number-of-messages',
        '10',
      );
      expect(Messages).toHaveLength(1);
      const [m] = Messages;
      expect(m).toMatchObject({
        MessageId: sent.MessageId,
        Body: body,
        MD5OfBody: md5(body),
        MD5OfMessageAttributes: md5OfAttributes(expectedAttributes),
        MessageAttributes: expectedAttributes,
      });
      expect(m!.Attributes).toMatchObject({
        ApproximateReceiveCount: '1',
        SentTimestamp: expect.stringMatching(/^\d{13}$/),
        ApproximateFirstReceiveTimestamp: expect.stringMatching(/^\d{13}$/),
        SenderId: expect.any(String),
      });

      const deleted = await run('aws', [
        '--endpoint-url',
        broker.endpoint,
        'sqs',
        'delete-message',
        '--queue-url',
        QueueUrl,
        '--receipt-handle',
        m!.ReceiptHandle,
      ]);
      expect(deleted).toEqual({ code: 0, stdout: '', stderr: '' });

      const { Attributes } = await aws<{ Attributes: Record<string, string> }>(
        'get-queue-attributes',
        '--queue-url',
        QueueUrl,
        '--attribute-names',
        'All',
      );
      expect(Attributes).toMatchObject({
        QueueArn: `arn:aws:sqs:us-east-1:000000000000:${queue}`,
        VisibilityTimeout: '20',
        ApproximateNumberOfMessages: '0',
        ApproximateNumberOfMessagesNotVisible: '0',
      });
    },
    30_000,
  );

  cliTest(
    'a missing queue: non-zero exit and the SQS error code',
    async () => {
      const exit = await run('aws', [
        '--endpoint-url',
        broker.endpoint,
        'sqs',
        'get-queue-url',
        '--queue-name',
        name(),
      ]);
      expect(exit.code).not.toBe(0);
      expect(exit.stdout).toBe('');
      // botocore takes the code from x-amzn-query-error, as it does with AWS
      expect(exit.stderr).toContain(
        'An error occurred (AWS.SimpleQueueService.NonExistentQueue) when calling the GetQueueUrl operation',
      );
    },
    15_000,
  );
});

/** Sends, receives and deletes in batches; prints what it saw as JSON. */
const BOTO3_SCRIPT = `
import base64, json, sys
import boto3

endpoint, name = sys.argv[1:3]
sqs = boto3.client('sqs', endpoint_url=endpoint, region_name='us-east-1')
url = sqs.create_queue(QueueName=name)['QueueUrl']
entries = [
    {'Id': 'plain', 'MessageBody': 'boto3 plain \\u00e9'},
    {'Id': 'attrs', 'MessageBody': 'boto3 with attributes',
     'MessageAttributes': {
         'Kind': {'DataType': 'String', 'StringValue': 'batch \\u4e2d'},
         'Bytes': {'DataType': 'Binary', 'BinaryValue': bytes([0, 1, 254, 255])},
     }},
    {'Id': 'delayed', 'MessageBody': 'boto3 delayed 0', 'DelaySeconds': 0},
]
sent = sqs.send_message_batch(QueueUrl=url, Entries=entries)
received = []
for _ in range(5):
    if len(received) >= len(entries):
        break
    received += sqs.receive_message(
        QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1,
        AttributeNames=['All'], MessageAttributeNames=['All'],
    ).get('Messages', [])
deleted = sqs.delete_message_batch(QueueUrl=url, Entries=[
    {'Id': 'd%d' % i, 'ReceiptHandle': m['ReceiptHandle']}
    for i, m in enumerate(received)
])
after = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=[
    'ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible',
])
for response in (sent, deleted, after):
    response.pop('ResponseMetadata', None)
print(json.dumps(
    {'url': url, 'sent': sent, 'received': received, 'deleted': deleted,
     'after': after['Attributes']},
    default=lambda b: base64.b64encode(b).decode(),
))
`;

const noBoto3 = unavailable('python3', ['-c', 'import boto3']);
const boto3Test = noBoto3 ? test.skip : test;

describe(noBoto3 ? `boto3 (skipped: ${noBoto3})` : 'boto3', () => {
  boto3Test(
    'send_message_batch, receive_message, delete_message_batch',
    async () => {
      const queue = name();
      const out = await json<{
        url: string;
        sent: {
          Successful: {
            Id: string;
            MessageId: string;
            MD5OfMessageBody: string;
            MD5OfMessageAttributes?: string;
          }[];
          Failed?: unknown[];
        };
        received: WireMessage[];
        deleted: { Successful: { Id: string }[]; Failed?: unknown[] };
        after: Record<string, string>;
      }>('python3', ['-c', BOTO3_SCRIPT, broker.endpoint, queue]);

      expect(out.url).toBe(`${broker.endpoint}/000000000000/${queue}`);
      const attributes = {
        Kind: { DataType: 'String', StringValue: 'batch \u4e2d' },
        Bytes: {
          DataType: 'Binary',
          BinaryValue: Buffer.from([0, 1, 254, 255]).toString('base64'),
        },
      };
      const bodies: Record<string, string> = {
        plain: 'boto3 plain \u00e9',
        attrs: 'boto3 with attributes',
        delayed: 'boto3 delayed 0',
      };
      expect(out.sent.Failed ?? []).toEqual([]);
      expect(
        [...out.sent.Successful].sort((a, b) => a.Id.localeCompare(b.Id)),
      ).toEqual(
        ['attrs', 'delayed', 'plain'].map((id) => ({
          Id: id,
          MessageId: expect.stringMatching(/^[0-9a-f-]{36}$/),
          MD5OfMessageBody: md5(bodies[id]!),
          ...(id === 'attrs' && {
            MD5OfMessageAttributes: md5OfAttributes(attributes),
          }),
        })),
      );

      expect(out.received.map((m) => m.Body).sort()).toEqual(
        Object.values(bodies).sort(),
      );
      for (const m of out.received) {
        const sent = out.sent.Successful.find(
          (s) => s.MessageId === m.MessageId,
        );
        expect(m.MD5OfBody).toBe(md5(m.Body));
        expect(m.MD5OfBody).toBe(sent?.MD5OfMessageBody);
        expect(m.Attributes?.ApproximateReceiveCount).toBe('1');
        if (sent?.Id === 'attrs') {
          expect(m.MessageAttributes).toEqual(attributes);
          expect(m.MD5OfMessageAttributes).toBe(md5OfAttributes(attributes));
        } else {
          expect(m.MessageAttributes).toBeUndefined();
          expect(m.MD5OfMessageAttributes).toBeUndefined();
        }
      }

      expect(out.deleted.Failed ?? []).toEqual([]);
      expect(out.deleted.Successful.map((d) => d.Id).sort()).toEqual([
        'd0',
        'd1',
        'd2',
      ]);
      expect(out.after).toEqual({
        ApproximateNumberOfMessages: '0',
        ApproximateNumberOfMessagesNotVisible: '0',
      });
    },
    20_000,
  );
});
