import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { useEngine } from '../../../test/support/engine';
import { expectSluiceError } from '../../../test/support/errors';
import type { QueueEngine, ReceivedMessage, SentMessage } from '../src';
import { queueKeys } from '../src/keys';

/**
 * FIFO queues under many engines at once on the real clock: consumers that
 * fail, give messages back or sleep past their visibility never hold one
 * group at the same time and finish every group in send order; concurrent
 * duplicate sends store one message and answer every sender alike.
 */
const fixture = useEngine();

const GROUPS = 20;
const PER_GROUP = 15;
const CONSUMERS = 12;
const VISIBILITY_S = 1;

function fifoName(): string {
  return `f-${randomUUID().slice(0, 8)}.fifo`;
}

/**
 * Engines on one Redis and one prefix, each with its own connections, and how
 * many messages a queue of theirs stores.
 */
async function engines(count: number, clock?: () => number) {
  const prefix = `t-${randomUUID()}`;
  const all = Array.from({ length: count }, () =>
    fixture.engine({ prefix, ...(clock && { clock }) }),
  );
  await Promise.all(all.map((e) => e.redis.ping()));
  const first = all[0]!;
  return {
    first,
    all,
    stored: (queue: string) =>
      first.redis.hlen(queueKeys(prefix, queue).messages),
  };
}

interface Sent {
  readonly id: string;
  readonly group: string;
  readonly index: number;
}

/** One receive that returned messages. */
interface Delivery {
  readonly calledAt: number;
  readonly returnedAt: number;
  readonly messages: readonly { id: string; group: string; count: number }[];
  /**
   * Per message, the earliest time at which something its consumer did
   * (a delete, a visibility change) may have ended its visibility
   */
  readonly releasedFrom: Map<string, number>;
}

interface Deletion {
  readonly id: string;
  readonly count: number;
  readonly startedAt: number;
}

interface Log {
  readonly deliveries: Delivery[];
  readonly deletions: Deletion[];
}

const groupOf = (m: ReceivedMessage) => m.attributes.MessageGroupId ?? '';

/** A receive's messages by group, each group in the order received. */
function byGroup(messages: readonly ReceivedMessage[]): ReceivedMessage[][] {
  const groups = new Map<string, ReceivedMessage[]>();
  for (const m of messages) {
    groups.set(groupOf(m), [...(groups.get(groupOf(m)) ?? []), m]);
  }
  return [...groups.values()];
}

/** A failed handler: leave the rest to expire, or give it back now or soon. */
async function giveBack(
  e: QueueEngine,
  queue: string,
  rest: readonly ReceivedMessage[],
  delivery: Delivery,
): Promise<void> {
  const mode = Math.random();
  if (mode < 0.3) {
    return;
  }
  const timeout = mode < 0.8 ? 0 : 1;
  for (const m of rest) {
    delivery.releasedFrom.set(m.messageId, Date.now() + timeout * 1000);
    // Refused when its visibility has already ended: nothing to give back.
    await e
      .changeMessageVisibility(queue, m.receiptHandle, timeout)
      .catch(() => undefined);
  }
}

/** Handles one group's messages of a receive, in order, stopping at a failure. */
async function handleGroup(
  e: QueueEngine,
  queue: string,
  messages: readonly ReceivedMessage[],
  delivery: Delivery,
  log: Log,
): Promise<void> {
  for (const [i, m] of messages.entries()) {
    const fate = Math.random();
    if (fate < 0.07) {
      await giveBack(e, queue, messages.slice(i), delivery);
      return;
    }
    // Some handlers outlive the visibility timeout and delete too late.
    await sleep(fate < 0.13 ? 1100 + Math.random() * 400 : Math.random() * 8);
    const startedAt = Date.now();
    delivery.releasedFrom.set(m.messageId, startedAt);
    log.deletions.push({
      id: m.messageId,
      count: Number(m.attributes.ApproximateReceiveCount),
      startedAt,
    });
    // SQS refuses a FIFO receipt whose visibility has ended.
    await e.deleteMessage(queue, m.receiptHandle).catch(() => undefined);
  }
}

async function consume(
  e: QueueEngine,
  queue: string,
  log: Log,
  signal: AbortSignal,
): Promise<void> {
  while (!signal.aborted) {
    const calledAt = Date.now();
    const got = await e.receiveMessages(queue, {
      maxNumberOfMessages: 1 + Math.floor(Math.random() * 10),
      visibilityTimeout: VISIBILITY_S,
      waitTimeSeconds: 1,
      attributeNames: ['All'],
      signal,
    });
    if (got.length === 0) {
      continue;
    }
    const delivery: Delivery = {
      calledAt,
      returnedAt: Date.now(),
      messages: got.map((m) => ({
        id: m.messageId,
        group: groupOf(m),
        count: Number(m.attributes.ApproximateReceiveCount),
      })),
      releasedFrom: new Map(),
    };
    log.deliveries.push(delivery);
    for (const messages of byGroup(got)) {
      await handleGroup(e, queue, messages, delivery, log);
    }
  }
}

/** Sends every group's messages, groups interleaved, batch after batch. */
async function produce(e: QueueEngine, queue: string): Promise<Sent[]> {
  const plan: Sent[] = [];
  for (let index = 0; index < PER_GROUP; index += 1) {
    for (let g = 0; g < GROUPS; g += 1) {
      plan.push({ id: '', group: `g${g}`, index });
    }
  }
  const sent: Sent[] = [];
  let lastSequence = 0n;
  for (let start = 0; start < plan.length; start += 10) {
    const batch = plan.slice(start, start + 10);
    const result = await e.sendMessageBatch(
      queue,
      batch.map((p, i) => ({
        id: `e${i}`,
        body: `${p.group}-${p.index}`,
        messageGroupId: p.group,
        messageDeduplicationId: `${p.group}-${p.index}`,
      })),
    );
    expect(result.failed).toEqual([]);
    const ids = new Map(result.successful.map((s) => [s.id, s]));
    for (const [i, p] of batch.entries()) {
      const s = ids.get(`e${i}`)!;
      expect(BigInt(s.sequenceNumber!)).toBeGreaterThan(lastSequence);
      lastSequence = BigInt(s.sequenceNumber!);
      sent.push({ ...p, id: s.messageId });
    }
    await sleep(Math.random() * 20);
  }
  return sent;
}

/**
 * The receive count of each message's last delivery: only that receipt can
 * delete it, so the deletion carrying it is the one that took effect.
 */
function lastCounts(log: Log): Map<string, number> {
  const counts = new Map<string, number>();
  for (const d of log.deliveries) {
    for (const m of d.messages) {
      counts.set(m.id, Math.max(counts.get(m.id) ?? 0, m.count));
    }
  }
  return counts;
}

/** Each message delivered once per receive count and deleted by its last. */
function deliveryViolations(sent: readonly Sent[], log: Log): string[] {
  const violations: string[] = [];
  const seen = new Map<string, number>();
  for (const d of log.deliveries) {
    for (const m of d.messages) {
      const key = `${m.id}:${m.count}`;
      seen.set(key, (seen.get(key) ?? 0) + 1);
    }
  }
  for (const [key, times] of seen) {
    if (times > 1) {
      violations.push(`${key} delivered ${times} times with one count`);
    }
  }
  const last = lastCounts(log);
  for (const s of sent) {
    const count = last.get(s.id);
    const deleted = log.deletions.filter(
      (x) => x.id === s.id && x.count === count,
    );
    if (count === undefined || deleted.length !== 1) {
      violations.push(`${s.group}/${s.index} not deleted by its last receipt`);
    }
  }
  return violations;
}

/**
 * Per group, the deletions that took effect, in time, are in send order.
 * Consumers handle a group's messages of one receive in order and never
 * extend one message's visibility alone, so a consumer whose visibility ended
 * can delete none of them after a later receive took the group.
 */
function orderViolations(sent: readonly Sent[], log: Log): string[] {
  const last = lastCounts(log);
  const byId = new Map(sent.map((s) => [s.id, s]));
  const violations: string[] = [];
  for (let g = 0; g < GROUPS; g += 1) {
    const group = `g${g}`;
    const completed = log.deletions
      .filter((x) => byId.get(x.id)?.group === group)
      .filter((x) => last.get(x.id) === x.count)
      .sort((a, b) => a.startedAt - b.startedAt)
      .map((x) => byId.get(x.id)!.index);
    const expected = Array.from({ length: PER_GROUP }, (_, i) => i);
    if (completed.join() !== expected.join()) {
      violations.push(`${group} completed as ${completed.join()}`);
    }
  }
  return violations;
}

/**
 * Each receive takes a run of a group in send order, starting right after
 * the messages whose deletion had started before it returned.
 */
function headViolations(sent: readonly Sent[], log: Log): string[] {
  const last = lastCounts(log);
  const byId = new Map(sent.map((s) => [s.id, s]));
  const deletedAt = new Map(
    log.deletions
      .filter((x) => last.get(x.id) === x.count)
      .map((x) => [`${byId.get(x.id)!.group}/${byId.get(x.id)!.index}`, x]),
  );
  const violations: string[] = [];
  for (const d of log.deliveries) {
    const groups = new Map<string, number[]>();
    for (const m of d.messages) {
      groups.set(m.group, [
        ...(groups.get(m.group) ?? []),
        byId.get(m.id)!.index,
      ]);
    }
    for (const [group, indexes] of groups) {
      const first = indexes[0]!;
      if (indexes.some((index, i) => index !== first + i)) {
        violations.push(`${group} received as ${indexes.join()}`);
      }
      for (let before = 0; before < first; before += 1) {
        const deletion = deletedAt.get(`${group}/${before}`);
        if (!deletion || deletion.startedAt > d.returnedAt) {
          violations.push(
            `${group}/${first} received before ${before} was deleted`,
          );
        }
      }
    }
  }
  return violations;
}

/**
 * No group is held by two receives at once. A receive holds a group from
 * when it returned until the last of its messages of the group was deleted,
 * given back or turned visible; each end is taken at its earliest possible
 * moment (the visibility counted from the call, a deletion from its start),
 * so a window here lies within the engine's and two may not overlap.
 */
function lockViolations(log: Log): string[] {
  const windows = new Map<string, { from: number; to: number }[]>();
  for (const d of log.deliveries) {
    const deadline = d.calledAt + VISIBILITY_S * 1000;
    const ends = new Map<string, number>();
    for (const m of d.messages) {
      const end = Math.min(deadline, d.releasedFrom.get(m.id) ?? Infinity);
      ends.set(m.group, Math.max(ends.get(m.group) ?? -Infinity, end));
    }
    for (const [group, to] of ends) {
      windows.set(group, [
        ...(windows.get(group) ?? []),
        { from: d.returnedAt, to },
      ]);
    }
  }
  const violations: string[] = [];
  for (const [group, list] of windows) {
    list.sort((a, b) => a.from - b.from);
    let heldUntil = -Infinity;
    for (const w of list) {
      if (w.from < heldUntil) {
        violations.push(
          `${group} received at ${w.from}, held until ${heldUntil}`,
        );
      }
      heldUntil = Math.max(heldUntil, w.to);
    }
  }
  return violations;
}

test('consumers that fail, give back and time out never share a group and finish each in order', async () => {
  const { all, stored } = await engines(CONSUMERS + 1);
  const [producer, ...consumers] = all as [QueueEngine, ...QueueEngine[]];
  const queue = fifoName();
  await producer.createQueue(queue, {
    FifoQueue: 'true',
    VisibilityTimeout: String(VISIBILITY_S),
  });
  const log: Log = { deliveries: [], deletions: [] };
  const stop = new AbortController();
  // Every consumer's long poll listens to it.
  setMaxListeners(CONSUMERS, stop.signal);
  const running = consumers.map((e) => consume(e, queue, log, stop.signal));
  const sent = await produce(producer, queue).catch((error: unknown) => {
    stop.abort();
    throw error;
  });
  const deadline = Date.now() + 25_000;
  while ((await stored(queue)) > 0 && Date.now() < deadline) {
    await sleep(50);
  }
  stop.abort();
  await Promise.all(running);

  expect(await stored(queue)).toBe(0);
  expect(deliveryViolations(sent, log)).toEqual([]);
  expect(orderViolations(sent, log)).toEqual([]);
  expect(headViolations(sent, log)).toEqual([]);
  expect(lockViolations(log)).toEqual([]);
  // The run did what it is for: some messages came back after a failure.
  expect([...lastCounts(log).values()].some((count) => count > 1)).toBe(true);
}, 40_000);

test('a consumer whose visibility ended cannot delete a message of a group another holds', async () => {
  const clock = { now: 1_000_000 };
  const { all } = await engines(2, () => clock.now);
  const [late, next] = all as [QueueEngine, QueueEngine];
  const queue = fifoName();
  await late.createQueue(queue, { FifoQueue: 'true' });
  await late.sendMessageBatch(
    queue,
    ['m1', 'm2'].map((body) => ({
      id: body,
      body,
      messageGroupId: 'g',
      messageDeduplicationId: body,
    })),
  );
  const held = await late.receiveMessages(queue, {
    maxNumberOfMessages: 2,
    visibilityTimeout: 1,
  });
  expect(held.map((m) => m.body)).toEqual(['m1', 'm2']);
  clock.now += 1000;
  const [m1] = await next.receiveMessages(queue, { visibilityTimeout: 30 });
  expect(m1?.body).toBe('m1');
  await expectSluiceError(
    late.deleteMessage(queue, held[1]!.receiptHandle),
    'InvalidParameterValue',
    `Value ${held[1]!.receiptHandle} for parameter ReceiptHandle is invalid. Reason: The receipt handle has expired.`,
  );
  const batch = await late.deleteMessageBatch(queue, [
    { id: 'late', receiptHandle: held[1]!.receiptHandle },
  ]);
  expect(batch).toEqual({
    successful: [],
    failed: [
      expect.objectContaining({ id: 'late', code: 'InvalidParameterValue' }),
    ],
  });
  await next.deleteMessage(queue, m1!.receiptHandle);
  const rest = await next.receiveMessages(queue, { maxNumberOfMessages: 10 });
  expect(rest.map((m) => m.body)).toEqual(['m2']);
});

describe('concurrent duplicate sends', () => {
  function expectOneAnswer(results: readonly SentMessage[]) {
    expect(new Set(results.map((r) => r.messageId)).size).toBe(1);
    expect(new Set(results.map((r) => r.sequenceNumber)).size).toBe(1);
  }

  test('one deduplication id from 20 engines at once stores one message', async () => {
    const { first, all, stored } = await engines(20);
    const queue = fifoName();
    await first.createQueue(queue, { FifoQueue: 'true' });
    const results = await Promise.all(
      all.map((e, i) =>
        e.sendMessage(queue, {
          body: `sender-${i}`,
          messageGroupId: 'g',
          messageDeduplicationId: 'same',
        }),
      ),
    );
    expectOneAnswer(results);
    expect(await stored(queue)).toBe(1);
    const got = await first.receiveMessages(queue, {
      maxNumberOfMessages: 10,
    });
    expect(got.map((m) => m.messageId)).toEqual([results[0]!.messageId]);
    expect(all.map((_, i) => `sender-${i}`)).toContain(got[0]!.body);
  });

  test('one body from 20 engines at once, single and batched, stores one message', async () => {
    const { first, all, stored } = await engines(20);
    const queue = fifoName();
    await first.createQueue(queue, {
      FifoQueue: 'true',
      ContentBasedDeduplication: 'true',
    });
    const results = await Promise.all(
      all.map(async (e, i) => {
        if (i % 2 === 0) {
          return [
            await e.sendMessage(queue, { body: 'same', messageGroupId: 'g' }),
          ];
        }
        const batch = await e.sendMessageBatch(queue, [
          { id: 'a', body: 'same', messageGroupId: 'g' },
          { id: 'b', body: 'same', messageGroupId: 'g' },
        ]);
        expect(batch.failed).toEqual([]);
        return batch.successful;
      }),
    );
    expectOneAnswer(results.flat());
    expect(await stored(queue)).toBe(1);
  });

  test('with DeduplicationScope messageGroup, one message per group', async () => {
    const { first, all, stored } = await engines(20);
    const queue = fifoName();
    await first.createQueue(queue, {
      FifoQueue: 'true',
      DeduplicationScope: 'messageGroup',
    });
    const results = await Promise.all(
      all.map((e, i) =>
        e.sendMessage(queue, {
          body: `sender-${i}`,
          messageGroupId: `g${i % 4}`,
          messageDeduplicationId: 'same',
        }),
      ),
    );
    for (let g = 0; g < 4; g += 1) {
      expectOneAnswer(results.filter((_, i) => i % 4 === g));
    }
    expect(new Set(results.map((r) => r.messageId)).size).toBe(4);
    expect(await stored(queue)).toBe(4);
  });
});
