import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import type { Redis } from 'ioredis';
import { measureCosts } from './costs';
import { processCpuMs } from './cpu';
import { withDeadline } from './deadline';
import { EngineApi } from './engine-api';
import {
  BoundedRun,
  pacedSendsFor,
  stamp,
  throughputTimeoutMs,
  type PacedLimits,
} from './http-workload';
import {
  beeQueueLatency,
  bullmqLatency,
  RSMQ_IDLE_SLEEP_MS,
  rsmqLatency,
} from './latency-peers';
import { LatencyRecorder } from './latency-recorder';
import { latencyJson, renderLatency, type LatencyRun } from './latency-report';
import {
  LATENCY_SYSTEMS,
  type LatencySystemName,
} from './latency-system-names';
import {
  sluiceHttpLatency,
  sluiceRedisLatency,
  type LatencySystem,
} from './latency-systems';
import type { Closers } from './setup';
import {
  benchRun,
  COMMON_OPTIONS,
  listOf,
  log,
  machine,
  oneOf,
  openAdmin,
  positiveInteger,
  redisVersion,
  runMain,
  sizeReader,
} from './setup';
import { SdkApi } from './sqs-clients';
import { startBrokerProcess } from './sqs-servers';

const USAGE = `usage: npm run bench:latency -- [--rates 100,1000,10000]
    [--seconds N] [--max-messages N] [--concurrency N]
    [--systems ${LATENCY_SYSTEMS.join(',')}]
    [--quick] [--json]

Send → handler latency at fixed rates: one producer of single 1 KiB
messages, a consumer already waiting on the empty queue, for the worker
SDK over Redis and over HTTP (the built broker in its own process: run
\`npm run build\` first), BullMQ, bee-queue and RSMQ on the same
redis-server. See bench/README.md.`;

interface Options {
  readonly rates: readonly number[];
  readonly seconds: number;
  readonly maxMessages: number;
  readonly concurrency: number;
  readonly systems: readonly LatencySystemName[];
  readonly json: boolean;
}

/** Defaults of a full run (about 2 min on two cores) and of --quick. */
const SIZES = {
  seconds: { full: '5', quick: '1' },
  'max-messages': { full: '50000', quick: '1000' },
} as const;

/** A consumer and producer that take longer to stop fail the run. */
const CLOSE_MS = 10_000;
/** Time for a consumer to be waiting before the first send. */
const SETTLE_MS = 200;
/** Untimed, once per system: connections, scripts and JIT warmed up. */
const WARM_UP: PacedLimits = { rate: 1000, total: 200, durationMs: 1000 };

function parseOptions(): Options | undefined {
  const { values } = parseArgs({
    options: {
      ...COMMON_OPTIONS,
      rates: { type: 'string', default: '100,1000,10000' },
      seconds: { type: 'string' },
      'max-messages': { type: 'string' },
      systems: { type: 'string', default: LATENCY_SYSTEMS.join(',') },
    },
  });
  if (values.help) {
    return undefined;
  }
  const sized = sizeReader(SIZES, values.quick);
  return {
    rates: listOf('rates', values.rates, (item) =>
      positiveInteger('rates', item),
    ),
    seconds: sized('seconds', values.seconds),
    maxMessages: sized('max-messages', values['max-messages']),
    concurrency: positiveInteger('concurrency', values.concurrency),
    systems: listOf(
      'systems',
      values.systems,
      oneOf('system', LATENCY_SYSTEMS),
    ),
    json: values.json,
  };
}

class LatencyBench {
  private lanes = 0;

  constructor(
    private readonly admin: Redis,
    private readonly options: Options,
  ) {}

  /**
   * One run on a new queue: the consumer started and given time to wait,
   * then the paced sends, until every message sent reached the handler.
   */
  async measure(
    system: LatencySystem,
    limits: PacedLimits,
  ): Promise<LatencyRun> {
    // A system behind the rate drains a backlog after the sends: slowly,
    // but a run handling under 100 msg/s fails.
    const run = new BoundedRun(
      `${system.name} at ${limits.rate} msg/s`,
      limits.durationMs + throughputTimeoutMs(limits.total),
    );
    const recorder = new LatencyRecorder(run);
    this.lanes += 1;
    const lane = await system.open(
      `latency-${limits.rate}-${this.lanes}`,
      recorder,
      this.options.concurrency,
    );
    let achievedRate = NaN;
    try {
      await sleep(SETTLE_MS);
      const { costs } = await measureCosts(
        {
          client: processCpuMs,
          redis: this.admin,
          broker: () => system.brokerCpuMs(),
        },
        () => recorder.summary().messages,
        async () => {
          const sent = await pacedSendsFor(run, limits, (sentAt) =>
            lane.send(stamp(sentAt)),
          );
          await recorder.waitFor(sent.sent);
          achievedRate = sent.rate;
        },
      );
      return {
        system: system.name,
        rate: limits.rate,
        achievedRate,
        ...recorder.summary(),
        clientCpuUsPerMsg: costs.client_cpu_us_per_msg!,
        redisCpuUsPerMsg: costs.redis_cpu_us_per_msg!,
        brokerCpuUsPerMsg: costs.broker_cpu_us_per_msg!,
        redisCommandsPerMsg: costs.redis_commands_per_msg!,
      };
    } finally {
      await withDeadline(lane.close(), CLOSE_MS, `${system.name}: close`);
    }
  }

  /** Every rate, every system in turn: a slow spell hits them all. */
  async run(systems: readonly LatencySystem[]): Promise<LatencyRun[]> {
    const { rates, seconds, maxMessages } = this.options;
    for (const system of systems) {
      log(`${system.name}: warming up`);
      await this.measure(system, WARM_UP);
    }
    const runs: LatencyRun[] = [];
    for (const rate of rates) {
      const total = Math.max(2, Math.min(maxMessages, rate * seconds));
      const limits = { rate, total, durationMs: (total * 1000) / rate };
      log(`${rate} msg/s: ${total} messages per system`);
      for (const system of systems) {
        const result = await this.measure(system, limits);
        log(
          `  ${system.name}: p50 ${result.p50Ms.toFixed(2)} ms, ` +
            `p99 ${result.p99Ms.toFixed(2)} ms, ` +
            `sent ${Math.round(result.achievedRate)} msg/s`,
        );
        runs.push(result);
      }
    }
    return runs;
  }
}

/** The broker both HTTP systems talk to, started only when one runs. */
async function openBroker(
  closers: Closers,
  url: string,
  prefix: string,
): Promise<{ sdk: SdkApi; brokerCpuMs: () => number }> {
  const broker = await startBrokerProcess({ redisUrl: url, keyPrefix: prefix });
  closers.add(() => broker.stop());
  log(`broker at ${broker.url}`);
  // A keep-alive socket for every send in flight and the consumer's polls.
  const sdk = new SdkApi(broker.url, 256);
  closers.add(() => sdk.close());
  return { sdk, brokerCpuMs: () => broker.cpuMs() };
}

async function openSystems(
  closers: Closers,
  url: string,
  prefix: string,
  names: readonly LatencySystemName[],
): Promise<LatencySystem[]> {
  const http = names.some((name) => name.startsWith('sluice_http'))
    ? await openBroker(closers, url, `${prefix}:broker`)
    : undefined;
  return names.map((name) => {
    // Under the run's prefix, so its keys go with the run's.
    const systemPrefix = `${prefix}:${name}`;
    let system: LatencySystem;
    if (name === 'sluice_redis') {
      const api = EngineApi.open(url, systemPrefix);
      closers.add(() => api.close());
      system = sluiceRedisLatency(api);
    } else if (name === 'sluice_http_lean' || name === 'sluice_http_sdk') {
      system = sluiceHttpLatency(name, http!.sdk, http!.brokerCpuMs);
    } else if (name === 'bullmq') {
      system = bullmqLatency(url, systemPrefix);
    } else if (name === 'bee_queue') {
      system = beeQueueLatency(url, systemPrefix);
    } else {
      system = rsmqLatency(url, systemPrefix);
    }
    closers.add(() => system.close());
    return system;
  });
}

function main(options: Options): Promise<void> {
  return benchRun(async ({ closers, prefix, loadBefore }) => {
    const { redis, admin } = await openAdmin(closers, prefix);
    const systems = await openSystems(
      closers,
      redis.url,
      prefix,
      options.systems,
    );
    const runs = await new LatencyBench(admin, options).run(systems);
    const context = {
      seconds: options.seconds,
      maxMessages: options.maxMessages,
      concurrency: options.concurrency,
      setting: [
        'producer and consumer of each system in this process: the worker ' +
          'SDK Producer.send and Consumer (defaults: long polls of 20 s, ' +
          'batches of 10, prefetch 10), Queue.add and a BullMQ Worker, ' +
          'createJob().save() and bee-queue process(), RSMQ sendMessage ' +
          `and receiveMessage loops sleeping ${RSMQ_IDLE_SLEEP_MS} ms when ` +
          'empty; sluice_http_*: packages/broker/dist/cli.js in a process ' +
          'of its own, over keep-alive sockets; one redis-server ' +
          `${await redisVersion(admin)} (${redis.description})`,
        machine(loadBefore),
      ],
    };
    console.log(renderLatency(context, runs));
    if (options.json) {
      console.log(latencyJson(runs));
    }
  });
}

runMain(USAGE, parseOptions, main);
