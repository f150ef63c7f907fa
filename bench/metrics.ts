import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { QueueEngine } from '../packages/core/src';
import { createQueueRegistry } from '../packages/metrics-exporter/src';
import { table, verdict } from './format';
import {
  COMMON_OPTIONS,
  Closers,
  log,
  machine,
  openAdmin,
  redisVersion,
  sizeReader,
  runMain,
} from './setup';
import { median } from './workload';

/**
 * `npm run bench:metrics`: how long a Prometheus scrape of the exporter takes
 * with N queues (default 1,000: a third with messages in every state, a
 * third their dead-letter queues, a third idle), measured as the engine's snapshot alone and as
 * the whole exposition prom-client renders; the goal is under 100 ms.
 */
const USAGE = `usage: npm run bench:metrics -- [options]

  --queues N     queues to create (default 1000; 100 with --quick)
  --scrapes N    scrapes measured after one warm-up (default 30; 5 with --quick)
  --quick        small run for a smoke test
  --json         also print the figures as one JSON object, the last stdout line
  REDIS_URL      benchmark against this Redis instead of a private redis-server`;

const SIZES = {
  queues: { full: '1000', quick: '100' },
  scrapes: { full: '30', quick: '5' },
};

interface Options {
  readonly queues: number;
  readonly scrapes: number;
  readonly json: boolean;
}

function parseOptions(): Options | undefined {
  const { values } = parseArgs({
    options: {
      ...COMMON_OPTIONS,
      queues: { type: 'string' },
      scrapes: { type: 'string' },
    },
  });
  if (values.help) {
    return undefined;
  }
  const size = sizeReader(SIZES, values.quick);
  return {
    queues: size('queues', values.queues),
    scrapes: size('scrapes', values.scrapes),
    json: values.json,
  };
}

/**
 * `count` queues in threes: a source with 10 messages (3 in flight, 1
 * delayed), its dead-letter queue, and an idle queue.
 */
async function fill(engine: QueueEngine, count: number): Promise<void> {
  const names = Array.from({ length: count }, (_, i) => `q-${i}`);
  for (let i = 0; i < names.length; i += 60) {
    await Promise.all(
      names.slice(i, i + 60).map((name) => engine.createQueue(name)),
    );
  }
  const sources = names.filter((_, i) => i % 3 === 0 && i + 1 < count);
  for (let i = 0; i < sources.length; i += 20) {
    await Promise.all(
      sources.slice(i, i + 20).map(async (name) => {
        const dlq = `q-${Number(name.slice(2)) + 1}`;
        await engine.setQueueAttributes(name, {
          RedrivePolicy: JSON.stringify({
            deadLetterTargetArn: engine.queueArn(dlq),
            maxReceiveCount: 3,
          }),
        });
        await engine.sendMessageBatch(
          name,
          Array.from({ length: 10 }, (_, k) => ({
            id: `m${k}`,
            body: 'x'.repeat(100),
            ...(k === 9 && { delaySeconds: 900 }),
          })),
        );
        await engine.receiveMessages(name, { maxNumberOfMessages: 3 });
      }),
    );
  }
}

async function timeMs(work: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

async function run(options: Options): Promise<void> {
  const closers = new Closers();
  try {
    const loadBefore = loadavg()[0] ?? 0;
    const prefix = `bench-metrics-${randomUUID().slice(0, 8)}`;
    const { redis, admin } = await openAdmin(closers, prefix);
    const engine = new QueueEngine({
      redis: redis.url,
      prefix,
      maintenanceIntervalMs: 0,
    });
    closers.add(() => engine.close());
    log(`creating ${options.queues} queues`);
    await fill(engine, options.queues);
    const registry = createQueueRegistry({ engine, processMetrics: false });
    const snapshot = await engine.metricsSnapshot();
    const exposition = await registry.metrics();
    const snapshotMs: number[] = [];
    const scrapeMs: number[] = [];
    for (let i = 0; i < options.scrapes; i += 1) {
      snapshotMs.push(await timeMs(() => engine.metricsSnapshot()));
      scrapeMs.push(await timeMs(() => registry.metrics()));
    }
    const figures = {
      queues: snapshot.queues.length,
      exposition_bytes: Buffer.byteLength(exposition),
      series: exposition.split('\n').filter((l) => l && !l.startsWith('#'))
        .length,
      snapshot_median_ms: median(snapshotMs),
      snapshot_max_ms: Math.max(...snapshotMs),
      scrape_median_ms: median(scrapeMs),
      scrape_max_ms: Math.max(...scrapeMs),
    };
    const ms = (v: number) => v.toFixed(1);
    console.log(
      [
        `Metrics scrape with ${figures.queues} queues (${figures.series} series, ${Math.round(figures.exposition_bytes / 1024)} KiB), ${options.scrapes} scrapes`,
        `${machine(loadBefore)}; Redis ${await redisVersion(admin)} (${redis.description})`,
        '',
        table([
          ['measure', 'median ms', 'max ms'],
          [
            'engine.metricsSnapshot()',
            ms(figures.snapshot_median_ms),
            ms(figures.snapshot_max_ms),
          ],
          [
            'whole scrape (registry.metrics())',
            ms(figures.scrape_median_ms),
            ms(figures.scrape_max_ms),
          ],
        ]),
        '',
        `goal: a whole scrape under 100 ms (median): ${verdict(figures.scrape_median_ms < 100)}`,
      ].join('\n'),
    );
    if (options.json) {
      console.log(
        JSON.stringify({
          ...figures,
          target_scrape_under_100_ms_met: figures.scrape_median_ms < 100,
        }),
      );
    }
  } finally {
    await closers.closeAll();
  }
}

runMain(USAGE, parseOptions, run);
