import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import type { Redis } from 'ioredis';
import { measureCosts, type MessageCosts } from './costs';
import { processCpuMs, type CpuMeter } from './cpu';
import { EngineApi } from './engine-api';
import {
  fifoJson,
  renderFifo,
  violationsOf,
  type Correctness,
  type Figures,
  type FifoRunContext,
  type ProfiledRun,
} from './fifo-report';
import { TaggedTraffic } from './fifo-traffic';
import {
  TARGET_WORKLOAD,
  TRANSPORTS,
  WORKLOADS,
  figure,
  queueAttributes,
  queueName,
  type Transport,
  type Workload,
  type WorkloadKey,
} from './fifo-workloads';
import { times } from './format';
import { throughput, throughputTimeoutMs } from './http-workload';
import { profileRedis } from './redis-profile';
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
import { startBrokerProcess } from './sqs-servers';
import { BATCH_SIZE } from './workload';

const USAGE = `usage: npm run bench:fifo -- [--messages N] [--engine-messages N]
    [--concurrency N] [--backlog N] [--profile] [--broker-cpu-prof DIR]
    [--quick] [--json]

FIFO queues with 1, 10 and 1,000 message groups against a standard queue,
on the engine and over HTTP (the built broker in its own process: run
\`npm run build\` first), all on one redis-server. See bench/README.md.`;

const REPETITIONS = 3;
/** Idle consumers do not spin, and the untimed tail of a run stays short. */
const WAIT_SECONDS = 1;
/** The slow log keeps every command: a profiled run stays small. */
const MAX_PROFILED_MESSAGES = 5000;
/** Examples of violations kept per workload and transport, for the report */
const MAX_EXAMPLES = 5;
/** The SDK's runs are bound by the client's CPU, not by Sluice. */
const PROFILED_TRANSPORTS: readonly Transport['key'][] = [
  'engine',
  'http_lean',
];

interface Options {
  /** per run over HTTP */
  readonly messages: number;
  /** per run on the engine, several times faster */
  readonly engineMessages: number;
  readonly concurrency: number;
  /** most messages sent and not yet received; undefined: no bound */
  readonly backlog: number | undefined;
  readonly profile: boolean;
  readonly brokerCpuProf: string | undefined;
  readonly json: boolean;
}

/**
 * Defaults of a full run (about 4 min on two cores) and of --quick (about
 * 1 min, most of it the long polls that end each run).
 */
const SIZES = {
  messages: { full: '20000', quick: '1000' },
  'engine-messages': { full: '50000', quick: '1000' },
} as const;

function parseOptions(): Options | undefined {
  const { values } = parseArgs({
    options: {
      messages: { type: 'string' },
      'engine-messages': { type: 'string' },
      backlog: { type: 'string', default: '1000' },
      profile: { type: 'boolean', default: false },
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
    engineMessages: sized('engine-messages', values['engine-messages']),
    concurrency: positiveInteger('concurrency', values.concurrency),
    backlog:
      values.backlog === '0'
        ? undefined
        : positiveInteger('backlog', values.backlog),
    profile: values.profile,
    brokerCpuProf: values['broker-cpu-prof'],
    json: values.json,
  };
}

/** One way to reach Sluice, with a queue per workload. */
interface Target {
  readonly transport: Transport;
  /** per measured run */
  readonly messages: number;
  readonly api: SqsApi;
  /** the broker process; the engine runs in this one, the client */
  readonly broker?: CpuMeter;
  readonly queues: Readonly<Record<WorkloadKey, string>>;
}

interface RunFigures {
  readonly msgsPerS: number;
  readonly costs: MessageCosts;
}

/** The measurements, in the order they run. */
class FifoBench {
  readonly correctness: Correctness[] = [];

  constructor(
    private readonly admin: Redis,
    private readonly targets: readonly Target[],
    private readonly options: Options,
  ) {
    for (const { transport } of targets) {
      for (const workload of WORKLOADS) {
        this.correctness.push({
          transport,
          workload,
          runs: 0,
          duplicates: 0,
          outOfOrder: 0,
          foreign: 0,
          examples: [],
        });
      }
    }
  }

  async run(): Promise<Figures> {
    log('warming up with a tenth of the messages per workload');
    await this.repetition(0.1);
    const runs: Figures[] = [];
    for (let i = 1; i <= REPETITIONS; i += 1) {
      const run = await this.repetition(1);
      log(
        `run ${i} of ${REPETITIONS}, ${TARGET_WORKLOAD} / standard: ` +
          this.targets
            .map(({ transport }) => {
              const ratio =
                run[figure(transport.key, TARGET_WORKLOAD, 'vs_standard')]!;
              return `${transport.label} ${times(ratio)}`;
            })
            .join('; '),
      );
      runs.push(run);
    }
    return medians(runs);
  }

  /**
   * Every workload over every transport, each against the standard queue of
   * the same repetition; `scale` × each transport's messages.
   */
  private async repetition(scale: number): Promise<Figures> {
    const figures: Figures = {};
    for (const target of this.targets) {
      const key = target.transport.key;
      const messages = Math.max(
        BATCH_SIZE,
        Math.round(target.messages * scale),
      );
      for (const workload of WORKLOADS) {
        const run = await this.measure(target, workload, messages);
        figures[figure(key, workload.key, 'msgs_per_s')] = run.msgsPerS;
        for (const [name, value] of Object.entries(run.costs)) {
          figures[figure(key, workload.key, name)] = value;
        }
      }
      const standard = figures[figure(key, 'standard', 'msgs_per_s')]!;
      for (const workload of WORKLOADS) {
        figures[figure(key, workload.key, 'vs_standard')] =
          figures[figure(key, workload.key, 'msgs_per_s')]! / standard;
      }
    }
    return figures;
  }

  private async measure(
    target: Target,
    workload: Workload,
    messages: number,
  ): Promise<RunFigures> {
    const traffic = new TaggedTraffic(
      Math.max(1, workload.groups),
      workload.groups > 0,
    );
    const { result, costs } = await measureCosts(
      { broker: target.broker, client: processCpuMs, redis: this.admin },
      messages,
      () =>
        throughput(target.api, target.queues[workload.key], {
          messages,
          producers: this.options.concurrency,
          consumers: this.options.concurrency,
          waitSeconds: WAIT_SECONDS,
          timeoutMs: throughputTimeoutMs(messages),
          traffic,
          maxBacklog: this.options.backlog,
        }),
    );
    const record = this.correctness.find(
      (c) => c.transport === target.transport && c.workload === workload,
    )!;
    const { violations } = traffic;
    record.runs += 1;
    record.duplicates += result.duplicates;
    record.outOfOrder += violations.outOfOrder;
    record.foreign += violations.foreign;
    record.examples.push(
      ...violations.examples.slice(0, MAX_EXAMPLES - record.examples.length),
    );
    return { msgsPerS: result.msgsPerS, costs };
  }

  /** One untimed run per workload: where Redis spends its time. */
  async profile(): Promise<ProfiledRun[]> {
    const profiled: ProfiledRun[] = [];
    for (const target of this.targets) {
      if (!PROFILED_TRANSPORTS.includes(target.transport.key)) {
        continue;
      }
      const messages = Math.min(target.messages, MAX_PROFILED_MESSAGES);
      for (const workload of WORKLOADS) {
        log(`profiling ${target.transport.label}, ${workload.label}`);
        const profile = await profileRedis(this.admin, () =>
          this.measure(target, workload, messages),
        );
        profiled.push({
          transport: target.transport,
          workload,
          messages,
          profile,
        });
      }
    }
    return profiled;
  }
}

async function createQueues(
  api: SqsApi,
  transport: string,
): Promise<Record<WorkloadKey, string>> {
  const queues: Partial<Record<WorkloadKey, string>> = {};
  for (const workload of WORKLOADS) {
    queues[workload.key] = await api.createQueue(
      queueName(transport, workload),
      queueAttributes(workload),
    );
  }
  return queues as Record<WorkloadKey, string>;
}

const transport = (key: Transport['key']) =>
  TRANSPORTS.find((t) => t.key === key)!;

async function main(options: Options): Promise<void> {
  // Other processes' CPU use skews every figure: the report shows it.
  const [loadBefore] = loadavg();
  const closers = new Closers();
  // Every key of this run starts with the prefix, so cleanup finds them all.
  const prefix = `bench-${randomUUID().slice(0, 8)}`;
  try {
    const { redis, admin } = await openAdmin(closers, prefix);
    const broker = await startBrokerProcess({
      redisUrl: redis.url,
      keyPrefix: prefix,
      cpuProfileDir: options.brokerCpuProf,
    });
    closers.add(() => broker.stop());
    log(`broker at ${broker.url}`);
    const engine = EngineApi.open(redis.url, prefix);
    closers.add(() => engine.close());
    // A socket per loop: producers and consumers never wait for one.
    const sockets = options.concurrency * 2;
    const lean = new LeanApi(broker.url, sockets);
    closers.add(() => lean.close());
    const sdk = new SdkApi(broker.url, sockets);
    closers.add(() => sdk.close());
    const httpQueues = await createQueues(lean, 'http');
    const brokerCpu = () => broker.cpuMs();
    const targets: Target[] = [
      {
        transport: transport('engine'),
        messages: options.engineMessages,
        api: engine,
        queues: await createQueues(engine, 'engine'),
      },
      {
        transport: transport('http_lean'),
        messages: options.messages,
        api: lean,
        broker: brokerCpu,
        queues: httpQueues,
      },
      {
        transport: transport('http_sdk'),
        messages: options.messages,
        api: sdk,
        broker: brokerCpu,
        queues: httpQueues,
      },
    ];
    const bench = new FifoBench(admin, targets, options);
    const figures = await bench.run();
    const profiles = options.profile ? await bench.profile() : [];
    const context: FifoRunContext = {
      messages: options.messages,
      engineMessages: options.engineMessages,
      concurrency: options.concurrency,
      backlog: options.backlog,
      repetitions: REPETITIONS,
      waitSeconds: WAIT_SECONDS,
      transports: targets.map((t) => t.transport),
      setting: [
        `engine: packages/core/src in this process; broker: ` +
          `packages/broker/dist/cli.js in its own process; both on redis ` +
          `${await redisVersion(admin)} (${redis.description})`,
        machine(loadBefore!),
      ],
    };
    const results = { figures, correctness: bench.correctness, profiles };
    console.log(renderFifo(context, results));
    if (options.json) {
      console.log(fifoJson(context, results));
    }
    if (bench.correctness.some((c) => violationsOf(c) > 0)) {
      log('FIFO promises broke: see "correctness" in the report');
      process.exitCode = 1;
    }
  } finally {
    await closers.closeAll();
  }
}

runMain(USAGE, parseOptions, main);
