import type { Redis } from 'ioredis';
import type { Drain, ProducingPeer } from './backlog';
import { usedMemoryBytes } from './redis-tools';
import { measurePhase, type PhaseFigures } from './scale-phase';
import { log } from './setup';
import {
  bodiesOf,
  cycleStep,
  expectAll,
  runBatches,
  type BatchQueue,
} from './workload';

/** What the scale benchmark asks of a system: fill a backlog, drain it. */
export interface ScaleSystem {
  /** the JSON figures' prefix: sluice, bullmq, rsmq, bee_queue */
  readonly key: string;
  fill(total: number, loops: number): Promise<void>;
  consumer(total: number, loops: number): Promise<Drain>;
  /** send, receive and delete in turn while the backlog stays as deep */
  readonly cycle?: (total: number, loops: number) => Promise<void>;
}

/** Sluice's engine: SendMessageBatch, ReceiveMessage + DeleteMessageBatch. */
export function sluiceScale(queue: BatchQueue): ScaleSystem {
  const batches = async (
    phase: string,
    total: number,
    loops: number,
    step: Parameters<typeof runBatches>[2],
  ) => expectAll(phase, await runBatches(total, loops, step), total);
  return {
    key: 'sluice',
    fill: (total, loops) =>
      batches('fill', total, loops, async (size) => {
        await queue.send(bodiesOf(size));
        return size;
      }),
    consumer: (total, loops) =>
      Promise.resolve({
        run: () =>
          batches('drain', total, loops, async (size) => {
            const receipts = await queue.receive(size);
            await queue.delete(receipts);
            return receipts.length;
          }),
        close: () => Promise.resolve(),
      }),
    cycle: (total, loops) => batches('cycle', total, loops, cycleStep(queue)),
  };
}

/** A peer of the engine and worker benchmarks: its producer and consumer. */
export function peerScale(peer: ProducingPeer): ScaleSystem {
  return {
    key: peer.name.replaceAll('-', '_'),
    fill: (total, loops) => peer.produce(total, loops),
    consumer: (total, loops) => peer.consumer(total, loops),
  };
}

export interface BacklogFigures {
  readonly size: number;
  readonly fill: PhaseFigures;
  /** Sluice only: a short full cycle on top of the backlog */
  readonly cycle: PhaseFigures | undefined;
  readonly drain: PhaseFigures;
  /** Redis used_memory after the fill less before it, per message */
  readonly bytes_per_msg: number;
  /** used_memory after the drain less before the fill */
  readonly bytes_left_after_drain: number;
}

/**
 * Fills the system's empty queue with `size` messages, runs the cycle on
 * that backlog (where the system has one), then drains it all; Redis memory
 * is read before the fill, after it and after the drain.
 */
export async function measureBacklog(
  admin: Redis,
  system: ScaleSystem,
  size: number,
  loops: number,
  cycleMessages: number,
): Promise<BacklogFigures> {
  const what = (phase: string) => `${system.key} ${phase} of ${size}`;
  const before = await usedMemoryBytes(admin);
  log(`${what('fill')}`);
  const fill = await measurePhase(admin, what('fill'), size, () =>
    system.fill(size, loops),
  );
  const filled = await usedMemoryBytes(admin);
  const { cycle: runCycle } = system;
  const cycle =
    runCycle &&
    (await measurePhase(admin, what('cycle'), cycleMessages, () =>
      runCycle(cycleMessages, loops),
    ));
  log(`${what('drain')}`);
  const drain = await system.consumer(size, loops);
  const drained = await measurePhase(admin, what('drain'), size, () =>
    drain.run(),
  );
  await drain.close();
  return {
    size,
    fill,
    cycle,
    drain: drained,
    bytes_per_msg: (filled - before) / size,
    bytes_left_after_drain: (await usedMemoryBytes(admin)) - before,
  };
}
