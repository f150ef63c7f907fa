import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { BullmqPeer } from './bullmq-peer';
import type { Redis } from 'ioredis';
import { costFigures, measureCosts, type MessageCosts } from './costs';
import { processCpuMs } from './cpu';
import {
  httpJson,
  renderHttp,
  type Duplicates,
  type HttpResults,
  type HttpRunContext,
  type RepeatedFigures,
} from './http-report';
import { latency, throughput, throughputTimeoutMs } from './http-workload';
import {
  COMMON_OPTIONS,
  Closers,
  log,
  machine,
  medians,
  openAdmin,
  positiveInteger,
  redisVersion,
  runMain,
  sizeReader,
} from './setup';
import { LeanApi, SdkApi, type SqsApi } from './sqs-clients';
import {
  startBrokerProcess,
  startMotoServer,
  type SqsServer,
} from './sqs-servers';
import { BATCH_SIZE, perSecond } from './workload';

const USAGE = `usage: npm run bench:http -- [--messages N] [--moto-messages N]
    [--concurrency N] [--latency-rate N] [--moto-latency-rate N]
    [--latency-seconds N] [--broker-cpu-prof DIR] [--quick] [--json]

Sluice over HTTP (the built broker in its own process: run \`npm run build\`
first) with the AWS SDK v3 and a lean keep-alive client, against BullMQ and
moto_server on this machine. See bench/README.md.`;

const REPETITIONS = 3;
/** Idle consumers do not spin, and the untimed tail of a run stays short. */
const WAIT_SECONDS = 1;
const LATENCY_CONSUMERS = 4;

interface Options {
  readonly messages: number;
  readonly motoMessages: number;
  readonly concurrency: number;
  readonly latencyRate: number;
  readonly motoLatencyRate: number;
  readonly latencyMs: number;
  readonly brokerCpuProf: string | undefined;
  readonly json: boolean;
}

/**
 * Defaults of a full run (about 1 min 40 s on two cores) and of --quick (a
 * smoke run of about 25 s). moto_server gets far fewer messages: it moves
 * tens per second.
 */
const SIZES = {
  messages: { full: '25000', quick: '2000' },
  'moto-messages': { full: '1000', quick: '200' },
  'latency-seconds': { full: '5', quick: '1' },
} as const;

function parseOptions(): Options | undefined {
  const { values } = parseArgs({
    options: {
      messages: { type: 'string' },
      'moto-messages': { type: 'string' },
      'latency-rate': { type: 'string', default: '1000' },
      'moto-latency-rate': { type: 'string', default: '50' },
      'latency-seconds': { type: 'string' },
      'broker-cpu-prof': { type: 'string' },
      ...COMMON_OPTIONS,
    },
  });
  if (values.help) {
    return undefined;
  }
  const sized = sizeReader(SIZES, values.quick);
  return {
    messages: sized('messages', values.messages),
    motoMessages: sized('moto-messages', values['moto-messages']),
    concurrency: positiveInteger('concurrency', values.concurrency),
    latencyRate: positiveInteger('latency-rate', values['latency-rate']),
    motoLatencyRate: positiveInteger(
      'moto-latency-rate',
      values['moto-latency-rate'],
    ),
    latencyMs: sized('latency-seconds', values['latency-seconds']) * 1000,
    brokerCpuProf: values['broker-cpu-prof'],
    json: values.json,
  };
}

interface Target {
  readonly server: SqsServer;
  /** the admin connection of the server's Redis; moto_server has none */
  readonly redis?: Redis;
  readonly api: SqsApi;
  readonly queueUrl: string;
}

interface Systems {
  readonly sluiceSdk: Target;
  readonly sluiceLean: Target;
  readonly motoSdk: Target;
  readonly motoLean: Target;
  readonly bullmq: BullmqPeer;
  /** the admin connection of BullMQ's own redis-server */
  readonly bullmqRedis: Redis;
}

interface TargetThroughput {
  readonly msgsPerS: number;
  /** the server process is the broker, this one the client */
  readonly costs: MessageCosts;
}

/** The measurements, in the order they run. */
class HttpBench {
  private readonly duplicates = { sluice: 0, moto: 0 };

  constructor(
    private readonly systems: Systems,
    private readonly options: Options,
  ) {}

  async run(): Promise<HttpResults> {
    const { options, systems } = this;
    const warmUp = Math.max(BATCH_SIZE, Math.round(options.messages / 10));
    log(`warming up with ${warmUp} messages per system`);
    await this.repetition(warmUp);
    const runs: RepeatedFigures[] = [];
    for (let i = 1; i <= REPETITIONS; i += 1) {
      const run = await this.repetition(options.messages);
      log(
        `run ${i} of ${REPETITIONS}: msg/s Sluice lean ` +
          `${Math.round(run.http_lean_msgs_per_s)}, Sluice SDK ` +
          `${Math.round(run.http_sdk_msgs_per_s)}, BullMQ ` +
          `${Math.round(run.bullmq_msgs_per_s)}`,
      );
      runs.push(run);
    }
    log(`moto_server: ${options.motoMessages} messages`);
    const moto = await this.throughput(
      systems.motoSdk,
      options.motoMessages,
      'moto',
    );
    log(`moto_server: ${Math.round(moto.msgsPerS)} msg/s`);
    return {
      rates: {
        ...medians(runs),
        moto_sdk_msgs_per_s: moto.msgsPerS,
        ...costFigures('moto_sdk', moto.costs),
      },
      latencies: {
        sluice: await this.latency(systems.sluiceLean, options.latencyRate),
        moto: await this.latency(systems.motoLean, options.motoLatencyRate),
        sluiceAtMotoRate: await this.latency(
          systems.sluiceLean,
          options.motoLatencyRate,
        ),
      },
      duplicates: { ...this.duplicates },
    };
  }

  /** Sluice with each client, then BullMQ. */
  private async repetition(messages: number): Promise<RepeatedFigures> {
    const { bullmq, bullmqRedis, sluiceLean, sluiceSdk } = this.systems;
    const sdk = await this.throughput(sluiceSdk, messages, 'sluice');
    const lean = await this.throughput(sluiceLean, messages, 'sluice');
    const bullmqRun = await measureCosts(
      { client: processCpuMs, redis: bullmqRedis },
      messages,
      () => perSecond(() => bullmq.run(messages)),
    );
    return {
      http_lean_msgs_per_s: lean.msgsPerS,
      http_sdk_msgs_per_s: sdk.msgsPerS,
      bullmq_msgs_per_s: bullmqRun.result,
      ...costFigures('http_lean', lean.costs),
      ...costFigures('http_sdk', sdk.costs),
      ...costFigures('bullmq', bullmqRun.costs),
    };
  }

  private async throughput(
    { server, redis, api, queueUrl }: Target,
    messages: number,
    system: keyof Duplicates,
  ): Promise<TargetThroughput> {
    const { result, costs } = await measureCosts(
      { broker: () => server.cpuMs(), client: processCpuMs, redis },
      messages,
      () =>
        throughput(api, queueUrl, {
          messages,
          producers: this.options.concurrency,
          consumers: this.options.concurrency,
          waitSeconds: WAIT_SECONDS,
          timeoutMs: throughputTimeoutMs(messages),
        }),
    );
    this.duplicates[system] += result.duplicates;
    return { msgsPerS: result.msgsPerS, costs };
  }

  private latency({ api, queueUrl }: Target, rate: number) {
    const durationMs = this.options.latencyMs;
    log(`latency at ${rate} msg/s for ${durationMs / 1000} s`);
    return latency(api, queueUrl, {
      rate,
      durationMs,
      consumers: LATENCY_CONSUMERS,
      waitSeconds: WAIT_SECONDS,
    });
  }
}

/** Both clients of one server, and the queue they share. */
async function openTargets(
  closers: Closers,
  server: SqsServer,
  redis: Redis | undefined,
  options: Options,
): Promise<{ sdk: Target; lean: Target }> {
  const { url } = server;
  // A socket per loop: producers and consumers never wait for one.
  const sockets = options.concurrency * 2;
  const sdk = new SdkApi(url, sockets);
  closers.add(() => sdk.close());
  const lean = new LeanApi(url, sockets);
  closers.add(() => lean.close());
  const queueUrl = await lean.createQueue('bench-http');
  closers.add(() => lean.deleteQueue(queueUrl));
  return {
    sdk: { server, redis, api: sdk, queueUrl },
    lean: { server, redis, api: lean, queueUrl },
  };
}

async function main(options: Options): Promise<void> {
  // Other processes' CPU use skews every figure: the report shows it.
  const [loadBefore] = loadavg();
  const closers = new Closers();
  // Every key of this run starts with the prefix, so cleanup finds them all.
  const prefix = `bench-${randomUUID().slice(0, 8)}`;
  try {
    const sluiceRedis = await openAdmin(closers, prefix);
    const bullmqRedis = await openAdmin(closers, prefix);
    const broker = await startBrokerProcess({
      redisUrl: sluiceRedis.redis.url,
      keyPrefix: prefix,
      cpuProfileDir: options.brokerCpuProf,
    });
    closers.add(() => broker.stop());
    log(`broker at ${broker.url}`);
    const moto = await startMotoServer();
    closers.add(() => moto.stop());
    log(`moto_server at ${moto.url}`);
    const sluice = await openTargets(
      closers,
      broker,
      sluiceRedis.admin,
      options,
    );
    const motoTargets = await openTargets(closers, moto, undefined, options);
    const bullmq = await BullmqPeer.open(
      bullmqRedis.redis.url,
      prefix,
      options.concurrency,
    );
    closers.add(() => bullmq.close());
    const results = await new HttpBench(
      {
        sluiceSdk: sluice.sdk,
        sluiceLean: sluice.lean,
        motoSdk: motoTargets.sdk,
        motoLean: motoTargets.lean,
        bullmq,
        bullmqRedis: bullmqRedis.admin,
      },
      options,
    ).run();
    const version = await redisVersion(sluiceRedis.admin);
    const context: HttpRunContext = {
      ...options,
      repetitions: REPETITIONS,
      waitSeconds: WAIT_SECONDS,
      latencyConsumers: LATENCY_CONSUMERS,
      setting: [
        `broker: packages/broker/dist/cli.js in its own process, on redis ` +
          `${version} (${sluiceRedis.redis.description}); BullMQ in this ` +
          `process, on ${bullmqRedis.redis.description}`,
        machine(loadBefore!),
      ],
    };
    console.log(renderHttp(context, results));
    if (options.json) {
      console.log(httpJson(context, results));
    }
  } finally {
    await closers.closeAll();
  }
}

runMain(USAGE, parseOptions, main);
