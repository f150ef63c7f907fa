import fc from 'fast-check';
import { queueName, useEngine } from '../../../test/support/engine';
import type { QueueEngine, ReceivedMessage } from '../src';

/**
 * Model-checked invariant: at every moment each sent message is in exactly one
 * place (its queue, the dead-letter queue, or deleted), none lost and none
 * stored twice; receives return only messages the model says are visible and
 * leave none visible behind when they return fewer than asked for.
 */
const fixture = useEngine();

const MAX_RECEIVES = 2;

type Op =
  | { kind: 'send'; count: number; delay: number }
  | { kind: 'receive'; max: number; visibility: number }
  | { kind: 'delete'; pick: number }
  | { kind: 'change'; pick: number; visibility: number }
  | { kind: 'advance'; ms: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant('send' as const),
    count: fc.integer({ min: 1, max: 10 }),
    delay: fc.constantFrom(0, 0, 1, 5),
  }),
  fc.record({
    kind: fc.constant('receive' as const),
    max: fc.integer({ min: 1, max: 10 }),
    visibility: fc.constantFrom(0, 1, 3, 30),
  }),
  fc.record({ kind: fc.constant('delete' as const), pick: fc.nat() }),
  fc.record({
    kind: fc.constant('change' as const),
    pick: fc.nat(),
    visibility: fc.constantFrom(0, 2, 10),
  }),
  fc.record({
    kind: fc.constant('advance' as const),
    ms: fc.constantFrom(500, 1000, 3000, 31_000),
  }),
);

interface Tracked {
  where: 'source' | 'dlq' | 'deleted';
  visibleAt: number;
  receives: number;
  /** handles from receives, newest last */
  handles: string[];
}

async function storedIds(e: QueueEngine, queue: string) {
  const [key] = await e.redis.keys(`*{q:${queue}}:meta`);
  const base = key!.replace(/meta$/, '');
  const [messages, schedule, sent, outbox] = await Promise.all([
    e.redis.hkeys(`${base}messages`),
    e.redis.zrange(`${base}schedule`, 0, -1),
    e.redis.zrange(`${base}sent`, 0, -1),
    e.redis.hkeys(`${base}outbox`),
  ]);
  return { messages, schedule, sent, outbox };
}

test('every message is in exactly one place, visible only when due', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(op, { minLength: 20, maxLength: 60, size: 'max' }),
      async (ops) => {
        let now = 1_000_000;
        const e = fixture.engine({ clock: () => now });
        const source = queueName();
        const dlq = queueName();
        await e.createQueue(dlq);
        await e.createQueue(source, {
          VisibilityTimeout: '30',
          RedrivePolicy: JSON.stringify({
            deadLetterTargetArn: e.queueArn(dlq),
            maxReceiveCount: MAX_RECEIVES,
          }),
        });
        const model = new Map<string, Tracked>();
        const held: { id: string; handle: string }[] = [];

        for (const step of ops) {
          switch (step.kind) {
            case 'send': {
              const result = await e.sendMessageBatch(
                source,
                Array.from({ length: step.count }, (_, i) => ({
                  id: `e${i}`,
                  body: `m${model.size + i}`,
                  delaySeconds: step.delay,
                })),
              );
              for (const s of result.successful) {
                model.set(s.messageId, {
                  where: 'source',
                  visibleAt: now + step.delay * 1000,
                  receives: 0,
                  handles: [],
                });
              }
              break;
            }
            case 'receive': {
              const dueBefore = [...model].filter(
                ([, t]) => t.where === 'source' && t.visibleAt <= now,
              );
              const got: ReceivedMessage[] = await e.receiveMessages(source, {
                maxNumberOfMessages: step.max,
                visibilityTimeout: step.visibility,
                attributeNames: ['ApproximateReceiveCount'],
              });
              expect(new Set(got.map((m) => m.messageId)).size).toBe(
                got.length,
              );
              for (const m of got) {
                const t = model.get(m.messageId)!;
                expect(t.where).toBe('source');
                expect(t.visibleAt).toBeLessThanOrEqual(now);
                expect(t.receives).toBeLessThan(MAX_RECEIVES);
                t.receives += 1;
                expect(m.attributes.ApproximateReceiveCount).toBe(
                  String(t.receives),
                );
                t.visibleAt = now + step.visibility * 1000;
                t.handles.push(m.receiptHandle);
                held.push({ id: m.messageId, handle: m.receiptHandle });
              }
              const dlqIds = new Set((await storedIds(e, dlq)).messages);
              for (const [id, t] of dueBefore) {
                if (dlqIds.has(id) && t.where === 'source') {
                  // Moved by this receive: only after MAX_RECEIVES receives.
                  expect(t.receives).toBe(MAX_RECEIVES);
                  t.where = 'dlq';
                }
              }
              if (got.length < step.max) {
                const returned = new Set(got.map((m) => m.messageId));
                for (const [id, t] of dueBefore) {
                  if (t.where === 'source') {
                    expect(returned.has(id)).toBe(true);
                  }
                }
              }
              break;
            }
            case 'delete': {
              const h = held[step.pick % Math.max(1, held.length)];
              if (!h) {
                break;
              }
              await e.deleteMessage(source, h.handle);
              const t = model.get(h.id)!;
              if (t.where === 'source' && t.handles.at(-1) === h.handle) {
                t.where = 'deleted';
              }
              break;
            }
            case 'change': {
              const h = held[step.pick % Math.max(1, held.length)];
              if (!h) {
                break;
              }
              const t = model.get(h.id)!;
              const allowed =
                t.where === 'source' &&
                t.handles.at(-1) === h.handle &&
                t.visibleAt > now;
              try {
                await e.changeMessageVisibility(
                  source,
                  h.handle,
                  step.visibility,
                );
                expect(allowed).toBe(true);
                t.visibleAt = now + step.visibility * 1000;
              } catch {
                expect(allowed).toBe(false);
              }
              break;
            }
            case 'advance':
              now += step.ms;
              break;
          }

          const inSource = await storedIds(e, source);
          const inDlq = await storedIds(e, dlq);
          expect(inSource.outbox).toEqual([]);
          const sourceIds = new Set(inSource.messages);
          const dlqIds = new Set(inDlq.messages);
          expect(new Set(inSource.schedule)).toEqual(sourceIds);
          expect(new Set(inSource.sent)).toEqual(sourceIds);
          expect(new Set(inDlq.schedule)).toEqual(dlqIds);
          for (const [id, t] of model) {
            const places = Number(sourceIds.has(id)) + Number(dlqIds.has(id));
            if (t.where === 'deleted') {
              expect(places).toBe(0);
            } else {
              expect(places).toBe(1);
              expect(dlqIds.has(id)).toBe(t.where === 'dlq');
            }
          }
          expect(sourceIds.size + dlqIds.size).toBe(
            [...model.values()].filter((t) => t.where !== 'deleted').length,
          );
        }
      },
    ),
    { numRuns: 60 },
  );
}, 120_000);
