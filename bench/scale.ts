import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import type { Redis } from 'ioredis';
import type { ProducingPeer } from './backlog';
import { BeeQueuePeer } from './bee-queue-peer';
import { BullmqBacklog } from './bullmq-peer';
import { EngineApi } from './engine-api';
import { deleteKeys } from './redis-tools';
import { RsmqPeer } from './rsmq-peer';
import {
  measureBacklog,
  peerScale,
  sluiceScale,
  type ScaleSystem,
} from './scale-backlog';
import { measureQueues } from './scale-queues';
import {
  renderScale,
  scaleJson,
  type ScaleContext,
  type SystemScale,
} from './scale-report';
import {
  COMMON_OPTIONS,
  Closers,
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
import { SluiceQueue } from './sluice-queue';

const PEERS: Record<
  'bullmq' | 'rsmq' | 'bee-queue',
  (url: string, prefix: string) => Promise<ProducingPeer>
> = {
  bullmq: (url, prefix) => BullmqBacklog.open(url, prefix),
  rsmq: (url, prefix) => RsmqPeer.open(url, prefix),
  'bee-queue': (url, prefix) => BeeQueuePeer.open(url, prefix),
};
type PeerName = keyof typeof PEERS;
const PEER_NAMES = Object.keys(PEERS) as PeerName[];

const USAGE = `usage: npm run bench:scale -- [options]

Sluice's engine with backlogs of 10k, 100k and 1M messages of 1 KiB in one
queue (fill, a cycle on the backlog, drain, Redis memory per message), the
same for BullMQ, RSMQ and bee-queue, then 1,000 queues active at once.

  --sizes a,b,...         Sluice's backlogs (default 10000,100000,1000000;
                          10000 with --quick); the smallest is the reference
  --peer-sizes a,b,...    the peers' backlogs (default 10000,100000; 10000
                          with --quick); add 1000000 for theirs, minutes each
  --peers a,b,...         ${PEER_NAMES.join(',')} (default all)
  --cycle-messages N      messages of the cycle on each backlog (default
                          20000; 2000 with --quick)
  --warm-up N             messages of each system's untimed warm-up backlog
                          (default 10000; 2000 with --quick)
  --queues N              queues active at once (default 1000; 100 --quick)
  --queue-messages N      messages per run over them (default 50000; 5000)
  --concurrency N         client loops of every phase (default 10)
  --quick                 small run for a smoke test
  --json                  also one JSON object, the last stdout line
  REDIS_URL               use this Redis instead of a private redis-server`;

const SIZES = {
  sizes: { full: '10000,100000,1000000', quick: '10000' },
  'peer-sizes': { full: '10000,100000', quick: '10000' },
  'cycle-messages': { full: '20000', quick: '2000' },
  'warm-up': { full: '10000', quick: '2000' },
  queues: { full: '1000', quick: '100' },
  'queue-messages': { full: '50000', quick: '5000' },
} as const;

interface Options {
  readonly sizes: readonly number[];
  readonly peerSizes: readonly number[];
  readonly peers: readonly PeerName[];
  readonly cycleMessages: number;
  readonly warmUp: number;
  readonly queues: number;
  readonly queueMessages: number;
  readonly concurrency: number;
  readonly json: boolean;
}

function parseOptions(): Options | undefined {
  const { values } = parseArgs({
    options: {
      ...COMMON_OPTIONS,
      sizes: { type: 'string' },
      'peer-sizes': { type: 'string' },
      peers: { type: 'string', default: PEER_NAMES.join(',') },
      'cycle-messages': { type: 'string' },
      'warm-up': { type: 'string' },
      queues: { type: 'string' },
      'queue-messages': { type: 'string' },
    },
  });
  if (values.help) {
    return undefined;
  }
  const sized = sizeReader(SIZES, values.quick);
  const sizeList = (name: 'sizes' | 'peer-sizes', raw: string | undefined) =>
    listOf(name, raw ?? SIZES[name][values.quick ? 'quick' : 'full'], (item) =>
      positiveInteger(name, item),
    ).sort((a, b) => a - b);
  return {
    sizes: sizeList('sizes', values.sizes),
    peerSizes: sizeList('peer-sizes', values['peer-sizes']),
    peers:
      values.peers === ''
        ? []
        : listOf('peers', values.peers, oneOf('peer', PEER_NAMES)),
    cycleMessages: sized('cycle-messages', values['cycle-messages']),
    warmUp: sized('warm-up', values['warm-up']),
    queues: sized('queues', values.queues),
    queueMessages: sized('queue-messages', values['queue-messages']),
    concurrency: positiveInteger('concurrency', values.concurrency),
    json: values.json,
  };
}

/** Every backlog size of one system, smallest first. */
async function measureSystem(
  admin: Redis,
  system: ScaleSystem,
  sizes: readonly number[],
  options: Options,
): Promise<SystemScale> {
  // Untimed warm-up: the first backlog would otherwise carry the JIT's and
  // the connections' start, and it is the reference of the growth ratios.
  const warmUp = Math.min(sizes[0]!, options.warmUp);
  log(`${system.key}: warm-up with ${warmUp} messages`);
  await measureBacklog(admin, system, warmUp, options.concurrency, warmUp);
  const backlogs = [];
  for (const size of sizes) {
    backlogs.push(
      await measureBacklog(
        admin,
        system,
        size,
        options.concurrency,
        options.cycleMessages,
      ),
    );
  }
  return { key: system.key, backlogs };
}

/** Sizes Sluice ran that the peers did not, said in the report. */
function leftOut(options: Options): string | undefined {
  const missing = options.sizes.filter((s) => !options.peerSizes.includes(s));
  if (options.peers.length === 0 || missing.length === 0) {
    return undefined;
  }
  return (
    `peers not run at ${missing.map((s) => s.toLocaleString('en-US')).join(', ')} ` +
    'messages: a fill and a drain of a million take a peer minutes on two ' +
    "cores, past the full run's budget of about 4 minutes " +
    `(--peer-sizes ${options.sizes.join(',')} runs them)`
  );
}

async function main(options: Options): Promise<void> {
  const [loadBefore] = loadavg();
  const closers = new Closers();
  const prefix = `bench-scale-${randomUUID().slice(0, 8)}`;
  try {
    const { redis, admin } = await openAdmin(closers, prefix);
    const systems: SystemScale[] = [];
    // A prefix per system, its keys deleted once it is done, so what one
    // leaves behind does not sit in Redis while the next is measured.
    const withPrefix = async <T>(
      name: string,
      run: (systemPrefix: string) => Promise<T>,
    ): Promise<T> => {
      const systemPrefix = `${prefix}-${name}`;
      try {
        return await run(systemPrefix);
      } finally {
        await deleteKeys(admin, systemPrefix);
      }
    };
    await withPrefix('sluice', async (systemPrefix) => {
      const queue = await SluiceQueue.open(redis.url, systemPrefix);
      try {
        systems.push(
          await measureSystem(
            admin,
            sluiceScale(queue),
            options.sizes,
            options,
          ),
        );
      } finally {
        await queue.close();
      }
    });
    for (const name of options.peers) {
      await withPrefix(name, async (systemPrefix) => {
        const peer = await PEERS[name](redis.url, systemPrefix);
        try {
          systems.push(
            await measureSystem(
              admin,
              peerScale(peer),
              options.peerSizes,
              options,
            ),
          );
        } finally {
          await peer.close();
        }
      });
    }
    const queues = await withPrefix('queues', async (systemPrefix) => {
      const api = EngineApi.open(redis.url, systemPrefix);
      try {
        return await measureQueues(
          admin,
          api,
          options.queues,
          options.queueMessages,
          options.concurrency,
        );
      } finally {
        await api.close();
      }
    });
    const context: ScaleContext = {
      concurrency: options.concurrency,
      cycleMessages: options.cycleMessages,
      queueMessages: options.queueMessages,
      leftOut: leftOut(options),
      setting: [
        `Sluice's engine (packages/core) and the peers in this process; one ` +
          `redis-server ${await redisVersion(admin)} (${redis.description}), ` +
          'a key prefix per system',
        machine(loadBefore!),
      ],
    };
    const result = { systems, queues };
    console.log(renderScale(context, result));
    if (options.json) {
      console.log(scaleJson(result));
    }
  } finally {
    await closers.closeAll();
  }
}

runMain(USAGE, parseOptions, main);
