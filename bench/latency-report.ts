import { jsonLine, rate, table, verdict } from './format';
import type { LatencySystemName } from './latency-system-names';

/** One system at one rate. */
export interface LatencyRun {
  readonly system: LatencySystemName;
  /** messages per second asked for */
  readonly rate: number;
  /** messages per second the producer kept up */
  readonly achievedRate: number;
  /** messages per second from the first handler call to the last */
  readonly deliveredRate: number;
  readonly messages: number;
  readonly duplicates: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly p999Ms: number;
  readonly maxMs: number;
  /** CPU per message of this process (producer and consumer), µs */
  readonly clientCpuUsPerMsg: number;
  readonly redisCpuUsPerMsg: number;
  /** NaN for the systems without a broker */
  readonly brokerCpuUsPerMsg: number;
  /** every command Redis ran, script calls included, per message */
  readonly redisCommandsPerMsg: number;
}

export interface LatencyRunContext {
  readonly seconds: number;
  readonly maxMessages: number;
  readonly concurrency: number;
  /** lines on the setting: processes, Redis, machine */
  readonly setting: readonly string[];
}

/** Below this share of the rate asked for, a run did not keep the rate. */
export const KEPT_FRACTION = 0.95;
/** The rate of issue 8's latency target. */
export const TARGET_RATE = 1000;
/** The peers whose p99 at TARGET_RATE Sluice's redis transport must beat. */
const TARGET_PEERS = [
  ['bullmq', 'BullMQ'],
  ['bee_queue', 'bee-queue'],
] as const;

/** Whether the producer sent, and the consumer handled, at the rate asked. */
export const keptRate = (run: LatencyRun) =>
  run.achievedRate >= KEPT_FRACTION * run.rate &&
  run.deliveredRate >= KEPT_FRACTION * run.rate;

const runOf = (
  runs: readonly LatencyRun[],
  system: LatencySystemName,
  at: number,
) => runs.find((run) => run.system === system && run.rate === at);

interface TargetCheck {
  readonly name: string;
  readonly peer: string;
  readonly sluiceP99Ms: number;
  readonly peerP99Ms: number;
  readonly met: boolean;
}

/** The targets whose two runs were made. */
function targetChecks(runs: readonly LatencyRun[]): TargetCheck[] {
  const sluice = runOf(runs, 'sluice_redis', TARGET_RATE);
  return TARGET_PEERS.flatMap(([system, peer]) => {
    const other = runOf(runs, system, TARGET_RATE);
    return sluice && other
      ? [
          {
            name: `target_p99_vs_${system}_met`,
            peer,
            sluiceP99Ms: sluice.p99Ms,
            peerP99Ms: other.p99Ms,
            met: sluice.p99Ms < other.p99Ms,
          },
        ]
      : [];
  });
}

/** Every figure under its JSON name, `<system>_<rate>_<figure>`. */
export function latencyFigures(
  runs: readonly LatencyRun[],
): Record<string, number | boolean> {
  const figures: Record<string, number | boolean> = {};
  for (const run of runs) {
    const name = (figure: string) => `${run.system}_${run.rate}_${figure}`;
    Object.assign(figures, {
      [name('achieved_rate')]: run.achievedRate,
      [name('delivered_rate')]: run.deliveredRate,
      [name('kept_rate')]: keptRate(run),
      [name('messages')]: run.messages,
      [name('duplicates')]: run.duplicates,
      [name('p50_ms')]: run.p50Ms,
      [name('p99_ms')]: run.p99Ms,
      [name('p999_ms')]: run.p999Ms,
      [name('max_ms')]: run.maxMs,
      [name('client_cpu_us_per_msg')]: run.clientCpuUsPerMsg,
      [name('redis_cpu_us_per_msg')]: run.redisCpuUsPerMsg,
      ...(Number.isFinite(run.brokerCpuUsPerMsg) && {
        [name('broker_cpu_us_per_msg')]: run.brokerCpuUsPerMsg,
      }),
      [name('redis_commands_per_msg')]: run.redisCommandsPerMsg,
    });
  }
  for (const check of targetChecks(runs)) {
    figures[check.name] = check.met;
  }
  return figures;
}

export const latencyJson = (runs: readonly LatencyRun[]) =>
  jsonLine(latencyFigures(runs));

const ms = (value: number) => value.toFixed(2);
const us = (value: number) =>
  Number.isFinite(value) ? Math.round(value).toString() : '-';

function latencyTable(runs: readonly LatencyRun[]): string {
  return table([
    [
      'system',
      'rate',
      'sent/s',
      'handled/s',
      'messages',
      'p50',
      'p99',
      'p999',
      'max',
      'kept rate',
    ],
    ...runs.map((run) => [
      run.system,
      rate(run.rate),
      rate(run.achievedRate),
      rate(run.deliveredRate),
      rate(run.messages),
      ms(run.p50Ms),
      ms(run.p99Ms),
      ms(run.p999Ms),
      ms(run.maxMs),
      keptRate(run) ? 'yes' : 'NO',
    ]),
  ]);
}

function costTable(runs: readonly LatencyRun[]): string {
  return table([
    ['system', 'rate', 'client µs', 'redis µs', 'broker µs', 'redis cmds'],
    ...runs.map((run) => [
      run.system,
      rate(run.rate),
      us(run.clientCpuUsPerMsg),
      us(run.redisCpuUsPerMsg),
      us(run.brokerCpuUsPerMsg),
      run.redisCommandsPerMsg.toFixed(1),
    ]),
  ]);
}

function targetLines(runs: readonly LatencyRun[]): string[] {
  const checks = targetChecks(runs);
  if (checks.length === 0) {
    return [
      `targets: not checked (they need sluice_redis and a peer at ` +
        `${rate(TARGET_RATE)} msg/s)`,
    ];
  }
  return checks.map(
    (check) =>
      `target: sluice_redis p99 at ${rate(TARGET_RATE)} msg/s below ` +
      `${check.peer}'s: ${verdict(check.met)} ` +
      `(${ms(check.sluiceP99Ms)} ms against ${ms(check.peerP99Ms)} ms)`,
  );
}

/** How the HTTP path compares at the target rate; no target is set on it. */
function httpLine(runs: readonly LatencyRun[]): string[] {
  const p99s = (
    ['sluice_http_lean', 'sluice_http_sdk', 'bullmq', 'bee_queue'] as const
  ).flatMap((system) => {
    const run = runOf(runs, system, TARGET_RATE);
    return run ? [`${system} ${ms(run.p99Ms)} ms`] : [];
  });
  return p99s.some((p99) => p99.startsWith('sluice_http'))
    ? [
        `HTTP, p99 at ${rate(TARGET_RATE)} msg/s (no target): ${p99s.join(', ')}`,
      ]
    : [];
}

export function renderLatency(
  context: LatencyRunContext,
  runs: readonly LatencyRun[],
): string {
  const duplicates = runs.filter((run) => run.duplicates > 0);
  return [
    'Send → handler latency (ms): one producer of single 1 KiB messages at ' +
      'a fixed rate, a consumer already waiting on the empty queue ' +
      `(${context.concurrency} handlers at once); ${context.seconds} s per ` +
      `rate, ${rate(context.maxMessages)} messages at most`,
    latencyTable(runs),
    `kept rate NO: the producer sent, or the handlers ran, at less than ` +
      `${KEPT_FRACTION * 100}% of the rate; the latency then includes ` +
      'queueing',
    ...(duplicates.length > 0
      ? [
          'duplicate handler calls (counted once): ' +
            duplicates
              .map(
                (run) =>
                  `${run.system} at ${rate(run.rate)}: ${run.duplicates}`,
              )
              .join(', '),
        ]
      : []),
    '',
    'Cost per message: CPU µs of this process (producer and consumer), of ' +
      'Redis and of the broker; commands Redis ran, script calls included',
    costTable(runs),
    '',
    ...targetLines(runs),
    ...httpLine(runs),
    '',
    ...context.setting,
  ].join('\n');
}
