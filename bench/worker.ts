import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import type { Redis } from 'ioredis';
import { SYSTEMS, type BacklogSystem, type SystemName } from './backlog';
import { BeeQueuePeer } from './bee-queue-peer';
import { BullmqBacklog } from './bullmq-peer';
import { measureCosts } from './costs';
import { processCpuMs } from './cpu';
import { deadlineMs, withDeadline } from './deadline';
import { EngineApi } from './engine-api';
import { deleteKeys } from './redis-tools';
import { RsmqPeer } from './rsmq-peer';
import {
  COMMON_OPTIONS,
  Closers,
  listOf,
  log,
  machine,
  medians,
  oneOf,
  openAdmin,
  positiveInteger,
  redisVersion,
  runMain,
  sizeReader,
} from './setup';
import { SdkApi } from './sqs-clients';
import {
  startBrokerProcess,
  startMotoServer,
  type SqsServer,
} from './sqs-servers';
import { MotoSystem } from './worker-moto';
import { sluiceHttp, sluiceRedis } from './worker-sluice';
import {
  renderWorker,
  workerJson,
  type Cell,
  type DrainFigures,
  type WorkerRunContext,
} from './worker-report';

const USAGE = `usage: npm run bench:worker -- [--messages N] [--moto-messages N]
    [--concurrency 1,10,50] [--runs N]
    [--systems sluice-redis,sluice-http,sluice-http-lean,bullmq,rsmq,bee-queue,moto]
    [--broker-cpu-prof DIR] [--quick] [--json]

The worker SDK's Consumer draining a pre-filled backlog with a no-op
handler, over the Redis transport and over HTTP with the AWS SDK and with the
lean client (the built broker in its own process: run \`npm run build\`
first), beside a BullMQ Worker, RSMQ receive + delete loops and a bee-queue
worker on the same redis-server, and the same Consumer against moto_server.
See bench/README.md.`;

interface Options {
  readonly messages: number;
  /** moto_server's backlog: it moves tens to hundreds of messages a second */
  readonly motoMessages: number;
  readonly concurrencies: readonly number[];
  readonly runs: number;
  readonly systems: readonly SystemName[];
  readonly brokerCpuProf: string | undefined;
  readonly json: boolean;
}

/** Defaults of a full run (about 2 min on two cores) and of --quick. */
const SIZES = {
  messages: { full: '20000', quick: '1000' },
  'moto-messages': { full: '1000', quick: '100' },
  runs: { full: '3', quick: '1' },
} as const;

function parseOptions(): Options | undefined {
  const { values } = parseArgs({
    options: {
      ...COMMON_OPTIONS,
      messages: { type: 'string' },
      'moto-messages': { type: 'string' },
      concurrency: { type: 'string', default: '1,10,50' },
      runs: { type: 'string' },
      systems: { type: 'string', default: SYSTEMS.join(',') },
      'broker-cpu-prof': { type: 'string' },
    },
  });
  if (values.help) {
    return undefined;
  }
  const sized = sizeReader(SIZES, values.quick);
  return {
    messages: sized('messages', values.messages),
    motoMessages: sized('moto-messages', values['moto-messages']),
    concurrencies: listOf('concurrency', values.concurrency, (item) =>
      positiveInteger('concurrency', item),
    ),
    runs: sized('runs', values.runs),
    systems: listOf('systems', values.systems, oneOf('system', SYSTEMS)),
    brokerCpuProf: values['broker-cpu-prof'],
    json: values.json,
  };
}

/** moto_server is measured in the first run only: it is that slow. */
const ONCE: ReadonlySet<SystemName> = new Set(['moto']);

/** What a slow spell of each system may need per message, ms. */
const perMessageMs = (system: SystemName) => (system === 'moto' ? 100 : 5);

class WorkerBench {
  constructor(
    private readonly admin: Redis,
    /** the server process of each system that goes through one */
    private readonly brokers: ReadonlyMap<SystemName, SqsServer>,
    private readonly systems: readonly BacklogSystem[],
    private readonly options: Options,
  ) {}

  /** Fills the system's queue (untimed), then times one drain of it. */
  async drain(
    system: BacklogSystem,
    messages: number,
    concurrency: number,
  ): Promise<DrainFigures> {
    await system.fill(messages);
    const drain = await system.consumer(messages, concurrency);
    const what = `${system.name} at concurrency ${concurrency}`;
    const server = this.brokers.get(system.name);
    const { result: ms, costs } = await measureCosts(
      {
        broker: server && (() => server.cpuMs()),
        client: processCpuMs,
        // moto_server keeps its queues in its own memory.
        redis: system.name === 'moto' ? undefined : this.admin,
      },
      messages,
      async () => {
        const started = performance.now();
        await withDeadline(
          drain.run(),
          deadlineMs(messages, perMessageMs(system.name)),
          what,
        );
        return performance.now() - started;
      },
    );
    await drain.close();
    return { msgs_per_s: (messages * 1000) / ms, ...costs };
  }

  /** The backlog of one drain, `scale` × the system's size. */
  private messagesOf(system: BacklogSystem, scale: number): number {
    const { messages, motoMessages } = this.options;
    const full = system.name === 'moto' ? motoMessages : messages;
    return Math.max(10, Math.round(full * scale));
  }

  /** Every concurrency, every system in turn: a slow spell hits them all. */
  async repetition(
    scale: number,
    first: boolean,
  ): Promise<Map<number, Partial<Cell>>> {
    const cells = new Map<number, Partial<Cell>>();
    for (const concurrency of this.options.concurrencies) {
      const cell: Partial<Record<SystemName, DrainFigures>> = {};
      for (const system of this.systems) {
        if (first || !ONCE.has(system.name)) {
          cell[system.name] = await this.drain(
            system,
            this.messagesOf(system, scale),
            concurrency,
          );
        }
      }
      cells.set(concurrency, cell);
      log(
        `concurrency ${concurrency}: ` +
          Object.entries(cell)
            .map(([name, f]) => `${name} ${Math.round(f.msgs_per_s)}`)
            .join(', ') +
          ' msg/s',
      );
    }
    return cells;
  }

  async run(): Promise<Map<number, Partial<Cell>>> {
    const { messages, runs, concurrencies } = this.options;
    log('warming up: a tenth of the backlog per system');
    for (const system of this.systems) {
      await this.drain(
        system,
        this.messagesOf(system, 0.1),
        Math.max(...concurrencies),
      );
    }
    const repetitions: Map<number, Partial<Cell>>[] = [];
    for (let i = 1; i <= runs; i += 1) {
      log(`run ${i} of ${runs}: ${messages} messages per drain`);
      repetitions.push(await this.repetition(1, i === 1));
    }
    return new Map(
      concurrencies.map((concurrency) => {
        const cell: Partial<Record<SystemName, DrainFigures>> = {};
        for (const { name } of this.systems) {
          cell[name] = medians(
            repetitions.flatMap((r) => r.get(concurrency)![name] ?? []),
          );
        }
        return [concurrency, cell];
      }),
    );
  }
}

async function openSystems(
  closers: Closers,
  url: string,
  prefix: string,
  options: Options,
  brokers: Map<SystemName, SqsServer>,
): Promise<BacklogSystem[]> {
  const systems: BacklogSystem[] = [];
  for (const name of options.systems) {
    // A key prefix per system, its keys deleted at the end.
    const systemPrefix = `${prefix}-${name}`;
    let system: BacklogSystem;
    if (name === 'sluice-redis') {
      const api = EngineApi.open(url, systemPrefix);
      closers.add(() => api.close());
      system = await sluiceRedis(api);
    } else if (name === 'sluice-http' || name === 'sluice-http-lean') {
      const broker = await startBrokerProcess({
        redisUrl: url,
        keyPrefix: systemPrefix,
        cpuProfileDir: options.brokerCpuProf,
      });
      closers.add(() => broker.stop());
      log(`${name}: broker at ${broker.url}`);
      brokers.set(name, broker);
      // A keep-alive socket for every request a consumer can have out.
      const sdk = new SdkApi(
        broker.url,
        Math.max(...options.concurrencies) + 20,
      );
      closers.add(() => sdk.close());
      const filler = EngineApi.open(url, systemPrefix);
      closers.add(() => filler.close());
      system = await sluiceHttp(name, sdk, filler);
    } else if (name === 'bullmq') {
      system = await BullmqBacklog.open(url, systemPrefix);
    } else if (name === 'rsmq') {
      system = await RsmqPeer.open(url, systemPrefix);
    } else if (name === 'bee-queue') {
      system = await BeeQueuePeer.open(url, systemPrefix);
    } else {
      const moto = await startMotoServer();
      closers.add(() => moto.stop());
      log(`moto: moto_server at ${moto.url}`);
      brokers.set(name, moto);
      const sdk = new SdkApi(moto.url, Math.max(...options.concurrencies) + 20);
      closers.add(() => sdk.close());
      system = new MotoSystem(sdk);
    }
    closers.add(() => system.close());
    systems.push(system);
  }
  return systems;
}

async function main(options: Options): Promise<void> {
  // Other processes' CPU use skews every figure: the report shows it.
  const [loadBefore] = loadavg();
  const closers = new Closers();
  const prefix = `bench-${randomUUID().slice(0, 8)}`;
  try {
    const { redis, admin } = await openAdmin(closers, prefix);
    for (const name of options.systems) {
      closers.add(() => deleteKeys(admin, `${prefix}-${name}`));
    }
    const brokers = new Map<SystemName, SqsServer>();
    const systems = await openSystems(
      closers,
      redis.url,
      prefix,
      options,
      brokers,
    );
    const cells = await new WorkerBench(admin, brokers, systems, options).run();
    const context: WorkerRunContext = {
      messages: options.messages,
      motoMessages: options.motoMessages,
      runs: options.runs,
      setting: [
        'consumers in this process: the worker SDK Consumer (all options ' +
          'at their defaults but concurrency: batches of 10, prefetch 10, ' +
          'long polls of 20 s), a BullMQ Worker, RSMQ loops, a bee-queue ' +
          'worker; moto: moto_server in a process of its own, reached with ' +
          'the AWS SDK v3; brokers: ' +
          'packages/broker/dist/cli.js in a process of its own per HTTP ' +
          'system, reached over keep-alive sockets with the AWS SDK v3 ' +
          '(sluice-http) or the lean JSON client (sluice-http-lean); one ' +
          'redis-server ' +
          `${await redisVersion(admin)} (${redis.description}), a key ` +
          'prefix per system',
        machine(loadBefore!),
      ],
    };
    console.log(renderWorker(context, { cells }));
    if (options.json) {
      console.log(workerJson({ cells }));
    }
  } finally {
    await closers.closeAll();
  }
}

runMain(USAGE, parseOptions, main);
