import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { BullmqPeer } from './bullmq-peer';
import { MinimalQueue } from './minimal-queue';
import { loadReturnOne, returnOneCommand } from './eval-ceiling';
import {
  benchmarkArgs,
  countCommands,
  deleteKeys,
  redisBenchmark,
  requireRedisBenchmark,
} from './redis-tools';
import {
  render,
  toJson,
  type CommandFigures,
  type RateFigures,
} from './report';
import {
  COMMON_OPTIONS,
  Closers,
  log,
  medians,
  openRedis,
  positiveInteger,
  runsOn,
  runMain,
} from './setup';
import { SluiceQueue } from './sluice-queue';
import {
  BATCH_SIZE,
  cycleStep,
  measurePhases,
  perSecond,
  runBatches,
  type BatchQueue,
} from './workload';

const USAGE = `usage: npm run bench:engine -- [--messages N] [--concurrency N] [--quick] [--json]

Sluice's engine against BullMQ, a minimal Lua queue and redis-benchmark, on
one redis-server (its own, or REDIS_URL). See bench/README.md.`;

const REPETITIONS = 3;

interface Options {
  readonly messages: number;
  readonly concurrency: number;
  /** EVALSHA calls per redis-benchmark run */
  readonly evalCalls: number;
  readonly json: boolean;
}

function parseOptions(): Options | undefined {
  const { values } = parseArgs({
    options: {
      messages: { type: 'string' },
      ...COMMON_OPTIONS,
    },
  });
  if (values.help) {
    return undefined;
  }
  // 50,000 messages keep a full run near 40 s on two cores.
  const messages = values.messages ?? (values.quick ? '1000' : '50000');
  return {
    messages: positiveInteger('messages', messages),
    concurrency: positiveInteger('concurrency', values.concurrency),
    evalCalls: values.quick ? 10_000 : 100_000,
    json: values.json,
  };
}

interface Systems {
  readonly sluice: SluiceQueue;
  readonly minimal: MinimalQueue;
  readonly bullmq: BullmqPeer;
}

interface Bench {
  readonly url: string;
  readonly options: Options;
  readonly systems: Systems;
  /** "return 1", loaded for redis-benchmark's EVALSHA */
  readonly evalSha: string;
}

/** One repetition of every system, one after the other on the same server. */
async function measure(
  bench: Bench,
  messages: number,
  evalCalls: number,
): Promise<RateFigures> {
  const { url, options, systems, evalSha } = bench;
  const { concurrency } = options;
  const sluice = await measurePhases(systems.sluice, messages, concurrency);
  const minimal = await measurePhases(systems.minimal, messages, concurrency);
  const bullmq = await perSecond(() => systems.bullmq.run(messages));
  const evalsha = (pipeline: number) =>
    redisBenchmark(url, [
      ...benchmarkArgs({ calls: evalCalls, clients: concurrency, pipeline }),
      ...returnOneCommand(evalSha),
    ]);
  return {
    send_msgs_per_s: sluice.send,
    receive_msgs_per_s: sluice.receive,
    delete_msgs_per_s: sluice.delete,
    cycle_msgs_per_s: sluice.cycle,
    minimal_lua_send_msgs_per_s: minimal.send,
    minimal_lua_receive_msgs_per_s: minimal.receive,
    minimal_lua_delete_msgs_per_s: minimal.delete,
    minimal_lua_msgs_per_s: minimal.cycle,
    bullmq_msgs_per_s: bullmq,
    redis_eval_calls_per_s: await evalsha(1),
    redis_eval_pipelined_calls_per_s: await evalsha(16),
  };
}

/** Client calls and Redis commands per message of each full cycle. */
async function countPerMessage(
  admin: Redis,
  bench: Bench,
): Promise<CommandFigures> {
  const { options, systems } = bench;
  // MONITOR slows Redis and per-message counts do not grow with the run.
  const messages = Math.min(options.messages, 5000);
  const perMessage = async (work: () => Promise<unknown>) => {
    const counts = await countCommands(admin, work);
    return {
      client: counts.clientCalls / messages,
      redis: counts.redisCommands / messages,
    };
  };
  const cycle = (queue: BatchQueue) => () =>
    runBatches(messages, options.concurrency, cycleStep(queue));
  const sluice = await perMessage(cycle(systems.sluice));
  const minimal = await perMessage(cycle(systems.minimal));
  const bullmq = await perMessage(() => systems.bullmq.run(messages));
  return {
    client_calls_per_msg: sluice.client,
    redis_commands_per_msg: sluice.redis,
    minimal_lua_client_calls_per_msg: minimal.client,
    minimal_lua_redis_commands_per_msg: minimal.redis,
    bullmq_client_calls_per_msg: bullmq.client,
    bullmq_redis_commands_per_msg: bullmq.redis,
  };
}

async function runBench(
  admin: Redis,
  url: string,
  options: Options,
  systems: Systems,
): Promise<{ rates: RateFigures; commands: CommandFigures }> {
  const evalSha = await loadReturnOne(admin);
  const bench: Bench = { url, options, systems, evalSha };
  const warmUp = Math.max(BATCH_SIZE, Math.round(options.messages / 10));
  log(`warming up with ${warmUp} messages per system`);
  await measure(bench, warmUp, options.evalCalls / 10);
  const runs: RateFigures[] = [];
  for (let i = 1; i <= REPETITIONS; i += 1) {
    const run = await measure(bench, options.messages, options.evalCalls);
    // Each run's headline figures, to judge the spread behind the medians.
    log(
      `run ${i} of ${REPETITIONS}: cycle msg/s Sluice ` +
        `${Math.round(run.cycle_msgs_per_s)}, minimal Lua ` +
        `${Math.round(run.minimal_lua_msgs_per_s)}, BullMQ ` +
        `${Math.round(run.bullmq_msgs_per_s)}`,
    );
    runs.push(run);
  }
  log('counting Redis commands per message');
  return {
    rates: medians(runs),
    commands: await countPerMessage(admin, bench),
  };
}

async function main(options: Options): Promise<void> {
  requireRedisBenchmark();
  const closers = new Closers();
  try {
    const redis = await openRedis();
    closers.add(() => redis.stop());
    const admin = new Redis(redis.url);
    closers.add(async () => {
      await admin.quit();
    });
    // Every key of this run starts with the prefix, so cleanup finds them all.
    const prefix = `bench-${randomUUID().slice(0, 8)}`;
    closers.add(() => deleteKeys(admin, prefix));
    const sluice = await SluiceQueue.open(redis.url, prefix);
    closers.add(() => sluice.close());
    const minimal = await MinimalQueue.open(redis.url, prefix);
    closers.add(() => minimal.close());
    const bullmq = await BullmqPeer.open(
      redis.url,
      prefix,
      options.concurrency,
    );
    closers.add(() => bullmq.close());
    const { rates, commands } = await runBench(admin, redis.url, options, {
      sluice,
      minimal,
      bullmq,
    });
    const context = {
      ...options,
      repetitions: REPETITIONS,
      redis: await runsOn(admin, redis),
    };
    console.log(render(context, rates, commands));
    if (options.json) {
      console.log(toJson(rates, commands));
    }
  } finally {
    await closers.closeAll();
  }
}

runMain(USAGE, parseOptions, main);
