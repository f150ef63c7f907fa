import type { Redis } from 'ioredis';
import { cpuDuring, processCpuMs } from './cpu';
import {
  benchmarkArgs,
  redisBenchmark,
  type BenchmarkLoad,
} from './redis-tools';
import { redisUsageDuring, usecOf } from './redis-usage';
import { withDeadline } from './deadline';
import { throughputTimeoutMs } from './http-workload';
import { cycleStep, perSecond, runBatches, type BatchQueue } from './workload';

/** What one redis-benchmark command line cost Redis per call. */
export interface CallCost {
  readonly callsPerS: number;
  /** Redis CPU (INFO cpu) per call: parsing and networking included */
  readonly cpuUs: number;
  /** INFO commandstats µs per call: execution only */
  readonly execUs: number;
}

/**
 * Runs `command` (its commandstats name: `name`) with redis-benchmark. The
 * CPU window also holds redis-benchmark's connects, a few µs per client.
 */
export async function measureCommand(
  admin: Redis,
  url: string,
  command: { readonly name: string; readonly args: readonly string[] },
  load: BenchmarkLoad,
): Promise<CallCost> {
  const { result: callsPerS, usage } = await redisUsageDuring(admin, () =>
    redisBenchmark(url, [...benchmarkArgs(load), ...command.args]),
  );
  const calls = usage.byCommand.get(command.name)?.calls ?? 0;
  if (calls < load.calls) {
    throw new Error(
      `redis-benchmark ran ${command.name} ${calls} times of ${load.calls}`,
    );
  }
  return {
    callsPerS,
    cpuUs: (usage.cpuMs * 1000) / calls,
    execUs: usecOf(usage, [command.name]) / calls,
  };
}

/** What a queue's full cycle cost per message. */
export interface MessageCost {
  readonly msgsPerS: number;
  readonly redisCpuUs: number;
  /** the scripts' commandstats µs: execution, the commands they call included */
  readonly execUs: number;
  /** this process, where the queue's client runs */
  readonly clientCpuUs: number;
  readonly redisCommands: number;
}

/** Script calls in INFO commandstats: the only commands these queues send. */
const SCRIPT_CALLS = ['evalsha', 'eval'];

/**
 * `messages` through send → receive → delete from `concurrency` loops; fails
 * when a message is missing or the queue is stuck.
 */
export async function runCycle(
  queue: BatchQueue,
  messages: number,
  concurrency: number,
): Promise<number> {
  const done = await withDeadline(
    runBatches(messages, concurrency, cycleStep(queue)),
    throughputTimeoutMs(messages),
    `the cycle of ${messages} messages`,
  );
  if (done !== messages) {
    throw new Error(`the cycle moved ${done} of ${messages} messages`);
  }
  return done;
}

/** What Redis and this process spent on `runCycle`, per message. */
export async function measureCycle(
  admin: Redis,
  queue: BatchQueue,
  messages: number,
  concurrency: number,
): Promise<MessageCost> {
  const cycle = () => runCycle(queue, messages, concurrency);
  const { result, cpuMs } = await cpuDuring({ client: processCpuMs }, () =>
    redisUsageDuring(admin, () => perSecond(cycle)),
  );
  const { result: msgsPerS, usage } = result;
  return {
    msgsPerS,
    redisCpuUs: (usage.cpuMs * 1000) / messages,
    execUs: usecOf(usage, SCRIPT_CALLS) / messages,
    clientCpuUs: (cpuMs.client * 1000) / messages,
    redisCommands: usage.commands / messages,
  };
}
