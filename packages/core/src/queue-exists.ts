import type { EngineContext } from './context';
import { queueDoesNotExist } from './errors';

/** Throws QueueDoesNotExist unless the queue exists. */
export async function requireQueue(
  ctx: EngineContext,
  name: string,
): Promise<void> {
  if ((await ctx.redis.exists(ctx.keys(name).meta)) === 0) {
    throw queueDoesNotExist();
  }
}
