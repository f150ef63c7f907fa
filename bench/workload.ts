import { deadlineMs, withDeadline } from './deadline';

/** SQS caps a batch at ten entries; every system here moves ten at a time. */
export const BATCH_SIZE = 10;

/** 1 KiB of ASCII: valid in an SQS body and one byte per character. */
const BODY = 'x'.repeat(1024);
const BODIES: readonly string[] = Array.from(
  { length: BATCH_SIZE },
  () => BODY,
);

export function bodiesOf(count: number): readonly string[] {
  return BODIES.slice(0, count);
}

/** What the engine workload needs of a queue: batched send, receive, delete. */
export interface BatchQueue {
  send(bodies: readonly string[]): Promise<void>;
  /** up to `max` visible messages, hidden for 30 s; resolves with receipts */
  receive(max: number): Promise<string[]>;
  delete(receipts: readonly string[]): Promise<void>;
}

/**
 * One batch of a workload: `offset` counts the messages before it, `loop` is
 * the index of the client loop that runs it.
 */
export type BatchStep = (
  size: number,
  offset: number,
  loop: number,
) => Promise<number>;

/**
 * Runs `concurrency` async loops that share `total` messages in batches of
 * ten, the way independent SQS clients share a queue. Resolves with the sum of
 * what the steps report, so a short receive shows in the result.
 */
export async function runBatches(
  total: number,
  concurrency: number,
  step: BatchStep,
): Promise<number> {
  let claimed = 0;
  let done = 0;
  const loop = async (_: unknown, index: number) => {
    while (claimed < total) {
      const offset = claimed;
      const size = Math.min(BATCH_SIZE, total - offset);
      claimed += size;
      // Not `done += await ...`: that would read `done` before the await.
      const moved = await step(size, offset, index);
      done += moved;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, loop));
  return done;
}

/** Times `work`, which resolves with how many messages it moved. */
export async function perSecond(work: () => Promise<number>): Promise<number> {
  const started = performance.now();
  const count = await work();
  return (count * 1000) / (performance.now() - started);
}

export interface PhaseRates {
  readonly send: number;
  /** receive and delete of one batch by one client loop */
  readonly consume: number;
  readonly receive: number;
  readonly delete: number;
}

/** send → receive → delete of one message batch by one client loop. */
export function cycleStep(queue: BatchQueue): BatchStep {
  return async (size) => {
    await queue.send(bodiesOf(size));
    const receipts = await queue.receive(size);
    await queue.delete(receipts);
    return receipts.length;
  };
}

const sendStep =
  (queue: BatchQueue): BatchStep =>
  async (size) => {
    await queue.send(bodiesOf(size));
    return size;
  };

export function expectAll(phase: string, done: number, total: number): void {
  if (done !== total) {
    // A short phase would leave messages behind and skew the next one.
    throw new Error(`${phase} moved ${done} of ${total} messages`);
  }
}

/** `concurrency` loops of `step` until `total` messages moved, bounded. */
export async function runPhase(
  phase: string,
  total: number,
  concurrency: number,
  step: BatchStep,
): Promise<void> {
  const done = await withDeadline(
    runBatches(total, concurrency, step),
    deadlineMs(total),
    phase,
  );
  expectAll(phase, done, total);
}

/**
 * Each step on its own: N sends, then N receive + delete loops (consume
 * only), then N sends again (untimed), N receives and N deletes. The queue
 * is empty before and after, so repetitions can share it.
 */
export async function measurePhases(
  queue: BatchQueue,
  total: number,
  concurrency: number,
): Promise<PhaseRates> {
  const timed = (phase: string, step: BatchStep) =>
    perSecond(async () => {
      await runPhase(phase, total, concurrency, step);
      return total;
    });
  const send = await timed('send', sendStep(queue));
  const consume = await timed('consume', async (size) => {
    const receipts = await queue.receive(size);
    await queue.delete(receipts);
    return receipts.length;
  });
  await runPhase('refill', total, concurrency, sendStep(queue));
  const receipts: string[] = [];
  return {
    send,
    consume,
    receive: await timed('receive', async (size) => {
      const got = await queue.receive(size);
      receipts.push(...got);
      return got.length;
    }),
    delete: await timed('delete', async (size, offset) => {
      await queue.delete(receipts.slice(offset, offset + size));
      return size;
    }),
  };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? sorted[middle]!
    : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
