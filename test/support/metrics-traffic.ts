import { randomUUID } from 'node:crypto';
import type { QueueEngine } from '../../packages/core/src';

/**
 * Known traffic for metrics tests, on an engine with a fake clock:
 *
 * - `source` (maxReceiveCount 1, dead-letter queue `dlq`): 10 messages of 10
 *   bytes sent (2 of them delayed 60 s), 5 received and 3 of those deleted;
 *   31 s later a receive of 4 gets the 3 never received and moves the 2
 *   received before to `dlq`; one more receive comes back empty.
 *   SQS moves a message only after a receive that did not delete it, so a
 *   queue that moved 2 and deleted 3 has received at least 5.
 * - `fifo` (FIFO): 3 sends, one a duplicate of another (2 enqueued, 1
 *   deduplicated), in two groups; one message received, so one group is in
 *   flight.
 *
 * Afterwards, at `now`: source has 0 visible, 3 in flight, 2 delayed, its
 * oldest message 31 s old; dlq holds 2 visible; fifo 1 visible, 1 in flight.
 */
export const BODY = 'x'.repeat(10);
export const T0 = 1_800_000_000_000;

export interface Traffic {
  readonly source: string;
  readonly dlq: string;
  readonly fifo: string;
}

export const EXPECTED = {
  source: {
    sent: 10,
    bytesSent: 100,
    received: 8,
    deleted: 3,
    emptyReceives: 1,
    movedToDlq: 2,
    visible: 0,
    inFlight: 3,
    delayed: 2,
    ageSeconds: 31,
  },
  dlq: { visible: 2, inFlight: 0, delayed: 0 },
  fifo: {
    sent: 2,
    deduplicated: 1,
    received: 1,
    visible: 1,
    inFlight: 1,
    groupsInFlight: 1,
  },
} as const;

export async function runKnownTraffic(
  engine: QueueEngine,
  advance: (ms: number) => void,
): Promise<Traffic> {
  const id = randomUUID().slice(0, 8);
  const traffic = {
    source: `orders-${id}`,
    dlq: `orders-dlq-${id}`,
    fifo: `ledger-${id}.fifo`,
  };
  await engine.createQueue(traffic.dlq);
  await engine.createQueue(traffic.source, {
    RedrivePolicy: JSON.stringify({
      deadLetterTargetArn: engine.queueArn(traffic.dlq),
      maxReceiveCount: 1,
    }),
  });
  for (let i = 0; i < 10; i += 1) {
    await engine.sendMessage(traffic.source, {
      body: BODY,
      ...(i >= 8 && { delaySeconds: 60 }),
    });
  }
  const first = await engine.receiveMessages(traffic.source, {
    maxNumberOfMessages: 5,
    visibilityTimeout: 30,
  });
  expect(first).toHaveLength(5);
  for (const message of first.slice(0, 3)) {
    await engine.deleteMessage(traffic.source, message.receiptHandle);
  }
  advance(31_000);
  const second = await engine.receiveMessages(traffic.source, {
    maxNumberOfMessages: 4,
    visibilityTimeout: 30,
  });
  expect(second).toHaveLength(3);
  expect(await engine.receiveMessages(traffic.source)).toEqual([]);

  await engine.createQueue(traffic.fifo, { FifoQueue: 'true' });
  for (const [group, dedup] of [
    ['a', 'one'],
    ['a', 'one'],
    ['b', 'two'],
  ] as const) {
    await engine.sendMessage(traffic.fifo, {
      body: BODY,
      messageGroupId: group,
      messageDeduplicationId: dedup,
    });
  }
  expect(
    await engine.receiveMessages(traffic.fifo, { visibilityTimeout: 30 }),
  ).toHaveLength(1);
  return traffic;
}
