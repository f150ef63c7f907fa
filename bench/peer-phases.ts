import type { Redis } from 'ioredis';
import type { ProducingPeer } from './backlog';
import { timeRun, type PreparedRun, type RunCost } from './timed-run';

export interface PeerPhases {
  readonly produce: number;
  readonly consume: number;
  /** produce + consume at once, with its costs */
  readonly cycle: RunCost;
}

/** `concurrency` producer loops while the library's consumer runs. */
export async function produceAndConsume(
  peer: ProducingPeer,
  total: number,
  concurrency: number,
): Promise<PreparedRun> {
  const consumer = await peer.consumer(total, concurrency);
  return {
    run: async () => {
      // Together, so a consumer failure rejects at once, even mid-production.
      await Promise.all([peer.produce(total, concurrency), consumer.run()]);
    },
    close: () => consumer.close(),
  };
}

/**
 * Produce only into the empty queue, consume only of that backlog, then
 * both at once, msg/s; the queue is empty before and after.
 */
export async function measurePeer(
  admin: Redis,
  peer: ProducingPeer,
  total: number,
  concurrency: number,
): Promise<PeerPhases> {
  const timed = async (phase: string, prepared: PreparedRun) =>
    timeRun(admin, `${peer.name} ${phase}`, total, prepared);
  const produce = await timed('produce only', {
    run: () => peer.produce(total, concurrency),
    close: () => Promise.resolve(),
  });
  const consume = await timed(
    'consume only',
    await peer.consumer(total, concurrency),
  );
  const cycle = await timed(
    'produce + consume',
    await produceAndConsume(peer, total, concurrency),
  );
  return { produce: produce.msgsPerS, consume: consume.msgsPerS, cycle };
}
