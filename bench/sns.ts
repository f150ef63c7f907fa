import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import type { Redis } from 'ioredis';
import { queueArn } from '../packages/core/src';
import { measureCosts, type MessageCosts } from './costs';
import { processCpuMs } from './cpu';
import { EngineApi } from './engine-api';
import { profileRedis, type RedisProfile } from './redis-profile';
import {
  COMMON_OPTIONS,
  Closers,
  log as progress,
  machine,
  medians,
  openAdmin,
  positiveInteger,
  redisVersion,
  runMain,
  sizeReader,
} from './setup';
import {
  TARGET_FANOUT,
  configKey,
  renderSns,
  snsJson,
  type Config,
  type ConfigFigures,
  type ConfigResult,
  type SnsResults,
  type SnsRunContext,
} from './sns-report';
import { startSnsWorkers, type SnsWorkers } from './sns-workers';
import { FanoutRun, fanoutLatency, type FanoutTopic } from './sns-workload';

const USAGE = `usage: npm run bench:sns -- [--publishes N] [--workers N]
    [--concurrency N] [--consumers N] [--latency-rate N]
    [--latency-seconds N] [--runs N] [--profile] [--worker-cpu-prof DIR]
    [--envelope] [--quick] [--json]

SNS fan-out on the engine: publish throughput to 1, 10 and 100 queue
subscriptions and publish → queue latency, with the delivery workers in
processes of their own, all on one redis-server. Subscriptions get raw
delivery, or with --envelope SNS's signed JSON envelope (one RSA signature
per message). See bench/README.md.`;

const FANOUTS = [1, 10, 100] as const;
const LATENCY_FANOUTS = [1, 10] as const;
/** Fan-out 100 runs this fraction of the publishes: as many deliveries. */
const WIDE_SHARE = 10;
const LATENCY_CONSUMERS_PER_QUEUE = 2;
/** The slow log keeps every script call: a profiled run stays small. */
const MAX_PROFILED_PUBLISHES = 5000;

interface Options {
  /** per run at fan-out 1 and 10; fan-out 100 runs a tenth */
  readonly publishes: number;
  readonly workers: number;
  readonly publishers: number;
  readonly consumers: number;
  readonly latencyRate: number;
  readonly latencySeconds: number;
  readonly runs: number;
  readonly profile: boolean;
  readonly workerCpuProf: string | undefined;
  /** signed SNS envelopes instead of raw delivery */
  readonly envelope: boolean;
  readonly json: boolean;
}

/** Defaults of a full run (about 5 min on two cores) and of --quick. */
const SIZES = {
  publishes: { full: '20000', quick: '1000' },
  'latency-seconds': { full: '5', quick: '1' },
  runs: { full: '3', quick: '1' },
} as const;

function parseOptions(): Options | undefined {
  const { values } = parseArgs({
    options: {
      publishes: { type: 'string' },
      workers: { type: 'string', default: '2' },
      consumers: { type: 'string', default: '10' },
      'latency-rate': { type: 'string', default: '1000' },
      'latency-seconds': { type: 'string' },
      runs: { type: 'string' },
      profile: { type: 'boolean', default: false },
      'worker-cpu-prof': { type: 'string' },
      envelope: { type: 'boolean', default: false },
      ...COMMON_OPTIONS,
    },
  });
  if (values.help) {
    return undefined;
  }
  const sized = sizeReader(SIZES, values.quick);
  return {
    publishes: sized('publishes', values.publishes),
    workers: positiveInteger('workers', values.workers),
    publishers: positiveInteger('concurrency', values.concurrency),
    consumers: positiveInteger('consumers', values.consumers),
    latencyRate: positiveInteger('latency-rate', values['latency-rate']),
    latencySeconds: sized('latency-seconds', values['latency-seconds']),
    runs: sized('runs', values.runs),
    profile: values.profile,
    workerCpuProf: values['worker-cpu-prof'],
    envelope: values.envelope,
    json: values.json,
  };
}

/** Every throughput configuration, the target's first in each repetition. */
const CONFIGS: readonly Config[] = [10, 1, 100].flatMap((fanout) =>
  (['batch', 'single'] as const).flatMap((kind) =>
    (['drained', 'delivered'] as const).map((completion) => ({
      fanout,
      kind,
      completion,
    })),
  ),
);

/** A topic per fan-out, each with queues of its own. */
async function createTopics(
  api: EngineApi,
  envelope: boolean,
): Promise<FanoutTopic[]> {
  const { engine } = api;
  const topics: FanoutTopic[] = [];
  for (const fanout of FANOUTS) {
    const topicArn = await engine.topics.createTopic(`bench-fanout-${fanout}`);
    const queues: string[] = [];
    for (let i = 0; i < fanout; i += 1) {
      const queue = await api.createQueue(`bench-f${fanout}-q${i}`);
      await engine.topics.subscribe(topicArn, {
        protocol: 'sqs',
        endpoint: queueArn(engine.scope, queue),
        attributes: { RawMessageDelivery: String(!envelope) },
      });
      queues.push(queue);
    }
    topics.push({ fanout, topicArn, queues, envelope });
  }
  return topics;
}

/** The measurements, in the order they run. */
class SnsBench {
  duplicates = 0;
  foreign = 0;

  constructor(
    private readonly admin: Redis,
    private readonly api: EngineApi,
    private readonly workers: SnsWorkers,
    private readonly topics: readonly FanoutTopic[],
    private readonly options: Options,
  ) {}

  private topic(fanout: number): FanoutTopic {
    return this.topics.find((t) => t.fanout === fanout)!;
  }

  publishesOf(fanout: number, scale = 1): number {
    const share = fanout >= 100 ? WIDE_SHARE : 1;
    return Math.max(
      10,
      Math.round((this.options.publishes * scale) / share / 10) * 10,
    );
  }

  async run(): Promise<SnsResults> {
    progress('warming up with a tenth of the publishes per configuration');
    await this.repetition(0.1);
    const runs: Record<string, ConfigFigures>[] = [];
    for (let i = 1; i <= this.options.runs; i += 1) {
      runs.push(await this.repetition(1));
      const target =
        runs[i - 1]![
          configKey({
            fanout: TARGET_FANOUT,
            kind: 'batch',
            completion: 'drained',
          })
        ]!;
      progress(
        `run ${i} of ${this.options.runs}: fan-out ${TARGET_FANOUT}, ` +
          `PublishBatch, consumed: ${Math.round(target.publishes_per_s)} ` +
          'publishes/s',
      );
    }
    const throughput: ConfigResult[] = CONFIGS.map((config) => ({
      config,
      publishes: this.publishesOf(config.fanout),
      figures: medians(runs.map((run) => run[configKey(config)]!)),
    }));
    const latency = [];
    for (const fanout of LATENCY_FANOUTS) {
      progress(
        `latency, fan-out ${fanout}: ${this.options.latencyRate} publishes/s ` +
          `for ${this.options.latencySeconds} s`,
      );
      latency.push(
        await fanoutLatency(this.api, this.topic(fanout), {
          rate: this.options.latencyRate,
          durationMs: this.options.latencySeconds * 1000,
          consumersPerQueue: LATENCY_CONSUMERS_PER_QUEUE,
        }),
      );
    }
    return {
      throughput,
      latency,
      latencyFanouts: LATENCY_FANOUTS,
      duplicates: this.duplicates,
      foreign: this.foreign,
      profile: this.options.profile ? await this.profile() : undefined,
    };
  }

  private async repetition(
    scale: number,
  ): Promise<Record<string, ConfigFigures>> {
    const figures: Record<string, ConfigFigures> = {};
    for (const config of CONFIGS) {
      figures[configKey(config)] = await this.measure(
        config,
        this.publishesOf(config.fanout, scale),
      );
    }
    return figures;
  }

  /**
   * One run; `wrap` surrounds its measured part (the profile's Redis
   * statistics). The untimed check of a `delivered` run is outside both.
   */
  private async measure(
    config: Config,
    publishes: number,
    wrap: (work: () => Promise<void>) => Promise<unknown> = (work) => work(),
  ): Promise<ConfigFigures> {
    const run = new FanoutRun(this.api, this.topic(config.fanout), {
      publishes,
      kind: config.kind,
      completion: config.completion,
      publishers: this.options.publishers,
      consumers: this.options.consumers,
    });
    // The delivery workers do the broker's part of SNS.
    const { costs } = await measureCosts(
      {
        broker: () => this.workers.cpuMs(),
        client: processCpuMs,
        redis: this.admin,
      },
      publishes * config.fanout,
      () => wrap(() => run.timed()),
    );
    const result = await run.check();
    this.duplicates += result.duplicates;
    this.foreign += result.foreign;
    return {
      publishes_per_s: result.publishesPerS,
      deliveries_per_s: result.deliveriesPerS,
      publish_only_per_s: result.publishOnlyPerS,
      // Every meter was given, so every cost is there.
      ...(costs as Required<MessageCosts>),
    };
  }

  /** One untimed run of the target's configuration, nobody consuming. */
  private async profile() {
    const config: Config = {
      fanout: TARGET_FANOUT,
      kind: 'batch',
      completion: 'delivered',
    };
    const publishes = Math.min(
      this.publishesOf(TARGET_FANOUT),
      MAX_PROFILED_PUBLISHES,
    );
    progress(`profiling Redis: ${publishes} publishes to ${TARGET_FANOUT}`);
    let profile: RedisProfile | undefined;
    await this.measure(config, publishes, async (work) => {
      profile = await profileRedis(this.admin, work);
    });
    return { config, publishes, profile: profile! };
  }
}

async function main(options: Options): Promise<void> {
  // Other processes' CPU use skews every figure: the report shows it.
  const [loadBefore] = loadavg();
  const closers = new Closers();
  // Every key of this run starts with the prefix, so cleanup finds them all.
  const prefix = `bench-${randomUUID().slice(0, 8)}`;
  try {
    const { redis, admin } = await openAdmin(closers, prefix);
    const api = EngineApi.open(redis.url, prefix);
    closers.add(() => api.close());
    const topics = await createTopics(api, options.envelope);
    const workers = await startSnsWorkers({
      count: options.workers,
      redisUrl: redis.url,
      keyPrefix: prefix,
      cpuProfileDir: options.workerCpuProf,
    });
    closers.add(() => workers.stop());
    progress(`${workers.count} delivery worker process(es) started`);
    const bench = new SnsBench(admin, api, workers, topics, options);
    const results = await bench.run();
    const context: SnsRunContext = {
      envelope: options.envelope,
      publishers: options.publishers,
      consumers: options.consumers,
      workers: options.workers,
      runs: options.runs,
      latencyRate: options.latencyRate,
      latencySeconds: options.latencySeconds,
      latencyConsumersPerQueue: LATENCY_CONSUMERS_PER_QUEUE,
      setting: [
        'engine (publishers, consumers): packages/core/src in this process; ' +
          `delivery: ${options.workers} bench/sns-worker.ts process(es) ` +
          `(QueueEngine + topics.startDelivery); redis ` +
          `${await redisVersion(admin)} (${redis.description})`,
        machine(loadBefore!),
      ],
    };
    console.log(renderSns(context, results));
    if (options.json) {
      console.log(snsJson(results));
    }
    if (results.duplicates + results.foreign > 0) {
      progress('a queue got a message twice or a stranger: see the report');
      process.exitCode = 1;
    }
  } finally {
    await closers.closeAll();
  }
}

runMain(USAGE, parseOptions, main);
