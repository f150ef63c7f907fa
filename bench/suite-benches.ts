/** The benchmarks `npm run bench` runs, in order, and what the report shows of each. */

import { LATENCY_SYSTEMS } from './latency-system-names';

/** How a headline figure is printed. */
export type FigureFormat = 'rate' | 'ratio' | 'percent' | 'ms' | 'us' | 'count';

/** One row of a headline table: a label and the JSON figure it shows. */
export interface Headline {
  readonly label: string;
  readonly key: string;
  readonly format: FigureFormat;
}

export interface SuiteBench {
  /** bench/<name>.ts, and the `bench:<name>` script */
  readonly name: string;
  readonly title: string;
  /** the workloads of issue 8 it covers, and the peers beside Sluice */
  readonly covers: string;
  /** runs packages/broker/dist, so the suite builds first */
  readonly needsBuild: boolean;
  /** the figures picked out above the bench's own report */
  readonly headlines: readonly Headline[];
}

const rate = (label: string, key: string): Headline => ({
  label,
  key,
  format: 'rate',
});
const ratio = (label: string, key: string): Headline => ({
  label,
  key,
  format: 'ratio',
});
const count = (label: string, key: string): Headline => ({
  label,
  key,
  format: 'count',
});
const ms = (label: string, key: string): Headline => ({
  label,
  key,
  format: 'ms',
});
const micros = (label: string, key: string): Headline => ({
  label,
  key,
  format: 'us',
});

export const BENCHES: readonly SuiteBench[] = [
  {
    name: 'engine',
    title: 'Engine: produce only, consume only, produce + consume',
    covers:
      'Sluice engine (packages/core) beside BullMQ, RSMQ, bee-queue, a ' +
      'minimal Lua queue and the redis-benchmark EVALSHA ceiling, all in ' +
      'one process on one Redis',
    needsBuild: false,
    headlines: [
      rate('Sluice send (produce only), msg/s', 'send_msgs_per_s'),
      rate(
        'Sluice consume only (drain a backlog), msg/s',
        'consume_msgs_per_s',
      ),
      rate('Sluice full cycle (produce + consume), msg/s', 'cycle_msgs_per_s'),
      rate('BullMQ produce + consume, msg/s', 'bullmq_msgs_per_s'),
      rate('RSMQ produce + consume, msg/s', 'rsmq_msgs_per_s'),
      rate('bee-queue produce + consume, msg/s', 'bee_queue_msgs_per_s'),
      rate('minimal Lua queue full cycle, msg/s', 'minimal_lua_msgs_per_s'),
      ratio('Sluice cycle / BullMQ', 'cycle_vs_bullmq'),
      ratio('Sluice cycle / RSMQ', 'cycle_vs_rsmq'),
      ratio('Sluice cycle / bee-queue', 'cycle_vs_bee_queue'),
      {
        label: 'Sluice cycle / minimal Lua',
        key: 'cycle_vs_minimal_lua',
        format: 'percent',
      },
      {
        label: 'Sluice Redis commands per message',
        key: 'redis_commands_per_msg',
        format: 'count',
      },
      {
        label: 'BullMQ Redis commands per message',
        key: 'bullmq_redis_commands_per_msg',
        format: 'count',
      },
    ],
  },
  {
    name: 'ceiling',
    title: "The ceiling: redis-benchmark's minimal command sequence",
    covers:
      'The plain Redis commands of one message life with redis-benchmark, ' +
      'unpipelined and pipelined, beside the Redis CPU per message of ' +
      "Sluice's engine and of the minimal Lua queue, on one Redis",
    needsBuild: false,
    headlines: [
      micros(
        'minimal sequence, pipeline of 10, Redis CPU µs/msg',
        'minimal_sequence_p10_redis_cpu_us_per_msg',
      ),
      micros(
        'minimal sequence, unpipelined, Redis CPU µs/msg',
        'minimal_sequence_p1_redis_cpu_us_per_msg',
      ),
      micros(
        'minimal Lua queue, Redis CPU µs/msg',
        'minimal_lua_redis_cpu_us_per_msg',
      ),
      micros('Sluice engine, Redis CPU µs/msg', 'sluice_redis_cpu_us_per_msg'),
      ratio(
        'Sluice / minimal sequence (pipelined), Redis CPU',
        'sluice_vs_minimal_sequence',
      ),
      ratio('Sluice / minimal Lua queue, Redis CPU', 'sluice_vs_minimal_lua'),
    ],
  },
  {
    name: 'http',
    title: 'Sluice over HTTP: produce + consume, send → receive latency',
    covers:
      'Sluice broker over HTTP (AWS SDK v3 and the lean keep-alive client) ' +
      'beside BullMQ and moto_server',
    needsBuild: true,
    headlines: [
      rate('Sluice, lean client, msg/s', 'http_lean_msgs_per_s'),
      rate('Sluice, AWS SDK v3, msg/s', 'http_sdk_msgs_per_s'),
      rate('BullMQ, msg/s', 'bullmq_msgs_per_s'),
      rate('moto_server, AWS SDK v3, msg/s', 'moto_sdk_msgs_per_s'),
      ratio('lean / BullMQ', 'lean_vs_bullmq'),
      ratio('SDK / moto_server', 'sdk_vs_moto'),
      ms('Sluice latency p50, ms', 'latency_p50_ms'),
      ms('Sluice latency p99, ms', 'latency_p99_ms'),
      ms('Sluice latency max, ms', 'latency_max_ms'),
      {
        label: 'broker CPU per message (lean), µs',
        key: 'http_lean_broker_cpu_us_per_msg',
        format: 'us',
      },
    ],
  },
  {
    name: 'fifo',
    title: 'FIFO queues: 1, 10 and 1,000 message groups',
    covers: 'FIFO queues against a standard queue, on the engine and over HTTP',
    needsBuild: true,
    headlines: [
      rate('engine, standard queue, msg/s', 'engine_standard_msgs_per_s'),
      rate('engine, 1,000 groups, msg/s', 'engine_fifo_1000_msgs_per_s'),
      ratio('engine, 1,000 groups / standard', 'engine_fifo_1000_vs_standard'),
      ratio('engine, 10 groups / standard', 'engine_fifo_10_vs_standard'),
      ratio('engine, 1 group / standard', 'engine_fifo_1_vs_standard'),
      rate('HTTP lean, 1,000 groups, msg/s', 'http_lean_fifo_1000_msgs_per_s'),
      ratio(
        'HTTP lean, 1,000 groups / standard',
        'http_lean_fifo_1000_vs_standard',
      ),
      rate('HTTP SDK, 1,000 groups, msg/s', 'http_sdk_fifo_1000_msgs_per_s'),
      ratio(
        'HTTP SDK, 1,000 groups / standard',
        'http_sdk_fifo_1000_vs_standard',
      ),
    ],
  },
  {
    name: 'sns',
    title: 'SNS fan-out: 1, 10 and 100 queues',
    covers: 'SNS publish throughput and publish → receive latency',
    needsBuild: false,
    headlines: [1, 10, 100].flatMap((fanout) => [
      rate(
        `fan-out ${fanout}, PublishBatch, publishes/s until consumed`,
        `fanout_${fanout}_batch_drained_publishes_per_s`,
      ),
      rate(
        `fan-out ${fanout}, PublishBatch, deliveries/s until consumed`,
        `fanout_${fanout}_batch_drained_deliveries_per_s`,
      ),
      ms(
        `fan-out ${fanout}, publish → receive p50, ms`,
        `latency_fanout_${fanout}_p50_ms`,
      ),
      ms(
        `fan-out ${fanout}, publish → receive p99, ms`,
        `latency_fanout_${fanout}_p99_ms`,
      ),
    ]),
  },
  {
    name: 'worker',
    title: 'Worker SDK: consume only, concurrency 1, 10 and 50',
    covers:
      'The worker SDK Consumer over Redis, over HTTP with the AWS SDK and ' +
      'with the lean client, beside a BullMQ Worker, RSMQ and bee-queue, ' +
      'and the same Consumer against moto_server',
    needsBuild: true,
    headlines: [
      ...[1, 10, 50].flatMap((concurrency) =>
        [
          'sluice_redis',
          'sluice_http',
          'sluice_http_lean',
          'bullmq',
          'rsmq',
          'bee_queue',
          'moto',
        ].map((system) =>
          rate(
            `concurrency ${concurrency}, ${system.replaceAll('_', '-')}, msg/s`,
            `c${concurrency}_${system}_msgs_per_s`,
          ),
        ),
      ),
      ratio('c50 sluice-redis / BullMQ', 'c50_sluice_redis_vs_bullmq'),
      ratio('c50 sluice-redis / RSMQ', 'c50_sluice_redis_vs_rsmq'),
      ratio('c50 sluice-http / BullMQ', 'c50_sluice_http_vs_bullmq'),
      ratio('c50 sluice-http-lean / BullMQ', 'c50_sluice_http_lean_vs_bullmq'),
      ratio('c50 sluice-redis / bee-queue', 'c50_sluice_redis_vs_bee_queue'),
      ratio('c50 sluice-http / moto', 'c50_sluice_http_vs_moto'),
      ratio('c50 sluice-http-lean / moto', 'c50_sluice_http_lean_vs_moto'),
    ],
  },
  {
    name: 'latency',
    title: 'Send → handler latency at 100, 1,000 and 10,000 msg/s',
    covers:
      'The worker SDK over Redis, over HTTP with the lean client and with ' +
      'the AWS SDK, beside BullMQ, bee-queue and RSMQ, each with a consumer ' +
      'waiting on an empty queue',
    needsBuild: true,
    headlines: LATENCY_SYSTEMS.flatMap((system) => {
      const label = `${system.replaceAll('_', '-')} at`;
      return [
        ms(`${label} 1,000 msg/s p50, ms`, `${system}_1000_p50_ms`),
        ms(`${label} 1,000 msg/s p99, ms`, `${system}_1000_p99_ms`),
        ms(`${label} 1,000 msg/s p999, ms`, `${system}_1000_p999_ms`),
        ms(`${label} 10,000 msg/s p99, ms`, `${system}_10000_p99_ms`),
      ];
    }),
  },
  {
    name: 'scale',
    title: 'Scale: 10k, 100k and 1M messages queued, 1,000 queues',
    covers:
      'Sluice engine (packages/core) with deep backlogs (fill, a cycle on ' +
      'the backlog, drain, Redis memory per message) beside BullMQ, RSMQ ' +
      'and bee-queue, and many queues active at once',
    needsBuild: false,
    headlines: [
      rate(
        'Sluice drain of a 10k backlog, msg/s',
        'sluice_10000_drain_msgs_per_s',
      ),
      rate(
        'Sluice fill of a 1M backlog, msg/s',
        'sluice_1000000_fill_msgs_per_s',
      ),
      rate(
        'Sluice drain of a 1M backlog, msg/s',
        'sluice_1000000_drain_msgs_per_s',
      ),
      rate(
        'Sluice full cycle on a 1M backlog, msg/s',
        'sluice_1000000_cycle_msgs_per_s',
      ),
      ...['bullmq', 'rsmq', 'bee_queue'].map((peer) =>
        rate(
          `${peer.replace('_', '-')} drain of a 100k backlog, msg/s`,
          `${peer}_100000_drain_msgs_per_s`,
        ),
      ),
      ratio(
        'Sluice drain, CPU per message 1M / 10k',
        'sluice_1000000_vs_10000_drain_cost_ratio',
      ),
      ratio(
        'Sluice cycle, CPU per message 1M / 10k',
        'sluice_1000000_vs_10000_cycle_cost_ratio',
      ),
      ratio(
        'Sluice fill, CPU per message 1M / 10k',
        'sluice_1000000_vs_10000_fill_cost_ratio',
      ),
      count(
        'Sluice Redis bytes per message, 10k',
        'sluice_10000_bytes_per_msg',
      ),
      count(
        'Sluice Redis bytes per message, 1M',
        'sluice_1000000_bytes_per_msg',
      ),
      ...['bullmq', 'rsmq', 'bee_queue'].map((peer) =>
        count(
          `${peer.replace('_', '-')} Redis bytes per message, 100k`,
          `${peer}_100000_bytes_per_msg`,
        ),
      ),
      rate('one queue, the same loops, msg/s', 'queues_one_msgs_per_s'),
      // --quick runs 100 queues, a full run 1,000: one set is present.
      ...[1000, 100].flatMap((queues) => [
        rate(
          `${queues} queues round-robin, msg/s`,
          `queues_${queues}_msgs_per_s`,
        ),
        ratio(`${queues} queues / one queue`, `queues_${queues}_vs_one`),
        count(
          `Redis bytes per empty queue (${queues} queues)`,
          `queues_${queues}_bytes_per_queue`,
        ),
      ]),
    ],
  },
  {
    name: 'metrics',
    title: 'Metrics scrape',
    covers: 'A Prometheus scrape of the metrics exporter',
    needsBuild: false,
    headlines: [
      ms('engine.metricsSnapshot() median, ms', 'snapshot_median_ms'),
      ms('whole scrape median, ms', 'scrape_median_ms'),
      ms('whole scrape max, ms', 'scrape_max_ms'),
    ],
  },
];

export function benchByName(name: string): SuiteBench {
  const bench = BENCHES.find((b) => b.name === name);
  if (!bench) {
    throw new Error(
      `unknown benchmark "${name}"; known: ${BENCHES.map((b) => b.name).join(', ')}`,
    );
  }
  return bench;
}
