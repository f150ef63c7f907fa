import type { EngineContext } from './context';
import { recoverOutbox } from './transfers';

const CHUNK = 500;

export interface SweepResult {
  readonly expired: number;
  readonly recovered: number;
}

/**
 * Work nobody's request triggers: dropping messages past retention in queues
 * nobody reads, and finishing moves a crashed process left parked. Reads the
 * queue registry in chunks and pipelines, never KEYS or SCAN.
 */
export async function sweep(ctx: EngineContext): Promise<SweepResult> {
  let expired = 0;
  let recovered = 0;
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
        [
          k.meta,
          k.messages,
          k.receipts,
          k.schedule,
          k.delayed,
          k.sent,
          k.outbox,
        ],
        [now, 1000],
      );
      pipeline.hlen(k.outbox);
    }
    const results = (await pipeline.exec()) ?? [];
    for (let i = 0; i < names.length; i += 1) {
      expired += Number(results[2 * i]?.[1] ?? 0);
      if (Number(results[2 * i + 1]?.[1] ?? 0) > 0) {
        recovered += await recoverOutbox(ctx, names[i] as string);
      }
    }
  }
  return { expired, recovered };
}
