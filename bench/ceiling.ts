import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import {
  PIPELINES,
  RETURN_ONE,
  callFigures,
  cycleFigures,
  render,
  toJson,
  withSums,
  type Figures,
  type QueueName,
} from './ceiling-report';
import { measureCommand, measureCycle, runCycle } from './ceiling-runs';
import { loadReturnOne, returnOneCommand } from './eval-ceiling';
import { MinimalQueue } from './minimal-queue';
import {
  MINIMAL_SEQUENCE,
  fillQueue,
  queueShape,
  type QueueShape,
  type SequenceKeys,
} from './minimal-sequence';
import { profileRedis } from './redis-profile';
import { requireRedisBenchmark } from './redis-tools';
import {
  Closers,
  log,
  medians,
  openAdmin,
  parseBenchArgs,
  positiveInteger,
  runsOn,
  runMain,
  sizeReader,
} from './setup';
import { SluiceQueue } from './sluice-queue';
import { BATCH_SIZE, type BatchQueue } from './workload';

const USAGE = `usage: npm run bench:ceiling -- [--calls N] [--messages N] [--concurrency N] [--quick] [--json]

The minimal Redis command sequence of one message's life, run with
redis-benchmark unpipelined and pipelined, beside the Redis time of Sluice's
engine and of the minimal Lua queue per message, on one redis-server (its
own, or REDIS_URL). See bench/README.md.`;

const REPETITIONS = 3;

const SIZES = {
  calls: { full: '100000', quick: '5000' },
  messages: { full: '20000', quick: '2000' },
};

interface Options {
  /** redis-benchmark calls per command line and pipeline depth */
  readonly calls: number;
  /** messages per full cycle of each queue */
  readonly messages: number;
  readonly concurrency: number;
  readonly json: boolean;
}

function parseOptions(): Options | undefined {
  const values = parseBenchArgs({
    calls: { type: 'string' },
    messages: { type: 'string' },
  });
  if (!values) {
    return undefined;
  }
  const size = sizeReader(SIZES, values.quick);
  return {
    calls: size('calls', values.calls),
    messages: size('messages', values.messages),
    concurrency: positiveInteger('concurrency', values.concurrency),
    json: values.json,
  };
}

interface Bench {
  readonly admin: Redis;
  readonly url: string;
  readonly options: Options;
  readonly keys: SequenceKeys;
  readonly shape: QueueShape;
  readonly returnOneSha: string;
  readonly queues: Readonly<Record<QueueName, BatchQueue>>;
}

/** Each command of the sequence, then "return 1", at each pipeline depth. */
async function measureCommands(bench: Bench): Promise<Figures> {
  const { admin, url, options, keys, shape } = bench;
  const lines = [
    ...MINIMAL_SEQUENCE.map((command) => ({
      stem: command.name,
      name: command.name,
      args: command.args(keys),
    })),
    {
      stem: RETURN_ONE,
      name: 'evalsha',
      args: returnOneCommand(bench.returnOneSha),
    },
  ];
  let figures: Figures = {};
  for (const line of lines) {
    for (const pipeline of PIPELINES) {
      // Every run starts from the same working-queue-sized structures.
      await fillQueue(admin, keys, shape);
      const cost = await measureCommand(admin, url, line, {
        calls: options.calls,
        clients: options.concurrency,
        pipeline,
        keyspace: shape.ids,
      });
      figures = { ...figures, ...callFigures(line.stem, pipeline, cost) };
    }
  }
  return figures;
}

async function measureQueues(bench: Bench): Promise<Figures> {
  const { admin, options } = bench;
  let figures: Figures = {};
  for (const [name, queue] of Object.entries(bench.queues)) {
    const cost = await measureCycle(
      admin,
      queue,
      options.messages,
      options.concurrency,
    );
    figures = { ...figures, ...cycleFigures(name as QueueName, cost) };
  }
  return figures;
}

async function runBench(bench: Bench) {
  const { admin, options } = bench;
  const warmUp = Math.max(BATCH_SIZE, Math.round(options.messages / 10));
  log(`warming up the queues with ${warmUp} messages each`);
  for (const queue of Object.values(bench.queues)) {
    await runCycle(queue, warmUp, options.concurrency);
  }
  const runs: Figures[] = [];
  for (let i = 1; i <= REPETITIONS; i += 1) {
    const run = {
      ...(await measureCommands(bench)),
      ...(await measureQueues(bench)),
    };
    log(
      `run ${i} of ${REPETITIONS}: Redis CPU µs per message: Sluice ` +
        `${run.sluice_redis_cpu_us_per_msg!.toFixed(1)}, minimal Lua ` +
        `${run.minimal_lua_redis_cpu_us_per_msg!.toFixed(1)}`,
    );
    runs.push(run);
  }
  // Profiling changes the slow log settings: after the timed runs only.
  log("profiling Sluice's scripts over one more cycle");
  const result = await profileRedis(admin, () =>
    runCycle(bench.queues.sluice, options.messages, options.concurrency),
  );
  return {
    figures: withSums(medians(runs)),
    profile: { messages: options.messages, result },
  };
}

async function main(options: Options): Promise<void> {
  requireRedisBenchmark();
  const closers = new Closers();
  try {
    // Every key of this run starts with the prefix, so cleanup finds them all.
    const prefix = `bench-${randomUUID().slice(0, 8)}`;
    const { redis, admin } = await openAdmin(closers, prefix);
    const sluice = await SluiceQueue.open(redis.url, prefix);
    closers.add(() => sluice.close());
    const minimal = await MinimalQueue.open(redis.url, prefix);
    closers.add(() => minimal.close());
    const shape = queueShape(options.concurrency);
    const bench: Bench = {
      admin,
      url: redis.url,
      options,
      keys: {
        payloads: `${prefix}:sequence:payloads`,
        schedule: `${prefix}:sequence:schedule`,
      },
      shape,
      returnOneSha: await loadReturnOne(admin),
      queues: { sluice, minimal_lua: minimal },
    };
    const { figures, profile } = await runBench(bench);
    const context = {
      ...options,
      shape,
      repetitions: REPETITIONS,
      redis: await runsOn(admin, redis),
    };
    console.log(render(context, figures, profile));
    if (options.json) {
      console.log(toJson(figures));
    }
  } finally {
    await closers.closeAll();
  }
}

runMain(USAGE, parseOptions, main);
