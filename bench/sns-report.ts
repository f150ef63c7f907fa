import { COST_HEADER, costCells, type MessageCosts } from './costs';
import { jsonLine, rate, table } from './format';
import {
  SLOWLOG_THRESHOLD_US,
  type Cost,
  type RedisProfile,
} from './redis-profile';
import type {
  Completion,
  FanoutLatencyResult,
  PublishKind,
} from './sns-workload';

/** The target: fan-out to 10 queues, 5,000 publishes/s. */
export const TARGET_FANOUT = 10;
export const TARGET_PUBLISHES_PER_S = 5000;

/** One throughput configuration, in the order they run. */
export interface Config {
  readonly fanout: number;
  readonly kind: PublishKind;
  readonly completion: Completion;
}

/**
 * Figures of one run of one configuration; the report shows medians. The
 * costs (costs.ts) are per delivery, a message in one queue: CPU µs of the
 * delivery workers (broker), redis-server and this process (client), and
 * the commands Redis ran.
 */
export interface ConfigFigures extends Required<MessageCosts> {
  publishes_per_s: number;
  deliveries_per_s: number;
  publish_only_per_s: number;
}

export interface ConfigResult {
  readonly config: Config;
  readonly publishes: number;
  readonly figures: ConfigFigures;
}

export interface ProfiledFanout {
  readonly config: Config;
  readonly publishes: number;
  readonly profile: RedisProfile;
}

export interface SnsResults {
  readonly throughput: readonly ConfigResult[];
  readonly latency: readonly FanoutLatencyResult[];
  readonly latencyFanouts: readonly number[];
  readonly duplicates: number;
  readonly foreign: number;
  readonly profile: ProfiledFanout | undefined;
}

export interface SnsRunContext {
  /** signed SNS envelopes rather than raw delivery */
  readonly envelope: boolean;
  readonly publishers: number;
  readonly consumers: number;
  readonly workers: number;
  readonly runs: number;
  readonly latencyRate: number;
  readonly latencySeconds: number;
  readonly latencyConsumersPerQueue: number;
  /** where the engine, the workers and Redis ran, and on what */
  readonly setting: readonly string[];
}

export const configKey = ({ fanout, kind, completion }: Config) =>
  `fanout_${fanout}_${kind}_${completion}`;

const KIND_LABEL: Record<PublishKind, string> = {
  batch: 'PublishBatch of 10',
  single: 'Publish',
};

const COMPLETION_LABEL: Record<Completion, string> = {
  drained: 'consumed',
  delivered: 'in queues',
};

/** PASS or MISS per completion, for fan-out 10 with PublishBatch. */
export function verdicts(results: SnsResults) {
  return results.throughput
    .filter(
      ({ config }) =>
        config.fanout === TARGET_FANOUT && config.kind === 'batch',
    )
    .map(({ config, figures }) => ({
      completion: config.completion,
      publishesPerS: figures.publishes_per_s,
      met: figures.publishes_per_s >= TARGET_PUBLISHES_PER_S,
    }));
}

function throughputTable(results: SnsResults): string {
  return table([
    [
      'fan-out',
      'publisher',
      'until',
      'publishes',
      'publishes/s',
      'deliveries/s',
      'publish-only/s',
      ...COST_HEADER.map((name) => name.replace('/msg', '/dlv')),
    ],
    ...results.throughput.map(({ config, publishes, figures }) => [
      String(config.fanout),
      KIND_LABEL[config.kind],
      COMPLETION_LABEL[config.completion],
      rate(publishes),
      rate(figures.publishes_per_s),
      rate(figures.deliveries_per_s),
      rate(figures.publish_only_per_s),
      ...costCells(figures),
    ]),
  ]);
}

function latencyTable(results: SnsResults): string {
  return table([
    ['fan-out', 'publishes/s', 'deliveries', 'p50 ms', 'p99 ms', 'max ms'],
    ...results.latency.map((r, i) => [
      String(results.latencyFanouts[i]),
      rate(r.rate),
      rate(r.deliveries),
      r.p50Ms.toFixed(2),
      r.p99Ms.toFixed(2),
      r.maxMs.toFixed(2),
    ]),
  ]);
}

function profileLines({ config, publishes, profile }: ProfiledFanout) {
  const deliveries = publishes * config.fanout;
  const slow = profile.scripts.reduce(
    (sum, c) => ({ calls: sum.calls + c.calls, usec: sum.usec + c.usec }),
    { calls: 0, usec: 0 },
  );
  const fast: Cost = {
    name: `calls under ${SLOWLOG_THRESHOLD_US} µs, any script`,
    calls: profile.allScripts.calls - slow.calls,
    usec: profile.allScripts.usec - slow.usec,
  };
  const row = (cost: Cost) => [
    cost.name,
    (cost.calls / deliveries).toFixed(3),
    cost.calls > 0 ? (cost.usec / cost.calls).toFixed(0) : '',
    (cost.usec / deliveries).toFixed(2),
  ];
  return [
    `where Redis spends its time: one untimed run of ${rate(publishes)} ` +
      `publishes (${KIND_LABEL[config.kind]}) to ${config.fanout} queues, ` +
      `nobody consuming; INFO commandstats, and SLOWLOG for the script ` +
      `calls over ${SLOWLOG_THRESHOLD_US} µs`,
    table([
      ['script', 'calls/delivery', 'µs/call', 'µs/delivery'],
      ...profile.scripts.map(row),
      ...(fast.calls > 0 ? [row(fast)] : []),
      row(profile.allScripts),
    ]),
    '',
    table([
      [
        'commands (called by scripts or sent directly)',
        'calls/delivery',
        'µs/call',
        'µs/delivery',
      ],
      ...profile.inScripts
        .slice(0, 12)
        .map((cost) => row({ ...cost, name: cost.name.toUpperCase() })),
    ]),
  ];
}

export function renderSns(context: SnsRunContext, results: SnsResults): string {
  const invalid = results.duplicates + results.foreign > 0;
  return [
    `1 KiB messages, ${context.envelope ? "SNS's signed JSON envelope (SignatureVersion 1)" : 'raw delivery'} to SQS queues; ${context.publishers} ` +
      `publisher loops; ${context.workers} delivery worker process(es); ` +
      `median of ${context.runs} run(s)`,
    `until consumed: ${context.consumers} consumer loops (at least one per ` +
      `queue) receive up to 10 (long polls of 1 s) and delete them in one ` +
      `batch during the run, which ends when every queue has received ` +
      `every message; until in queues: nobody consumes, the run ends when ` +
      `the topic's delivery counter reaches publishes × fan-out (the queues ` +
      `are drained and checked afterwards, untimed)`,
    '/dlv: per delivery (publishes × fan-out); CPU time of the worker ' +
      'processes together (broker), of redis-server and of this process ' +
      '(client: publishers and consumers), and the commands Redis ran',
    ...context.setting,
    '',
    throughputTable(results),
    '',
    `latency: single Publish calls at ${rate(context.latencyRate)}/s for ` +
      `${context.latencySeconds} s, ${context.latencyConsumersPerQueue} ` +
      `long-polling consumer loops per queue; publish → receive`,
    latencyTable(results),
    '',
    `correctness: ${results.duplicates} duplicate and ${results.foreign} ` +
      `foreign deliveries over all runs` +
      (invalid ? ': INVALID' : '; every queue got every message once'),
    ...verdicts(results).map(
      ({ completion, publishesPerS, met }) =>
        `target: fan-out to ${TARGET_FANOUT} queues >= ` +
        `${rate(TARGET_PUBLISHES_PER_S)} publishes/s (PublishBatch), until ` +
        `${COMPLETION_LABEL[completion]}: ` +
        `${invalid ? 'INVALID' : met ? 'PASS' : 'MISS'} ` +
        `(${rate(publishesPerS)})`,
    ),
    ...(results.profile ? ['', ...profileLines(results.profile)] : []),
  ].join('\n');
}

/** One line of JSON: every figure, the latencies and the verdicts. */
export function snsJson(results: SnsResults): string {
  const figures = results.throughput.flatMap(({ config, figures }) =>
    Object.entries(figures).map(
      ([name, value]) => [`${configKey(config)}_${name}`, value] as const,
    ),
  );
  const latencies = results.latency.flatMap((r, i) => {
    const name = `latency_fanout_${results.latencyFanouts[i]}`;
    return [
      [`${name}_rate`, r.rate],
      [`${name}_p50_ms`, r.p50Ms],
      [`${name}_p99_ms`, r.p99Ms],
      [`${name}_max_ms`, r.maxMs],
    ] as const;
  });
  return jsonLine({
    ...Object.fromEntries(figures),
    ...Object.fromEntries(latencies),
    duplicates: results.duplicates,
    foreign: results.foreign,
    ...Object.fromEntries(
      verdicts(results).map(({ completion, met }) => [
        `target_${completion}_met`,
        met,
      ]),
    ),
  });
}
