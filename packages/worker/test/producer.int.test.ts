import { randomUUID } from 'node:crypto';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { GetQueueUrlCommand } from '@aws-sdk/client-sqs';
import { useBroker } from '../../../test/support/broker';
import { jsonCodec, stringCodec } from '../src/codec';
import { Producer, type SendResult } from '../src/producer';
import { SendError } from '../src/send-error';
import { openTransport, type TransportTarget } from '../src/target';
import {
  TransportError,
  type BatchOutcome,
  type SendRequest,
  type SentMessage,
  type Transport,
} from '../src/transport';

/**
 * One suite, every transport: the SQS API through the broker with the AWS
 * SDK and with the lean JSON client, and the engine straight on the
 * broker's Redis. Messages are read back with the engine.
 */
const broker = useBroker();

const KiB = 1024;
const FAST_RETRY = { attempts: 3, baseMs: 1, maxMs: 5 };

/** A real transport that counts calls and fails the ones a test asks for. */
class Recording implements Transport {
  readonly queue: string;
  /** entries per send call */
  readonly calls: number[] = [];
  /** thrown by the next send calls, one each, before the real call */
  readonly failCalls: TransportError[] = [];
  /** bodies withheld once and reported as failed by the server */
  readonly failBodies = new Set<string>();
  /** calls made, then answered with a lost connection */
  loseAnswers = 0;

  constructor(private readonly inner: Transport) {
    this.queue = inner.queue;
  }

  async send(
    entries: readonly SendRequest[],
  ): Promise<BatchOutcome<SentMessage>> {
    this.calls.push(entries.length);
    const failure = this.failCalls.shift();
    if (failure) {
      throw failure;
    }
    const withheld = entries.filter((e) => this.failBodies.delete(e.body));
    const outcome = await this.inner.send(
      entries.filter((e) => !withheld.includes(e)),
    );
    if (this.loseAnswers > 0) {
      this.loseAnswers -= 1;
      throw new TransportError('ECONNRESET', 'socket hang up', true);
    }
    return {
      successful: outcome.successful,
      failed: [
        ...outcome.failed,
        ...withheld.map((e) => ({
          id: e.id,
          code: 'InternalError',
          message: 'try again',
          senderFault: false,
        })),
      ],
    };
  }

  receive: Transport['receive'] = (request) => this.inner.receive(request);
  delete: Transport['delete'] = (entries) => this.inner.delete(entries);
  changeVisibility: Transport['changeVisibility'] = (entries) =>
    this.inner.changeVisibility(entries);
  close(): void {
    this.inner.close();
  }
}

function throttled(): TransportError {
  return new TransportError('ThrottlingException', 'slow down', true);
}

const TRANSPORTS = ['http', 'http-lean', 'redis'] as const;

describe.each(TRANSPORTS)('Producer over %s', (kind) => {
  let sqs: SQSClient;
  beforeAll(() => {
    sqs = broker.sqs();
  });

  /** How this transport reaches the queue, as a producer's options say it. */
  async function targetOf(name: string): Promise<TransportTarget> {
    if (kind === 'redis') {
      return { engine: broker.engine, queue: name };
    }
    const { QueueUrl } = await sqs.send(
      new GetQueueUrlCommand({ QueueName: name }),
    );
    return kind === 'http'
      ? { queueUrl: QueueUrl!, sqs }
      : { queueUrl: QueueUrl!, client: 'lean' };
  }

  async function createQueue(
    attributes: Record<string, string> = {},
    suffix = '',
  ): Promise<{ name: string; target: TransportTarget }> {
    const name = `t-${randomUUID()}${suffix}`;
    await broker.engine.createQueue(name, attributes);
    return { name, target: await targetOf(name) };
  }

  async function recording(
    attributes: Record<string, string> = {},
    suffix = '',
  ) {
    const { name, target } = await createQueue(attributes, suffix);
    return {
      name,
      transport: new Recording(openTransport(target).transport),
    };
  }

  /** Receives and deletes until `count` messages came or none is left. */
  async function drain(name: string, count: number) {
    const received = [];
    while (received.length < count) {
      const batch = await broker.engine.receiveMessages(name, {
        maxNumberOfMessages: 10,
        waitTimeSeconds: 0,
        attributeNames: ['All'],
        messageAttributeNames: ['All'],
      });
      if (batch.length === 0) {
        break;
      }
      received.push(...batch);
      await broker.engine.deleteMessageBatch(
        name,
        batch.map((m, i) => ({
          id: String(i),
          receiptHandle: m.receiptHandle,
        })),
      );
    }
    return received;
  }

  function messageIds(results: SendResult[]): string[] {
    return results.map((r) => (r.ok ? r.messageId : `failed ${r.code}`));
  }

  it('sends one message: JSON body and attributes arrive', async () => {
    const { name, target } = await createQueue();
    const producer = new Producer<{ order: number; items: string[] }>(target);
    const sent = await producer.send({
      body: { order: 7, items: ['a', 'b'] },
      messageAttributes: {
        kind: { dataType: 'String', stringValue: 'order' },
        weight: { dataType: 'Number', stringValue: '2.5' },
        raw: { dataType: 'Binary', binaryValue: Buffer.from([1, 2, 3]) },
      },
    });
    const bare = await producer.send({ order: 8, items: [] });
    producer.close();

    // A standard queue keeps no order: match the two by id.
    const received = await drain(name, 2);
    const first = received.find((m) => m.messageId === sent.messageId);
    const second = received.find((m) => m.messageId === bare.messageId);
    expect(jsonCodec().decode(first!.body)).toEqual({
      order: 7,
      items: ['a', 'b'],
    });
    expect(first!.messageAttributes).toEqual({
      kind: { dataType: 'String', stringValue: 'order' },
      weight: { dataType: 'Number', stringValue: '2.5' },
      raw: { dataType: 'Binary', binaryValue: Buffer.from([1, 2, 3]) },
    });
    expect(sent.sequenceNumber).toBeUndefined();
    expect(second!.body).toBe('{"order":8,"items":[]}');
  });

  it('sends text as it is with the string codec, and by default', async () => {
    const { name, target } = await createQueue();
    await new Producer({ ...target, codec: stringCodec }).send('not "JSON"');
    const [message] = await drain(name, 1);
    expect(message!.body).toBe('not "JSON"');
    await new Producer<string>(target).send('plain');
    const [plain] = await drain(name, 1);
    expect(plain!.body).toBe('plain');
  });

  it('sends 25 messages in 3 calls, results in order', async () => {
    const { name, transport } = await recording();
    const producer = new Producer<number>({ transport });
    const bodies = Array.from({ length: 25 }, (_, i) => i);
    const results = await producer.sendBatch(bodies);

    expect(transport.calls).toEqual([10, 10, 5]);
    expect(results.map((r) => r.ok && r.id)).toEqual(bodies.map(String));
    const received = await drain(name, 26);
    expect(received).toHaveLength(25);
    const byId = new Map(received.map((m) => [m.messageId, m.body]));
    expect(messageIds(results).map((id) => byId.get(id))).toEqual(
      bodies.map(String),
    );
  });

  it('gives back the ids given', async () => {
    const { target } = await createQueue();
    const producer = new Producer<string>(target);
    const results = await producer.sendBatch([
      { body: 'a', id: 'order-1' },
      'b',
    ]);
    expect(results.map((r) => r.id)).toEqual(['order-1', '1']);
  });

  it('cuts batches at 1 MiB: 4 messages of 300 KiB take 2 calls', async () => {
    const { name, transport } = await recording();
    const producer = new Producer({ transport, codec: stringCodec });
    const bodies = ['a', 'b', 'c', 'd'].map((c) => c.repeat(300 * KiB));
    const results = await producer.sendBatch(bodies);

    expect(transport.calls).toEqual([3, 1]);
    expect(results.every((r) => r.ok)).toBe(true);
    const received = await drain(name, 4);
    expect(received.map((m) => m.body[0]).sort()).toEqual(['a', 'b', 'c', 'd']);
  });

  it('fails a message over 1 MiB alone, without a call', async () => {
    const { name, transport } = await recording();
    const producer = new Producer({ transport, codec: stringCodec });
    const results = await producer.sendBatch([
      'small',
      'x'.repeat(1_048_577),
      'x'.repeat(1_048_576),
      {
        body: 'y'.repeat(1_048_570),
        messageAttributes: { n: { dataType: 'String', stringValue: 'v' } },
      },
    ]);

    expect(transport.calls).toEqual([1, 1]);
    expect(results.map((r) => r.ok)).toEqual([true, false, true, false]);
    expect(results[1]).toEqual({
      ok: false,
      id: '1',
      code: 'InvalidParameterValue',
      message:
        'One or more parameters are invalid. Reason: Message must be shorter than 1048576 bytes.',
      senderFault: true,
    });
    expect(await drain(name, 3)).toHaveLength(2);
  });

  it('fails a message with an invalid delay or id alone', async () => {
    const { name, transport } = await recording();
    const producer = new Producer({ transport, codec: stringCodec });
    const results = await producer.sendBatch([
      'a',
      { body: 'b', delaySeconds: 901 },
      { body: 'c', messageGroupId: 'no spaces' },
      'd',
    ]);
    expect(transport.calls).toEqual([2]);
    expect(results.map((r) => (r.ok ? 'ok' : r.code))).toEqual([
      'ok',
      'InvalidParameterValue',
      'InvalidParameterValue',
      'ok',
    ]);
    await expect(
      producer.send({ body: 'e', delaySeconds: -1 }),
    ).rejects.toMatchObject({
      name: 'SendError',
      code: 'InvalidParameterValue',
      senderFault: true,
    });
    expect(await drain(name, 3)).toHaveLength(2);
  });

  it('reports the server refusing one entry in its place', async () => {
    const { name, transport } = await recording();
    const producer = new Producer({ transport, codec: stringCodec });
    const results = await producer.sendBatch([
      'a',
      {
        body: 'b',
        messageAttributes: {
          'AWS.reserved': { dataType: 'String', stringValue: 'x' },
        },
      },
      'c',
    ]);
    expect(transport.calls).toEqual([3]);
    expect(results.map((r) => r.ok)).toEqual([true, false, true]);
    expect(results[1]).toMatchObject({
      id: '1',
      code: 'InvalidParameterValue',
      senderFault: true,
    });
    expect((await drain(name, 3)).map((m) => m.body).sort()).toEqual([
      'a',
      'c',
    ]);
  });

  describe('FIFO', () => {
    it('passes group and deduplication ids, keeping group order across calls', async () => {
      const { name, transport } = await recording(
        { FifoQueue: 'true' },
        '.fifo',
      );
      const producer = new Producer<{ group: string; n: number }>({
        transport,
      });
      const messages = Array.from({ length: 14 }, (_, n) => {
        const group = n % 3 === 0 ? 'a' : 'b';
        return {
          body: { group, n },
          messageGroupId: group,
          messageDeduplicationId: `d-${n}`,
        };
      });
      const results = await producer.sendBatch(messages);
      expect(transport.calls).toEqual([10, 4]);
      expect(results.every((r) => r.ok && r.sequenceNumber)).toBe(true);

      // the same deduplication id again, within the 5-minute window
      const again = await producer.send(messages[0]!);
      expect(again.messageId).toBe(messageIds(results)[0]);

      const received = await drain(name, 15);
      expect(received).toHaveLength(14);
      for (const group of ['a', 'b']) {
        const inGroup = received.filter(
          (m) => m.attributes.MessageGroupId === group,
        );
        const order = inGroup.map(
          (m) => (JSON.parse(m.body) as { n: number }).n,
        );
        expect(order).toEqual(
          messages.filter((m) => m.body.group === group).map((m) => m.body.n),
        );
        expect(inGroup.map((m) => m.attributes.MessageDeduplicationId)).toEqual(
          order.map((n) => `d-${n}`),
        );
      }
    });

    it('retries after a lost answer without duplicating: same deduplication ids', async () => {
      const { name, transport } = await recording(
        { FifoQueue: 'true', ContentBasedDeduplication: 'true' },
        '.fifo',
      );
      const producer = new Producer({
        transport,
        codec: stringCodec,
        retry: FAST_RETRY,
      });
      transport.loseAnswers = 1;
      const sent = await producer.sendBatch([
        { body: 'once', messageGroupId: 'g' },
        { body: 'twice', messageGroupId: 'g', messageDeduplicationId: 'd' },
      ]);
      expect(transport.calls).toEqual([2, 2]);
      expect(sent.every((r) => r.ok)).toBe(true);
      const received = await drain(name, 3);
      expect(received.map((m) => m.body)).toEqual(['once', 'twice']);
    });

    it('leaves a FIFO queue rule to the server: no group id', async () => {
      const { transport } = await recording({ FifoQueue: 'true' }, '.fifo');
      const producer = new Producer({ transport, retry: FAST_RETRY });
      const error = await producer.send('x').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SendError);
      expect(error).toMatchObject({ senderFault: true });
      expect(transport.calls).toEqual([1]);
    });
  });

  it('keeps a message invisible for its delay', async () => {
    const { name, target } = await createQueue();
    const producer = new Producer<string>(target);
    const sentAt = Date.now();
    await producer.send({ body: 'later', delaySeconds: 2 });
    expect(await drain(name, 1)).toHaveLength(0);
    let received: Awaited<ReturnType<typeof drain>> = [];
    while (received.length === 0 && Date.now() - sentAt < 5_000) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      received = await drain(name, 1);
    }
    expect(received).toHaveLength(1);
    expect(Date.now() - sentAt).toBeGreaterThanOrEqual(1_900);
  });

  describe('retries', () => {
    it('retries a throttled or failed call, then succeeds', async () => {
      const { name, transport } = await recording();
      const producer = new Producer({
        transport,
        codec: stringCodec,
        retry: FAST_RETRY,
      });
      transport.failCalls.push(
        throttled(),
        new TransportError('InternalError', 'oops', true),
      );
      const results = await producer.sendBatch(['a', 'b', 'c']);
      expect(transport.calls).toEqual([3, 3, 3]);
      expect(results.every((r) => r.ok)).toBe(true);
      expect(await drain(name, 4)).toHaveLength(3);
    });

    it('gives up after its attempts: not the sender’s fault', async () => {
      const { name, transport } = await recording();
      const producer = new Producer({
        transport,
        codec: stringCodec,
        retry: FAST_RETRY,
      });
      transport.failCalls.push(throttled(), throttled(), throttled());
      const results = await producer.sendBatch(['a', 'b']);
      expect(transport.calls).toEqual([2, 2, 2]);
      expect(results).toEqual(
        ['0', '1'].map((id) => ({
          ok: false,
          id,
          code: 'ThrottlingException',
          message: 'slow down',
          senderFault: false,
        })),
      );
      transport.failCalls.push(throttled(), throttled(), throttled());
      await expect(producer.send('c')).rejects.toMatchObject({
        code: 'ThrottlingException',
        senderFault: false,
      });
      expect(await drain(name, 1)).toHaveLength(0);
    });

    it('retries only the entries the server failed, before the next call', async () => {
      const { name, transport } = await recording();
      const producer = new Producer({
        transport,
        codec: stringCodec,
        retry: FAST_RETRY,
      });
      transport.failBodies.add('b');
      transport.failBodies.add('c');
      const bodies = Array.from({ length: 12 }, (_, i) =>
        String.fromCharCode(97 + i),
      );
      const results = await producer.sendBatch(bodies);
      expect(transport.calls).toEqual([10, 2, 2]);
      expect(results.every((r) => r.ok)).toBe(true);
      const received = await drain(name, 13);
      expect(received.map((m) => m.body).sort()).toEqual(bodies);
    });

    it('does not retry a call the server refuses', async () => {
      const { name, target } = await createQueue();
      await broker.engine.deleteQueue(name);
      const transport = new Recording(openTransport(target).transport);
      const producer = new Producer({ transport, retry: FAST_RETRY });
      const error = await producer.send('x').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SendError);
      expect(error).toMatchObject({
        code: expect.stringMatching(/QueueDoesNotExist|NonExistentQueue/),
        senderFault: true,
      });
      expect(transport.calls).toEqual([1]);
    });

    it('does not retry an injected non-retryable error', async () => {
      const { transport } = await recording();
      const producer = new Producer({ transport, retry: FAST_RETRY });
      transport.failCalls.push(
        new TransportError('AccessDenied', 'not yours', false),
      );
      await expect(producer.send('x')).rejects.toMatchObject({
        code: 'AccessDenied',
        message: 'not yours',
        senderFault: true,
      });
      expect(transport.calls).toEqual([1]);
    });
  });

  it('refuses options that make no sense', async () => {
    const { target } = await createQueue();
    const transport = openTransport(target).transport;
    expect(() => new Producer({ ...target, transport })).toThrow(
      'give exactly one of transport, queueUrl, or engine with queue',
    );
    expect(() => new Producer({ ...target, retry: { attempts: 0 } })).toThrow(
      RangeError,
    );
    expect(
      () => new Producer({ ...target, retry: { baseMs: 10, maxMs: 1 } }),
    ).toThrow(RangeError);
  });
});
