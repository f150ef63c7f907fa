import { randomUUID } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { BeeQueuePeer } from './bee-queue-peer';
import { BullmqBacklog } from './bullmq-peer';
import {
  countPerMessage,
  measure,
  type Bench,
  type Systems,
} from './engine-measure';
import { MinimalQueue } from './minimal-queue';
import { loadReturnOne } from './eval-ceiling';
import { deleteKeys, requireRedisBenchmark } from './redis-tools';
import {
  PEERS,
  render,
  toJson,
  type CommandFigures,
  type RateFigures,
} from './report';
import { RsmqPeer } from './rsmq-peer';
import {
  COMMON_OPTIONS,
  Closers,
  log,
  medians,
  openRedis,
  positiveInteger,
  redisVersion,
  runMain,
} from './setup';
import { SluiceQueue } from './sluice-queue';
import { BATCH_SIZE } from './workload';

const USAGE = `usage: npm run bench:engine -- [--messages N] [--concurrency N] [--quick] [--json]

Sluice's engine against BullMQ, RSMQ, bee-queue, a minimal Lua queue and
redis-benchmark, on one redis-server (its own, or REDIS_URL): produce only,
consume only, produce + consume. See bench/README.md.`;

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
  // 50,000 messages: about 3 min for the six systems on two cores.
  const messages = values.messages ?? (values.quick ? '1000' : '50000');
  return {
    messages: positiveInteger('messages', messages),
    concurrency: positiveInteger('concurrency', values.concurrency),
    evalCalls: values.quick ? 10_000 : 100_000,
    json: values.json,
  };
}

async function runBench(
  admin: Redis,
  url: string,
  options: Options,
  systems: Systems,
): Promise<{ rates: RateFigures; commands: CommandFigures }> {
  const evalSha = await loadReturnOne(admin);
  const { concurrency, messages, evalCalls } = options;
  const bench: Bench = { admin, url, concurrency, systems, evalSha };
  const warmUp = Math.max(BATCH_SIZE, Math.round(messages / 10));
  log(`warming up with ${warmUp} messages per system`);
  await measure(bench, warmUp, evalCalls / 10);
  const runs: RateFigures[] = [];
  for (let i = 1; i <= REPETITIONS; i += 1) {
    const run = await measure(bench, messages, evalCalls);
    // Each run's headline figures, to judge the spread behind the medians.
    log(
      `run ${i} of ${REPETITIONS}: produce + consume msg/s Sluice ` +
        `${Math.round(run.cycle_msgs_per_s)}, minimal Lua ` +
        `${Math.round(run.minimal_lua_msgs_per_s)}, ` +
        PEERS.map(
          (peer) => `${peer} ${Math.round(run[`${peer}_msgs_per_s`])}`,
        ).join(', '),
    );
    runs.push(run);
  }
  log('counting Redis commands per message');
  // MONITOR slows Redis and per-message counts do not grow with the run.
  const counted = Math.min(messages, 5000);
  return {
    rates: medians(runs),
    commands: await countPerMessage(bench, counted),
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
    // A key prefix per peer (BullMQ's and bee-queue's keys would clash),
    // all under the run's prefix.
    const bullmq = await BullmqBacklog.open(redis.url, `${prefix}:bullmq`);
    closers.add(() => bullmq.close());
    const rsmq = await RsmqPeer.open(redis.url, `${prefix}:rsmq`);
    closers.add(() => rsmq.close());
    const beeQueue = await BeeQueuePeer.open(redis.url, `${prefix}:bee-queue`);
    closers.add(() => beeQueue.close());
    const { rates, commands } = await runBench(admin, redis.url, options, {
      sluice,
      minimal,
      peers: { bullmq, rsmq, bee_queue: beeQueue },
    });
    const context = {
      ...options,
      repetitions: REPETITIONS,
      redis:
        `redis ${await redisVersion(admin)} (${redis.description}), ` +
        `node ${process.version}, ${availableParallelism()} CPUs`,
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
