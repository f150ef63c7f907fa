import { createHash, randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { useEngine } from '../../../test/support/engine';
import type { QueueEngine, ReceivedMessage } from '../src';
import { queueKeys } from '../src/keys';

/**
 * Model-checked FIFO semantics on a hand-moved clock, over random
 * interleavings of sends (with duplicates), receives, deletes, visibility
 * changes and time: every accepted message is stored in exactly one place; a
 * duplicate within 5 minutes enqueues nothing and gets the first message's id
 * and sequence number; sequence numbers grow in send order; a receive takes
 * from each unlocked group its oldest messages in order (after parking the
 * group's dead letters), nothing from a locked group, and drains every
 * unlocked group when it returns fewer than asked for; only the newest
 * receipt of a message in flight deletes it or changes its visibility; the
 * dead-letter queue holds each group's dead letters in order.
 */
const fixture = useEngine();

const WINDOW_MS = 5 * 60_000;

interface Setup {
  readonly groups: number;
  readonly contentBased: boolean;
  readonly perGroupDeduplication: boolean;
  /** with a dead-letter queue */
  readonly maxReceives: number | undefined;
}

/** A send entry; no `dedup` means content-based where the queue allows it. */
interface Entry {
  readonly group: number;
  readonly body: number;
  readonly dedup: number | undefined;
}

type Op =
  | { kind: 'send'; entries: Entry[] }
  | { kind: 'receive'; max: number; visibility: number }
  | { kind: 'delete'; pick: number }
  | { kind: 'change'; pick: number; visibility: number }
  | { kind: 'advance'; ms: number };

const setup: fc.Arbitrary<Setup> = fc.record({
  groups: fc.integer({ min: 1, max: 4 }),
  contentBased: fc.boolean(),
  perGroupDeduplication: fc.boolean(),
  maxReceives: fc.option(fc.integer({ min: 2, max: 3 }), { nil: undefined }),
});

const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('send' as const),
      entries: fc.array(
        fc.record({
          group: fc.nat({ max: 3 }),
          body: fc.nat({ max: 5 }),
          dedup: fc.option(fc.nat({ max: 15 }), { nil: undefined }),
        }),
        { minLength: 1, maxLength: 10 },
      ),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('receive' as const),
      max: fc.integer({ min: 1, max: 10 }),
      visibility: fc.constantFrom(0, 1, 3, 30),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('delete' as const),
      pick: fc.nat(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('change' as const),
      pick: fc.nat(),
      visibility: fc.constantFrom(0, 2, 10),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('advance' as const),
      ms: fc.constantFrom(500, 1000, 3000, 31_000, WINDOW_MS),
    }),
  },
);

interface Tracked {
  readonly id: string;
  readonly group: string;
  readonly sequence: string;
  readonly body: string;
  readonly deduplicationId: string;
  where: 'source' | 'dlq' | 'deleted';
  visibleAt: number;
  receives: number;
  /** handles from receives, newest last */
  handles: string[];
}

interface World {
  readonly e: QueueEngine;
  readonly prefix: string;
  readonly source: string;
  readonly dlq: string;
  readonly setup: Setup;
  now: number;
  /** accepted messages in send order */
  readonly sent: Tracked[];
  readonly dedup: Map<string, { first: Tracked; until: number }>;
  readonly held: { message: Tracked; handle: string }[];
  /** per group, the ids the dead-letter queue received, in arrival order */
  readonly deadLetters: Map<string, string[]>;
}

function fifoName(): string {
  return `f-${randomUUID().slice(0, 8)}.fifo`;
}

function inFlight(w: World, m: Tracked): boolean {
  return m.where === 'source' && m.receives > 0 && m.visibleAt > w.now;
}

function isDead(w: World, m: Tracked): boolean {
  return w.setup.maxReceives !== undefined && m.receives >= w.setup.maxReceives;
}

function groupNames(w: World): string[] {
  return Array.from({ length: w.setup.groups }, (_, i) => `g${i}`);
}

/** A group's messages in the source queue, oldest first. */
function inSource(w: World, group: string): Tracked[] {
  return w.sent.filter((m) => m.where === 'source' && m.group === group);
}

const ids = (messages: readonly { id: string }[]) => messages.map((m) => m.id);

async function stored(w: World, queue: string) {
  const k = queueKeys(w.prefix, queue);
  const r = w.e.redis;
  const [messages, schedule, sent, outbox, order, members, groups] =
    await Promise.all([
      r.hkeys(k.messages),
      r.zrange(k.schedule, 0, -1),
      r.zrange(k.sent, 0, -1),
      r.hkeys(k.outbox),
      r.zrange(k.order, 0, -1),
      r.hkeys(k.members),
      r.zrange(k.groups, 0, -1),
    ]);
  // Equal scores sort by member, so `order` lists each group in send order.
  const ordered = order.map((member) => {
    const [group = '', sequence = '', id = ''] = member.split('\0');
    return { group, sequence, id };
  });
  return { messages, schedule, sent, outbox, ordered, members, groups };
}

async function send(w: World, entries: readonly Entry[]): Promise<void> {
  const bodies = entries.map((entry) => `body-${entry.body}`);
  const explicit = entries.map((entry) =>
    entry.dedup !== undefined || !w.setup.contentBased
      ? `d${entry.dedup ?? entry.body}`
      : undefined,
  );
  const result = await w.e.sendMessageBatch(
    w.source,
    entries.map((entry, i) => ({
      id: `e${i}`,
      body: bodies[i]!,
      messageGroupId: `g${entry.group % w.setup.groups}`,
      ...(explicit[i] !== undefined && {
        messageDeduplicationId: explicit[i],
      }),
    })),
  );
  expect(result.failed).toEqual([]);
  const results = new Map(result.successful.map((s) => [s.id, s]));
  for (const [i, entry] of entries.entries()) {
    const got = results.get(`e${i}`)!;
    const group = `g${entry.group % w.setup.groups}`;
    const deduplicationId =
      explicit[i] ??
      createHash('sha256').update(bodies[i]!, 'utf8').digest('hex');
    const key = w.setup.perGroupDeduplication
      ? `${group}\0${deduplicationId}`
      : deduplicationId;
    const known = w.dedup.get(key);
    if (known && known.until > w.now) {
      expect([got.messageId, got.sequenceNumber]).toEqual([
        known.first.id,
        known.first.sequence,
      ]);
      continue;
    }
    const last = w.sent.at(-1);
    expect(got.sequenceNumber).toMatch(/^\d{20}$/);
    if (last) {
      expect(BigInt(got.sequenceNumber!)).toBeGreaterThan(
        BigInt(last.sequence),
      );
    }
    const message: Tracked = {
      id: got.messageId,
      group,
      sequence: got.sequenceNumber!,
      body: bodies[i]!,
      deduplicationId,
      where: 'source',
      visibleAt: w.now,
      receives: 0,
      handles: [],
    };
    expect(w.sent.some((m) => m.id === message.id)).toBe(false);
    w.sent.push(message);
    w.dedup.set(key, { first: message, until: w.now + WINDOW_MS });
  }
}

/** What one group offers a receive, as the model sees it before it. */
interface GroupBefore {
  readonly locked: boolean;
  /** received maxReceiveCount times: the next receive parks them */
  readonly dead: Tracked[];
  readonly live: Tracked[];
}

function groupBefore(w: World, group: string): GroupBefore {
  const messages = inSource(w, group);
  // Receive counts never grow along a group, so the dead ones lead it.
  const deadCount = messages.findIndex((m) => !isDead(w, m));
  const split = deadCount === -1 ? messages.length : deadCount;
  return {
    locked: messages.some((m) => inFlight(w, m)),
    dead: messages.slice(0, split),
    live: messages.slice(split),
  };
}

function checkReceived(w: World, m: ReceivedMessage): Tracked {
  const t = w.sent.find((s) => s.id === m.messageId);
  expect(t?.where).toBe('source');
  expect(m.body).toBe(t!.body);
  expect(m.attributes).toMatchObject({
    MessageGroupId: t!.group,
    SequenceNumber: t!.sequence,
    MessageDeduplicationId: t!.deduplicationId,
    ApproximateReceiveCount: String(t!.receives + 1),
  });
  return t!;
}

async function receive(w: World, max: number, visibility: number) {
  const before = new Map(groupNames(w).map((g) => [g, groupBefore(w, g)]));
  const got = await w.e.receiveMessages(w.source, {
    maxNumberOfMessages: max,
    visibilityTimeout: visibility,
    attributeNames: ['All'],
  });
  expect(got.length).toBeLessThanOrEqual(max);
  expect(new Set(got.map((m) => m.messageId)).size).toBe(got.length);
  const taken = got.map((m) => checkReceived(w, m));
  const inDlq = new Set((await stored(w, w.dlq)).messages);
  for (const [group, offer] of before) {
    const returned = taken.filter((t) => t.group === group);
    const moved = [...offer.dead, ...offer.live].filter((t) => inDlq.has(t.id));
    if (offer.locked) {
      expect(ids(returned)).toEqual([]);
      expect(ids(moved)).toEqual([]);
      continue;
    }
    // A receive that visits a group parks all its dead letters, then takes
    // its oldest live messages, at least one if it has any.
    expect(ids(returned)).toEqual(ids(offer.live.slice(0, returned.length)));
    const visited =
      returned.length > 0 ||
      moved.length > 0 ||
      (got.length < max && offer.dead.length + offer.live.length > 0);
    expect(ids(moved)).toEqual(visited ? ids(offer.dead) : []);
    if (visited && offer.live.length > 0) {
      expect(returned.length).toBeGreaterThan(0);
    }
    if (got.length < max) {
      expect(ids(returned)).toEqual(ids(offer.live));
    }
    for (const t of moved) {
      t.where = 'dlq';
      w.deadLetters.set(group, [...(w.deadLetters.get(group) ?? []), t.id]);
    }
  }
  for (const [i, t] of taken.entries()) {
    const handle = got[i]!.receiptHandle;
    t.receives += 1;
    t.visibleAt = w.now + visibility * 1000;
    t.handles.push(handle);
    w.held.push({ message: t, handle });
  }
}

/**
 * A receipt: mostly one that is still the newest of a message in the queue,
 * else any ever handed out (deleted, dead-lettered or received again since).
 */
function pickHeld(w: World, pick: number) {
  const current = w.held.filter(
    (h) =>
      h.message.where === 'source' && h.message.handles.at(-1) === h.handle,
  );
  const from = pick % 4 === 0 || current.length === 0 ? w.held : current;
  return from[Math.floor(pick / 4) % Math.max(1, from.length)];
}

/**
 * Only the newest receipt of a message in flight deletes it; any other
 * deletes nothing (SQS even answers an error for a FIFO receipt whose
 * visibility has ended).
 */
async function remove(w: World, pick: number): Promise<void> {
  const h = pickHeld(w, pick);
  if (!h) {
    return;
  }
  const t = h.message;
  const deletes = inFlight(w, t) && t.handles.at(-1) === h.handle;
  const refused = await w.e.deleteMessage(w.source, h.handle).then(
    () => false,
    () => true,
  );
  expect(refused && deletes).toBe(false);
  if (deletes) {
    t.where = 'deleted';
  }
}

async function change(w: World, pick: number, visibility: number) {
  const h = pickHeld(w, pick);
  if (!h) {
    return;
  }
  const t = h.message;
  const allowed = inFlight(w, t) && t.handles.at(-1) === h.handle;
  let changed = true;
  try {
    await w.e.changeMessageVisibility(w.source, h.handle, visibility);
  } catch {
    changed = false;
  }
  expect(changed).toBe(allowed);
  if (changed) {
    t.visibleAt = w.now + visibility * 1000;
  }
}

/** Each message in exactly one place, each group's order as sent. */
async function checkStorage(w: World): Promise<void> {
  const source = await stored(w, w.source);
  const dlq = await stored(w, w.dlq);
  for (const s of [source, dlq]) {
    expect(s.outbox).toEqual([]);
    const held = new Set(s.messages);
    expect(new Set(s.schedule)).toEqual(held);
    expect(new Set(s.sent)).toEqual(held);
    expect(new Set(s.members)).toEqual(held);
    expect(new Set(s.ordered.map((o) => o.id))).toEqual(held);
    expect(new Set(s.groups)).toEqual(new Set(s.ordered.map((o) => o.group)));
  }
  const sourceIds = new Set(source.messages);
  const dlqIds = new Set(dlq.messages);
  for (const t of w.sent) {
    expect([t.where, sourceIds.has(t.id), dlqIds.has(t.id)]).toEqual([
      t.where,
      t.where === 'source',
      t.where === 'dlq',
    ]);
  }
  expect(sourceIds.size + dlqIds.size).toBe(
    w.sent.filter((t) => t.where !== 'deleted').length,
  );
  for (const group of groupNames(w)) {
    expect(
      source.ordered
        .filter((o) => o.group === group)
        .map((o) => `${o.id} ${o.sequence}`),
    ).toEqual(inSource(w, group).map((t) => `${t.id} ${t.sequence}`));
    expect(
      dlq.ordered.filter((o) => o.group === group).map((o) => o.id),
    ).toEqual(w.deadLetters.get(group) ?? []);
  }
}

/** Empties the dead-letter queue; returns each group's ids as received. */
async function drainDlq(w: World): Promise<Map<string, string[]>> {
  const received = new Map<string, string[]>();
  const expected = w.sent.filter((t) => t.where === 'dlq').length;
  // Each round deletes what it got, so more rounds than messages means the
  // queue hands some out again.
  for (let round = 0; round <= expected; round += 1) {
    const got = await w.e.receiveMessages(w.dlq, {
      maxNumberOfMessages: 10,
      visibilityTimeout: 30,
      attributeNames: ['All'],
    });
    if (got.length === 0) {
      return received;
    }
    for (const m of got) {
      const group = m.attributes.MessageGroupId ?? '';
      expect(m.attributes.DeadLetterQueueSourceArn).toBe(
        w.e.queueArn(w.source),
      );
      received.set(group, [...(received.get(group) ?? []), m.messageId]);
      await w.e.deleteMessage(w.dlq, m.receiptHandle);
    }
  }
  throw new Error('the dead-letter queue did not drain');
}

async function createQueues(w: World): Promise<void> {
  await w.e.createQueue(w.dlq, { FifoQueue: 'true' });
  await w.e.createQueue(w.source, {
    FifoQueue: 'true',
    VisibilityTimeout: '30',
    ...(w.setup.contentBased && { ContentBasedDeduplication: 'true' }),
    ...(w.setup.perGroupDeduplication && {
      DeduplicationScope: 'messageGroup',
      FifoThroughputLimit: 'perMessageGroupId',
    }),
    ...(w.setup.maxReceives !== undefined && {
      RedrivePolicy: JSON.stringify({
        deadLetterTargetArn: w.e.queueArn(w.dlq),
        maxReceiveCount: w.setup.maxReceives,
      }),
    }),
  });
}

test('FIFO queues keep groups in order, locked, deduplicated and stored once', async () => {
  await fc.assert(
    fc.asyncProperty(
      setup,
      fc.array(op, { minLength: 1, maxLength: 80, size: 'max' }),
      async (given, ops) => {
        const prefix = `t-${randomUUID()}`;
        const w: World = {
          e: fixture.engine({ prefix, clock: () => w.now }),
          prefix,
          source: fifoName(),
          dlq: fifoName(),
          setup: given,
          now: 1_000_000,
          sent: [],
          dedup: new Map(),
          held: [],
          deadLetters: new Map(),
        };
        await createQueues(w);
        for (const step of ops) {
          switch (step.kind) {
            case 'send':
              await send(w, step.entries);
              break;
            case 'receive':
              await receive(w, step.max, step.visibility);
              break;
            case 'delete':
              await remove(w, step.pick);
              break;
            case 'change':
              await change(w, step.pick, step.visibility);
              break;
            case 'advance':
              w.now += step.ms;
              break;
          }
          await checkStorage(w);
        }
        const received = await drainDlq(w);
        expect(received).toEqual(w.deadLetters);
      },
    ),
    // Shrinking a failure stops in time for jest to report it.
    {
      numRuns: 40,
      interruptAfterTimeLimit: 45_000,
      markInterruptAsFailure: true,
    },
  );
}, 60_000);
