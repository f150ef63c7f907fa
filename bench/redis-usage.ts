import type { Redis } from 'ioredis';
import {
  commandsProcessedOf,
  commandstats,
  cpuMsOf,
  type Cost,
} from './redis-tools';

/** What Redis had spent at one moment, or over a window. */
export interface RedisUsage {
  /** used_cpu_user + used_cpu_sys: execution, networking and parsing */
  readonly cpuMs: number;
  /** total_commands_processed, the commands scripts call included */
  readonly commands: number;
  /** INFO commandstats by command name: calls and execution µs */
  readonly byCommand: ReadonlyMap<string, Cost>;
}

export function parseUsage(info: string): RedisUsage {
  return {
    cpuMs: cpuMsOf(info),
    commands: commandsProcessedOf(info),
    byCommand: new Map(commandstats(info).map((cost) => [cost.name, cost])),
  };
}

/** What Redis spent from `before` to `after`. */
export function usageBetween(
  before: RedisUsage,
  after: RedisUsage,
): RedisUsage {
  const byCommand = new Map<string, Cost>();
  for (const [name, cost] of after.byCommand) {
    const earlier = before.byCommand.get(name);
    byCommand.set(name, {
      name,
      calls: cost.calls - (earlier?.calls ?? 0),
      usec: cost.usec - (earlier?.usec ?? 0),
    });
  }
  return {
    cpuMs: after.cpuMs - before.cpuMs,
    // The window holds the INFO that read `before`.
    commands: after.commands - before.commands - 1,
    byCommand,
  };
}

/** Execution µs of the commands named, summed (0 for one never called). */
export function usecOf(usage: RedisUsage, names: readonly string[]): number {
  return names.reduce(
    (sum, name) => sum + (usage.byCommand.get(name)?.usec ?? 0),
    0,
  );
}

async function readUsage(admin: Redis): Promise<RedisUsage> {
  // One INFO for all three sections, so the window holds one measuring call.
  const info = (await admin.call('INFO', 'cpu', 'stats', 'commandstats')) as
    string | Buffer;
  return parseUsage(info.toString());
}

/**
 * Runs `work` and tells what Redis spent meanwhile, on whatever it served:
 * run nothing else on the server during the window.
 */
export async function redisUsageDuring<T>(
  admin: Redis,
  work: () => Promise<T>,
): Promise<{ result: T; usage: RedisUsage }> {
  const before = await readUsage(admin);
  const result = await work();
  const after = await readUsage(admin);
  return { result, usage: usageBetween(before, after) };
}
