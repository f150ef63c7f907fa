import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { GetQueueUrlCommand } from '@aws-sdk/client-sqs';
import { useBroker } from '../../../test/support/broker';
import { jsonCodec, DecodeError } from '../src/codec';
import { Consumer, HandlerTimeoutError } from '../src/consumer';
import type {
  ConsumerHandler,
  ConsumerSettings,
  ConsumerSource,
} from '../src/consumer-options';
import type { Message, RawMessage } from '../src/message';
import { TransportError } from '../src/transport';

/**
 * One suite, every transport: the SQS API through the broker with the AWS
 * SDK and with the lean JSON client, and the engine straight on the
 * broker's Redis. Messages are sent, and queues inspected, with the
 * broker's engine.
 */
const broker = useBroker();

interface Queue {
  readonly name: string;
  readonly url: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(
  what: string,
  condition: () => boolean,
  timeoutMs = 10_000,
): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await sleep(10);
  }
}

let sqs: SQSClient;
beforeAll(() => {
  sqs = broker.sqs();
});

async function createQueue(
  attributes: Record<string, string> = {},
  suffix = '',
): Promise<Queue> {
  const name = `q-${randomUUID().slice(0, 8)}${suffix}`;
  await broker.engine.createQueue(name, attributes);
  const { QueueUrl } = await sqs.send(
    new GetQueueUrlCommand({ QueueName: name }),
  );
  return { name, url: QueueUrl! };
}

async function send(
  queue: Queue,
  bodies: readonly string[],
  groupOf?: (i: number) => string,
): Promise<void> {
  for (let i = 0; i < bodies.length; i += 10) {
    const result = await broker.engine.sendMessageBatch(
      queue.name,
      bodies.slice(i, i + 10).map((body, j) => ({
        id: String(j),
        body,
        ...(groupOf && {
          messageGroupId: groupOf(i + j),
          messageDeduplicationId: `${i + j}`,
        }),
      })),
    );
    expect(result.failed).toEqual([]);
  }
}

async function counts(queue: Queue) {
  const attributes = await broker.engine.getQueueAttributes(queue.name, [
    'ApproximateNumberOfMessages',
    'ApproximateNumberOfMessagesNotVisible',
  ]);
  return {
    visible: Number(attributes.ApproximateNumberOfMessages),
    invisible: Number(attributes.ApproximateNumberOfMessagesNotVisible),
  };
}

/** Receives straight from the engine, as a second consumer would. */
async function receiveDirect(queue: Queue, waitTimeSeconds = 0) {
  return broker.engine.receiveMessages(queue.name, {
    maxNumberOfMessages: 10,
    waitTimeSeconds,
    visibilityTimeout: 30,
  });
}

const TRANSPORTS = ['http', 'http-lean', 'redis'] as const;

describe.each(TRANSPORTS)('Consumer over %s', (kind) => {
  const started: Consumer<unknown>[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((c) => c.stop({ timeoutMs: 0 })));
  });

  function source(queue: Queue): ConsumerSource {
    switch (kind) {
      case 'http':
        return { queueUrl: queue.url, sqs };
      case 'http-lean':
        return { queueUrl: queue.url, client: 'lean' };
      case 'redis':
        return { engine: broker.engine, queue: queue.name };
    }
  }

  /** A consumer on the queue, started, stopped after the test. */
  function consume<T = string>(
    queue: Queue,
    options: ConsumerHandler<T> & ConsumerSettings<T>,
    start = true,
  ): Consumer<T> {
    const consumer = new Consumer<T>({
      ...source(queue),
      waitTimeSeconds: 1,
      ...options,
    });
    started.push(consumer as Consumer<unknown>);
    if (start) {
      consumer.start();
    }
    return consumer;
  }

  it('handles every message once, content intact', async () => {
    const queue = await createQueue();
    const bodies = Array.from(
      { length: 60 },
      (_, i) => `m-${i}-${'x'.repeat(i)}`,
    );
    await send(queue, bodies);
    const seen: string[] = [];
    const consumer = consume(queue, {
      concurrency: 8,
      handleMessage: (m) => {
        seen.push(m.body);
      },
    });
    await waitFor('every message', () => seen.length >= bodies.length);
    await sleep(200);
    await consumer.stop();
    expect(seen.sort()).toEqual([...bodies].sort());
    expect(await counts(queue)).toEqual({ visible: 0, invisible: 0 });
  });

  it('runs exactly `concurrency` handlers at once', async () => {
    const queue = await createQueue();
    await send(
      queue,
      Array.from({ length: 40 }, (_, i) => `${i}`),
    );
    let now = 0;
    let most = 0;
    let done = 0;
    consume(queue, {
      concurrency: 7,
      batchSize: 3,
      handleMessage: async () => {
        now += 1;
        most = Math.max(most, now);
        await sleep(30);
        now -= 1;
        done += 1;
      },
    });
    await waitFor('all handled', () => done === 40);
    expect(most).toBe(7);
  });

  it('batch handler: only what it returns is acknowledged', async () => {
    const queue = await createQueue();
    const bodies = Array.from({ length: 10 }, (_, i) =>
      i % 3 === 0 ? `bad-${i}` : `ok-${i}`,
    );
    await send(queue, bodies);
    const deliveries = new Map<string, number>();
    const failures: string[] = [];
    const consumer = consume(queue, {
      batchSize: 10,
      retryBackoff: () => 0,
      handleMessageBatch: (messages) => {
        for (const m of messages) {
          deliveries.set(m.body, (deliveries.get(m.body) ?? 0) + 1);
        }
        // A bad message succeeds on its second delivery.
        return messages.filter(
          (m) => m.body.startsWith('ok') || m.receiveCount > 1,
        );
      },
    });
    consumer.on('processing_error', (_, m) => failures.push(m.rawBody));
    await waitFor('retries', () =>
      bodies.every(
        (b) => (deliveries.get(b) ?? 0) >= (b.startsWith('bad') ? 2 : 1),
      ),
    );
    await sleep(300);
    await consumer.stop();
    for (const body of bodies) {
      expect([body, deliveries.get(body)]).toEqual([
        body,
        body.startsWith('bad') ? 2 : 1,
      ]);
    }
    expect(failures.sort()).toEqual(
      bodies.filter((b) => b.startsWith('bad')).sort(),
    );
    expect(await counts(queue)).toEqual({ visible: 0, invisible: 0 });
  });

  it('batch handler: returning nothing acknowledges all, throwing fails all', async () => {
    const queue = await createQueue();
    await send(queue, ['a', 'b', 'c']);
    let calls = 0;
    const failed: string[] = [];
    const consumer = consume(queue, {
      batchSize: 10,
      retryBackoff: () => 0,
      handleMessageBatch: (messages) => {
        calls += 1;
        if (messages.some((m) => m.receiveCount === 1)) {
          throw new Error('all of them');
        }
      },
    });
    consumer.on('processing_error', (_, m) => failed.push(m.rawBody));
    await waitFor('the three failed and came back', () => failed.length >= 3);
    await waitFor('acknowledged', () => calls >= 2);
    await sleep(200);
    await consumer.stop();
    expect(failed.sort()).toEqual(['a', 'b', 'c']);
    expect(await counts(queue)).toEqual({ visible: 0, invisible: 0 });
  });

  it('a failed message comes back after its back-off, then goes to the DLQ', async () => {
    const dlq = await createQueue();
    const queue = await createQueue({
      RedrivePolicy: JSON.stringify({
        deadLetterTargetArn: broker.engine.queueArn(dlq.name),
        maxReceiveCount: 2,
      }),
    });
    await send(queue, ['poison']);
    const attempts: { at: number; count: number }[] = [];
    const t0 = Date.now();
    consume(queue, {
      retryBackoff: { baseSeconds: 1, maxSeconds: 2, jitter: false },
      handleMessage: (m) => {
        attempts.push({ at: Date.now() - t0, count: m.receiveCount });
        throw new Error('always');
      },
    });
    const moved = await receiveDirect(dlq, 10);
    expect(moved.map((m) => m.body)).toEqual(['poison']);
    expect(attempts.map((a) => a.count)).toEqual([1, 2]);
    // The first failure hid it for 1 s, the second for 2 s.
    expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(900);
    expect(attempts[1]!.at - attempts[0]!.at).toBeLessThan(1900);
    expect(Date.now() - t0 - attempts[1]!.at).toBeGreaterThanOrEqual(1900);
  });

  it('heartbeat keeps a slow message hidden past its visibility timeout', async () => {
    const queue = await createQueue();
    await send(queue, ['slow']);
    let calls = 0;
    let finished = false;
    consume(queue, {
      visibilityTimeout: 2,
      heartbeatInterval: 1,
      handleMessage: async () => {
        calls += 1;
        await sleep(3500);
        finished = true;
      },
    });
    await waitFor('the handler', () => calls === 1);
    await sleep(2200);
    expect(await receiveDirect(queue, 1)).toEqual([]);
    await waitFor('the handler to finish', () => finished);
    await sleep(100);
    expect(calls).toBe(1);
    expect(await counts(queue)).toEqual({ visible: 0, invisible: 0 });
  });

  it('a held message that cannot start in time is given back', async () => {
    const queue = await createQueue();
    await send(queue, ['first', 'second']);
    const handled: string[] = [];
    const receivedAt = new Map<string, number>();
    const consumer = consume(queue, {
      visibilityTimeout: 2,
      concurrency: 1,
      batchSize: 2,
      prefetch: 1,
      handleMessage: async (m) => {
        handled.push(m.body);
        await sleep(2500);
      },
    });
    consumer.on('received', (m) => receivedAt.set(m.rawBody, Date.now()));
    await waitFor('both received', () => receivedAt.size === 2);
    const waiting = handled[0] === 'first' ? 'second' : 'first';
    const got = await receiveDirect(queue, 2);
    // Given back at 1.6 s (the 2 s timeout less a margin), not at 2 s.
    const heldFor = Date.now() - receivedAt.get(waiting)!;
    expect(heldFor).toBeGreaterThanOrEqual(1500);
    expect(heldFor).toBeLessThan(1950);
    expect(got.map((m) => m.body)).toEqual([waiting]);
    expect(handled).toHaveLength(1);
  });

  it('handleMessageTimeout: a timeout event, the signal aborts, the message fails', async () => {
    const queue = await createQueue();
    await send(queue, ['late']);
    const timeouts: [HandlerTimeoutError, RawMessage][] = [];
    let aborted = false;
    let processed = 0;
    const consumer = consume(queue, {
      handleMessageTimeout: 200,
      retryBackoff: () => 0,
      handleMessage: async (m, signal) => {
        if (m.receiveCount === 1) {
          await new Promise((resolve) =>
            signal.addEventListener('abort', resolve),
          );
          aborted = signal.aborted;
        }
      },
    });
    consumer.on('timeout', (error, m) => timeouts.push([error, m]));
    consumer.on('processed', () => (processed += 1));
    await waitFor('the retry', () => processed === 1);
    expect(aborted).toBe(true);
    expect(timeouts).toHaveLength(1);
    expect(timeouts[0]![0]).toBeInstanceOf(HandlerTimeoutError);
    expect(timeouts[0]![0].timeoutMs).toBe(200);
    expect(timeouts[0]![1].rawBody).toBe('late');
  });

  it('alwaysAcknowledge deletes failed messages', async () => {
    const queue = await createQueue();
    await send(queue, ['x', 'y']);
    const failed: string[] = [];
    const consumer = consume(queue, {
      alwaysAcknowledge: true,
      handleMessage: () => Promise.reject(new Error('no')),
    });
    consumer.on('processing_error', (_, m) => failed.push(m.rawBody));
    await waitFor('both failures', () => failed.length === 2);
    await consumer.stop();
    expect(await counts(queue)).toEqual({ visible: 0, invisible: 0 });
  });

  it('shouldDeleteMessages=false never deletes', async () => {
    const queue = await createQueue();
    await send(queue, ['keep']);
    let processed = 0;
    const consumer = consume(queue, {
      shouldDeleteMessages: false,
      visibilityTimeout: 30,
      handleMessage: () => undefined,
    });
    consumer.on('processed', () => (processed += 1));
    await waitFor('processed', () => processed === 1);
    await consumer.stop();
    expect(await counts(queue)).toEqual({ visible: 0, invisible: 1 });
  });

  it('stop: the running handler finishes, held messages are visible at once', async () => {
    const queue = await createQueue();
    await send(queue, ['1', '2', '3', '4', '5']);
    const handled: string[] = [];
    let finished = false;
    let stoppedEvent = false;
    const consumer = consume(queue, {
      concurrency: 1,
      batchSize: 5,
      visibilityTimeout: 30,
      handleMessage: async (m) => {
        handled.push(m.body);
        await sleep(500);
        finished = true;
      },
    });
    consumer.on('stopped', () => (stoppedEvent = true));
    await waitFor('a handler', () => handled.length === 1);
    await sleep(50);
    const stopping = consumer.stop();
    const again = consumer.stop();
    await stopping;
    expect(finished).toBe(true);
    expect(stoppedEvent).toBe(true);
    await again;
    expect(consumer.isRunning).toBe(false);
    const rest = await receiveDirect(queue);
    expect(rest.map((m) => m.body).sort()).toEqual(
      ['1', '2', '3', '4', '5'].filter((b) => b !== handled[0]),
    );
    expect(handled).toHaveLength(1);
  });

  it('stops when its AbortSignal aborts', async () => {
    const queue = await createQueue();
    const controller = new AbortController();
    const consumer = consume(queue, {
      signal: controller.signal,
      waitTimeSeconds: 20,
      handleMessage: () => undefined,
    });
    consumer.start();
    const stopped = new Promise<void>((resolve) =>
      consumer.once('stopped', resolve),
    );
    const t0 = Date.now();
    controller.abort();
    await stopped;
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(consumer.isRunning).toBe(false);
    consumer.start();
    expect(consumer.isRunning).toBe(false);
  });

  it('emits typed events; hooks see the same', async () => {
    const queue = await createQueue();
    await send(queue, ['{"n":1}', '{"n":2}']);
    const events: string[] = [];
    const hooked: string[] = [];
    let total = 0;
    const consumer = consume<{ n: number }>(
      queue,
      {
        codec: jsonCodec<{ n: number }>(),
        retryBackoff: () => 30,
        handleMessage: (m: Message<{ n: number }>) => {
          if (m.body.n === 2) {
            throw new Error('two');
          }
        },
        hooks: {
          onReceived: (m) => hooked.push(`received ${m.rawBody}`),
          onProcessed: (m, ms) => {
            expect(ms).toBeGreaterThanOrEqual(0);
            hooked.push(`processed ${m.body.n}`);
          },
          onFailed: (e) => hooked.push(`failed ${e.message}`),
          wrap: async (messages, run) => {
            hooked.push(`wrap ${messages.length}`);
            return run();
          },
        },
      },
      false,
    );
    consumer.on('started', () => events.push('started'));
    consumer.on('received', (m) =>
      events.push(`received ${m.id === '' ? '?' : m.rawBody}`),
    );
    consumer.on('processed', (m, ms) => {
      total += m.body.n;
      events.push(`processed ${m.body.n} ${typeof ms}`);
    });
    consumer.on('processing_error', (e, m) =>
      events.push(`processing_error ${e.message} ${m.receiveCount}`),
    );
    consumer.on('empty', () => events.push('empty'));
    consumer.on('stopped', () => events.push('stopped'));
    // @ts-expect-error: no such event
    consumer.on('message_received', () => undefined);
    consumer.start();
    await waitFor(
      'both handled',
      () =>
        events.some((e) => e.startsWith('processed')) &&
        events.some((e) => e.startsWith('processing_error')),
    );
    await waitFor('an empty receive', () => events.includes('empty'));
    await consumer.stop();
    expect(total).toBe(1);
    expect(events[0]).toBe('started');
    expect(events.at(-1)).toBe('stopped');
    expect(events).toEqual(
      expect.arrayContaining([
        'received {"n":1}',
        'received {"n":2}',
        'processed 1 number',
        'processing_error two 1',
      ]),
    );
    expect(hooked.sort()).toEqual([
      'failed two',
      'processed 1',
      'received {"n":1}',
      'received {"n":2}',
      'wrap 1',
      'wrap 1',
    ]);
  });

  it('a body that is not JSON is a processing_error and stays queued', async () => {
    const queue = await createQueue();
    await send(queue, ['{broken']);
    const errors: Error[] = [];
    let handled = 0;
    const consumer = consume(queue, {
      codec: jsonCodec(),
      retryBackoff: () => 30,
      handleMessage: () => {
        handled += 1;
      },
    });
    consumer.on('processing_error', (e) => errors.push(e));
    await waitFor('the decode error', () => errors.length === 1);
    await consumer.stop();
    expect(errors[0]).toBeInstanceOf(DecodeError);
    expect(handled).toBe(0);
    expect(await counts(queue)).toEqual({ visible: 0, invisible: 1 });
  });

  it('transport errors: error events with a growing pause, then recovery', async () => {
    const missing: Queue = {
      name: `q-${randomUUID().slice(0, 8)}`,
      url: '',
    };
    const errorTimes: number[] = [];
    const errors: Error[] = [];
    const handled: string[] = [];
    const consumer = consume(
      {
        ...missing,
        url: `${broker.endpoint}/000000000000/${missing.name}`,
      },
      {
        pollingBackoff: { baseMs: 40, maxMs: 320 },
        handleMessage: (m) => {
          handled.push(m.body);
        },
      },
    );
    const t0 = Date.now();
    consumer.on('error', (e, messages) => {
      expect(messages).toEqual([]);
      errors.push(e);
      errorTimes.push(Date.now() - t0);
    });
    await sleep(1200);
    // 40, 80, 160, 320, 320 ... ms (at least half each): a handful, not hundreds.
    expect(errors.length).toBeGreaterThanOrEqual(4);
    expect(errors.length).toBeLessThanOrEqual(12);
    expect(errors[0]).toBeInstanceOf(TransportError);
    expect((errors[0] as TransportError).code).toMatch(
      /QueueDoesNotExist|NonExistentQueue/,
    );
    expect((errors[0] as TransportError).retryable).toBe(false);
    const gaps = errorTimes.slice(1).map((t, i) => t - errorTimes[i]!);
    expect(gaps.at(-1)!).toBeGreaterThan(gaps[0]!);
    await broker.engine.createQueue(missing.name);
    await send({ ...missing }, ['finally']);
    await waitFor('recovery', () => handled.length === 1);
    expect(handled).toEqual(['finally']);
  });

  it('FIFO: each group in order, groups in parallel', async () => {
    const queue = await createQueue({ FifoQueue: 'true' }, '.fifo');
    const groups = ['a', 'b', 'c', 'd'];
    const bodies = Array.from(
      { length: 40 },
      (_, i) => `${groups[i % 4]}-${Math.floor(i / 4)}`,
    );
    await send(queue, bodies, (i) => groups[i % 4]!);
    const seen = new Map<string, number[]>();
    let now = 0;
    let most = 0;
    let done = 0;
    consume(queue, {
      concurrency: 4,
      batchSize: 10,
      handleMessage: async (m) => {
        now += 1;
        most = Math.max(most, now);
        const [group, n] = m.body.split('-');
        expect(m.groupId).toBe(group);
        seen.set(group!, [...(seen.get(group!) ?? []), Number(n)]);
        await sleep(Math.random() * 15);
        now -= 1;
        done += 1;
      },
    });
    await waitFor('all handled', () => done === 40);
    for (const group of groups) {
      expect(seen.get(group)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    }
    expect(most).toBeGreaterThan(1);
  });
});

describe('stopOnSignals', () => {
  it('SIGTERM lets the running handler finish, then the process ends', async () => {
    const queue = await createQueue();
    await send(queue, ['job']);
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(__dirname, 'support', 'sigterm-child.ts')],
      {
        cwd: join(__dirname, '..', '..', '..'),
        env: { ...process.env, QUEUE_URL: queue.url },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    const exited = new Promise<NodeJS.Signals | number | null>((resolve) =>
      child.on('exit', (code, signal) => resolve(signal ?? code)),
    );
    await waitFor(
      `the handler (${err})`,
      () => out.includes('started job'),
      20_000,
    );
    child.kill('SIGTERM');
    expect(await exited).toBe('SIGTERM');
    expect(out.trim().split('\n')).toEqual([
      'ready',
      'started job',
      'finished job',
      'stopped',
    ]);
    expect(await counts(queue)).toEqual({ visible: 0, invisible: 0 });
  });
});
