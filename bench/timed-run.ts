import type { Redis } from 'ioredis';
import type { Drain } from './backlog';
import { measureCosts } from './costs';
import { processCpuMs } from './cpu';
import { deadlineMs, withDeadline } from './deadline';
import { countCommands, type CommandCounts } from './redis-tools';

/**
 * Work of `total` messages set up and connected, not started: `run` is what
 * is timed or counted, `close` stops it and checks what it left (untimed).
 */
export type PreparedRun = Drain;

export interface RunCost {
  readonly msgsPerS: number;
  /** CPU time of this process (the clients and the library in it) */
  readonly clientCpuUsPerMsg: number;
  readonly redisCpuUsPerMsg: number;
}

/** A failed run still closes, within bounds, before its error goes on. */
async function runBounded(
  what: string,
  total: number,
  prepared: PreparedRun,
): Promise<void> {
  try {
    await withDeadline(prepared.run(), deadlineMs(total), what);
  } catch (error) {
    await withDeadline(prepared.close(), 10_000, `${what}: close`).catch(
      () => undefined,
    );
    throw error;
  }
}

/** Times one run and the CPU this process and Redis used during it. */
export async function timeRun(
  admin: Redis,
  what: string,
  total: number,
  prepared: PreparedRun,
): Promise<RunCost> {
  const { result: ms, costs } = await measureCosts(
    { client: processCpuMs, redis: admin },
    total,
    async () => {
      const started = performance.now();
      await runBounded(what, total, prepared);
      return performance.now() - started;
    },
  );
  await prepared.close();
  return {
    msgsPerS: (total * 1000) / ms,
    clientCpuUsPerMsg: costs.client_cpu_us_per_msg!,
    redisCpuUsPerMsg: costs.redis_cpu_us_per_msg!,
  };
}

/** The commands one run makes Redis run (untimed: MONITOR slows Redis). */
export async function countRun(
  admin: Redis,
  what: string,
  total: number,
  prepared: PreparedRun,
): Promise<CommandCounts> {
  const counts = await countCommands(admin, () =>
    runBounded(what, total, prepared),
  );
  await prepared.close();
  return counts;
}
