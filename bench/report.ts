import { RETURN_ONE_LABEL } from './eval-ceiling';
import { jsonLine, percent, rate, table, times, verdict } from './format';

/** Figures measured in each repetition; the report shows their medians. */
export interface RateFigures {
  /** Sluice SendMessageBatch of ten, messages/s */
  send_msgs_per_s: number;
  /** Sluice ReceiveMessage of up to ten, messages/s */
  receive_msgs_per_s: number;
  /** Sluice DeleteMessageBatch of ten, messages/s */
  delete_msgs_per_s: number;
  /** Sluice send → receive → delete loops, messages/s */
  cycle_msgs_per_s: number;
  minimal_lua_send_msgs_per_s: number;
  minimal_lua_receive_msgs_per_s: number;
  minimal_lua_delete_msgs_per_s: number;
  /** the minimal Lua queue's full cycle, messages/s */
  minimal_lua_msgs_per_s: number;
  /** BullMQ, first addBulk to last completed job, messages/s */
  bullmq_msgs_per_s: number;
  /** redis-benchmark EVALSHA of "return 1", one call per round trip */
  redis_eval_calls_per_s: number;
  /** the same, 16 calls per round trip */
  redis_eval_pipelined_calls_per_s: number;
}

/** Counted over one untimed full cycle per system. */
export interface CommandFigures {
  client_calls_per_msg: number;
  redis_commands_per_msg: number;
  minimal_lua_client_calls_per_msg: number;
  minimal_lua_redis_commands_per_msg: number;
  bullmq_client_calls_per_msg: number;
  bullmq_redis_commands_per_msg: number;
}

export interface RunContext {
  readonly messages: number;
  readonly concurrency: number;
  readonly repetitions: number;
  readonly redis: string;
}

/** The targets for Sluice's full cycle. */
const TARGET_VS_BULLMQ = 4;
const TARGET_VS_MINIMAL = 0.8;

export function render(
  context: RunContext,
  rates: RateFigures,
  commands: CommandFigures,
): string {
  const bullmq = rates.bullmq_msgs_per_s;
  const minimal = rates.minimal_lua_msgs_per_s;
  const vsBullmq = rates.cycle_msgs_per_s / bullmq;
  const vsMinimal = rates.cycle_msgs_per_s / minimal;
  const cycleRow = (label: string, value: number) => [
    label,
    rate(value),
    times(value / bullmq),
    percent(value / minimal),
  ];
  const throughput = table([
    ['full cycle', 'msg/s', 'vs BullMQ', 'vs minimal Lua'],
    cycleRow('Sluice', rates.cycle_msgs_per_s),
    cycleRow('minimal Lua queue', minimal),
    cycleRow('BullMQ produce + consume', bullmq),
  ]);
  const stepRow = (label: string, sluice: number, minimalStep: number) => [
    label,
    rate(sluice),
    rate(minimalStep),
    percent(sluice / minimalStep),
  ];
  const steps = table([
    ['each step alone', 'Sluice msg/s', 'minimal Lua msg/s', 'Sluice/minimal'],
    stepRow(
      'send (batch of 10)',
      rates.send_msgs_per_s,
      rates.minimal_lua_send_msgs_per_s,
    ),
    stepRow(
      'receive (up to 10)',
      rates.receive_msgs_per_s,
      rates.minimal_lua_receive_msgs_per_s,
    ),
    stepRow(
      'delete (batch of 10)',
      rates.delete_msgs_per_s,
      rates.minimal_lua_delete_msgs_per_s,
    ),
  ]);
  const ceilingRow = (label: string, value: number) => [label, rate(value)];
  const ceilings = table([
    ['redis-benchmark ceiling', 'calls/s'],
    ceilingRow(
      `${RETURN_ONE_LABEL}, unpipelined`,
      rates.redis_eval_calls_per_s,
    ),
    ceilingRow(
      `${RETURN_ONE_LABEL}, pipeline of 16`,
      rates.redis_eval_pipelined_calls_per_s,
    ),
  ]);
  const perMessage = table([
    ['per message, full cycle', 'client calls', 'Redis commands'],
    ...(
      [
        ['Sluice', ''],
        ['minimal Lua queue', 'minimal_lua_'],
        ['BullMQ', 'bullmq_'],
      ] as const
    ).map(([label, prefix]) => [
      label,
      commands[`${prefix}client_calls_per_msg`].toFixed(2),
      commands[`${prefix}redis_commands_per_msg`].toFixed(2),
    ]),
  ]);
  return [
    `${rate(context.messages)} messages of 1 KiB, batches of 10, ` +
      `concurrency ${context.concurrency}, median of ${context.repetitions} runs`,
    `on ${context.redis}`,
    '',
    throughput,
    '',
    steps,
    '',
    ceilings,
    '',
    perMessage,
    '',
    `target: Sluice full cycle >= ${TARGET_VS_BULLMQ}× BullMQ: ` +
      `${verdict(vsBullmq >= TARGET_VS_BULLMQ)} (${times(vsBullmq)})`,
    `target: Sluice full cycle >= ${percent(TARGET_VS_MINIMAL)} of the ` +
      `minimal Lua queue: ${verdict(vsMinimal >= TARGET_VS_MINIMAL)} ` +
      `(${percent(vsMinimal)})`,
  ].join('\n');
}

/** One line of JSON: every figure, the two ratios the targets read, the verdicts. */
export function toJson(rates: RateFigures, commands: CommandFigures): string {
  const vsBullmq = rates.cycle_msgs_per_s / rates.bullmq_msgs_per_s;
  const vsMinimal = rates.cycle_msgs_per_s / rates.minimal_lua_msgs_per_s;
  return jsonLine({
    ...rates,
    ...commands,
    cycle_vs_bullmq: vsBullmq,
    cycle_vs_minimal_lua: vsMinimal,
    target_vs_bullmq_met: vsBullmq >= TARGET_VS_BULLMQ,
    target_vs_minimal_lua_met: vsMinimal >= TARGET_VS_MINIMAL,
  });
}
