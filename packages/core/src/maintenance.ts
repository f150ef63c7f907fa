import type { EngineContext } from './context';
import { recoverOutbox } from './transfers';
import { messageKeys } from './keys';

const CHUNK = 500;

export interface SweepResult {
  /** messages dropped past their retention period */
  readonly expired: number;
  /** moves between queues finished for a process that stopped mid-way */
  readonly recovered: number;
  /** message move tasks taken over from a process that stopped running them */
  readonly resumedTasks: number;
}

/**
 * Work nobody's request triggers: dropping messages past retention in queues
 * nobody reads, finishing moves a crashed process left parked, and resuming
 * its move tasks. Reads the queue registry in chunks and pipelines, never
 * KEYS or SCAN.
 */
export async function sweep(
  ctx: EngineContext,
  resumeTasks: (queue: string) => Promise<number>,
): Promise<SweepResult> {
  let expired = 0;
  let recovered = 0;
  let resumedTasks = 0;
  let offset = 0;
  for (;;) {
    const names = await ctx.redis.zrange(
      ctx.global.queues,
      offset,
      offset + CHUNK - 1,
    );
    if (names.length === 0) {
      break;
    }
    offset += names.length;
    const now = ctx.clock();
    const pipeline = ctx.redis.pipeline();
    for (const name of names) {
      const k = ctx.keys(name);
      ctx.scripts.queue(
        pipeline,
        'expireMessages',
        [k.meta, ...messageKeys(k)],
        [now, 1000],
      );
      pipeline.hlen(k.outbox);
      pipeline.hlen(k.moveTasks);
    }
    const results = (await pipeline.exec()) ?? [];
    const reply = (i: number) => Number(results[i]?.[1] ?? 0);
    for (let i = 0; i < names.length; i += 1) {
      const name = names[i] as string;
      expired += reply(3 * i);
      if (reply(3 * i + 1) > 0) {
        recovered += await recoverOutbox(ctx, name);
      }
      if (reply(3 * i + 2) > 0) {
        resumedTasks += await resumeTasks(name);
      }
    }
  }
  return { expired, recovered, resumedTasks };
}
