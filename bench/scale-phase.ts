import type { Redis } from 'ioredis';
import { measureCosts, type MessageCosts } from './costs';
import { processCpuMs } from './cpu';
import { deadlineMs, withDeadline } from './deadline';

/**
 * One timed phase of the scale benchmark: its rate and its costs per message
 * (costs.ts: Redis and client CPU, Redis commands).
 */
export interface PhaseFigures {
  readonly msgs_per_s: number;
  readonly costs: MessageCosts;
}

/** Times `work`, which moves `messages` messages, with its costs. */
export async function measurePhase(
  admin: Redis,
  what: string,
  messages: number,
  work: () => Promise<unknown>,
): Promise<PhaseFigures> {
  const { result: ms, costs } = await measureCosts(
    { redis: admin, client: processCpuMs },
    messages,
    async () => {
      const started = performance.now();
      // 1 ms a message: a million still fails within 18 minutes if it hangs.
      await withDeadline(work(), deadlineMs(messages, 1), what);
      return performance.now() - started;
    },
  );
  return { msgs_per_s: (messages * 1000) / ms, costs };
}
