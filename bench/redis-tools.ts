import { execFile, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import type { Redis } from 'ioredis';

const execFileAsync = promisify(execFile);

export interface CommandCounts {
  /** commands clients sent: an EVALSHA is one, whatever its script calls */
  readonly clientCalls: number;
  /** every command Redis ran, the ones scripts call included */
  readonly redisCommands: number;
}

/** total_commands_processed of an INFO text that holds the stats section. */
export function commandsProcessedOf(info: string): number {
  const match = /total_commands_processed:(\d+)/.exec(info);
  if (!match) {
    throw new Error('INFO stats shows no total_commands_processed');
  }
  return Number(match[1]);
}

/** Every command Redis ran so far, the ones scripts call included. */
async function commandsProcessed(admin: Redis): Promise<number> {
  return commandsProcessedOf(await admin.info('stats'));
}

/**
 * Counts the commands `work` makes Redis run. Redis 7 counts what scripts call
 * in total_commands_processed and in commandstats alike, so neither tells the
 * client's round trips apart; MONITOR does, tagging script calls "lua". Two
 * ECHO markers bound the window, since MONITOR lines arrive asynchronously.
 * MONITOR slows Redis down: never run this inside a timed phase.
 */
export async function countCommands(
  admin: Redis,
  work: () => Promise<unknown>,
): Promise<CommandCounts> {
  const monitor = await admin.monitor();
  const start = `bench-start-${randomUUID()}`;
  const end = `bench-end-${randomUUID()}`;
  let counting = false;
  let clientCalls = 0;
  const ended = new Promise<void>((resolve) => {
    monitor.on('monitor', (_time: string, args: string[], source: string) => {
      if (args[1] === start) {
        counting = true;
      } else if (args[1] === end) {
        resolve();
      } else if (counting && source !== 'lua') {
        clientCalls += 1;
      }
    });
  });
  try {
    const before = await commandsProcessed(admin);
    await admin.echo(start);
    await work();
    await admin.echo(end);
    const after = await commandsProcessed(admin);
    await ended;
    // The window also holds one INFO and the two ECHOs.
    return { clientCalls, redisCommands: after - before - 3 };
  } finally {
    monitor.disconnect();
  }
}

/** Fails fast, before minutes of measuring, when the ceiling cannot run. */
export function requireRedisBenchmark(): void {
  if (spawnSync('redis-benchmark', ['--version']).error) {
    throw new Error(
      'redis-benchmark not found on PATH (Debian: apt-get install redis-tools)',
    );
  }
}

/** How redis-benchmark drives a command line. */
export interface BenchmarkLoad {
  readonly calls: number;
  /** parallel connections */
  readonly clients: number;
  /** calls sent per round trip */
  readonly pipeline: number;
  /** `__rand_int__` draws from 0 up to this (-r), when set */
  readonly keyspace?: number;
}

/** redis-benchmark's options for `load`. */
export function benchmarkArgs(load: BenchmarkLoad): string[] {
  const { calls, clients, pipeline, keyspace } = load;
  return [
    ...['-n', String(calls), '-c', String(clients), '-P', String(pipeline)],
    ...(keyspace === undefined ? [] : ['-r', String(keyspace)]),
  ];
}

/** A stuck server fails the run instead of hanging it; runs take seconds. */
const REDIS_BENCHMARK_TIMEOUT_MS = 180_000;

/** Calls/s that `redis-benchmark` reports for one command line. */
export async function redisBenchmark(
  url: string,
  args: readonly string[],
): Promise<number> {
  const running = execFileAsync(
    'redis-benchmark',
    [...['-u', url, '--csv'], ...args],
    { timeout: REDIS_BENCHMARK_TIMEOUT_MS },
  );
  const kill = () => running.child.kill();
  process.once('exit', kill);
  try {
    const { stdout } = await running.catch((error: Error) => {
      throw (error as { killed?: boolean }).killed
        ? new Error(
            `redis-benchmark ${args.join(' ').slice(0, 200)} took more ` +
              `than ${REDIS_BENCHMARK_TIMEOUT_MS / 1000} s: stopped`,
          )
        : error;
    });
    // --csv prints a header, then "test","rps",...
    const rps = Number(stdout.split('\n')[1]?.split(',')[1]?.slice(1, -1));
    if (!Number.isFinite(rps)) {
      throw new Error(`unexpected redis-benchmark output:\n${stdout}`);
    }
    return rps;
  } finally {
    process.off('exit', kill);
  }
}

/** Removes this run's keys, so a shared REDIS_URL is left as it was found. */
export async function deleteKeys(admin: Redis, prefix: string): Promise<void> {
  const batches = admin.scanStream({ match: `${prefix}:*`, count: 1000 });
  for await (const keys of batches as AsyncIterable<string[]>) {
    if (keys.length > 0) {
      await admin.unlink(...keys);
    }
  }
}

/** What one `INFO` (its default sections) tells of the work Redis did so far. */
export interface RedisCounters {
  /** CPU time, user + system, all threads, ms */
  readonly cpuMs: number;
  /** total_commands_processed: script-internal commands included */
  readonly commands: number;
}

/**
 * Both counters from one INFO, so a window between two readings holds
 * exactly one command of ours: the first INFO, which Redis counts once it
 * has answered it.
 */
export async function redisCounters(admin: Redis): Promise<RedisCounters> {
  const info = await admin.info();
  return { cpuMs: cpuMsOf(info), commands: commandsProcessedOf(info) };
}

/** used_cpu_user + used_cpu_sys of an INFO text with the cpu section, ms. */
export function cpuMsOf(info: string): number {
  const seconds = (name: string) =>
    Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(info)?.[1] ?? NaN);
  return (seconds('used_cpu_user') + seconds('used_cpu_sys')) * 1000;
}

/** CPU time redis-server has used so far (user + system, all threads), ms. */
export async function redisCpuMs(admin: Redis): Promise<number> {
  return cpuMsOf(await admin.info('cpu'));
}

/** Calls of one command or script, and the Redis time they took, µs. */
export interface Cost {
  readonly name: string;
  readonly calls: number;
  readonly usec: number;
}

/** The commands of an INFO commandstats text, lower case ("evalsha"). */
export function commandstats(info: string): Cost[] {
  return [...info.matchAll(/^cmdstat_([^:]+):calls=(\d+),usec=(\d+)/gm)].map(
    ([, name, calls, usec]) => ({
      name: name!,
      calls: Number(calls),
      usec: Number(usec),
    }),
  );
}

/**
 * Bytes Redis has allocated (INFO memory `used_memory`): data, the per-key
 * overhead of its main dictionary and client buffers alike, so a system that
 * keeps a key per message pays for it here.
 */
export async function usedMemoryBytes(admin: Redis): Promise<number> {
  const match = /^used_memory:(\d+)/m.exec(await admin.info('memory'));
  if (!match) {
    throw new Error('INFO memory shows no used_memory');
  }
  return Number(match[1]);
}
