import { COST_HEADER, costCells, costsOf } from './costs';
import { jsonLine, rate, table, times, verdict } from './format';
import type { LatencyResult } from './http-workload';

/** Medians over the repetitions. */
export interface RepeatedFigures {
  /** Sluice through the hand-built keep-alive AWS JSON 1.0 client, msg/s */
  http_lean_msgs_per_s: number;
  /** Sluice through the AWS SDK v3, msg/s */
  http_sdk_msgs_per_s: number;
  /** BullMQ, first addBulk to last completed job, msg/s */
  bullmq_msgs_per_s: number;
  /**
   * Costs per message by the convention of costs.ts, of the systems
   * `http_lean`, `http_sdk`, `bullmq` (and `moto_sdk`): CPU µs of the broker
   * (NaN off Linux), of redis-server, of this process (the client), and
   * the commands Redis ran.
   */
  [cost: string]: number;
}

export interface HttpThroughput extends RepeatedFigures {
  /** moto_server through the AWS SDK v3, one run, msg/s */
  moto_sdk_msgs_per_s: number;
}

export interface Latencies {
  /** at the target's rate */
  readonly sluice: LatencyResult;
  readonly moto: LatencyResult;
  /** at moto_server's rate, to compare like with like */
  readonly sluiceAtMotoRate: LatencyResult;
}

/** Deliveries of a message already received, over every throughput run. */
export interface Duplicates {
  readonly sluice: number;
  readonly moto: number;
}

export interface HttpResults {
  readonly rates: HttpThroughput;
  readonly latencies: Latencies;
  readonly duplicates: Duplicates;
}

export interface HttpRunContext {
  readonly messages: number;
  readonly motoMessages: number;
  readonly concurrency: number;
  readonly repetitions: number;
  readonly waitSeconds: number;
  readonly latencyConsumers: number;
  /** the rate the latency target is about, messages/s */
  readonly latencyRate: number;
  /** where the broker and Redis ran, and on what */
  readonly setting: readonly string[];
}

/** The targets, as ratios measured in the same run. */
const TARGET_VS_BULLMQ = 2;
const TARGET_VS_MOTO = 50;
const TARGET_P99_MS = 5;
const TARGET_RATE = 1000;

const ms = (value: number) => value.toFixed(2);

function ratios(rates: HttpThroughput) {
  return {
    lean_vs_bullmq: rates.http_lean_msgs_per_s / rates.bullmq_msgs_per_s,
    sdk_vs_bullmq: rates.http_sdk_msgs_per_s / rates.bullmq_msgs_per_s,
    lean_vs_moto: rates.http_lean_msgs_per_s / rates.moto_sdk_msgs_per_s,
    sdk_vs_moto: rates.http_sdk_msgs_per_s / rates.moto_sdk_msgs_per_s,
  };
}

function targets(context: HttpRunContext, { rates, latencies }: HttpResults) {
  const r = ratios(rates);
  return {
    target_vs_bullmq_met: r.lean_vs_bullmq >= TARGET_VS_BULLMQ,
    target_vs_moto_met: r.sdk_vs_moto >= TARGET_VS_MOTO,
    // Kept at the target's rate: a producer falling behind is not "at" it.
    target_p99_met:
      latencies.sluice.p99Ms < TARGET_P99_MS &&
      context.latencyRate === TARGET_RATE &&
      latencies.sluice.rate >= 0.95 * TARGET_RATE,
  };
}

export function renderHttp(
  context: HttpRunContext,
  results: HttpResults,
): string {
  const { rates, latencies, duplicates } = results;
  const bullmq = rates.bullmq_msgs_per_s;
  const moto = rates.moto_sdk_msgs_per_s;
  const rateRow = (label: string, system: string) => {
    const value = rates[`${system}_msgs_per_s`]!;
    return [
      label,
      rate(value),
      times(value / bullmq),
      times(value / moto),
      ...costCells(costsOf(rates, system)),
    ];
  };
  const throughput = table([
    ['end to end', 'msg/s', 'vs BullMQ', 'vs moto_server', ...COST_HEADER],
    rateRow('Sluice, lean keep-alive client', 'http_lean'),
    rateRow('Sluice, AWS SDK v3', 'http_sdk'),
    rateRow('BullMQ produce + consume (no HTTP)', 'bullmq'),
    rateRow('moto_server, AWS SDK v3', 'moto_sdk'),
  ]);
  const latencyRow = (label: string, result: LatencyResult) => [
    label,
    rate(result.rate),
    rate(result.messages),
    ms(result.p50Ms),
    ms(result.p99Ms),
    ms(result.maxMs),
  ];
  const latency = table([
    ['send → receive', 'msg/s', 'messages', 'p50 ms', 'p99 ms', 'max ms'],
    latencyRow('Sluice, lean client', latencies.sluice),
    latencyRow(
      "Sluice, lean client, at moto's rate",
      latencies.sluiceAtMotoRate,
    ),
    latencyRow('moto_server, lean client', latencies.moto),
  ]);
  const r = ratios(rates);
  const met = targets(context, results);
  return [
    `${rate(context.messages)} messages of 1 KiB per run (moto_server: ` +
      `${rate(context.motoMessages)}, one run), batches of 10, ` +
      `${context.concurrency} producer and ${context.concurrency} consumer ` +
      `loops, long polls of ${context.waitSeconds} s; Sluice and BullMQ: ` +
      `median of ${context.repetitions} runs`,
    ...context.setting,
    '',
    throughput,
    '',
    `latency: one producer of single SendMessage at a fixed rate, ` +
      `${context.latencyConsumers} long-polling consumers`,
    latency,
    '',
    `messages delivered twice (SQS is at-least-once): Sluice ` +
      `${duplicates.sluice}, moto_server ${duplicates.moto}`,
    '',
    `target: Sluice (lean client) >= ${TARGET_VS_BULLMQ}× BullMQ: ` +
      `${verdict(met.target_vs_bullmq_met)} (${times(r.lean_vs_bullmq)})`,
    `target: Sluice >= ${TARGET_VS_MOTO}× moto_server (both AWS SDK v3): ` +
      `${verdict(met.target_vs_moto_met)} (${times(r.sdk_vs_moto)})`,
    `target: Sluice p99 send → receive < ${TARGET_P99_MS} ms at ` +
      `${rate(TARGET_RATE)} msg/s: ${verdict(met.target_p99_met)} ` +
      `(${ms(latencies.sluice.p99Ms)} ms at ` +
      `${rate(latencies.sluice.rate)} msg/s)`,
  ].join('\n');
}

/** One line of JSON: every figure, the ratios and the three verdicts. */
export function httpJson(
  context: HttpRunContext,
  results: HttpResults,
): string {
  const { rates, latencies, duplicates } = results;
  const latencyFigures = (prefix: string, result: LatencyResult) => ({
    [`${prefix}latency_rate_msgs_per_s`]: result.rate,
    [`${prefix}latency_messages`]: result.messages,
    [`${prefix}latency_p50_ms`]: result.p50Ms,
    [`${prefix}latency_p99_ms`]: result.p99Ms,
    [`${prefix}latency_max_ms`]: result.maxMs,
  });
  return jsonLine({
    ...rates,
    ...ratios(rates),
    ...latencyFigures('', latencies.sluice),
    ...latencyFigures('moto_', latencies.moto),
    ...latencyFigures('at_moto_rate_', latencies.sluiceAtMotoRate),
    sluice_duplicates: duplicates.sluice,
    moto_duplicates: duplicates.moto,
    ...targets(context, results),
  });
}
