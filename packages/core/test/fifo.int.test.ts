import { createHash, randomUUID } from 'node:crypto';
import { useEngine } from '../../../test/support/engine';
import { expectSluiceError } from '../../../test/support/errors';
import type { QueueEngine, ReceivedMessage } from '../src';

/**
 * FIFO rules that need a clock the test moves by hand or the engine's own
 * view: deduplication windows, delays, retention, visibility, purges,
 * dead-letter moves and move tasks. Wire shapes and errors are in
 * test/sqs/fifo.int.test.ts; concurrency and random interleavings in the
 * fifo-concurrency and fifo-invariant suites.
 */
const fixture = useEngine();

const MINUTE = 60_000;

function fifoName(): string {
  return `f-${randomUUID().slice(0, 8)}.fifo`;
}

async function fifoQueue(
  attributes: Record<string, string> = {},
  start = 1_000_000,
) {
  const clock = { now: start };
  const e = fixture.engine({ clock: () => clock.now });
  const q = fifoName();
  await e.createQueue(q, { FifoQueue: 'true', ...attributes });
  return { e, q, clock };
}

function send(
  e: QueueEngine,
  q: string,
  group: string,
  body: string,
  dedup: string | undefined = randomUUID(),
) {
  return e.sendMessage(q, {
    body,
    messageGroupId: group,
    ...(dedup !== undefined && { messageDeduplicationId: dedup }),
  });
}

async function receive(
  e: QueueEngine,
  q: string,
  options: { max?: number; visibility?: number; attemptId?: string } = {},
): Promise<ReceivedMessage[]> {
  return e.receiveMessages(q, {
    maxNumberOfMessages: options.max ?? 10,
    attributeNames: ['All'],
    ...(options.visibility !== undefined && {
      visibilityTimeout: options.visibility,
    }),
    ...(options.attemptId !== undefined && {
      receiveRequestAttemptId: options.attemptId,
    }),
  });
}

const bodies = (messages: readonly ReceivedMessage[]) =>
  messages.map((m) => m.body);

describe('deduplication', () => {
  test('a deduplication id holds for 5 minutes from the first send, deleted or not', async () => {
    const { e, q, clock } = await fifoQueue();
    const first = await send(e, q, 'g', 'one', 'd');
    clock.now += 4 * MINUTE;
    const again = await send(e, q, 'g', 'changed body', 'd');
    expect(again.messageId).toBe(first.messageId);
    expect(again.sequenceNumber).toBe(first.sequenceNumber);
    expect(again.md5OfMessageBody).toBe(
      createHash('md5').update('changed body').digest('hex'),
    );
    const [m] = await receive(e, q);
    expect(bodies(m ? [m] : [])).toEqual(['one']);
    await e.deleteMessage(q, m?.receiptHandle ?? '');
    clock.now += MINUTE - 1;
    expect((await send(e, q, 'g', 'x', 'd')).messageId).toBe(first.messageId);
    expect(await receive(e, q)).toEqual([]);
    clock.now += 1;
    const later = await send(e, q, 'g', 'two', 'd');
    expect(later.messageId).not.toBe(first.messageId);
    expect(BigInt(later.sequenceNumber ?? 0)).toBeGreaterThan(
      BigInt(first.sequenceNumber ?? 0),
    );
    expect(bodies(await receive(e, q))).toEqual(['two']);
    expect(await e.getQueueStats(q)).toMatchObject({ sent: 2 });
  });

  test('DeduplicationScope messageGroup keeps each group its own ids', async () => {
    const perGroup = await fifoQueue({ DeduplicationScope: 'messageGroup' });
    await send(perGroup.e, perGroup.q, 'a', 'a1', 'd');
    await send(perGroup.e, perGroup.q, 'b', 'b1', 'd');
    await send(perGroup.e, perGroup.q, 'a', 'a2', 'd');
    expect(bodies(await receive(perGroup.e, perGroup.q)).sort()).toEqual([
      'a1',
      'b1',
    ]);
    const perQueue = await fifoQueue();
    await send(perQueue.e, perQueue.q, 'a', 'a1', 'd');
    await send(perQueue.e, perQueue.q, 'b', 'b1', 'd');
    expect(bodies(await receive(perQueue.e, perQueue.q))).toEqual(['a1']);
  });

  test('content-based deduplication hashes the body alone; a given id wins', async () => {
    const { e, q } = await fifoQueue({ ContentBasedDeduplication: 'true' });
    const first = await e.sendMessage(q, { body: 'same', messageGroupId: 'g' });
    const withAttribute = await e.sendMessage(q, {
      body: 'same',
      messageGroupId: 'g',
      messageAttributes: { k: { dataType: 'String', stringValue: 'v' } },
    });
    expect(withAttribute.messageId).toBe(first.messageId);
    await send(e, q, 'g', 'same', 'explicit-1');
    const received = await receive(e, q);
    expect(bodies(received)).toEqual(['same', 'same']);
    expect(received.map((m) => m.attributes.MessageDeduplicationId)).toEqual([
      createHash('sha256').update('same').digest('hex'),
      'explicit-1',
    ]);
  });

  test('a batch deduplicates against itself', async () => {
    const { e, q } = await fifoQueue();
    const result = await e.sendMessageBatch(q, [
      { id: 'a', body: '1', messageGroupId: 'g', messageDeduplicationId: 'd' },
      { id: 'b', body: '2', messageGroupId: 'g', messageDeduplicationId: 'd' },
      { id: 'c', body: '3', messageGroupId: 'g', messageDeduplicationId: 'e' },
    ]);
    const [a, b, c] = result.successful;
    expect(b?.messageId).toBe(a?.messageId);
    expect(c?.messageId).not.toBe(a?.messageId);
    expect(bodies(await receive(e, q))).toEqual(['1', '3']);
  });
});

describe('delivery order and the group lock', () => {
  test('a queue delay holds a group behind its delayed head', async () => {
    const { e, q, clock } = await fifoQueue({ DelaySeconds: '10' });
    await send(e, q, 'a', 'a1');
    await e.setQueueAttributes(q, { DelaySeconds: '0' });
    await send(e, q, 'a', 'a2');
    await send(e, q, 'b', 'b1');
    expect(bodies(await receive(e, q))).toEqual(['b1']);
    clock.now += 10_000;
    expect(bodies(await receive(e, q))).toEqual(['a1', 'a2']);
  });

  test('an expired visibility returns the whole batch, in order, counted again', async () => {
    const { e, q, clock } = await fifoQueue();
    for (const body of ['a1', 'a2', 'a3']) {
      await send(e, q, 'a', body);
    }
    expect(bodies(await receive(e, q, { max: 2, visibility: 5 }))).toEqual([
      'a1',
      'a2',
    ]);
    expect(await receive(e, q)).toEqual([]);
    clock.now += 5_000;
    const again = await receive(e, q, { visibility: 5 });
    expect(bodies(again)).toEqual(['a1', 'a2', 'a3']);
    expect(again.map((m) => m.attributes.ApproximateReceiveCount)).toEqual([
      '2',
      '2',
      '1',
    ]);
  });

  test('the group stays locked until every message in flight is done', async () => {
    const { e, q, clock } = await fifoQueue();
    await send(e, q, 'a', 'a1');
    await send(e, q, 'a', 'a2');
    const [a1, a2] = await receive(e, q, { visibility: 30 });
    await e.changeMessageVisibility(q, a1?.receiptHandle ?? '', 0);
    expect(await receive(e, q)).toEqual([]);
    await e.changeMessageVisibility(q, a2?.receiptHandle ?? '', 60);
    clock.now += 31_000;
    expect(await receive(e, q)).toEqual([]);
    await e.changeMessageVisibilityBatch(q, [
      { id: '1', receiptHandle: a2?.receiptHandle ?? '', visibilityTimeout: 0 },
    ]);
    expect(bodies(await receive(e, q))).toEqual(['a1', 'a2']);
  });

  test('a retention expiry of the message in flight unlocks its group', async () => {
    const { e, q, clock } = await fifoQueue({ MessageRetentionPeriod: '60' });
    await send(e, q, 'a', 'a1');
    clock.now += 30_000;
    await send(e, q, 'a', 'a2');
    expect(bodies(await receive(e, q, { max: 1, visibility: 600 }))).toEqual([
      'a1',
    ]);
    clock.now += 30_001;
    expect(bodies(await receive(e, q))).toEqual(['a2']);
  });

  test('at the in-flight limit a FIFO receive is empty, not an error', async () => {
    const clock = { now: 1_000_000 };
    const e = fixture.engine({
      clock: () => clock.now,
      limits: { maxInFlight: 2 },
    });
    const q = fifoName();
    await e.createQueue(q, { FifoQueue: 'true' });
    for (const group of ['a', 'b', 'c']) {
      await send(e, q, group, group);
    }
    expect(await receive(e, q, { max: 2 })).toHaveLength(2);
    expect(await receive(e, q)).toEqual([]);
  });

  test('a purge empties the groups and keeps the deduplication window', async () => {
    const { e, q } = await fifoQueue();
    await send(e, q, 'a', 'a1', 'd1');
    await send(e, q, 'a', 'a2', 'd2');
    await receive(e, q, { max: 1 });
    await e.purgeQueue(q);
    await send(e, q, 'a', 'again', 'd1');
    await send(e, q, 'a', 'a3', 'd3');
    expect(bodies(await receive(e, q))).toEqual(['a3']);
  });
});

describe('ReceiveRequestAttemptId', () => {
  test('a retry within 5 minutes gets the same receipts and resets their visibility', async () => {
    const { e, q, clock } = await fifoQueue();
    await send(e, q, 'a', 'a1');
    await send(e, q, 'b', 'b1');
    const first = await receive(e, q, { visibility: 10, attemptId: 'try' });
    clock.now += 8_000;
    const retry = await receive(e, q, { visibility: 10, attemptId: 'try' });
    expect(retry.map((m) => m.receiptHandle)).toEqual(
      first.map((m) => m.receiptHandle),
    );
    clock.now += 8_000;
    expect(await receive(e, q)).toEqual([]);
    clock.now += 2_000;
    expect(bodies(await receive(e, q)).sort()).toEqual(['a1', 'b1']);
    await expectSluiceError(
      receive(e, q, { attemptId: 'try' }),
      'InvalidParameterValue',
      'Value try for parameter ReceiveRequestAttemptId is invalid. Reason: The receiveRequestAttemptId is not valid anymore since the receive call is not retryable.',
    );
  });

  test('a changed visibility ends the retry; after 5 minutes the id starts afresh', async () => {
    const { e, q, clock } = await fifoQueue();
    await send(e, q, 'a', 'a1');
    const [m] = await receive(e, q, { visibility: 600, attemptId: 'x' });
    await e.changeMessageVisibility(q, m?.receiptHandle ?? '', 700);
    await expectSluiceError(
      receive(e, q, { attemptId: 'x' }),
      'InvalidParameterValue',
    );
    clock.now += 5 * MINUTE + 1;
    await send(e, q, 'b', 'b1');
    expect(bodies(await receive(e, q, { attemptId: 'x' }))).toEqual(['b1']);
  });
});

describe('dead letters and move tasks', () => {
  async function withFifoDeadLetters(retentionSeconds = 345_600) {
    const { e, q, clock } = await fifoQueue();
    const dlq = fifoName();
    await e.createQueue(dlq, {
      FifoQueue: 'true',
      MessageRetentionPeriod: String(retentionSeconds),
    });
    await e.setQueueAttributes(q, {
      VisibilityTimeout: '0',
      RedrivePolicy: JSON.stringify({
        deadLetterTargetArn: e.queueArn(dlq),
        maxReceiveCount: 1,
      }),
    });
    return { e, q, dlq, clock };
  }

  test('dead letters keep their group order; the rest of the group goes on', async () => {
    const { e, q, dlq } = await withFifoDeadLetters();
    const sent = [];
    for (const body of ['a1', 'a2', 'a3']) {
      sent.push(await send(e, q, 'a', body));
    }
    expect(bodies(await receive(e, q, { max: 2 }))).toEqual(['a1', 'a2']);
    expect(bodies(await receive(e, q))).toEqual(['a3']);
    expect(await receive(e, q)).toEqual([]);
    const dead = await receive(e, dlq);
    expect(bodies(dead)).toEqual(['a1', 'a2', 'a3']);
    expect(dead[0]?.attributes).toMatchObject({
      MessageGroupId: 'a',
      MessageDeduplicationId: sent[0]?.messageId,
      DeadLetterQueueSourceArn: e.queueArn(q),
    });
    expect(await e.getQueueStats(q)).toMatchObject({ moved_to_dlq: 3 });
  });

  test('a dead-letter queue deleted meanwhile puts the message back at the head of its group', async () => {
    const { e, q, dlq } = await withFifoDeadLetters();
    await send(e, q, 'a', 'a1');
    await send(e, q, 'a', 'a2');
    expect(bodies(await receive(e, q, { max: 1 }))).toEqual(['a1']);
    await e.deleteQueue(dlq);
    // This receive parks a1 for the missing queue and may hand out a2 before
    // a1 comes back (a known gap in order, noted on the FIFO issue); nothing
    // is lost and a1 is first again afterwards.
    await receive(e, q, { max: 1 });
    const counts = await e.getQueueAttributes(q, [
      'ApproximateNumberOfMessages',
    ]);
    expect(counts.ApproximateNumberOfMessages).toBe('2');
    await e.setQueueAttributes(q, { RedrivePolicy: '' });
    const again = await receive(e, q);
    expect(bodies(again)).toEqual(['a1', 'a2']);
    expect(await e.getQueueStats(q)).not.toHaveProperty('moved_to_dlq');
  });

  test('a FIFO dead-letter queue starts the retention period anew', async () => {
    const { e, q, dlq, clock } = await withFifoDeadLetters(60);
    await send(e, q, 'a', 'old');
    clock.now += 50_000;
    await receive(e, q);
    await receive(e, q);
    clock.now += 30_000;
    expect(bodies(await receive(e, dlq))).toEqual(['old']);
  });

  test('a move task back to the source keeps each group in order', async () => {
    const e = fixture.engine();
    const q = fifoName();
    const dlq = fifoName();
    await e.createQueue(dlq, { FifoQueue: 'true' });
    await e.createQueue(q, {
      FifoQueue: 'true',
      VisibilityTimeout: '0',
      RedrivePolicy: JSON.stringify({
        deadLetterTargetArn: e.queueArn(dlq),
        maxReceiveCount: 1,
      }),
    });
    const expected: Record<string, string[]> = { a: [], b: [] };
    for (let i = 0; i < 12; i += 1) {
      const group = i % 3 === 0 ? 'b' : 'a';
      expected[group]?.push(`${group}${i}`);
      await send(e, q, group, `${group}${i}`);
    }
    while ((await receive(e, q)).length > 0) {
      // each message is received once, then dead-lettered by the next receive
    }
    await expectSluiceError(
      e.startMessageMoveTask({
        sourceArn: e.queueArn(dlq),
        destinationArn: e.queueArn(await standardQueue(e)),
      }),
      'InvalidParameterValue',
    );
    await e.setQueueAttributes(q, { VisibilityTimeout: '30' });
    await e.startMessageMoveTask({
      sourceArn: e.queueArn(dlq),
      destinationArn: e.queueArn(q),
      maxNumberOfMessagesPerSecond: 5,
    });
    const seen: Record<string, string[]> = { a: [], b: [] };
    for (
      let i = 0;
      i < 400 && (seen.a?.length ?? 0) + (seen.b?.length ?? 0) < 12;
      i += 1
    ) {
      for (const m of await receive(e, q)) {
        seen[m.attributes.MessageGroupId ?? '']?.push(m.body);
        await e.deleteMessage(q, m.receiptHandle);
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(seen).toEqual(expected);
  });

  async function standardQueue(e: QueueEngine): Promise<string> {
    const name = `s-${randomUUID().slice(0, 8)}`;
    await e.createQueue(name);
    return name;
  }
});
