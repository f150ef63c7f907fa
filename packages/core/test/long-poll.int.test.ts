import { randomUUID } from 'node:crypto';
import { queueName, useEngine } from '../../../test/support/engine';
import type { QueueEngine } from '../src';

const fixture = useEngine();

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs `receive` and reports how long it took to settle, in ms. */
async function timed<T>(
  receive: Promise<T>,
): Promise<{ value: T; ms: number }> {
  const started = Date.now();
  const value = await receive;
  return { value, ms: Date.now() - started };
}

/** Two engines on one queue, as two broker processes would be. */
async function twoEngines() {
  const prefix = `t-${randomUUID()}`;
  const waiter = fixture.engine({ prefix });
  const other = fixture.engine({ prefix });
  const q = queueName();
  await other.createQueue(q);
  return { waiter, other, q };
}

/** A long poll of `waiter` on `q`, with `meanwhile` run 200 ms into it. */
async function pollWhile(
  waiter: QueueEngine,
  q: string,
  meanwhile: () => Promise<unknown>,
) {
  const poll = timed(waiter.receiveMessages(q, { waitTimeSeconds: 15 }));
  await sleep(200);
  await meanwhile();
  const { value, ms } = await poll;
  return { bodies: value.map((m) => m.body), ms };
}

describe('long polling', () => {
  test('a waiting receive wakes on a send from another engine', async () => {
    const { waiter, other, q } = await twoEngines();
    const { bodies, ms } = await pollWhile(waiter, q, () =>
      other.sendMessage(q, { body: 'wake up' }),
    );
    expect(bodies).toEqual(['wake up']);
    expect(ms).toBeLessThan(5000);
  });

  test('returns empty at the deadline and counts one empty receive', async () => {
    const e = fixture.engine();
    const q = queueName();
    await e.createQueue(q);
    const { value, ms } = await timed(
      e.receiveMessages(q, { waitTimeSeconds: 1 }),
    );
    expect(value).toEqual([]);
    expect(ms).toBeGreaterThanOrEqual(990);
    expect(await e.getQueueStats(q)).toEqual({ empty_receives: 1 });
  });

  test('the queue ReceiveMessageWaitTimeSeconds applies when the call gives none', async () => {
    const e = fixture.engine();
    const q = queueName();
    await e.createQueue(q, { ReceiveMessageWaitTimeSeconds: '1' });
    const { ms } = await timed(e.receiveMessages(q));
    expect(ms).toBeGreaterThanOrEqual(990);
    const { ms: short } = await timed(
      e.receiveMessages(q, { waitTimeSeconds: 0 }),
    );
    expect(short).toBeLessThan(900);
  });

  test('wakes when a delayed message becomes visible', async () => {
    const e = fixture.engine();
    const q = queueName();
    await e.createQueue(q);
    await e.sendMessage(q, { body: 'delayed', delaySeconds: 1 });
    const { value, ms } = await timed(
      e.receiveMessages(q, { waitTimeSeconds: 10 }),
    );
    expect(value.map((m) => m.body)).toEqual(['delayed']);
    expect(ms).toBeGreaterThanOrEqual(900);
    expect(ms).toBeLessThan(5000);
  });

  test('wakes when an in-flight message times out', async () => {
    const e = fixture.engine();
    const q = queueName();
    await e.createQueue(q);
    await e.sendMessage(q, { body: 'retry me' });
    await e.receiveMessages(q, { visibilityTimeout: 1 });
    const { value, ms } = await timed(
      e.receiveMessages(q, { waitTimeSeconds: 10 }),
    );
    expect(value.map((m) => m.body)).toEqual(['retry me']);
    expect(ms).toBeLessThan(5000);
  });

  test('wakes when a delayed message sent during the wait turns visible', async () => {
    const { waiter, other, q } = await twoEngines();
    const { bodies, ms } = await pollWhile(waiter, q, () =>
      other.sendMessage(q, { body: 'in a second', delaySeconds: 1 }),
    );
    expect(bodies).toEqual(['in a second']);
    expect(ms).toBeGreaterThanOrEqual(1000);
    expect(ms).toBeLessThan(5000);
  });

  test.each([
    ['a visibility timeout set during the wait runs out', 1],
    ['another receiver resets a visibility to 0', 0],
  ])('wakes when %s', async (_what, timeout) => {
    const { waiter, other, q } = await twoEngines();
    await other.sendMessage(q, { body: 'lease' });
    const [m] = await other.receiveMessages(q, { visibilityTimeout: 600 });
    const { bodies, ms } = await pollWhile(waiter, q, () =>
      other.changeMessageVisibility(q, m!.receiptHandle, timeout),
    );
    expect(bodies).toEqual(['lease']);
    expect(ms).toBeGreaterThanOrEqual(timeout * 1000);
    expect(ms).toBeLessThan(5000);
  });

  test('many waiters: every message reaches exactly one of them', async () => {
    const e = fixture.engine();
    const q = queueName();
    await e.createQueue(q);
    const polls = Array.from({ length: 30 }, () =>
      e.receiveMessages(q, { waitTimeSeconds: 5 }),
    );
    await sleep(200);
    expect(e.waitingReceives).toBe(30);
    for (let i = 0; i < 3; i += 1) {
      await e.sendMessageBatch(
        q,
        Array.from({ length: 10 }, (_, j) => ({
          id: `m${j}`,
          body: `${i}-${j}`,
        })),
      );
    }
    const results = await Promise.all(polls);
    const bodies = results.flat().map((m) => m.body);
    expect(bodies).toHaveLength(30);
    expect(new Set(bodies).size).toBe(30);
    expect(e.waitingReceives).toBe(0);
  });

  test('an abort signal ends a poll at once, empty', async () => {
    const e = fixture.engine();
    const q = queueName();
    await e.createQueue(q);
    const controller = new AbortController();
    const poll = timed(
      e.receiveMessages(q, { waitTimeSeconds: 20, signal: controller.signal }),
    );
    await sleep(100);
    controller.abort();
    const { value, ms } = await poll;
    expect(value).toEqual([]);
    expect(ms).toBeLessThan(5000);
  });

  test('messages taken for a receive aborted meanwhile turn visible again', async () => {
    const e = fixture.engine();
    const q = queueName();
    await e.createQueue(q);
    await e.sendMessage(q, { body: 'for whoever listens' });
    const controller = new AbortController();
    const poll = e.receiveMessages(q, {
      waitTimeSeconds: 20,
      signal: controller.signal,
    });
    // The receive is on its way to Redis: it takes the message regardless.
    controller.abort();
    expect(await poll).toEqual([]);
    const attributes = await e.getQueueAttributes(q, [
      'ApproximateNumberOfMessagesNotVisible',
    ]);
    expect(attributes.ApproximateNumberOfMessagesNotVisible).toBe('0');
    const [again] = await e.receiveMessages(q, { waitTimeSeconds: 0 });
    expect(again?.body).toBe('for whoever listens');
  });

  test('closing the engine answers waiting polls empty', async () => {
    const e = fixture.engine();
    const q = queueName();
    await e.createQueue(q);
    const poll = timed(e.receiveMessages(q, { waitTimeSeconds: 20 }));
    await sleep(100);
    await e.close();
    const { value, ms } = await poll;
    expect(value).toEqual([]);
    expect(ms).toBeLessThan(5000);
  });
});
