import type { Redis } from 'ioredis';
import type { EngineApi } from './engine-api';
import { usedMemoryBytes } from './redis-tools';
import { measurePhase, type PhaseFigures } from './scale-phase';
import { log } from './setup';
import { queueOn } from './sluice-queue';
import { BATCH_SIZE, cycleStep, expectAll, runBatches } from './workload';

export interface QueuesFigures {
  readonly count: number;
  /** the loops on the first queue alone */
  readonly one: PhaseFigures;
  /** the same loops, each batch on the next of the `count` queues */
  readonly many: PhaseFigures;
  /** Redis used_memory of the queues as created (empty), per queue */
  readonly bytes_per_queue: number;
}

/** Creations in flight at once: enough to keep Redis busy. */
const CREATE_CHUNK = 50;

async function createQueues(api: EngineApi, count: number) {
  const names = Array.from({ length: count }, (_, i) => `scale-${i}`);
  for (let i = 0; i < count; i += CREATE_CHUNK) {
    await Promise.all(
      names.slice(i, i + CREATE_CHUNK).map((name) => api.createQueue(name)),
    );
  }
  return names;
}

/**
 * `count` standard queues, then `messages` full cycles (send 10, receive,
 * delete) from `loops` loops on one of them and round-robin over all of
 * them: does having many queues active slow each one down?
 */
export async function measureQueues(
  admin: Redis,
  api: EngineApi,
  count: number,
  messages: number,
  loops: number,
): Promise<QueuesFigures> {
  log(`creating ${count} queues`);
  const before = await usedMemoryBytes(admin);
  const names = await createQueues(api, count);
  const bytesPerQueue = ((await usedMemoryBytes(admin)) - before) / count;
  const steps = names.map((name) => cycleStep(queueOn(api, name)));
  const run = (
    label: string,
    pick: (batch: number) => number,
    total = messages,
  ) =>
    measurePhase(admin, label, total, async () => {
      const moved = await runBatches(total, loops, (size, offset, loop) =>
        steps[pick(offset / BATCH_SIZE)]!(size, offset, loop),
      );
      expectAll(label, moved, total);
    });
  log(`${messages} messages on one queue, then over ${count} queues`);
  // Each queue's first use, and the warm-up of the code, kept out of the
  // measures (the figures of this run are not reported).
  await run(
    'warm-up over every queue',
    (batch) => batch % count,
    count * BATCH_SIZE,
  );
  const one = await run('cycle on one queue', () => 0);
  const many = await run(
    `cycle over ${count} queues`,
    (batch) => batch % count,
  );
  return { count, one, many, bytes_per_queue: bytesPerQueue };
}
